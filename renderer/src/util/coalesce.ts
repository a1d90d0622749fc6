/**
 * Runs `fn` at once when idle, then at most once per `ms` while calls keep coming (one trailing
 * run catches the last of them): the first change shows without delay, and a burst of
 * `customers.changed` during a big sync becomes a few re-reads instead of hundreds.
 */
export function coalesce(fn: () => void, ms: number): { (): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pending = false;
  const cooldown = () => {
    timer = setTimeout(() => {
      timer = null;
      if (!pending) return;
      pending = false;
      fn();
      cooldown();
    }, ms);
  };
  const run = () => {
    if (timer) {
      pending = true;
      return;
    }
    fn();
    cooldown();
  };
  run.cancel = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    pending = false;
  };
  return run;
}
