/** Loads a list from the admin API and reloads it on demand; a failure is kept as words. */
import { onMounted, ref, type Ref } from 'vue';
import { api } from './api';
import { errorText } from './formErrors';
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
