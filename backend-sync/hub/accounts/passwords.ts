/**
 * Back-office passwords: argon2id (@node-rs/argon2, OWASP's parameters) with a length bound
 * checked before hashing so a megabyte "password" cannot pin a core.
 */
import { hash, verify } from '@node-rs/argon2';
import { z } from 'zod';

/** 12+ characters: a passphrase, not a PIN (head-office accounts get nothing shorter). */
export const Password = z
  .string()
  .min(12, 'must be at least 12 characters')
  .max(200, 'must be at most 200 characters');

// Algorithm.Argon2id is a const enum, which isolatedModules cannot read: 2 is its value.
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => hash(password.normalize('NFKC'), OPTIONS);

export async function passwordMatches(password: string, stored: string): Promise<boolean> {
  if (password.length > 200) return false;
  try {
    return await verify(stored, password.normalize('NFKC'));
  } catch {
    return false;
  }
}

/** Verified against when the email is unknown, so both answers take the same time. */
let decoy: Promise<string> | undefined;
export const decoyHash = (): Promise<string> => (decoy ??= hashPassword('decoy-password-never-valid'));
