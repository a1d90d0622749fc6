// @vitest-environment happy-dom
/**
 * The customers screen against a fake ConsoleApi: which lists and columns staff see, what each
 * filter asks the core, and the add / take-over / broadcast / detail flows — by the data-testids the
 * e2e tests use.
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { NMessageProvider } from 'naive-ui';
import { createPinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { createI18n } from 'vue-i18n';
import type {
  BoundCustomer,
  CustomerAddRequest,
  CustomerDetail,
  CustomersContext,
  SessionStaff,
} from '../../../electron/core/consoleApi/contract';
import { ApiCallError } from '../api/client';
import en from '../i18n/en';
import zhTW from '../i18n/zh-TW';

type Handler = (input: never) => unknown;
const handlers = new Map<string, Handler>();
const calls: { method: string; input: Record<string, unknown> }[] = [];
const listeners = new Map<string, ((payload: unknown) => void)[]>();

vi.mock('../api', async () => {
  const client = await import('../api/client');
  return {
    ApiCallError: client.ApiCallError,
    useApi: () => ({
      call: async (method: string, input: unknown) => {
        calls.push({ method, input: (input ?? {}) as Record<string, unknown> });
        const handler = handlers.get(method);
        if (!handler) throw new Error(`unexpected call ${method}`);
        return handler(input as never);
      },
      on: (event: string, cb: (payload: unknown) => void) => {
        listeners.set(event, [...(listeners.get(event) ?? []), cb]);
        return () =>
          listeners.set(
            event,
            (listeners.get(event) ?? []).filter((l) => l !== cb),
          );
      },
      onConnection: () => () => {},
    }),
  };
});

const { default: CustomersView } = await import('./CustomersView.vue');
const { useSessionStore } = await import('../stores/session');

const context = (overrides: Partial<CustomersContext> = {}): CustomersContext => ({
  lists: ['mine'],
  phoneRegion: 'HK',
  callingCode: '+852',
  channels: { line: true, whatsapp: true },
  whatsappTemplates: [{ name: 'spring_sale', language: 'zh_HK', preview: '春季優惠開始了！' }],
  ...overrides,
});
const mei = { id: 's1', displayName: '林小美', role: 'sales_associate' as const };
const customer = (id: string, overrides: Partial<BoundCustomer> = {}): BoundCustomer => ({
  id,
  displayName: `顧客 ${id}`,
  channel: 'line',
  phone: '+886 912 345 678',
  avatarUrl: null,
  boundAt: '2026-03-01T02:00:00.000Z',
  boundStaff: mei,
  boundBranchName: '台北信義店',
  ...overrides,
});
const addRequest = (overrides: Partial<CustomerAddRequest>): CustomerAddRequest => ({
  id: 'm1',
  phone: '+852 9123 4567',
  name: '陳大文',
  takeOver: false,
  state: 'queued',
  requestedAt: '2026-03-01T02:00:00.000Z',
  currentStaff: null,
  currentBranchName: null,
  code: null,
  ...overrides,
});
const staff = (role: SessionStaff['role']): SessionStaff => ({
  id: 'me',
  staffCode: 'S001',
  displayName: '我',
  role,
  branchId: 'b1',
  signedInAt: '2026-03-01T00:00:00.000Z',
});

let wrapper: VueWrapper | null = null;

async function open(ctx: CustomersContext, role: SessionStaff['role'] = 'sales_associate') {
  handlers.set('customers.context', () => ctx);
  const pinia = createPinia();
  const i18n = createI18n({
    legacy: false,
    locale: 'zh-TW',
    fallbackLocale: 'en',
    messages: { 'zh-TW': zhTW, en },
  });
  const Host = defineComponent({
    render: () => h(NMessageProvider, null, { default: () => h(CustomersView) }),
  });
  wrapper = mount(Host, { global: { plugins: [pinia, i18n] }, attachTo: document.body });
  useSessionStore().staff = staff(role);
  await settle();
  return wrapper;
}

/** Lets the debounce (150 ms), the coalesced refreshes and the fake calls run. */
async function settle(ms = 0) {
  await flushPromises();
  if (ms) await new Promise((r) => setTimeout(r, ms));
  await flushPromises();
}

