import { describe, expect, it } from 'vitest';
import { maskName } from './maskName';

describe('maskName', () => {
  it('keeps only the first character, whatever the script or length', () => {
    expect(maskName('陳大文')).toBe('陳○○○');
    expect(maskName('Amy Wong')).toBe('A○○○');
    expect(maskName(' 王明 ')).toBe('王○○○');
    expect(maskName('😀 Emoji')).toBe('😀○○○');
    expect(maskName('')).toBeNull();
    expect(maskName(null)).toBeNull();
  });
});
