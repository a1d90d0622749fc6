/**
 * Pure security rules for the Electron shell, kept apart from Electron so they can be unit-tested:
 * which URLs count as our own app, which may open in the user's browser, and how an app:// URL maps
 * to a file of the built renderer.
 */
import path from 'node:path';

/** The privileged scheme and host the renderer is served from (never file://). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'console';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * Sent with every renderer response. Naive UI injects <style> tags at runtime, hence
 * 'unsafe-inline' for styles only; scripts come from the app itself and nowhere else.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  // https: for customers' channel profile pictures (LINE serves them over https).
  "img-src 'self' data: blob: https:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Sites the console may hand to the system browser (customer chat links). Exact origins only. */
export const EXTERNAL_ORIGINS: readonly string[] = ['https://line.me', 'https://wa.me'];

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True for pages of our own renderer: app://console/… */
export function isAppUrl(url: string): boolean {
  const u = parse(url);
  return u !== null && u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
}

/**
 * True when `url` may be opened with shell.openExternal: line.me, wa.me, and the https origins of
 * the brand's conversation links (`brandOrigins`, from the hub-replicated brand settings).
 */
export function isAllowedExternalUrl(url: string, brandOrigins: readonly string[] = []): boolean {
  const u = parse(url);
  if (!u || u.protocol !== 'https:' || u.username || u.password) return false;
  return EXTERNAL_ORIGINS.includes(u.origin) || brandOrigins.includes(u.origin);
}

/**
 * Maps an app:// request to a file inside `rendererDir`, or null when it is not ours or would
 * escape the folder (`..`, encoded slashes). Paths without an extension get index.html (SPA routes).
 */
export function resolveRendererFile(rendererDir: string, requestUrl: string): string | null {
  if (!isAppUrl(requestUrl)) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(requestUrl).pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const relative = pathname === '/' || path.posix.extname(pathname) === '' ? 'index.html' : pathname.slice(1);
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, relative);
  return file.startsWith(root + path.sep) ? file : null;
}

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export const mimeTypeFor = (file: string): string =>
  MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
