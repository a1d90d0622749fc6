/**
 * Errors are values with codes. Every layer passes the code along; the renderer maps codes to
 * zh-TW / en text, logs keep the code and context.
 */
export const ErrorCode = {
  // input
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  NOT_FOUND: 'NOT_FOUND',
  ALREADY_EXISTS: 'ALREADY_EXISTS',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  /** A closed branch takes no new staff, devices or accounts. */
  BRANCH_CLOSED: 'BRANCH_CLOSED',
  /** A branch closes only without active staff and with its devices revoked. */
  BRANCH_NOT_EMPTY: 'BRANCH_NOT_EMPTY',
  // enrollment and sign-in
  PAIRING_CODE_INVALID: 'PAIRING_CODE_INVALID',
  PAIRING_CODE_USED: 'PAIRING_CODE_USED',
  HUB_UNREACHABLE: 'HUB_UNREACHABLE',
  PROTOCOL_UNSUPPORTED: 'PROTOCOL_UNSUPPORTED',
  NOT_ENROLLED: 'NOT_ENROLLED',
  ALREADY_ENROLLED: 'ALREADY_ENROLLED',
  SIGNIN_FAILED: 'SIGNIN_FAILED',
  SIGNIN_LOCKED: 'SIGNIN_LOCKED',
  NOT_SIGNED_IN: 'NOT_SIGNED_IN',
  /** A hub at a new address could not prove it is the hub that enrolled this device. */
  HUB_IDENTITY_MISMATCH: 'HUB_IDENTITY_MISMATCH',
  /** Re-enrolling into another brand while this device still holds another brand's unsent changes. */
  ENROLL_OTHER_BRAND: 'ENROLL_OTHER_BRAND',
  // sync
  MUTATION_INVALID: 'MUTATION_INVALID',
  MUTATION_UNKNOWN_KIND: 'MUTATION_UNKNOWN_KIND',
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode] | (string & {});

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
