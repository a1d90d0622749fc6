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
} as const;

/** Network-level failures (connection refused/reset, DNS) are worth another try. */
export function networkFailure(error: unknown): ChannelSendError {
  const message = error instanceof Error ? error.message : String(error);
  return new ChannelSendError(ChannelErrorCode.UNAVAILABLE, `network: ${message}`, true);
}

/** Classifies an HTTP status (and WhatsApp error code) of a refused call. */
export function httpFailure(
  status: number,
  detail: string,
  extra: { platformCode?: number; retryAfterMs?: number } = {},
): ChannelSendError {
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
