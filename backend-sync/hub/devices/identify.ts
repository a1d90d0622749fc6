/**
 * POST /api/devices/identify: a console about to follow its hub to a new address asks the hub
 * there to prove it enrolled this device. The proof is an HMAC of the console's nonce keyed with
 * the token hash only that hub holds (backend-sync/domain/secrets.ts), so the console learns the
 * answer without sending its token, and a hub that never enrolled the device cannot answer.
 * A device unknown, revoked or not enrolled here is a 404, with no hint which.
 */
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import { IdentifyRequest, PROTOCOL_VERSION, type IdentifyResponse } from '../../protocol';
import { AppError, ErrorCode } from '../../domain/errors';
import { deviceIdentityProof } from '../../domain/secrets';

export const IDENTIFY_PATH = '/api/devices/identify';

export async function identifyDevice(db: Knex, input: IdentifyRequest): Promise<IdentifyResponse> {
  const row = (await db('devices')
    .where({ id: input.deviceId })
    .first('id', 'brand_id', 'token_hash', 'revoked')) as Record<string, unknown> | undefined;
  const revoked = row?.revoked === true || row?.revoked === 1;
  if (!row || revoked || typeof row.token_hash !== 'string' || !row.token_hash) {
    throw new AppError(ErrorCode.NOT_FOUND, 'This hub did not enroll that device.');
  }
  return {
    deviceId: String(row.id),
    brandId: String(row.brand_id),
    proof: deviceIdentityProof(row.token_hash, input.nonce),
    protocolVersion: PROTOCOL_VERSION,
  };
}

export function registerIdentifyRoute(app: FastifyInstance, deps: { db: Knex }): void {
  app.post(IDENTIFY_PATH, async (request) => identifyDevice(deps.db, IdentifyRequest.parse(request.body)));
}
