import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bindingMessage,
  decideBinding,
  parseBindingMessage,
  renderReply,
  replyFor,
  type Associate,
  type BindingReplies,
} from './binding';

const DEFAULTS = { prefix: '聯絡專員', suffix: '' };

const lin: Associate = { staffId: 's1', displayName: '林小美', branchId: 'b1', branchName: '台北信義店' };
const wu: Associate = { staffId: 's2', displayName: '吳建宏', branchId: 'b1', branchName: '台北信義店' };

describe('parseBindingMessage', () => {
  it.each([
    ['聯絡專員S001', 'S001'],
    ['聯絡專員 s001', 'S001'],
    ['聯絡專員Ｓ００１', 'S001'],
    ['  聯絡專員\u3000S001 \n', 'S001'],
    ['聯絡 專員 S 001', 'S001'],
    ['聯絡專員a-1_b', 'A-1_B'],
  ])('reads %j as staff code %s', (text, code) => {
    expect(parseBindingMessage(text, DEFAULTS)).toBe(code);
  });

  it.each([['你好'], ['聯絡專員'], ['聯絡專員 !!'], ['S001'], ['請聯絡專員S001'], ['聯絡專員S001 謝謝']])(
    'does not take %j for a binding message',
    (text) => {
      expect(parseBindingMessage(text, DEFAULTS)).toBeNull();
    },
  );

  it('honours a custom prefix and suffix, also typed in full width', () => {
    const settings = { prefix: 'Hi ', suffix: '，請聯絡我' };
    expect(parseBindingMessage('ＨＩ s002，請聯絡我', settings)).toBe('S002');
    expect(parseBindingMessage('Hi S002', settings)).toBeNull();
  });

  it('reads back every message a QR code makes, however it is typed (property)', () => {
    const code = fc.stringMatching(/^[A-Z0-9][A-Z0-9_-]{0,9}$/);
    const affix = fc.constantFrom('', '聯絡專員', '找', 'Contact ', '，謝謝');
    fc.assert(
      fc.property(
        code,
        affix,
        affix,
        fc.boolean(),
        fc.boolean(),
        (staffCode, prefix, suffix, wide, lower) => {
          let text = ` ${bindingMessage(staffCode, { prefix, suffix })} `;
          if (lower) text = text.toLowerCase();
          if (wide) text = toFullWidth(text);
          expect(parseBindingMessage(text, { prefix, suffix })).toBe(staffCode);
        },
      ),
    );
  });
});

describe('decideBinding', () => {
  it('binds an unbound customer', () => {
    expect(decideBinding({ staffCode: 'S001', current: null, named: lin, mode: 'fixed' })).toEqual({
      kind: 'bound',
      to: lin,
    });
  });

  it('moves the customer in free mode', () => {
    expect(decideBinding({ staffCode: 'S002', current: lin, named: wu, mode: 'free' })).toEqual({
      kind: 'rebound',
      to: wu,
      fromStaffId: 's1',
    });
  });

  it('keeps the current associate in fixed mode and names them', () => {
    expect(decideBinding({ staffCode: 'S002', current: lin, named: wu, mode: 'fixed' })).toEqual({
      kind: 'repeat',
      current: lin,
    });
  });

  it('changes nothing when already bound to the same associate, in either mode', () => {
    for (const mode of ['fixed', 'free'] as const) {
      expect(decideBinding({ staffCode: 'S001', current: lin, named: lin, mode }).kind).toBe('already_bound');
    }
  });

  it('binds nobody for an unknown staff code', () => {
    expect(decideBinding({ staffCode: 'X9', current: lin, named: null, mode: 'free' })).toEqual({
      kind: 'unknown_staff',
      staffCode: 'X9',
    });
  });
});

describe('replies', () => {
  const replies: BindingReplies = {
    success: { kind: 'text', text: '我是{分店名稱}的{店員姓名}' },
    repeat: {
      kind: 'module',
      messages: [
        { type: 'text', text: '您已綁定{店員姓名}' },
        { type: 'image', url: 'https://example.com/a.png' },
      ],
    },
    unknownStaff: { kind: 'text', text: '找不到專員' },
  };

  it('fills {店員姓名} and {分店名稱} everywhere they appear', () => {
    expect(
      renderReply(
        { kind: 'text', text: '{店員姓名}/{店員姓名}@{分店名稱}' },
        { staffName: 'A', branchName: 'B' },
      ),
    ).toEqual([{ type: 'text', text: 'A/A@B' }]);
  });

  it('answers each outcome with its configured reply', () => {
    expect(replyFor({ kind: 'bound', to: lin }, replies)).toEqual([
      { type: 'text', text: '我是台北信義店的林小美' },
    ]);
    expect(replyFor({ kind: 'repeat', current: lin }, replies)).toEqual([
      { type: 'text', text: '您已綁定林小美' },
      { type: 'image', url: 'https://example.com/a.png' },
    ]);
    expect(replyFor({ kind: 'unknown_staff', staffCode: 'X' }, replies)).toEqual([
      { type: 'text', text: '找不到專員' },
    ]);
    expect(replyFor({ kind: 'unknown_staff', staffCode: 'X' }, { ...replies, unknownStaff: null })).toEqual(
      [],
    );
  });

  it('sends nothing for an empty text reply (the brand turned it off)', () => {
    expect(renderReply({ kind: 'text', text: '  ' }, { staffName: 'A', branchName: 'B' })).toEqual([]);
  });
});

/** ASCII → full-width forms (U+FF01…U+FF5E), space → ideographic space. */
function toFullWidth(text: string): string {
  return [...text]
    .map((ch) => {
      const c = ch.charCodeAt(0);
      if (c === 0x20) return '\u3000';
      return c > 0x20 && c < 0x7f ? String.fromCharCode(c + 0xfee0) : ch;
    })
    .join('');
}
