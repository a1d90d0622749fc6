/**
 * The back office's one way to the hub: fetch on /api/admin with the session cookie (same origin)
 * and the session's CSRF token on every write. A refusal becomes an ApiError carrying the API's
 * code, message and per-field issues, so a form can show each one beside its field.
 */
/** One refused field (the hub's IssueSummary): zod's code and bounds for built-in checks. */
export interface Issue {
  path: string;
  message: string;
  code?: string;
  origin?: string;
  minimum?: number;
  maximum?: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
  get issues(): Issue[] {
    const issues = this.details.issues;
    return Array.isArray(issues) ? (issues as Issue[]) : [];
  }
}

let csrfToken = '';
let onSignedOut: () => void = () => undefined;

export const setCsrfToken = (token: string): void => {
  csrfToken = token;
};
/** Called when the hub answers 401 (session ended): the app returns to the sign-in page. */
export const whenSignedOut = (handler: () => void): void => {
  onSignedOut = handler;
};

export const API = '/api/admin';

export async function api<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`${API}${path}`, {
      method,
      credentials: 'same-origin',
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, 'HUB_UNREACHABLE', 'The hub did not answer.');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const data: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const error = (data as { error?: { code?: string; message?: string; details?: Record<string, unknown> } })
      ?.error;
    if (res.status === 401 && path !== '/session') onSignedOut();
    throw new ApiError(
      res.status,
      error?.code ?? 'INTERNAL',
      error?.message ?? res.statusText,
      error?.details ?? {},
    );
  }
  return data as T;
}

/** Query string from defined values only. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}` : '';
}
