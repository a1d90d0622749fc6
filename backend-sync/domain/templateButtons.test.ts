import { describe, expect, it } from 'vitest';
import { buttonProblems, foldsButtons, type ButtonKind } from './templateButtons';

const of = (...kinds: ButtonKind[]) => kinds.map((kind) => ({ kind }));

describe('WhatsApp template buttons (seed 002)', () => {
  it('accepts mixed kinds within each limit', () => {
    expect(buttonProblems(of('quick_reply', 'url', 'url', 'phone', 'order', 'quick_reply'))).toEqual([]);
    expect(buttonProblems(of(...Array<ButtonKind>(10).fill('quick_reply')))).toEqual([]);
  });

  it('names every broken rule once', () => {
    const problems = buttonProblems(of('url', 'url', 'url', 'phone', 'phone', 'order', 'order'));
    expect(problems.map((p) => p.rule)).toEqual(['url', 'phone', 'order']);
    expect(problems[0]!.message).toBe('at most 2 website buttons (3 given)');
    const tooMany = buttonProblems(of(...Array<ButtonKind>(11).fill('quick_reply')));
    expect(tooMany.map((p) => p.rule)).toEqual(['total', 'quick_reply']);
  });

  it('says when WhatsApp folds buttons under "See all options"', () => {
    expect(foldsButtons(3)).toBe(false);
    expect(foldsButtons(4)).toBe(true);
  });
});
