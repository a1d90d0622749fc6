/**
 * Phone numbers leave the core partly masked: enough to tell customers apart at the counter
 * (country code and the last three digits), not enough to copy the number.
 */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return null;
  const digits = phone.replace(/[^\d]/g, '');
  if (digits.length < 7) return '•'.repeat(digits.length);
  const plus = phone.trim().startsWith('+') ? '+' : '';
  // Country code: 3 digits for +852/+886-style numbers, 1–2 otherwise; keep it readable either way.
  const head = digits.slice(0, plus ? 3 : 2);
  const tail = digits.slice(-3);
  return `${plus}${head} ${'•'.repeat(digits.length - head.length - tail.length)}${tail}`;
}
