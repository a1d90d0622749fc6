/**
 * A failed platform call, classified once: may it be retried (429, WhatsApp 130429/131056, 5xx,
 * network), after how long at least (Retry-After), and the code recorded on the outbound row.
 */
export class ChannelSendError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    readonly extra: { status?: number; platformCode?: number; retryAfterMs?: number } = {},
    /** No answer came back after the request may have left: the platform may have taken it. */
    readonly maybeDelivered = false,
  ) {
    super(message);
    this.name = 'ChannelSendError';
  }
}

export const ChannelErrorCode = {
  /** Outside WhatsApp's 24-hour customer-service window only templates may be sent. */
  WHATSAPP_WINDOW_CLOSED: 'WHATSAPP_WINDOW_CLOSED',
  RATE_LIMITED: 'CHANNEL_RATE_LIMITED',
  UNAVAILABLE: 'CHANNEL_UNAVAILABLE',
  REJECTED: 'CHANNEL_REJECTED',
  CHANNEL_MISSING: 'CHANNEL_MISSING',
  /** An attempt may or may not have reached the customer, and the platform cannot tell us. */
  OUTCOME_UNKNOWN: 'OUTCOME_UNKNOWN',
  /** LINE's monthly message quota is used up: pushes fail until it renews or is raised. */
  QUOTA_EXCEEDED: 'CHANNEL_QUOTA_EXCEEDED',
} as const;

/** Failures before a connection existed: the request never left. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Network-level failures are worth another try. Only those before a connection existed prove
 * nothing was sent; any other (reset, timeout) may have lost the answer to a request that arrived.
 */
export function networkFailure(error: unknown): ChannelSendError {
  const message = error instanceof Error ? error.message : String(error);
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : (error as { code?: unknown } | null)?.code;
  const sent = !(typeof code === 'string' && NOT_SENT.has(code));
  return new ChannelSendError(ChannelErrorCode.UNAVAILABLE, `network: ${message}`, true, {}, sent);
}

/** Classifies an HTTP status (and WhatsApp error code) of a refused call. */
export function httpFailure(
  status: number,
  detail: string,
  extra: { platformCode?: number; retryAfterMs?: number } = {},
): ChannelSendError {
  if (status === 429 && /monthly limit/i.test(detail)) {
    // LINE's quota refusal is a 429 too, but waiting minutes will not help.
    return new ChannelSendError(ChannelErrorCode.QUOTA_EXCEEDED, `quota: ${detail}`, false, {
      status,
      ...extra,
    });
  }
  const rateLimited = status === 429 || extra.platformCode === 130429 || extra.platformCode === 131056;
  if (rateLimited) {
    return new ChannelSendError(ChannelErrorCode.RATE_LIMITED, `rate limited: ${detail}`, true, {
      status,
      ...extra,
    });
  }
  if (extra.platformCode === 131047) {
    return new ChannelSendError(ChannelErrorCode.WHATSAPP_WINDOW_CLOSED, detail, false, { status, ...extra });
  }
  if (status >= 500) {
    return new ChannelSendError(ChannelErrorCode.UNAVAILABLE, `${status}: ${detail}`, true, {
      status,
      ...extra,
    });
  }
  return new ChannelSendError(ChannelErrorCode.REJECTED, `${status}: ${detail}`, false, { status, ...extra });
}
