/**
 * The till's state: the verdict on screen and what the cashier can do with it.
 *
 *   idle ─scan→ judging ─→ verdict ─Enter→ (verifying ─code→) redeeming ─→ redeemed
 *                              └──────────────── Esc (any time but redeeming) → idle
 *
 * "Redeemed" is shown only once `till.redeem` resolved, i.e. the redemption is committed locally.
 * A scan that arrives while a redemption is being written waits for it, so the cashier always sees
 * the outcome of the redemption before the next verdict. A later scan wins over an earlier one
 * still being judged.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { RedemptionView, TillVerdict } from '../../../electron/core/consoleApi/contract';
import { ApiCallError, useApi } from '../api';
import { playSound, type TillSound } from '../scanner/sounds';
import { useSyncStore } from './sync';
import { useTillScannerStore } from './tillScanner';

export type TillPhase = 'idle' | 'judging' | 'verdict' | 'verifying' | 'redeeming' | 'redeemed';
export type ScanOrigin = TillVerdict['origin'];

const RECENT_COUNT = 6;

export const useTillStore = defineStore('till', () => {
  const api = useApi();
  const scanner = useTillScannerStore();
  const sync = useSyncStore();

  const phase = ref<TillPhase>('idle');
  const verdict = ref<TillVerdict | null>(null);
  const redemption = ref<RedemptionView | null>(null);
  /** Wrong verification codes: tries left (null until the first wrong one). */
  const attemptsLeft = ref<number | null>(null);
  /** This coupon is locked on this device until then (ISO time). */
  const lockedUntil = ref<string | null>(null);
  /** Why the last scan or redemption failed (an ApiCallError or other error); shown in words. */
  const error = ref<unknown>(null);
  const recent = ref<RedemptionView[]>([]);
  /** Bumps with every new verdict, so the screen can react (focus, announce) to repeats too. */
  const shown = ref(0);

  let latestScan = 0;
  let redeeming: Promise<unknown> = Promise.resolve();
  let started = false;

  const sound = (which: TillSound) => {
    if (scanner.settings?.sounds ?? true) playSound(which);
  };

  // `sync.now` ticks every second, so a lock that runs out frees the till without a new scan.
  const locked = computed(
    () => lockedUntil.value !== null && Date.parse(lockedUntil.value) > Math.max(sync.now, Date.now()),
  );
  const canRedeem = computed(
    () =>
      (phase.value === 'verdict' || phase.value === 'verifying') &&
      verdict.value?.verdict === 'valid' &&
      !verdict.value.offlineTooLong &&
      !locked.value,
  );

  function show(next: TillVerdict) {
    verdict.value = next;
    redemption.value = null;
    error.value = null;
    attemptsLeft.value = null;
    lockedUntil.value = next.coupon?.lockedUntil ?? null;
    phase.value = 'verdict';
    shown.value += 1;
    sound(next.verdict === 'valid' && !next.offlineTooLong ? 'success' : 'failure');
  }

  /** A verdict judged elsewhere (the HID POS reader): shown like a scan's. */
  async function showJudged(next: TillVerdict): Promise<void> {
    const mine = ++latestScan;
    await redeeming.catch(() => {});
    if (mine === latestScan) show(next);
  }

  async function scan(input: string, origin: ScanOrigin): Promise<void> {
    const mine = ++latestScan;
    await redeeming.catch(() => {});
    if (mine !== latestScan) return;
    phase.value = 'judging';
    error.value = null;
    try {
      const next = await api.call('till.scan', { input, origin });
      if (mine === latestScan) show(next);
    } catch (err) {
      if (mine !== latestScan) return;
      verdict.value = null;
      error.value = err;
      phase.value = 'idle';
      sound('failure');
    }
  }

  /** Enter on a valid verdict: asks for the verification code first when the coupon needs one. */
  async function redeem(verificationCode?: string): Promise<void> {
    const current = verdict.value;
    if (!canRedeem.value || !current?.claim) return;
    if (current.coupon?.needsVerificationCode && verificationCode === undefined) {
      phase.value = 'verifying';
      return;
    }
    const wasPhase = phase.value;
    phase.value = 'redeeming';
    error.value = null;
    const call = api.call('till.redeem', {
      claimId: current.claim.id,
      scannedCode: current.input,
      ...(verificationCode !== undefined ? { verificationCode } : {}),
    });
    redeeming = call;
    try {
      redemption.value = await call;
      phase.value = 'redeemed';
      sound('success');
      void refreshRecent();
    } catch (err) {
      refused(err, wasPhase);
    }
  }

  function refused(err: unknown, wasPhase: TillPhase) {
    sound('failure');
    const code = err instanceof ApiCallError ? err.code : null;
    const details = err instanceof ApiCallError ? (err.details ?? {}) : {};
    if (code === 'VERIFICATION_REQUIRED' || code === 'VERIFICATION_WRONG' || code === 'VERIFICATION_LOCKED') {
      phase.value = 'verifying';
      if (code === 'VERIFICATION_WRONG' && typeof details.attemptsLeft === 'number') {
        attemptsLeft.value = details.attemptsLeft;
      }
      if (code === 'VERIFICATION_LOCKED' && typeof details.retryAt === 'string') {
        lockedUntil.value = details.retryAt;
      }
      // The words for these come from attemptsLeft / lockedUntil, not from `error`.
      return;
    }
    error.value = err;
    phase.value = wasPhase === 'verifying' ? 'verifying' : 'verdict';
  }

  function clear() {
    if (phase.value === 'redeeming') return;
    latestScan++;
    phase.value = 'idle';
    verdict.value = null;
    redemption.value = null;
    error.value = null;
    attemptsLeft.value = null;
    lockedUntil.value = null;
  }

  async function refreshRecent(): Promise<void> {
    try {
      const page = await api.call('till.history', { scope: 'device', limit: RECENT_COUNT, offset: 0 });
      recent.value = page.items;
      const mine = redemption.value && page.items.find((r) => r.id === redemption.value?.id);
      if (mine) redemption.value = mine;
    } catch {
      // The list is a convenience; the next change event tries again.
    }
  }

  function start() {
    if (started) return;
    started = true;
    api.on('till.redemptionsChanged', () => void refreshRecent());
    api.on('sync.status', () => {
      // Sync states move when the outbox drains; a queued redemption on screen should follow.
      if (recent.value.some((r) => r.syncState === 'queued')) void refreshRecent();
    });
  }

  return {
    phase,
    verdict,
    redemption,
    attemptsLeft,
    lockedUntil,
    locked,
    error,
    recent,
    shown,
    canRedeem,
    showJudged,
    scan,
    redeem,
    clear,
    refreshRecent,
    start,
  };
});
