/**
 * Guards the back-office sign-in against being used to burn the hub's CPU: every attempt runs
 * argon2 (even for an unknown email, against a decoy hash), so attempts are limited per client
 * IP (SIGNIN_ATTEMPTS_PER_IP in SIGNIN_WINDOW_MS) and password checks in flight are capped
 * (SIGNIN_CONCURRENT). Both refuse with RATE_LIMITED and `retryAfterMs`. In memory: the hub is
 * one node, and a restart forgetting the counts only hands an attacker one more window.
 */
import type { Clock } from '../../../domain/clock';
import { AppError } from '../../../domain/errors';
import { RATE_LIMITED } from '../../realtime/pinGuard';

export const SIGNIN_ATTEMPTS_PER_IP = 10;
export const SIGNIN_WINDOW_MS = 60_000;
export const SIGNIN_CONCURRENT = 4;
/** Past this many remembered IPs, those with no attempt in the window are forgotten. */
const MAX_TRACKED_IPS = 10_000;
/** What a refusal for a full queue asks the client to wait: one password check, roughly. */
const BUSY_RETRY_MS = 1_000;

export interface SignInThrottleLimits {
  attemptsPerIp: number;
  windowMs: number;
  concurrent: number;
}

export interface SignInThrottle {
  /** Admits one sign-in attempt from `ip` or throws RATE_LIMITED; call the returned release when done. */
  admit(ip: string): () => void;
}

export function createSignInThrottle(
  clock: Clock,
  limits: SignInThrottleLimits = {
    attemptsPerIp: SIGNIN_ATTEMPTS_PER_IP,
    windowMs: SIGNIN_WINDOW_MS,
    concurrent: SIGNIN_CONCURRENT,
  },
): SignInThrottle {
  const attempts = new Map<string, number[]>();
  let inFlight = 0;

  const forgetIdle = (since: number) => {
    for (const [ip, times] of attempts) if (times.every((t) => t <= since)) attempts.delete(ip);
  };

  return {
    admit(ip) {
      const now = clock.now().getTime();
      const since = now - limits.windowMs;
      if (attempts.size > MAX_TRACKED_IPS) forgetIdle(since);
      const recent = (attempts.get(ip) ?? []).filter((t) => t > since);
      attempts.set(ip, recent);
      if (recent.length >= limits.attemptsPerIp)
        throw new AppError(RATE_LIMITED, 'Too many sign-in attempts from this address; wait a moment.', {
          retryAfterMs: recent[0]! + limits.windowMs - now,
        });
      if (inFlight >= limits.concurrent)
        throw new AppError(RATE_LIMITED, 'The hub is busy checking other sign-ins; try again shortly.', {
          retryAfterMs: BUSY_RETRY_MS,
        });
      recent.push(now);
      inFlight++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        inFlight--;
      };
    },
  };
}
