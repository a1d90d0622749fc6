// @vitest-environment happy-dom
/** Needs attention: who may resolve, and the count that follows the core's events. */
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { RedemptionView, SessionStaff } from '../../../electron/core/consoleApi/contract';

const listeners = new Map<string, ((payload: unknown) => void)[]>();
let list: RedemptionView[] = [];
const resolved: unknown[] = [];

vi.mock('../api', () => ({
  useApi: () => ({
    call: async (method: string, input: unknown) => {
      if (method === 'attention.list') return list;
      if (method === 'attention.resolve') {
        resolved.push(input);
        list = [];
        return {};
      }
      throw new Error(`unexpected call ${method}`);
    },
    on: (event: string, cb: (payload: unknown) => void) => {
      listeners.set(event, [...(listeners.get(event) ?? []), cb]);
      return () => {};
    },
    onConnection: () => () => {},
  }),
}));

const { useTillAttentionStore } = await import('./tillAttention');
const { useSessionStore } = await import('./session');

const conflict = { id: 'r1', code: 'XYLBWNG2YL', syncState: 'conflict' } as RedemptionView;
const staff = (role: SessionStaff['role']): SessionStaff => ({
  id: 's',
  staffCode: 'X',
  displayName: 'X',
  role,
  branchId: null,
  signedInAt: '2026-01-01T00:00:00Z',
});

beforeEach(() => {
  setActivePinia(createPinia());
  listeners.clear();
  list = [];
  resolved.length = 0;
});

describe('needs attention store', () => {
  it('lets only sales managers, supervisors and admins resolve', () => {
    const attention = useTillAttentionStore();
    const session = useSessionStore();
    const allowed = (
      ['admin', 'supervisor', 'cs_manager', 'cs_agent', 'sales_manager', 'sales_associate'] as const
    ).filter((role) => {
      session.staff = staff(role);
      return attention.canResolve;
    });
    expect(allowed).toEqual(['admin', 'supervisor', 'sales_manager']);
  });

  it('counts conflicts from the core events, and empties the list once resolved', async () => {
    const attention = useTillAttentionStore();
    attention.start();
    list = [conflict];
    for (const cb of listeners.get('till.redemptionsChanged') ?? []) cb({ attention: 1 });
    expect(attention.count).toBe(1);
    await vi.waitFor(() => expect(attention.items).toHaveLength(1));
    await attention.resolve('r1', 'acknowledge');
    expect(resolved).toEqual([{ redemptionId: 'r1', decision: 'acknowledge' }]);
    expect(attention.items).toEqual([]);
    expect(attention.count).toBe(0);
  });
});
