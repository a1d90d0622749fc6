/**
 * Admin routes for channels and binding settings (issue: LINE/WhatsApp binding):
 *   POST  /brands/:brandId/channels            create a LINE or WhatsApp channel
 *   GET   /brands/:brandId/channels            list (secrets write-only: has* flags)
 *   PATCH /channels/:channelId                 update (a secret given replaces the stored one)
 *   GET   /brands/:brandId/binding-settings    mode, prefix/suffix, replies, branch overrides
 *   PUT   /brands/:brandId/binding-settings    replace them
 * Spread into the admin route table (routes.ts), so they share its bearer check, error handling
 * and OpenAPI document. Writes re-record the brand row (channel handles, prefix/suffix) and poke.
 */
import { getBindingSettings, putBindingSettings } from '../../binding/admin';
import { BindingSettingsInput, BindingSettingsView } from '../../binding/settings';
import { z } from 'zod';
import { listOf } from '../../services/schemas';
import { notFound, parseInput } from '../../services/common';
import { sendToCustomer } from '../../channels/messaging';
import { toChannel } from '../../channels/store';
import {
  ChannelView,
  createChannel,
  getChannel,
  CreateChannelInput,
  listChannels,
  updateChannel,
  UpdateChannelInput,
} from '../../channels/admin';
import { ADMIN_ONLY, HEAD_OFFICE, MANAGERS } from '../../accounts/roles';
import type { AdminRoute, RouteContext, RouteOutcome } from './routes';

/** Channel and binding changes re-record the brand row (QR handles): poke the brand's devices. */
const wrote = <T extends { brandId: string }>(result: T): RouteOutcome => ({
  result,
  changedBrandId: result.brandId,
});

const p = (ctx: RouteContext, name: string): string => ctx.params[name] ?? '';

export const TestMessageInput = z.strictObject({
  to: z.string().trim().min(1).max(100).meta({ description: 'LINE user id or WhatsApp number (wa_id)' }),
  text: z.string().trim().min(1).max(1000),
});

export const channelRoutes: readonly AdminRoute[] = [
  {
    method: 'POST',
    path: '/channels/:channelId/test-message',
    operationId: 'sendTestMessage',
    roles: ADMIN_ONLY,
    entity: 'channel',
    summary: 'Send a test text message on a channel (queued like any reply)',
    tag: 'channels',
    body: TestMessageInput,
    status: 200,
    response: z.object({ queued: z.array(z.string()) }),
    errors: [400, 404],
    run: async (ctx) => {
      const { to, text } = parseInput(TestMessageInput, ctx.body);
      const row = await ctx
        .db('channels')
        .where({ id: p(ctx, 'channelId') })
        .first();
      if (!row) throw notFound('Channel', p(ctx, 'channelId'));
      const queued = await sendToCustomer(
        ctx.db,
        {
          ...ctx.catalog,
          sender: { kick: ctx.kickOutbound, idle: async () => undefined, close: async () => undefined },
        },
        { channel: toChannel(row), to, messages: [{ type: 'text', text }] },
      );
      return { result: { queued } };
    },
  },
  {
    method: 'POST',
    path: '/brands/:brandId/channels',
    operationId: 'createChannel',
    roles: ADMIN_ONLY,
    entity: 'channel',
    summary: 'Create a LINE or WhatsApp channel (secrets and tokens are write-only)',
    tag: 'channels',
    body: CreateChannelInput,
    status: 201,
    response: ChannelView,
    errors: [400, 404, 409],
    run: async (ctx) => wrote(await createChannel(ctx.db, ctx.catalog, p(ctx, 'brandId'), ctx.body)),
  },
  {
    method: 'GET',
    path: '/brands/:brandId/channels',
    operationId: 'listChannels',
    roles: HEAD_OFFICE,
    entity: 'channel',
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
    roles: ADMIN_ONLY,
    entity: 'channel',
    before: (ctx) => getChannel(ctx.db, p(ctx, 'channelId')),
    summary: 'Change a channel; a secret or token given replaces the stored one',
    tag: 'channels',
    body: UpdateChannelInput,
    status: 200,
    response: ChannelView,
    errors: [400, 404, 409],
    run: async (ctx) => wrote(await updateChannel(ctx.db, ctx.catalog, p(ctx, 'channelId'), ctx.body)),
  },
  {
    method: 'GET',
    path: '/brands/:brandId/binding-settings',
    operationId: 'getBindingSettings',
    roles: HEAD_OFFICE,
    entity: 'bindingSettings',
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
    roles: MANAGERS,
    entity: 'bindingSettings',
    before: (ctx) => getBindingSettings(ctx.db, p(ctx, 'brandId')),
    summary: 'Replace the OMO binding settings (branch overrides replace the whole list)',
    tag: 'binding',
    body: BindingSettingsInput,
    status: 200,
    response: BindingSettingsView,
    errors: [400, 404],
    run: async (ctx) => wrote(await putBindingSettings(ctx.db, ctx.catalog, p(ctx, 'brandId'), ctx.body)),
  },
];
