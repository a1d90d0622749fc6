/**
 * Per-brand bearer tokens for machine-to-machine calls (the admin API without a person). Shown
 * once at creation; the row keeps a SHA-256 only. Revoking is immediate: the next call is refused.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { Clock } from '../../domain/clock';
import { requireBrand } from '../brands/brands';
import { inTransaction, notFound, parseInput, type CatalogDeps } from '../services/common';
import { isoDateTime } from '../../protocol';
import type { Principal } from './roles';
import { sessionId as sha256Hex } from './sessions';

/** Tokens carry a prefix so a leaked one is recognisable in logs and secret scanners. */
const PREFIX = 'omo_';

export const CreateApiTokenInput = z.strictObject({ name: z.string().trim().min(1).max(50) });

export const ApiTokenView = z.object({
  id: z.string(),
  brandId: z.string(),
  name: z.string(),
  createdAt: isoDateTime,
  lastUsedAt: isoDateTime.nullable(),
  revokedAt: isoDateTime.nullable(),
});
export type ApiTokenView = z.infer<typeof ApiTokenView>;
export const CreatedApiTokenView = ApiTokenView.extend({
  token: z.string().meta({ description: 'Shown only in this answer' }),
});

const toView = (row: Record<string, unknown>): ApiTokenView => ({
  id: String(row.id),
  brandId: String(row.brand_id),
  name: String(row.name),
  createdAt: String(row.created_at),
  lastUsedAt: row.last_used_at ? String(row.last_used_at) : null,
  revokedAt: row.revoked_at ? String(row.revoked_at) : null,
});

export async function createApiToken(db: Knex, deps: CatalogDeps, brandId: string, input: unknown) {
  const { name } = parseInput(CreateApiTokenInput, input);
  const token = PREFIX + randomBytes(32).toString('base64url');
  const row = {
    id: deps.ids(),
    brand_id: brandId,
    name,
    token_hash: sha256Hex(token),
    created_at: deps.clock.now().toISOString(),
    last_used_at: null,
    revoked_at: null,
  };
  await inTransaction(db, async (trx) => {
    await requireBrand(trx, brandId);
    await trx('api_tokens').insert(row);
  });
  return { ...toView(row), token };
}

export async function listApiTokens(db: Knex, brandId: string): Promise<ApiTokenView[]> {
  await requireBrand(db, brandId);
  const rows = await db('api_tokens')
    .where({ brand_id: brandId })
    .orderBy([{ column: 'created_at' }, { column: 'id' }]);
  return rows.map(toView);
}

export async function revokeApiToken(db: Knex, deps: CatalogDeps, tokenId: string): Promise<ApiTokenView> {
  return inTransaction(db, async (trx) => {
    const row = await trx('api_tokens').where({ id: tokenId }).first();
    if (!row) throw notFound('Token', tokenId);
    const revoked = { ...row, revoked_at: row.revoked_at ?? deps.clock.now().toISOString() };
    await trx('api_tokens').where({ id: tokenId }).update({ revoked_at: revoked.revoked_at });
    return toView(revoked);
  });
}

export async function resolveApiToken(db: Knex, clock: Clock, token: string): Promise<Principal | null> {
  if (!token.startsWith(PREFIX) || token.length > 100) return null;
  const row = await db('api_tokens')
    .where({ token_hash: sha256Hex(token) })
    .first();
  if (!row || row.revoked_at) return null;
  await db('api_tokens').where({ id: row.id }).update({ last_used_at: clock.now().toISOString() });
  return {
    kind: 'api_token',
    tokenId: String(row.id),
    name: String(row.name),
    brandId: String(row.brand_id),
  };
}
