/**
 * Needs attention: redemption conflicts not yet resolved. The count (nav badge) follows the
 * core's `till.redemptionsChanged` event; the list is loaded when the screen shows it.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { RedemptionView, SessionStaff } from '../../../electron/core/consoleApi/contract';
import { useApi } from '../api';
import { useSessionStore } from './session';

/** Who may acknowledge or void a conflict (SPEC §1); the hub decides anyway. */
export const RESOLVING_ROLES: readonly SessionStaff['role'][] = ['sales_manager', 'supervisor', 'admin'];

export const useTillAttentionStore = defineStore('tillAttention', () => {
  const api = useApi();
  const session = useSessionStore();
  const items = ref<RedemptionView[]>([]);
  const count = ref(0);
  const loading = ref(false);
  let started = false;

  const canResolve = computed(() => {
    const role = session.staff?.role;
    return role !== undefined && RESOLVING_ROLES.includes(role);
  });

  async function load(): Promise<void> {
    loading.value = true;
    try {
      items.value = await api.call('attention.list');
      count.value = items.value.length;
    } finally {
      loading.value = false;
    }
  }

  async function resolve(redemptionId: string, decision: 'acknowledge' | 'void'): Promise<RedemptionView> {
    const view = await api.call('attention.resolve', { redemptionId, decision });
    await load();
    return view;
  }

  function start() {
    if (started) return;
    started = true;
    api.on('till.redemptionsChanged', ({ attention }) => {
      count.value = attention;
      // A screen showing the list keeps it current.
      if (items.value.length > 0 || attention > 0) void load().catch(() => {});
    });
    void load().catch(() => {});
  }

  return { items, count, loading, canResolve, load, resolve, start };
});
