// @vitest-environment happy-dom
/** The till's state machine against a fake ConsoleApi: what the cashier sees, and when. */
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { RedemptionView, TillVerdict } from '../../../electron/core/consoleApi/contract';
import { ApiCallError } from '../api/client';

type Handler = (input: never) => unknown;
const handlers = new Map<string, Handler>();
const listeners = new Map<string, ((payload: unknown) => void)[]>();
const calls: { method: string; input: unknown }[] = [];
const sounds: string[] = [];

vi.mock('../api', async () => {
  const client = await import('../api/client');
  return {
    ApiCallError: client.ApiCallError,
    useApi: () => ({
      call: async (method: string, input: unknown) => {
        calls.push({ method, input });
        const handler = handlers.get(method);
        if (!handler) throw new Error(`unexpected call ${method}`);
        return handler(input as never);
      },
      on: (event: string, cb: (payload: unknown) => void) => {
        listeners.set(event, [...(listeners.get(event) ?? []), cb]);
        return () => {};
      },
      onConnection: () => () => {},
    }),
  };
});
vi.mock('../scanner/sounds', () => ({ playSound: (s: string) => sounds.push(s) }));

const { useTillStore } = await import('./till');

function verdict(overrides: Partial<TillVerdict> = {}): TillVerdict {
  return {
    input: 'TRY-VALID',
    origin: 'wedge',
    verdict: 'valid',
    problem: null,
    coupon: {
      id: 'c1',
      name: '全店 9 折券',
      usageRules: '',
      barcodeType: 'QR',
      needsVerificationCode: false,
      lockedUntil: null,
    },
    claim: {
      id: 'cl1',
      code: 'TRY-VALID',
      customerName: '邱承恩',
      claimedAt: '2026-01-01T00:00:00Z',
      openedAt: null,
    },
    validFrom: null,
    validUntil: '2036-01-01T00:00:00Z',
    redeemed: null,
    branchNames: [],
    offlineTooLong: false,
    ...overrides,
  };
}
const needsCode = () => verdict({ coupon: { ...verdict().coupon!, needsVerificationCode: true } });

