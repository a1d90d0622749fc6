/**
 * session:open / session:close — which staff member is signed in on a connected console, and so
 * which lists (pull streams) that socket may read. The console proves the sign-in with the PIN the
 * staff typed (checked against the hub's own hash, not the device's word), once; the hub answers
 * with a session token the console uses on later connections of the same sign-in, so it need not
 * keep the PIN. Only the token's sha256 is stored.
 *
 * A sales associate's session reads 'staff:<own id>'; a sales manager's also 'team:<branch>'.
 * Other roles read no list. Staff of another branch cannot open a session on this device.
 *
 * A PIN sent with the console's sign-in id also proves that sign-in (sign_ins, migration 045), so
 * the mutations made under it, offline too, are attributed on the hub's word (mutations/actor.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Socket } from 'socket.io';
import type { Clock } from '../../domain/clock';
import { AppError, ErrorCode } from '../../domain/errors';
import { SessionOpenRequest, type PullStream, type SessionOpenResponse } from '../../protocol';
import { staffScope, teamScope } from '../db/changes';
import type { DeviceContext } from './device';
import { verifyStaffPin } from '../staff/pinCheck';
import { lockedError, type PinGuard } from './pinGuard';

/** A sign-in lasts a shop day and then some; the console signs in again after. */
export const SESSION_TTL_MS = 16 * 3_600_000;
/**
 * Wrong PINs one socket may try before it is disconnected (each costs a scrypt). The limits that
 * hold across sockets and devices are in pinGuard.ts.
 */
export const MAX_SESSION_FAILURES = 5;

export const SESSION_REFUSED = 'SESSION_REFUSED';

export interface StaffSession {
  staffId: string;
  streams: PullStream[];
}

type Row = Record<string, unknown>;

const sha256 = (token: string): string => createHash('sha256').update(token).digest('hex');

export function streamsFor(staff: Row): PullStream[] {
  const id = String(staff.id);
  if (staff.role === 'sales_associate') return [staffScope(id) as PullStream];
  if (staff.role === 'sales_manager' && staff.branch_id) {
    return [staffScope(id) as PullStream, teamScope(String(staff.branch_id)) as PullStream];
  }
  return [];
}

export function sessionOf(socket: Socket): StaffSession | null {
  return (socket.data as { session?: StaffSession | null }).session ?? null;
}

export async function openSession(
  deps: { db: Knex; clock: Clock; pinGuard: PinGuard },
  device: DeviceContext,
  socket: Socket,
  raw: unknown,
): Promise<SessionOpenResponse> {
  const parsed = SessionOpenRequest.safeParse(raw);
  if (!parsed.success)
    throw new AppError(ErrorCode.VALIDATION_FAILED, 'session:open: the request is not valid.');
  const now = deps.clock.now();
  const request = parsed.data;

  let staffId: string;
  let token: string;
  let expiresAt: string;
  if ('pin' in request) {
    deps.pinGuard.admitDevice(device.id, now);
    const staff = await eligibleStaff(deps.db, device, request.staffId);
    if (!staff) throw refuse(socket);
    await deps.pinGuard.assertNotLocked(deps.db, String(staff.id), now);
    if (!(await verifyStaffPin(deps.db, staff, request.pin))) {
      const lockedUntil = await deps.pinGuard.failed(deps.db, staff, device.id, now);
      const refusal = refuse(socket);
      throw lockedUntil ? lockedError(lockedUntil) : refusal;
    }
    await deps.pinGuard.succeeded(deps.db, String(staff.id));
    staffId = String(staff.id);
    if (request.signInId) await provenSignIn(deps, device, socket, request.signInId, staffId, now);
    token = randomBytes(32).toString('base64url');
    expiresAt = new Date(now.getTime() + SESSION_TTL_MS).toISOString();
    await deps.db('staff_sessions').insert({
      token_hash: sha256(token),
      staff_id: staffId,
      device_id: device.id,
      created_at: now.toISOString(),
      expires_at: expiresAt,
    });
    // Expired sessions of this device are of no use to anyone.
    await deps
      .db('staff_sessions')
      .where({ device_id: device.id })
      .andWhere('expires_at', '<', now.toISOString())
      .delete();
  } else {
    const row = (await deps
      .db('staff_sessions')
      .where({ token_hash: sha256(request.sessionToken), device_id: device.id })
      .first()) as Row | undefined;
    if (!row || String(row.expires_at) <= now.toISOString()) throw refuse(socket);
    staffId = String(row.staff_id);
    token = request.sessionToken;
    expiresAt = String(row.expires_at);
  }
  // Re-read on every open: a deactivated or moved staff member loses their lists at once.
  const staff = await eligibleStaff(deps.db, device, staffId);
  if (!staff) throw refuse(socket);
  const session: StaffSession = { staffId, streams: streamsFor(staff) };
  setSession(socket, session);
  return { sessionToken: token, staffId, expiresAt, streams: session.streams };
}

export async function closeSession(deps: { db: Knex }, device: DeviceContext, socket: Socket): Promise<null> {
  setSession(socket, null);
  await deps.db('staff_sessions').where({ device_id: device.id }).delete();
  return null;
}

/**
 * The console sign-in this PIN belongs to is now proven at the hub (`hub_pin`): recorded, or
 * upgraded when its staff.signin arrived first. One recorded for another device or person is
 * refused.
 */
async function provenSignIn(
  deps: { db: Knex },
  device: DeviceContext,
  socket: Socket,
  id: string,
  staffId: string,
  now: Date,
): Promise<void> {
  const known = (await deps.db('sign_ins').where({ id }).first()) as Row | undefined;
  if (known && (!device.lineage.includes(String(known.device_id)) || known.staff_id !== staffId))
    throw refuse(socket);
  if (known) {
    await deps.db('sign_ins').where({ id }).update({ proof: 'hub_pin' });
    return;
  }
  await deps.db('sign_ins').insert({
    id,
    device_id: device.id,
    staff_id: staffId,
    proof: 'hub_pin',
    signed_in_at: null,
    recorded_at: now.toISOString(),
  });
}

/** Active staff of the device's brand who may sign in on it (its branch, or brand-wide roles). */
async function eligibleStaff(db: Knex, device: DeviceContext, staffId: string): Promise<Row | undefined> {
  const staff = (await db('staff').where({ id: staffId, brand_id: device.brandId }).first()) as
    Row | undefined;
  if (!staff || !(staff.active === true || staff.active === 1)) return undefined;
  if (staff.branch_id != null && staff.branch_id !== device.branchId) return undefined;
  return staff;
}

/**
 * The socket's session, and its rooms: a socket sits in the room of each list stream its session
 * reads, so a poke for a list reaches only the sessions that read it (pokes.ts).
 */
function setSession(socket: Socket, session: StaffSession | null): void {
  const data = socket.data as { session?: StaffSession | null };
  const before = data.session?.streams ?? [];
  const after = session?.streams ?? [];
  for (const stream of before) if (!after.includes(stream)) void socket.leave(stream);
  if (after.length > 0) void socket.join(after);
  data.session = session;
}

function refuse(socket: Socket): AppError {
  const data = socket.data as { session?: StaffSession | null; sessionFailures?: number };
  setSession(socket, null);
  data.sessionFailures = (data.sessionFailures ?? 0) + 1;
  if (data.sessionFailures >= MAX_SESSION_FAILURES) setImmediate(() => socket.disconnect(true));
  return new AppError(SESSION_REFUSED, 'The hub did not accept this sign-in.');
}