const byTestId = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const allByTestId = (id: string) =>
  Array.from(document.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`));
const callsOf = (method: string) => calls.filter((c) => c.method === method).map((c) => c.input);

async function type(testid: string, text: string) {
  const input = byTestId(testid) as HTMLInputElement | HTMLTextAreaElement;
  input.value = text;
  input.dispatchEvent(new Event('input'));
  await settle();
}

async function click(el: HTMLElement | null) {
  expect(el).not.toBeNull();
  el!.click();
  await settle();
}

beforeEach(() => {
  handlers.clear();
  calls.length = 0;
  listeners.clear();
  handlers.set('customers.search', (q: { list: string }) => ({
    items: q.list === 'team' ? [customer('t1', { boundStaff: mei })] : [customer('c1'), customer('c2')],
    total: q.list === 'team' ? 1 : 2,
  }));
  handlers.set('customers.addRequests', () => []);
  handlers.set('customers.broadcasts', () => []);
});
afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  document.body.innerHTML = '';
});

describe('customers screen', () => {
  it("shows an associate's own list, with the total, and no team tab", async () => {
    await open(context());
    expect(byTestId('customers-tab-mine')?.textContent).toContain('我的名單');
    expect(byTestId('customers-tab-team')).toBeNull();
    expect(allByTestId('customers-row')).toHaveLength(2);
    expect(byTestId('customers-total')?.textContent?.trim()).toBe('共 2 位顧客');
    expect(allByTestId('customer-staff')).toHaveLength(0);
    expect(callsOf('customers.search')[0]).toMatchObject({
      list: 'mine',
      channel: 'all',
      search: '',
      limit: 50,
    });
  });

  it('gives a sales manager the team list, with the associate as "role - name"', async () => {
    await open(context({ lists: ['mine', 'team'] }), 'sales_manager');
    await click(byTestId('customers-tab-team'));
    expect(callsOf('customers.search').at(-1)).toMatchObject({ list: 'team', offset: 0 });
    expect(allByTestId('customer-staff').map((e) => e.textContent)).toEqual(['銷售人員 - 林小美']);
  });

  it('says why there is no list for a role without one, and reads nothing', async () => {
    await open(context({ lists: [] }), 'cs_agent');
    expect(byTestId('customers-no-lists')?.textContent).toContain('客服人員');
    expect(callsOf('customers.search')).toHaveLength(0);
    expect(byTestId('add-open')).toBeNull();
  });

  it('searches once the typing pauses, and filters by channel', async () => {
    await open(context());
    const before = callsOf('customers.search').length;
    await type('customers-search', '0912');
    await type('customers-search', '0912 345');
    expect(callsOf('customers.search')).toHaveLength(before);
    await settle(200);
    expect(callsOf('customers.search').slice(before)).toEqual([
      expect.objectContaining({ search: '0912 345', list: 'mine' }),
    ]);
    expect((byTestId('customers-search') as HTMLInputElement).maxLength).toBe(200);
    await click(byTestId('customers-channel-whatsapp')?.querySelector('input') ?? null);
    expect(callsOf('customers.search').at(-1)).toMatchObject({ channel: 'whatsapp', search: '0912 345' });
  });

  it('re-reads the page when customers change', async () => {
    await open(context());
    const before = callsOf('customers.search').length;
    for (const cb of listeners.get('customers.changed') ?? []) cb({});
    await settle(400);
    expect(callsOf('customers.search').length).toBe(before + 1);
  });

  it('adds by number: checks the form, asks before taking over, then shows the answer', async () => {
    await open(context());
    await click(byTestId('add-open'));
    expect(byTestId('add-dialog')?.textContent).toContain('未輸入國碼時視為 +852');
    await click(byTestId('add-submit'));
    expect(document.body.textContent).toContain('請輸入電話號碼。');
    expect(callsOf('customers.add')).toHaveLength(0);

    await type('add-name', '名'.repeat(101));
    expect(document.body.textContent).toContain('姓名最多 100 個字（目前 101 個）。');
    await type('add-name', '陳大文');

    handlers.set('customers.add', (input: { takeOver: boolean }) =>
      input.takeOver
        ? addRequest({ id: 'm2', state: 'added', takeOver: true })
        : addRequest({ state: 'needs_confirmation', currentStaff: mei, currentBranchName: '台北信義店' }),
    );
    await type('add-phone', '9123 4567');
    await click(byTestId('add-submit'));
    expect(callsOf('customers.add')).toEqual([{ phone: '9123 4567', name: '陳大文', takeOver: false }]);
    expect(byTestId('add-state')?.dataset.state).toBe('needs_confirmation');
    expect(byTestId('add-state')?.textContent).toContain('此號碼已綁定 銷售人員 - 林小美（台北信義店）');

    await click(byTestId('add-confirm-takeover'));
    expect(callsOf('customers.add')[1]).toEqual({ phone: '9123 4567', name: '陳大文', takeOver: true });
    expect(byTestId('add-state')?.dataset.state).toBe('added');
    // The requests panel shows both answers.
    expect(allByTestId('add-request-row').map((r) => r.dataset.state)).toEqual([
      'added',
      'needs_confirmation',
    ]);
  });

  it('shows the core refusing a number under the phone field', async () => {
    await open(context());
    await click(byTestId('add-open'));
    handlers.set('customers.add', () => {
      throw new ApiCallError({ code: 'PHONE_INVALID', message: 'x', details: { reason: 'TOO_SHORT' } });
    });
    await type('add-phone', '12');
    await click(byTestId('add-submit'));
    expect(document.body.textContent).toContain('「12」位數太少，請確認號碼是否完整。');
    expect(byTestId('add-state')).toBeNull();
  });

  it('broadcasts on one channel after saying how many will get it', async () => {
    await open(context());
    handlers.set('customers.search', (q: { channel: string; limit: number }) => ({
      items: [],
      total: q.channel === 'line' ? 3 : 5,
    }));
    handlers.set('customers.broadcast', (m: { channel: 'line' | 'whatsapp' }) => ({
      id: 'b1',
      channel: m.channel,
      summary: 'x',
      state: 'queued',
      requestedAt: '2026-03-01T02:00:00.000Z',
      total: 0,
      sent: 0,
      failed: 0,
      code: null,
    }));
    await click(byTestId('broadcast-open'));
    expect(byTestId('broadcast-dialog')).not.toBeNull();
    expect(callsOf('customers.search').at(-1)).toEqual({ list: 'mine', channel: 'line', limit: 1 });
    expect(byTestId('broadcast-recipients')?.textContent).toContain('3 位 LINE 顧客');

    await click(byTestId('broadcast-submit'));
    expect(document.body.textContent).toContain('請輸入訊息內容。');
    await type('broadcast-text', '週年慶開跑');
    await click(byTestId('broadcast-submit'));
    expect(byTestId('broadcast-confirm-text')?.textContent).toContain('要傳送給 3 位 LINE 顧客嗎？');
    await click(byTestId('broadcast-confirm'));
    expect(callsOf('customers.broadcast')).toEqual([{ channel: 'line', text: '週年慶開跑' }]);
    expect(allByTestId('broadcast-row').map((r) => r.dataset.state)).toEqual(['queued']);
  });

  it('sends a WhatsApp broadcast with the chosen template and the optional window text', async () => {
    await open(context());
    handlers.set('customers.search', () => ({ items: [], total: 5 }));
    handlers.set('customers.broadcast', () => ({
      id: 'b2',
      channel: 'whatsapp',
      summary: 'spring_sale',
      state: 'queued',
      requestedAt: '2026-03-01T02:00:00.000Z',
      total: 0,
      sent: 0,
      failed: 0,
      code: null,
    }));
    await click(byTestId('broadcast-open'));
    await click(byTestId('broadcast-channel-whatsapp')?.querySelector('input') ?? null);
    expect(callsOf('customers.search').at(-1)).toEqual({ list: 'mine', channel: 'whatsapp', limit: 1 });
    // The only approved template is chosen already; its preview shows.
    expect(byTestId('broadcast-template-preview')?.textContent).toContain('春季優惠開始了！');
    await click(byTestId('broadcast-submit'));
    await click(byTestId('broadcast-confirm'));
    expect(callsOf('customers.broadcast')).toEqual([
      { channel: 'whatsapp', templateName: 'spring_sale', language: 'zh_HK' },
    ]);
  });

  it('opens a customer: history, coupons and the conversation', async () => {
    const detail: CustomerDetail = {
      ...customer('c1'),
      history: [
        { at: '2026-03-01T02:00:00.000Z', source: 'webhook', fromStaffName: null, toStaffName: '林小美' },
      ],
      coupons: [
        {
          claimId: 'k1',
          couponName: '全店 9 折券',
          claimedAt: '2026-03-01T02:00:00.000Z',
          openedAt: '2026-03-02T02:00:00.000Z',
          redeemedAt: null,
        },
      ],
      conversationUrl: 'https://chat.example.com/line/U123',
    };
    handlers.set('customers.detail', () => detail);
    const opened = vi.spyOn(window, 'open').mockReturnValue(null);
    await open(context());
    await click(allByTestId('customers-row')[0]!);
    expect(callsOf('customers.detail')).toEqual([{ id: 'c1' }]);
    const drawer = byTestId('customer-detail');
    expect(drawer?.textContent).toContain('（無）');
    expect(drawer?.textContent).toContain('顧客掃描 QR 碼');
    expect(drawer?.textContent).toContain('全店 9 折券');
    expect(drawer?.textContent).toContain('已開封');
    await click(byTestId('customer-open-conversation'));
    expect(opened).toHaveBeenCalledWith('https://chat.example.com/line/U123', '_blank', 'noopener');
  });
});
