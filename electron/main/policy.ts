/**
 * Pure security rules for the Electron shell, kept apart from Electron so they can be unit-tested:
 * which URLs count as our own app, which IPC senders are trusted, what a navigation or a new window
 * may do, which URLs may open in the user's browser, and how an app:// URL maps to a file of the
 * built renderer. window.ts, ipc.ts and protocol.ts only carry these decisions out.
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
 * True when `url` may be opened with shell.openExternal: only https URLs on the origins of the
 * brand's configured conversation links (`brandOrigins`, from the hub-replicated brand settings).
 * Nothing else — not "any https site", not LINE or WhatsApp unless the brand links to them.
 */
export function isAllowedExternalUrl(url: string, brandOrigins: readonly string[]): boolean {
  const u = parse(url);
  if (!u || u.protocol !== 'https:' || u.username || u.password) return false;
  return brandOrigins.includes(u.origin);
}

/** An IPC call's sender frame, as Electron describes it (null once the frame is gone). */
export interface SenderFrame {
  url: string;
  /** True for the window's top frame (Electron: `frame.parent === null`). */
  isTopFrame: boolean;
}

/** Only the top frame of our own page may call the ConsoleApi: not an iframe, not a page navigated away. */
export function isTrustedSender(frame: SenderFrame | null): boolean {
  return frame !== null && frame.isTopFrame && isAppUrl(frame.url);
}

/** What the window does when a page asks to go to `url` (will-navigate) or open it (window.open). */
export interface NavigationDecision {
  /** Let the page itself go there (only our own app's pages). */
  allow: boolean;
  /** Hand the URL to the system browser instead. */
  openExternal: boolean;
}

export function decideNavigation(url: string, brandOrigins: readonly string[]): NavigationDecision {
  if (isAppUrl(url)) return { allow: true, openExternal: false };
  return { allow: false, openExternal: isAllowedExternalUrl(url, brandOrigins) };
}

/** New windows are never created; an allow-listed link goes to the system browser. */
export function decideWindowOpen(url: string, brandOrigins: readonly string[]): NavigationDecision {
  return { allow: false, openExternal: isAllowedExternalUrl(url, brandOrigins) };
}

/** Redirects stay inside the app: a server redirect never opens anything. */
export const allowRedirect = (url: string): boolean => isAppUrl(url);

/** The page needs no camera, microphone, notifications…; copying a link or code is the one exception. */
export const allowPermission = (permission: string): boolean => permission === 'clipboard-sanitized-write';

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
