import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ean13CheckDigit, isValidCode39, isValidEan13, symbologyProblem } from './symbology';

describe('EAN-13', () => {
  it('accepts real product codes and rejects a changed check digit', () => {
    expect(isValidEan13('4006381333931')).toBe(true);
    expect(isValidEan13('4006381333932')).toBe(false);
    expect(symbologyProblem('4006381333932', 'EAN_13')).toBe('EAN13_CHECK_DIGIT');
    expect(symbologyProblem('40063813339', 'EAN_13')).toBe('EAN13_FORMAT');
  });
  it('catches every single-digit misread', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{12}$/),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 1, max: 9 }),
        (body, pos, delta) => {
          const code = body + String(ean13CheckDigit(body));
          const misread = code.slice(0, pos) + String((Number(code[pos]) + delta) % 10) + code.slice(pos + 1);
          expect(isValidEan13(code)).toBe(true);
          expect(isValidEan13(misread)).toBe(false);
        },
      ),
    );
  });
});

describe('CODE_39', () => {
  it('allows upper case, digits, space and - . $ / + %', () => {
    expect(isValidCode39('AB-12 .$/+%')).toBe(true);
    expect(isValidCode39('ab12')).toBe(false);
    expect(isValidCode39('A*B')).toBe(false);
    expect(symbologyProblem('優惠', 'CODE_39')).toBe('CODE39_CHARSET');
  });
});
