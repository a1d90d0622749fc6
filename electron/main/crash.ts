/**
 * What main does when the page's process or a helper process dies (Electron's
 * `render-process-gone` and `child-process-gone`), as pure functions. The queue is safe either
 * way — redemptions and the outbox live in the core's SQLite in the main process, the page holds
 * nothing that is not already committed — so a dead page is reloaded and the staff told, in both
 * languages, what happened. A page that keeps dying is not reloaded in a loop: the staff is told
 * to restart the app (and a shop's IT finds the minidumps and the log in "save diagnostics").
 */

/** Electron's RenderProcessGoneDetails / Details `reason`. */
export type GoneReason =
  | 'clean-exit'
  | 'abnormal-exit'
  | 'killed'
  | 'crashed'
  | 'oom'
  | 'launch-failed'
  | 'integrity-failure'
  | 'memory-eviction';

export interface Notice {
  'zh-TW': string;
  en: string;
}

export type RendererGoneAction =
  { action: 'ignore' } | { action: 'reload'; notice: Notice } | { action: 'stop'; notice: Notice };

/** More deaths than this within CRASH_LOOP_MS and the window is not reloaded again. */
export const CRASH_LOOP_LIMIT = 3;
export const CRASH_LOOP_MS = 60_000;

const CAUSE: Record<Exclude<GoneReason, 'clean-exit'>, Notice> = {
  'abnormal-exit': { 'zh-TW': '畫面程序異常結束', en: 'The screen process exited abnormally' },
  killed: { 'zh-TW': '畫面程序被系統結束', en: 'The screen process was killed by the system' },
  crashed: { 'zh-TW': '畫面程序當機', en: 'The screen process crashed' },
  oom: { 'zh-TW': '畫面程序記憶體不足', en: 'The screen process ran out of memory' },
  'launch-failed': { 'zh-TW': '畫面程序無法啟動', en: 'The screen process could not start' },
  'integrity-failure': {
    'zh-TW': '畫面程序完整性檢查失敗',
    en: 'The screen process failed an integrity check',
  },
  'memory-eviction': {
    'zh-TW': '系統為釋放記憶體結束了畫面程序',
    en: 'The system closed the screen to free memory',
  },
};

const KEPT: Notice = {
  'zh-TW': '已兌換與待同步的資料都已保存，沒有遺失。',
  en: 'Redemptions and everything waiting to sync are saved; nothing was lost.',
};

const join = (cause: Notice, then: Notice): Notice => ({
  'zh-TW': `${cause['zh-TW']}，${then['zh-TW']}${KEPT['zh-TW']}`,
  en: `${cause.en}; ${then.en} ${KEPT.en}`,
});

/**
 * `recentDeaths`: times (ms) of earlier renderer deaths, including this one's `now`. The caller
 * keeps that list; this decides.
 */
export function onRendererGone(
  reason: GoneReason,
  recentDeaths: readonly number[],
  now: number,
): RendererGoneAction {
  if (reason === 'clean-exit') return { action: 'ignore' };
  const cause = CAUSE[reason] ?? CAUSE['abnormal-exit'];
  const inLoop = recentDeaths.filter((t) => now - t <= CRASH_LOOP_MS).length > CRASH_LOOP_LIMIT;
  if (inLoop) {
    return {
      action: 'stop',
      notice: join(cause, {
        'zh-TW': '一分鐘內多次發生，請關閉並重新開啟主控台。',
        en: 'it keeps happening, so please quit and reopen the console.',
      }),
    };
  }
  return {
    action: 'reload',
    notice: join(cause, { 'zh-TW': '畫面已重新載入。', en: 'the screen was reloaded.' }),
  };
}

/** Keeps the deaths of the last CRASH_LOOP_MS (bounded: the list never grows past the limit + 1). */
export function rememberDeath(recentDeaths: readonly number[], now: number): number[] {
  return [...recentDeaths.filter((t) => now - t <= CRASH_LOOP_MS), now].slice(-(CRASH_LOOP_LIMIT + 1));
}

/**
 * A helper process (GPU, network, utility…) died. Chromium restarts those itself; main only logs
 * it, at error level unless it was a clean exit, so the log shows a pattern before the page fails.
 */
export function childGoneLogLevel(reason: GoneReason): 'info' | 'error' {
  return reason === 'clean-exit' ? 'info' : 'error';
}

/** One message box text, Traditional Chinese first (the default language), English below. */
export const bilingual = (notice: Notice): string => `${notice['zh-TW']}\n\n${notice.en}`;
