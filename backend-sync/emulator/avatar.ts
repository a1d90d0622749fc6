/** A pretend customer's profile picture: a coloured circle with the name's first character. */
import { createHash } from 'node:crypto';

const escapeXml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );

export function avatarSvg(userId: string, name: string): string {
  const hue = createHash('sha256').update(userId).digest()[0]! * (360 / 256);
  const initial = escapeXml(Array.from(name.trim())[0] ?? '?');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128"><circle cx="64" cy="64" r="64" fill="hsl(${Math.round(hue)} 45% 45%)"/><text x="64" y="84" font-size="56" text-anchor="middle" fill="#fff" font-family="sans-serif">${initial}</text></svg>`;
}
