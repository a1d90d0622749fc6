/**
 * The back office's two composables for talking to the admin API, so views do not repeat them:
 *  - useList: loads a list and reloads it on demand; a failure is kept as words;
 *  - useForm: runs a write with a busy flag and shows the API's refusals beside their fields
 *    (formErrors.ts); `then` runs only when the write went through (e.g. reload a list).
 */
import { onMounted, ref, type Ref } from 'vue';
import { api } from './api';
import { errorText, useFormErrors } from './formErrors';
import type { Items } from './types';

export function useList<T>(path: () => string): {
  rows: Ref<T[]>;
  loading: Ref<boolean>;
  error: Ref<string | null>;
  reload: () => Promise<void>;
} {
  const rows = ref<T[]>([]) as Ref<T[]>;
  const loading = ref(false);
  const error = ref<string | null>(null);
  async function reload() {
    loading.value = true;
    try {
      rows.value = (await api<Items<T>>('GET', path())).items;
      error.value = null;
    } catch (err) {
      error.value = errorText(err);
    } finally {
      loading.value = false;
    }
  }
  onMounted(reload);
  return { rows, loading, error, reload };
}

export function useForm() {
  const errors = useFormErrors();
  const busy = ref(false);
  /** The write's answer, or undefined when the API refused it (the refusal is shown). */
  async function submit<T>(write: () => Promise<T>, then?: (answer: T) => unknown): Promise<T | undefined> {
    busy.value = true;
    errors.clear();
    try {
      const answer = await write();
      await then?.(answer);
      return answer;
    } catch (err) {
      errors.show(err);
      return undefined;
    } finally {
      busy.value = false;
    }
  }
  return { errors, busy, submit };
}
