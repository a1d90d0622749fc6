/**
 * The signed-in staff member's add requests and broadcasts, kept current while the customers screen
 * is open: both change when the hub answers (a `customers.changed` event) or when the outbox drains
 * (a sync status change). Shared by the dialogs and the panels, so the add dialog's state line and
 * the requests panel never disagree.
 */
import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import type {
  BroadcastMessage,
  BroadcastView,
  ConsoleInput,
  CustomerAddRequest,
} from '../../../electron/core/consoleApi/contract';
import { useApi } from '../api';
import { coalesce } from '../util/coalesce';
import { useSyncStore } from './sync';

const REFRESH_COALESCE_MS = 250;

export const useCustomerActivityStore = defineStore('customerActivity', () => {
  const api = useApi();
  const sync = useSyncStore();
  const addRequests = ref<CustomerAddRequest[]>([]);
  const broadcasts = ref<BroadcastView[]>([]);
  /** The last refresh's failure (shown by the panels); null when it worked. */
  const error = ref<unknown>(null);
  let latest = 0;
  let users = 0;
  let stopWatching: (() => void) | null = null;

  async function refresh() {
    const mine = ++latest;
    try {
      const [requests, sent] = await Promise.all([
        api.call('customers.addRequests'),
        api.call('customers.broadcasts'),
      ]);
      if (mine !== latest) return;
      addRequests.value = requests;
      broadcasts.value = sent;
      error.value = null;
    } catch (err) {
      if (mine === latest) error.value = err;
    }
  }

  /** A request the core just answered, shown at once rather than after the next refresh. */
  function putRequest(request: CustomerAddRequest) {
    addRequests.value = [request, ...addRequests.value.filter((r) => r.id !== request.id)];
  }

  function putBroadcast(broadcast: BroadcastView) {
    broadcasts.value = [broadcast, ...broadcasts.value.filter((b) => b.id !== broadcast.id)];
  }

  /** Adds a customer by number (or confirms a take-over); the answer shows in every view at once. */
  async function add(input: ConsoleInput<'customers.add'>): Promise<CustomerAddRequest> {
    const request = await api.call('customers.add', input);
    putRequest(request);
    return request;
  }

  async function broadcast(message: BroadcastMessage): Promise<BroadcastView> {
    const sent = await api.call('customers.broadcast', message);
    putBroadcast(sent);
    return sent;
  }

  /** Starts following changes; the returned function stops when the last user leaves. */
  function follow(): () => void {
    users += 1;
    if (users === 1) {
      const later = coalesce(() => void refresh(), REFRESH_COALESCE_MS);
      const off = api.on('customers.changed', later);
      const unwatch = watch(
        () => [sync.status?.connection, sync.status?.queued, sync.status?.lastSyncAt],
        later,
      );
      stopWatching = () => {
        off();
        unwatch();
        later.cancel();
      };
      void refresh();
    }
    return () => {
      users -= 1;
      if (users === 0) {
        stopWatching?.();
        stopWatching = null;
      }
    };
  }

  return { addRequests, broadcasts, error, refresh, add, broadcast, follow };
});
