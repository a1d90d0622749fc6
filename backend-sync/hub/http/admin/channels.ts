/**
 * Admin routes for channels and binding settings (issue: LINE/WhatsApp binding):
 *   POST  /brands/:brandId/channels            create a LINE or WhatsApp channel
 *   GET   /brands/:brandId/channels            list (secrets write-only: has* flags)
 *   PATCH /channels/:channelId                 update (a secret given replaces the stored one)
 *   GET   /brands/:brandId/binding-settings    mode, prefix/suffix, replies, branch overrides
 *   PUT   /brands/:brandId/binding-settings    replace them
 * Registered from index.ts with one line, in their own fastify scope behind the same bearer check,
 * and added to the OpenAPI document by the same builder as the route table.
 */
import type { FastifyInstance } from 'fastify';
import { isAppError } from '../../../domain/errors';
import { getBindingSettings, putBindingSettings } from '../../binding/admin';
import { BindingSettingsInput, BindingSettingsView } from '../../binding/settings';
import { listOf } from '../../catalog/schemas';
import { ChannelView, createChannel, CreateChannelInput, listChannels, updateChannel, UpdateChannelInput } from '../../channels/admin';
import { sendError, statusForCode } from '../errors';
import { adminAuthHook } from './auth';
import type { AdminDeps } from './index';
import { ADMIN_PREFIX, buildOpenApiDocument } from './openapi';
import type { AdminRoute, RouteContext, RouteOutcome } from './routes';

interface ChannelRoute extends Omit<AdminRoute, 'method' | 'tag'> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  tag: 'channels' | 'binding';
}

const p = (ctx: RouteContext, name: string): string => ctx.params[name] ?? '';

export const channelRoutes: readonly ChannelRoute[] = [
  {
    method: 'POST',
    path: '/brands/:brandId/channels',
    operationId: 'createChannel',
    summary: 'Create a LINE or WhatsApp channel (secrets and tokens are write-only)',
    tag: 'channels',
    body: CreateChannelInput,
    status: 201,
    response: ChannelView,
    errors: [400, 404, 409],
    run: async (ctx) => ({ result: await createChannel(ctx.db, ctx.catalog, p(ctx, 'brandId'), ctx.body) }),
  },
  {
    method: 'GET',
    path: '/brands/:brandId/channels',
    operationId: 'listChannels',
    summary: "List a brand's channels (secrets shown only as has* flags)",
    tag: 'channels',
    status: 200,
    response: listOf(ChannelView),
    errors: [404],
    run: async (ctx) => ({ result: { items: await listChannels(ctx.db, p(ctx, 'brandId')) } }),
  },
  {
    method: 'PATCH',
    path: '/channels/:channelId',
    operationId: 'updateChannel',
    summary: 'Change a channel; a secret or token given replaces the stored one',
    tag: 'channels',
    body: UpdateChannelInput,
    status: 200,
    response: ChannelView,
    errors: [400, 404, 409],
    run: async (ctx) => ({ result: await updateChannel(ctx.db, ctx.catalog, p(ctx, 'channelId'), ctx.body) }),
  },
  {
    method: 'GET',
    path: '/brands/:brandId/binding-settings',
    operationId: 'getBindingSettings',
    summary: 'OMO binding settings: mode, message prefix/suffix, replies, branch overrides',
    tag: 'binding',
    status: 200,
    response: BindingSettingsView,
    errors: [404],
    run: async (ctx) => ({ result: await getBindingSettings(ctx.db, p(ctx, 'brandId')) }),
  },
  {
    method: 'PUT',
    path: '/brands/:brandId/binding-settings',
    operationId: 'putBindingSettings',
    summary: 'Replace the OMO binding settings (branch overrides replace the whole list)',
    tag: 'binding',
    body: BindingSettingsInput,
    status: 200,
    response: BindingSettingsView,
    errors: [400, 404],
    run: async (ctx): Promise<RouteOutcome> => ({
      result: await putBindingSettings(ctx.db, ctx.catalog, p(ctx, 'brandId'), ctx.body),
    }),
  },
];

export async function registerChannelAdminRoutes(
  app: FastifyInstance,
  deps: AdminDeps,
  openApiDocument: Record<string, unknown>,
): Promise<void> {
  // The builder reads `method` only as its lower-case name, so PUT/PATCH pass through the cast.
  const ours = buildOpenApiDocument(channelRoutes as unknown as AdminRoute[]).paths as Record<string, Record<string, unknown>>;
  const paths = openApiDocument.paths as Record<string, Record<string, unknown>>;
  for (const [path, operations] of Object.entries(ours)) {
    if (!path.startsWith(ADMIN_PREFIX)) continue;
    paths[path] = { ...(paths[path] ?? {}), ...operations };
  }

  const catalog = { clock: deps.clock, ids: deps.ids };
  await app.register(
    async (scope) => {
      scope.addHook('onRequest', adminAuthHook(deps.adminToken));
      for (const route of channelRoutes) {
        scope.route({
          method: route.method,
          url: route.path,
          handler: async (request, reply) => {
            try {
              const outcome = await route.run({
                db: deps.db,
                catalog,
                params: request.params as Record<string, string>,
                query: request.query,
                body: request.body,
              });
              // Never the body: it may hold a secret.
              if (route.method !== 'GET') request.log.info({ op: route.operationId }, 'admin write');
              return reply.status(route.status).send(outcome.result);
            } catch (error) {
              if (!isAppError(error)) throw error;
              return sendError(reply, statusForCode(error.code), error.code, error.message, error.details);
            }
          },
        });
      }
    },
    { prefix: ADMIN_PREFIX },
  );
}
