/**
 * WhatsApp template buttons (seed 002, "提高按鈕設計彈性"): one template may mix kinds, at most 10
 * buttons in all, and per kind at most 10 quick replies, 2 website links, 1 phone call and 1
 * "go to order" (對話下單) button. With 4 or more buttons, WhatsApp folds the third onwards into
 * "See all options" (a note, not a refusal). Used by the admin API (channels/admin.ts) and the
 * back office's live check, so both say the same thing.
 */
export const BUTTON_KINDS = ['quick_reply', 'url', 'phone', 'order'] as const;
export type ButtonKind = (typeof BUTTON_KINDS)[number];

export const MAX_BUTTONS = 10;
export const MAX_PER_KIND: Record<ButtonKind, number> = { quick_reply: 10, url: 2, phone: 1, order: 1 };
export const FOLD_FROM = 4;

export interface ButtonProblem {
  rule: 'total' | ButtonKind;
  limit: number;
  count: number;
  message: string;
}

const NAMES: Record<ButtonKind, string> = {
  quick_reply: 'quick-reply buttons',
  url: 'website buttons',
  phone: 'phone-call buttons',
  order: 'go-to-order buttons',
};

/** Every broken rule, one problem each (empty = WhatsApp accepts the combination). */
export function buttonProblems(buttons: readonly { kind: ButtonKind }[]): ButtonProblem[] {
  const problems: ButtonProblem[] = [];
  if (buttons.length > MAX_BUTTONS)
    problems.push({
      rule: 'total',
      limit: MAX_BUTTONS,
      count: buttons.length,
      message: `at most ${MAX_BUTTONS} buttons in one template (${buttons.length} given)`,
    });
  for (const kind of BUTTON_KINDS) {
    const count = buttons.filter((b) => b.kind === kind).length;
    if (count > MAX_PER_KIND[kind])
      problems.push({
        rule: kind,
        limit: MAX_PER_KIND[kind],
        count,
        message: `at most ${MAX_PER_KIND[kind]} ${NAMES[kind]} (${count} given)`,
      });
  }
  return problems;
}

/** True when WhatsApp shows only the first two and folds the rest under "See all options". */
export const foldsButtons = (count: number): boolean => count >= FOLD_FROM;
