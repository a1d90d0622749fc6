/**
 * Loopback-only rules. A web page on another origin (or a DNS-rebinding name pointing at
 * 127.0.0.1) must not drive the till: HTTP requests must name a loopback Host, and WebSocket
 * upgrades must come from this host's own origin.
 */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export function isLoopbackAddress(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** `Host` header values this server answers to. */
export function allowedHosts(port: number): Set<string> {
  return new Set(LOOPBACK_NAMES.map((name) => `${name}:${port}`));
}

/** Origins allowed to open the API socket: the pages this server itself serves. */
export function allowedOrigins(port: number): Set<string> {
  return new Set(LOOPBACK_NAMES.map((name) => `http://${name}:${port}`));
}
