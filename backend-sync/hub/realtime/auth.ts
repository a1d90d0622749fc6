/**
 * socket.io middleware: a connection is accepted only with valid device credentials
 * (`handshake.auth` = DeviceAuth). Refusals carry a ConnectRefusal in `err.data`, which the
 * console reads from its `connect_error` event to tell "re-enroll" from "update the app".
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { ExtendedError, Socket } from 'socket.io';
import {
  DeviceAuth,
  MIN_SUPPORTED_PROTOCOL_VERSION,
  PROTOCOL_VERSION,
  type ConnectRefusal,
} from '../../protocol';
import { deviceTokenMatches, isSupportedProtocolVersion } from '../devices/enroll';
import { deviceLineage } from '../devices/reenroll';
import { branchRoom, brandRoom, type DeviceContext } from './device';
import type { LastSeenWriter } from './lastSeen';

export function refusal(code: ConnectRefusal['code'], message: string): ExtendedError {
  const err = new Error(message) as ExtendedError;
  err.data = { code, message } satisfies ConnectRefusal;
  return err;
}

export function deviceAuthMiddleware(deps: { db: Knex; logger: Logger; lastSeen: LastSeenWriter }) {
  return (socket: Socket, next: (err?: ExtendedError) => void): void => {
    authenticate(deps, socket).then(
      (device) => {
        socket.data.device = device;
        void socket.join([brandRoom(device.brandId), branchRoom(device.branchId)]);
        next();
      },
      (err: unknown) => {
        if (err instanceof Error && 'data' in err) return next(err as ExtendedError);
        deps.logger.error({ err }, 'device authentication failed unexpectedly');
        next(refusal('AUTH_INVALID', 'The hub could not check the device credentials.'));
      },
    );
  };
}

async function authenticate(
  deps: { db: Knex; lastSeen: LastSeenWriter },
  socket: Socket,
): Promise<DeviceContext> {
  const parsed = DeviceAuth.safeParse(socket.handshake.auth);
  if (!parsed.success) throw refusal('AUTH_INVALID', 'Device credentials are missing or malformed.');
  const auth = parsed.data;
  if (!isSupportedProtocolVersion(auth.protocolVersion)) {
    throw refusal(
      'PROTOCOL_UNSUPPORTED',
      `This hub speaks sync protocol ${MIN_SUPPORTED_PROTOCOL_VERSION}–${PROTOCOL_VERSION}; the console speaks ${auth.protocolVersion}.`,
    );
  }
  const row = await deps.db('devices').where({ id: auth.deviceId }).first();
  // Same answer for "no such device" and "wrong token", so ids cannot be probed.
  if (!row || !deviceTokenMatches(auth.deviceToken, row.token_hash)) {
    throw refusal('AUTH_INVALID', 'Device credentials are not valid.');
  }
  if (row.revoked === true || row.revoked === 1) {
    throw refusal('DEVICE_REVOKED', 'This device has been revoked; enroll it again with a new pairing code.');
  }
  await deps.lastSeen(String(row.id));
  return {
    id: String(row.id),
    brandId: String(row.brand_id),
    branchId: String(row.branch_id),
    name: String(row.name),
    lineage: await deviceLineage(deps.db, String(row.id)),
  };
}
