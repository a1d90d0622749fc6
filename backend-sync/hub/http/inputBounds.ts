/**
 * Bounds every request body and parameter is held to before it reaches a recursive call or a
 * query. JSON.stringify, zod and pino all recurse, so nesting is measured on the raw text (one
 * loop, no recursion) before anything parses it; PostgreSQL refuses a NUL byte in text where
 * SQLite stores it, so a NUL anywhere is refused up front and both databases answer alike.
 */

/** Deeper than any LINE, WhatsApp or admin body is (they stay under 10 levels). */
export const MAX_JSON_DEPTH = 32;

/** Ids in paths, query values and platform ids: what a varchar(255) column and a log line take. */
export const MAX_ID_LENGTH = 255;

/** Nesting depth of a JSON text, counted without parsing or recursing (strings are skipped). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/**
 * The path of the first string (key or value) holding a NUL character, or null. Iterative, and
 * only meant for values whose depth jsonDepth already bounded.
 */
export function findNul(value: unknown): string | null {
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return path || '(root)';
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push({ value: item, path: `${path}[${i}]` }));
    } else if (v !== null && typeof v === 'object') {
      for (const [key, item] of Object.entries(v)) {
        const at = path ? `${path}.${key}` : key;
        if (key.includes('\u0000')) return at;
        stack.push({ value: item, path: at });
      }
    }
  }
  return null;
}

/** A path or query value that may reach a query: bounded, printable (no C0 controls, no DEL). */
export function safeParam(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  return value.length <= MAX_ID_LENGTH && !/[\u0000-\u001f\u007f]/.test(value);
}

/**
 * A platform id (event id, user id, message id, reply token): non-empty, printable ASCII, and
 * short enough that an inbox key built from it (`status:<id>:<status>`) fits varchar(255).
 */
export const PLATFORM_ID = /^[\x21-\x7e]{1,200}$/;

/** A name from a platform (profile, contact card) as a column takes it: no controls, 100 characters. */
export function storableName(name: string | null | undefined): string | null {
  // eslint-disable-next-line no-control-regex
  const clean = (name ?? '').replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  return clean ? Array.from(clean).slice(0, 100).join('') : null;
}

/** A URL from a platform (profile picture) as a varchar(255) column takes it, or null. */
export function storableUrl(url: string | null | undefined): string | null {
  return url && url.length <= MAX_ID_LENGTH && /^https?:\/\/[\x21-\x7e]+$/.test(url) ? url : null;
}
