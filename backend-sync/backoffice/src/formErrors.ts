/**
 * A form's refusals from the API, in words of the chosen language: each issue beside its field
 * (by the issue's path — whole, and its first part — or details.field), anything else in one line
 * above the buttons. Words come from the error code (errors.*, with the error's details filled
 * in), from the issue's zod code and bounds (issues.*), or, for the hub's own rules, from the
 * table of their English sentences (issueMessages.ts).
 */
import { reactive, ref } from 'vue';
import { ApiError, type Issue } from './api';
import { i18n } from './i18n';
import { translatedRule } from './i18n/issueMessages';

export function errorText(error: unknown): string {
  const { t, te } = i18n.global;
  if (error instanceof ApiError) {
    const key = `errors.${error.code}`;
    return te(key) ? t(key, error.details as Record<string, unknown>) : error.message;
  }
  return t('errors.INTERNAL');
}

/** One issue in the reader's language. */
export function issueText(issue: Issue): string {
  const { t, te, locale } = i18n.global;
  const rule = translatedRule(issue.message, locale.value);
  if (rule !== null) return rule;
  if (issue.code) {
    const byOrigin = `issues.${issue.code}.${issue.origin ?? 'other'}`;
    if (te(byOrigin)) return t(byOrigin, { minimum: issue.minimum, maximum: issue.maximum });
    const byCode = `issues.${issue.code}`;
    if (te(byCode) && typeof t(byCode) === 'string') return t(byCode);
  }
  return t('issues.fallback', { message: issue.message });
}

export function useFormErrors() {
  const fields = reactive<Record<string, string>>({});
  const general = ref<string | null>(null);

  function clear(): void {
    for (const key of Object.keys(fields)) delete fields[key];
    general.value = null;
  }

  const add = (field: string, text: string) => {
    fields[field] = fields[field] ? `${fields[field]}; ${text}` : text;
  };

  function show(error: unknown): void {
    clear();
    general.value = errorText(error);
    if (!(error instanceof ApiError)) return;
    for (const issue of error.issues) {
      const text = issueText(issue);
      const first = issue.path.split('.')[0] || '_';
      add(first, text);
      if (issue.path !== first) add(issue.path, text);
    }
    const field = error.details.field;
    if (typeof field === 'string') add(field, general.value);
  }

  /** Props for an NFormItem: red with the API's words, or nothing. */
  const item = (field: string) =>
    fields[field] ? { validationStatus: 'error' as const, feedback: fields[field] } : {};

  return { fields, general, clear, show, item };
}
