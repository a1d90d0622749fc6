/**
 * A form's refusals from the API: each issue beside its field (by the issue's first path part or
 * details.field), anything else in one line above the buttons, in words of the chosen language.
 */
import { reactive, ref } from 'vue';
import { ApiError } from './api';
import { i18n } from './i18n';

export function errorText(error: unknown): string {
  const t = i18n.global.t;
  if (error instanceof ApiError) {
    const key = `errors.${error.code}`;
    const known = i18n.global.te(key) ? t(key) : null;
    return known ?? error.message;
  }
  return t('errors.INTERNAL');
}

export function useFormErrors() {
  const fields = reactive<Record<string, string>>({});
  const general = ref<string | null>(null);

  function clear(): void {
    for (const key of Object.keys(fields)) delete fields[key];
    general.value = null;
  }

  function show(error: unknown): void {
    clear();
    general.value = errorText(error);
    if (!(error instanceof ApiError)) return;
    for (const issue of error.issues) {
      const field = issue.path.split('.')[0] || '_';
      const text = issue.path.includes('.') ? `${issue.path}: ${issue.message}` : issue.message;
      fields[field] = fields[field] ? `${fields[field]}; ${text}` : text;
    }
    const field = error.details.field;
    if (typeof field === 'string') fields[field] = error.message;
  }

  /** Props for an NFormItem: red with the API's words, or nothing. */
  const item = (field: string) =>
    fields[field] ? { validationStatus: 'error' as const, feedback: fields[field] } : {};

  return { fields, general, clear, show, item };
}
