/**
 * The back office says the hub's own validation rules in Chinese: every sentence the hub's schemas
 * produce for a back-office form is in the table (issueMessages.ts), so a zh-TW reader never sees
 * English beside a field. The sentences come from the real schemas, not copies.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { CreateAdminUserInput } from '../../../hub/accounts/users';
import { BrandTillSettingsInput } from '../../../hub/brands/brandSettings';
import { buttonProblems } from '../../../domain/templateButtons';
import { CreateBranchInput, CreateStaffInput, UpdateBranchInput } from '../../../hub/services/schemas';
import { translatedRule } from './issueMessages';

const messagesOf = (schema: z.ZodType, input: unknown): string[] => {
  const result = schema.safeParse(input);
  if (result.success) throw new Error(`${JSON.stringify(input)} was accepted`);
  return result.error.issues.map((i) => i.message);
};

describe('the hub’s validation sentences in the reader’s language', () => {
  const sentences = [
    ...messagesOf(CreateBranchInput, { name: '高雄店', code: 'K!' }),
    ...messagesOf(UpdateBranchInput, {}),
    ...messagesOf(CreateStaffInput, { role: 'sales_associate', staffCode: '!', displayName: 'A', pin: '12' }),
    ...messagesOf(CreateStaffInput, {
      role: 'admin',
      branchId: 'b1',
      staffCode: 'A001',
      displayName: 'A',
      pin: '1234',
    }),
    ...messagesOf(BrandTillSettingsInput, {
      timeZone: 'Mars/Olympus',
      phoneRegion: 'XX',
      conversationUrls: { line: 'https://chat.example.com/none' },
    }),
    ...messagesOf(BrandTillSettingsInput, {}),
    ...messagesOf(CreateAdminUserInput, {
      email: 'nope',
      displayName: 'A',
      role: 'admin',
      password: 'short',
    }),
    ...buttonProblems(
      ['url', 'url', 'url', 'phone', 'phone', 'order', 'order'].map((kind) => ({ kind })) as never,
    ).map((p) => p.message),
  ];

  it('puts every one into Chinese', () => {
    expect(sentences.length).toBeGreaterThan(10);
    const untranslated = sentences.filter((s) => translatedRule(s, 'zh-TW') === null);
    expect(untranslated).toEqual([]);
    for (const s of sentences) expect(translatedRule(s, 'zh-TW')).toMatch(/[\u4e00-\u9fff]/);
  });

  it('keeps the numbers of a rule, and shows English readers the hub’s own sentence', () => {
    expect(translatedRule('must be 2 to 10 letters or digits', 'zh-TW')).toBe(
      '須為 2 到 10 個英文字母或數字',
    );
    expect(translatedRule('at most 2 website buttons (3 given)', 'zh-TW')).toBe(
      '前往網站按鈕最多 2 個（目前 3 個）',
    );
    expect(translatedRule('must be 2 to 10 letters or digits', 'en')).toBe(
      'Must be 2 to 10 letters or digits',
    );
    expect(translatedRule('Too small: expected string to have >=1 characters', 'zh-TW')).toBeNull();
  });
});
