/**
 * A customer's name as a till may show it: the first character and three ○, e.g. 陳大文 → 陳○○○,
 * Amy Wong → A○○○. Enough for staff to ask "Ms Chan?" at the counter; not a name anyone could
 * look up, and the same length whatever the name, so it tells nothing about it either.
 */
export function maskName(name: string | null | undefined): string | null {
  const first = Array.from((name ?? '').trim())[0];
  return first === undefined ? null : `${first}○○○`;
}
