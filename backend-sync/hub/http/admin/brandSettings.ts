/**
 * PATCH /api/admin/brands/:brandId/settings — a brand's till settings: wrong verification codes
 * before a coupon locks on a device, how long it stays locked, and how long a device may redeem
 * while offline. They are brand columns replicated in the `brand` row, so a change is recorded
 * (scope 'brand') and the brand's devices are poked; tills apply it at their next pull.
 *
 * Registered from index.ts with one line: it runs in its own fastify scope behind the same bearer
 * check, and adds its operation to the OpenAPI document the admin routes are described in.
 */
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { Clock } from '../../../domain/clock';
import { isAppError } from '../../../domain/errors';
import { requireBrand, toBrandView } from '../../catalog/brands';
import { BrandView } from '../../catalog/schemas';
import { inTransaction, parseInput } from '../../catalog/support';
import { recordChange } from '../../db/changes';
import { toBrandRow } from '../../db/rows';
import { sendError, statusForCode } from '../errors';
import { adminAuthHook } from './auth';
import type { AdminDeps } from './index';
import { ADMIN_PREFIX, buildOpenApiDocument } from './openapi';
import type { AdminRoute } from './routes';

export const BrandTillSettingsInput = z
  .strictObject({
    verifyMaxAttempts: z
      .number()
      .int()
      .min(1)
      .max(20)
      .optional()
      .meta({ description: 'Wrong verification codes before the coupon locks on a device (default 5)' }),
    verifyLockSeconds: z
      .number()
      .int()
      .min(30)
      .max(86_400)
      .optional()
      .meta({ description: 'How long the coupon stays locked on that device (default 300)' }),
    offlineRedeemLimitHours: z
      .number()
      .int()
      .min(1)
      .max(720)
      .optional()
      .meta({ description: 'A device offline longer than this refuses to redeem (default 72)' }),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), {
    message: 'give at least one of verifyMaxAttempts, verifyLockSeconds, offlineRedeemLimitHours',
  });
export type BrandTillSettingsInput = z.input<typeof BrandTillSettingsInput>;

const COLUMNS = {
  verifyMaxAttempts: 'verify_max_attempts',
  verifyLockSeconds: 'verify_lock_seconds',
  offlineRedeemLimitHours: 'offline_redeem_limit_hours',
} as const;

/** Validates everything before touching the database, so bad input writes nothing. */
export async function updateBrandTillSettings(
  db: Knex,
  deps: { clock: Clock },
  brandId: string,
  input: unknown,
): Promise<BrandView> {
  const data = parseInput(BrandTillSettingsInput, input);
  const update: Record<string, number> = {};
  for (const [key, column] of Object.entries(COLUMNS)) {
    const value = data[key as keyof typeof COLUMNS];
    if (value !== undefined) update[column] = value;
  }
  return inTransaction(db, async (trx) => {
    await requireBrand(trx, brandId);
    await trx('brands').where({ id: brandId }).update(update);
    const row = (await trx('brands').where({ id: brandId }).first()) as Record<string, unknown>;
    await recordChange(trx, {
      brandId,
      scopes: ['brand'],
      entity: 'brand',
      id: brandId,
      op: 'upsert',
      data: toBrandRow(row),
      at: deps.clock.now(),
    });
    return toBrandView(row);
  });
}

const PATH = '/brands/:brandId/settings';

/**
 * The route as the OpenAPI builder sees it. The admin route table only knows GET and POST, and
 * the builder reads nothing of `method` but its lower-case name, so PATCH is passed through a cast.
 */
const documented = {
  method: 'PATCH',
  path: PATH,
  operationId: 'updateBrandSettings',
  summary: "Change a brand's till settings (verification lock, offline redemption limit)",
  tag: 'brands',
  body: BrandTillSettingsInput,
  status: 200,
  response: BrandView,
  errors: [400, 404],
  run: async () => {
    throw new Error('documentation only');
  },
} as unknown as AdminRoute;

export async function registerBrandSettingsRoutes(
  app: FastifyInstance,
  deps: AdminDeps,
  openApiDocument: Record<string, unknown>,
): Promise<void> {
  const ours = buildOpenApiDocument([documented]).paths as Record<string, Record<string, unknown>>;
  const paths = openApiDocument.paths as Record<string, Record<string, unknown>>;
  for (const [path, operations] of Object.entries(ours)) {
    if (!path.startsWith(ADMIN_PREFIX)) continue; // the builder also adds its fixed hub paths
    paths[path] = { ...(paths[path] ?? {}), ...operations };
  }

  await app.register(
    async (scope) => {
      scope.addHook('onRequest', adminAuthHook(deps.adminToken));
      scope.patch(PATH, async (request, reply) => {
        const { brandId } = request.params as { brandId: string };
        try {
          const brand = await updateBrandTillSettings(deps.db, deps, brandId, request.body);
          request.log.info({ op: 'updateBrandSettings', brandId }, 'admin write');
          deps.notifyChanges(brandId);
          return reply.status(200).send(brand);
        } catch (error) {
          if (!isAppError(error)) throw error;
          return sendError(reply, statusForCode(error.code), error.code, error.message, error.details);
        }
      });
    },
    { prefix: ADMIN_PREFIX },
  );
}
