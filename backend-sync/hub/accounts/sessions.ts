/**
 * Back-office sign-in: email + password → a session whose random token lives only in the
 * browser's cookie (the row keeps its SHA-256) and a CSRF token the page sends back on every
 * write. Sessions end on sign-out, after IDLE_MS without a request, or ABSOLUTE_MS after sign-in.
 * Repeated wrong passwords lock the account for a time that doubles with each further failure;
 * each lock writes an audit row (`accountLocked`) in the transaction that sets it.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { Clock } from '../../domain/clock';
import { AppError, ErrorCode } from '../../domain/errors';
import { printableText } from '../../protocol';
import { recordAudit } from '../audit';
import { parseInput } from '../services/common';
import { decoyHash, passwordMatches } from './passwords';
import { AdminRole, type Principal } from './roles';
import { toAdminUserView, type AdminUserView } from './users';

export const IDLE_MS = 30 * 60_000;
export const ABSOLUTE_MS = 12 * 3_600_000;
/** Wrong passwords in a row before the first lock. */
export const FREE_ATTEMPTS = 5;
const FIRST_LOCK_MS = 60_000;
const MAX_LOCK_MS = 3_600_000;
/** last_seen_at is rewritten at most this often (a page load makes several requests). */
const TOUCH_MS = 60_000;

export const SignInInput = z.strictObject({
  email: printableText(200).toLowerCase(),
  password: z.string().min(1).max(200),
});

export const sessionId = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** How long the account locks after `failures` wrong passwords in a row (0 = not locked). */
export function lockMsAfter(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0;
  return Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** (failures - FREE_ATTEMPTS));
}

export interface SignedIn {
  token: string;
  csrfToken: string;
  expiresAt: string;
  user: AdminUserView;
}

const signInFailed = () => new AppError(ErrorCode.SIGNIN_FAILED, 'The email or password is not right.');

function assertNotLocked(row: Record<string, unknown>, now: Date): void {
  if (row.locked_until && Date.parse(String(row.locked_until)) > now.getTime())
    throw new AppError(ErrorCode.SIGNIN_LOCKED, 'Too many wrong passwords: try again later.', {
      lockedUntil: String(row.locked_until),
    });
}

/** The account's row inside a transaction, row-locked on PostgreSQL until it commits. */
async function lockedRow(trx: Knex.Transaction, userId: string): Promise<Record<string, unknown>> {
  const query = trx('admin_users').where({ id: userId });
  return (await (trx.client.config.client === 'pg' ? query.forUpdate() : query).first()) as Record<
    string,
    unknown
  >;
}

/**
 * One more wrong password, counted in the database (a second hub process sees the same count)
 * and atomically: parallel guesses each add one, and the lock follows the count they reach.
 */
async function countFailure(db: Knex, userId: string, now: Date): Promise<void> {
  await db.transaction(async (trx) => {
    await lockedRow(trx, userId);
    await trx('admin_users')
      .where({ id: userId })
      .update({ failed_signins: trx.raw('failed_signins + 1') });
    const row = await lockedRow(trx, userId);
    const failures = Number(row.failed_signins);
    const lockMs = lockMsAfter(failures);
    if (!lockMs) return;
    const until = new Date(now.getTime() + lockMs).toISOString();
    const lockedAlready = row.locked_until != null && Date.parse(String(row.locked_until)) > now.getTime();
    // Never shorten a lock a parallel guess has already set further out.
    if (lockedAlready && Date.parse(String(row.locked_until)) >= Date.parse(until)) return;
    await trx('admin_users').where({ id: userId }).update({ locked_until: until });
    // One audit row per lock (guesses that only lengthen a running lock add none).
    if (!lockedAlready)
      await recordAudit(trx, {
        brandId: String(row.brand_id),
        actor: { kind: 'system', id: null, label: 'sign-in-lockout' },
        action: 'accountLocked',
        entity: 'account',
        entityId: userId,
        after: { email: String(row.email), lockedUntil: until, failures },
        at: now,
      });
  });
}

export async function signIn(db: Knex, clock: Clock, input: unknown): Promise<SignedIn> {
  const { email, password } = parseInput(SignInInput, input);
  const now = clock.now();
  const row = await db('admin_users').where({ email }).first();
  if (!row) {
    await passwordMatches(password, await decoyHash());
    throw signInFailed();
  }
  assertNotLocked(row, now);
  const active = row.active === true || row.active === 1;
  if (!(await passwordMatches(password, String(row.password_hash))) || !active) {
    await countFailure(db, String(row.id), now);
    throw signInFailed();
  }
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + ABSOLUTE_MS).toISOString();
  await db.transaction(async (trx) => {
    // A parallel wrong guess may have locked the account while this password was being checked.
    assertNotLocked(await lockedRow(trx, String(row.id)), now);
    await trx('admin_users').where({ id: row.id }).update({ failed_signins: 0, locked_until: null });
    await trx('admin_sessions').insert({
      id: sessionId(token),
      user_id: row.id,
      csrf_token: csrfToken,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: expiresAt,
    });
  });
  return {
    token,
    csrfToken,
    expiresAt,
    user: toAdminUserView({ ...row, failed_signins: 0, locked_until: null }),
  };
}

export interface ResolvedSession {
  principal: Extract<Principal, { kind: 'user' }>;
  csrfToken: string;
  user: AdminUserView;
}

/** The session a cookie names, or null when it is unknown, ended, idle too long or its account is off. */
export async function resolveSession(db: Knex, clock: Clock, token: string): Promise<ResolvedSession | null> {
  if (token.length === 0 || token.length > 100) return null;
  const id = sessionId(token);
  const session = await db('admin_sessions').where({ id }).first();
  if (!session) return null;
  const now = clock.now().getTime();
  const lastSeen = Date.parse(String(session.last_seen_at));
  if (Date.parse(String(session.expires_at)) <= now || lastSeen + IDLE_MS <= now) {
    await db('admin_sessions').where({ id }).delete();
    return null;
  }
  const row = await db('admin_users').where({ id: session.user_id }).first();
  if (!row || !(row.active === true || row.active === 1)) return null;
  if (now - lastSeen >= TOUCH_MS)
    await db('admin_sessions')
      .where({ id })
      .update({ last_seen_at: new Date(now).toISOString() });
  const user = toAdminUserView(row);
  return {
    principal: {
      kind: 'user',
      userId: user.id,
      email: user.email,
      brandId: user.brandId,
      role: AdminRole.parse(user.role),
      branchId: user.branchId,
    },
    csrfToken: String(session.csrf_token),
    user,
  };
}

export async function signOut(db: Knex, token: string): Promise<void> {
  await db('admin_sessions')
    .where({ id: sessionId(token) })
    .delete();
}
