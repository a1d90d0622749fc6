import { describe, expect, it } from 'vitest';
import { claimTokenQr, parseScan } from './scan';

describe('parseScan', () => {
  it('keeps every character of a code, hyphens and lower case included, minus the suffix key', () => {
    expect(parseScan('ab-12-CD\r\n')).toEqual({ kind: 'code', code: 'ab-12-CD' });
    expect(parseScan('K7PX-2M9Q\t')).toEqual({ kind: 'code', code: 'K7PX-2M9Q' });
  });
  it('recognises a claim-token QR', () => {
    expect(parseScan(claimTokenQr('AbC_def-0123456789xyz'))).toEqual({
      kind: 'claim_token',
      token: 'AbC_def-0123456789xyz',
    });
    expect(parseScan('OMO-CT1-short')).toEqual({ kind: 'invalid', problem: 'CLAIM_TOKEN_MALFORMED' });
  });
  it('gives a specific reason for empty, overlong, unprintable input and EAN-13 misreads', () => {
    expect(parseScan('   ')).toEqual({ kind: 'invalid', problem: 'EMPTY' });
    expect(parseScan('X'.repeat(129))).toEqual({ kind: 'invalid', problem: 'TOO_LONG' });
    expect(parseScan('AB\u0007CD')).toEqual({ kind: 'invalid', problem: 'UNPRINTABLE' });
    expect(parseScan('4006381333932')).toEqual({ kind: 'invalid', problem: 'EAN13_CHECK_DIGIT' });
    expect(parseScan('4006381333931')).toEqual({ kind: 'code', code: '4006381333931' });
  });
});
