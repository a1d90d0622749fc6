/**
 * Admin routes for who may use the admin API, and what they did:
 *   POST  /brands/:brandId/accounts        create a back-office account (password write-only)
 *   GET   /brands/:brandId/accounts        list them
 *   PATCH /accounts/:accountId             role, branch, name, password, active
 *   POST  /brands/:brandId/api-tokens      a machine-to-machine token (shown once)
 *   GET   /brands/:brandId/api-tokens      list them (never the token)
 *   POST  /api-tokens/:tokenId/revoke      refused from the next call on
 *   GET   /brands/:brandId/audit           the audit log, newest first, filtered, paged
 *   GET   /brands/:brandId/audit.csv       the same rows (up to 10,000) as CSV
 */
import { z } from 'zod';
import { ADMIN_ONLY, MANAGERS } from '../../accounts/roles';
import {
  ApiTokenView,
  createApiToken,
  CreateApiTokenInput,
  CreatedApiTokenView,
  listApiTokens,
  revokeApiToken,
} from '../../accounts/apiTokens';
import {
  AdminUserView,
  createAdminUser,
  CreateAdminUserInput,
  getAdminUser,
  listAdminUsers,
  updateAdminUser,
  UpdateAdminUserInput,
} from '../../accounts/users';
import { AuditQuery, AuditRowView, auditCsv, listAudit } from '../../audit';
import { listOf } from '../../services/schemas';
import { AppError, ErrorCode } from '../../../domain/errors';
import type { AdminRoute, RouteContext } from './routes';

const p = (ctx: RouteContext, name: string): string => ctx.params[name] ?? '';
const CSV_ROWS = 10_000;

export const accountRoutes: readonly AdminRoute[] = [
  {
    method: 'POST',
    path: '/brands/:brandId/accounts',
    operationId: 'createAccount',
    roles: ADMIN_ONLY,
    entity: 'account',
    summary: 'Create a back-office account (the password is write-only)',
    tag: 'accounts',
    body: CreateAdminUserInput,
    status: 201,
    response: AdminUserView,
    errors: [400, 404, 409],
    run: async (ctx) => ({ result: await createAdminUser(ctx.db, ctx.catalog, p(ctx, 'brandId'), ctx.body) }),
  },
  {
    method: 'GET',
    path: '/brands/:brandId/accounts',
    operationId: 'listAccounts',
    roles: ADMIN_ONLY,
    entity: 'account',
    summary: "List a brand's back-office accounts",
    tag: 'accounts',
    status: 200,
    response: listOf(AdminUserView),
    errors: [404],
    run: async (ctx) => ({ result: { items: await listAdminUsers(ctx.db, p(ctx, 'brandId')) } }),
  },
  {
    method: 'PATCH',
    path: '/accounts/:accountId',
    operationId: 'updateAccount',
    roles: ADMIN_ONLY,
    entity: 'account',
    summary: "Change an account's role, branch, name or password, or deactivate it",
    tag: 'accounts',
    body: UpdateAdminUserInput,
    status: 200,
    response: AdminUserView,
    errors: [400, 404],
    before: (ctx) => getAdminUser(ctx.db, p(ctx, 'accountId')),
    run: async (ctx) => {
      const id = p(ctx, 'accountId');
      // An admin cannot lock themselves out: someone must remain who can undo a mistake.
      const body = ctx.body as { role?: unknown; active?: unknown } | null;
      if (
        ctx.principal.kind === 'user' &&
        ctx.principal.userId === id &&
        ((body?.role !== undefined && body.role !== 'admin') || body?.active === false)
      )
        throw new AppError(ErrorCode.VALIDATION_FAILED, 'You cannot demote or deactivate your own account.', {
          issues: [{ path: body?.active === false ? 'active' : 'role', message: 'not on your own account' }],
        });
      return { result: await updateAdminUser(ctx.db, ctx.catalog, id, ctx.body) };
    },
  },
  {
    method: 'POST',
    path: '/brands/:brandId/api-tokens',
    operationId: 'createApiToken',
    roles: ADMIN_ONLY,
    entity: 'apiToken',
    summary: 'Create an API token for machine-to-machine calls (shown only in this answer)',
    tag: 'accounts',
    body: CreateApiTokenInput,
    status: 201,
    response: CreatedApiTokenView,
    errors: [400, 404],
    run: async (ctx) => ({ result: await createApiToken(ctx.db, ctx.catalog, p(ctx, 'brandId'), ctx.body) }),
  },
  {
    method: 'GET',
    path: '/brands/:brandId/api-tokens',
    operationId: 'listApiTokens',
    roles: ADMIN_ONLY,
    entity: 'apiToken',
    summary: "List a brand's API tokens (never the token itself)",
    tag: 'accounts',
    status: 200,
    response: listOf(ApiTokenView),
    errors: [404],
    run: async (ctx) => ({ result: { items: await listApiTokens(ctx.db, p(ctx, 'brandId')) } }),
  },
  {
    method: 'POST',
    path: '/api-tokens/:tokenId/revoke',
    operationId: 'revokeApiToken',
    roles: ADMIN_ONLY,
    entity: 'apiToken',
    summary: 'Revoke an API token: its next call is refused',
    tag: 'accounts',
    status: 200,
    response: ApiTokenView,
    errors: [404],
    run: async (ctx) => ({ result: await revokeApiToken(ctx.db, ctx.catalog, p(ctx, 'tokenId')) }),
  },
  {
    method: 'GET',
    path: '/brands/:brandId/audit',
    operationId: 'listAudit',
    roles: MANAGERS,
    entity: 'audit',
    summary: "Read a brand's audit log, newest first",
    tag: 'audit',
    query: AuditQuery,
    status: 200,
    response: z.object({ items: z.array(AuditRowView), nextCursor: z.number().nullable() }),
    errors: [400, 404],
    run: async (ctx) => ({ result: await listAudit(ctx.db, p(ctx, 'brandId'), ctx.query) }),
  },
  {
    method: 'GET',
    path: '/brands/:brandId/audit.csv',
    operationId: 'exportAudit',
    roles: MANAGERS,
    entity: 'audit',
    summary: "Download a brand's audit log as CSV (the same filters, up to 10,000 rows)",
    tag: 'audit',
    query: AuditQuery.omit({ limit: true }),
    produces: 'text/csv',
    status: 200,
    response: z.string(),
    errors: [400, 404],
    run: async (ctx) => {
      const page = await listAudit(ctx.db, p(ctx, 'brandId'), { ...(ctx.query as object), limit: CSV_ROWS });
      return { result: auditCsv(page.items) };
    },
  },
];