function redemption(overrides: Partial<RedemptionView> = {}): RedemptionView {
  return {
    id: 'r1',
    claimId: 'cl1',
    code: 'TRY-VALID',
    couponName: '全店 9 折券',
    customerName: '邱承恩',
    redeemedAt: '2026-11-23T10:00:00Z',
    branchName: '台中公益店',
    deviceName: '櫃台 1',
    staffName: '劉雅婷',
    ownDevice: true,
    syncState: 'queued',
    conflict: null,
    ...overrides,
  };
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tillError = (code: string, details?: Record<string, unknown>) =>
  new ApiCallError({ code, message: code, ...(details ? { details } : {}) });

beforeEach(() => {
  setActivePinia(createPinia());
  handlers.clear();
  listeners.clear();
  calls.length = 0;
  sounds.length = 0;
  handlers.set('till.history', () => ({ items: [], total: 0 }));
});

describe('till store', () => {
  it('shows a valid verdict, and says redeemed only after till.redeem resolved', async () => {
    handlers.set('till.scan', () => verdict());
    const pending = deferred<RedemptionView>();
    handlers.set('till.redeem', () => pending.promise);
    const till = useTillStore();

    await till.scan('TRY-VALID', 'wedge');
    expect(till.phase).toBe('verdict');
    expect(till.canRedeem).toBe(true);
    expect(sounds).toEqual(['success']);

    const redeeming = till.redeem();
    expect(till.phase).toBe('redeeming');
    expect(till.redemption).toBeNull();
    pending.resolve(redemption());
    await redeeming;
    expect(till.phase).toBe('redeemed');
    expect(till.redemption?.syncState).toBe('queued');
    expect(calls.find((c) => c.method === 'till.redeem')?.input).toEqual({
      claimId: 'cl1',
      scannedCode: 'TRY-VALID',
    });
  });

  it('does not redeem what is not valid, and plays the failure sound for it', async () => {
    handlers.set('till.scan', () => verdict({ verdict: 'expired' }));
    const till = useTillStore();
    await till.scan('TRY-EXPIRED', 'manual');
    await till.redeem();
    expect(till.phase).toBe('verdict');
    expect(calls.some((c) => c.method === 'till.redeem')).toBe(false);
    expect(sounds).toEqual(['failure']);
  });

  it('asks for the verification code first, counts wrong ones down, then locks', async () => {
    handlers.set('till.scan', () => needsCode());
    const answers = [
      tillError('VERIFICATION_WRONG', { attemptsLeft: 4 }),
      tillError('VERIFICATION_LOCKED', { retryAt: new Date(Date.now() + 300_000).toISOString() }),
    ];
    handlers.set('till.redeem', () => {
      throw answers.shift();
    });
    const till = useTillStore();
    await till.scan('TRY-VERIFY', 'wedge');

    await till.redeem();
    expect(till.phase).toBe('verifying');
    expect(calls.some((c) => c.method === 'till.redeem')).toBe(false);

    await till.redeem('1111');
    expect(till.phase).toBe('verifying');
    expect(till.attemptsLeft).toBe(4);
    expect(till.locked).toBe(false);

    await till.redeem('1111');
    expect(till.locked).toBe(true);
    expect(till.canRedeem).toBe(false);
    expect(till.error).toBeNull();
  });

  it('shows a coupon already locked on this device as locked at once', async () => {
    const lockedUntil = new Date(Date.now() + 60_000).toISOString();
    handlers.set('till.scan', () => verdict({ coupon: { ...needsCode().coupon!, lockedUntil } }));
    const till = useTillStore();
    await till.scan('TRY-VERIFY', 'wedge');
    expect(till.locked).toBe(true);
    expect(till.canRedeem).toBe(false);
  });

  it('keeps a refusal as an error on the verdict (e.g. offline too long)', async () => {
    handlers.set('till.scan', () => verdict());
    handlers.set('till.redeem', () => {
      throw tillError('OFFLINE_TOO_LONG', { limitHours: 72 });
    });
    const till = useTillStore();
    await till.scan('TRY-VALID', 'wedge');
    await till.redeem();
    expect(till.phase).toBe('verdict');
    expect((till.error as ApiCallError).code).toBe('OFFLINE_TOO_LONG');
    expect(sounds).toEqual(['success', 'failure']);
  });

  it('lets a redemption in progress finish before a new scan replaces it', async () => {
    const scans: TillVerdict[] = [verdict(), verdict({ input: 'TRY-EXPIRED', verdict: 'expired' })];
    handlers.set('till.scan', () => scans.shift());
    const pending = deferred<RedemptionView>();
    handlers.set('till.redeem', () => pending.promise);
    const till = useTillStore();
    await till.scan('TRY-VALID', 'wedge');
    const redeeming = till.redeem();
    const next = till.scan('TRY-EXPIRED', 'wedge');
    await new Promise((r) => setTimeout(r, 10));
    expect(till.phase).toBe('redeeming');
    expect(calls.filter((c) => c.method === 'till.scan')).toHaveLength(1);
    pending.resolve(redemption());
    await Promise.all([redeeming, next]);
    expect(sounds).toEqual(['success', 'success', 'failure']); // valid, redeemed, then the expired scan
    expect(till.verdict?.verdict).toBe('expired');
  });

  it('shows the later of two scans when the earlier one answers last', async () => {
    const answers = new Map([
      ['FIRST', deferred<TillVerdict>()],
      ['SECOND', deferred<TillVerdict>()],
    ]);
    handlers.set('till.scan', (input: { input: string }) => answers.get(input.input)!.promise);
    const till = useTillStore();
    const a = till.scan('FIRST', 'wedge');
    await new Promise((r) => setTimeout(r, 0));
    const b = till.scan('SECOND', 'wedge');
    await new Promise((r) => setTimeout(r, 0));
    answers.get('SECOND')!.resolve(verdict({ input: 'SECOND' }));
    await b;
    answers.get('FIRST')!.resolve(verdict({ input: 'FIRST' }));
    await a;
    expect(till.verdict?.input).toBe('SECOND');
  });

  it('shows a verdict the HID reader judged like a scan of its own', async () => {
    const till = useTillStore();
    await till.showJudged(verdict({ origin: 'hid', verdict: 'already_redeemed' }));
    expect(till.phase).toBe('verdict');
    expect(till.verdict?.origin).toBe('hid');
    expect(sounds).toEqual(['failure']);
  });

  it('Esc clears everything, and a scan still being judged no longer shows', async () => {
    const slow = deferred<TillVerdict>();
    handlers.set('till.scan', () => slow.promise);
    const till = useTillStore();
    const scanning = till.scan('TRY-VALID', 'wedge');
    till.clear();
    slow.resolve(verdict());
    await scanning;
    expect(till.phase).toBe('idle');
    expect(till.verdict).toBeNull();
  });

  it('follows the redemption on screen from queued to synced when the core says it changed', async () => {
    handlers.set('till.scan', () => verdict());
    handlers.set('till.redeem', () => redemption());
    const till = useTillStore();
    till.start();
    await till.scan('TRY-VALID', 'wedge');
    await till.redeem();
    handlers.set('till.history', () => ({ items: [redemption({ syncState: 'synced' })], total: 1 }));
    for (const cb of listeners.get('till.redemptionsChanged') ?? []) cb({ attention: 0 });
    await vi.waitFor(() => expect(till.redemption?.syncState).toBe('synced'));
    expect(till.recent.map((r) => r.syncState)).toEqual(['synced']);
  });
});
