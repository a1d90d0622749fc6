/**
 * Admin routes that change what exists (the back office's edit buttons):
 *   GET   /brands/:brandId                 one brand
 *   PATCH /branches/:branchId              rename, close or reopen a branch
 *   PATCH /staff/:staffId                  name, role, branch, active (false = deactivated)
 *   POST  /staff/:staffId/pin              set a new PIN (write-only)
 *   POST  /devices/:deviceId/revoke        the hub refuses the device from its next request on
 *   POST  /devices/:deviceId/reenroll      a new device and pairing code replacing one whose till lost its credentials
 * Staff and branch writes re-record the replicated row, so consoles learn of them on their next
 * pull (a deactivated person's PIN stops working there, also offline).
 */
import { AppError, ErrorCode } from '../../../domain/errors';
import { EVERY_ROLE, ADMIN_ONLY, MANAGERS } from '../../accounts/roles';
import { getBrand } from '../../brands/brands';
import { updateBranch } from '../../brands/branches';
import { revokeDevice, toDeviceView } from '../../devices/devices';
import { reenrollDevice } from '../../devices/reenroll';
import { resetStaffPin, toStaffView, updateStaff } from '../../staff/staff';
import {
  BranchView,
  BrandView,
  CreatedDeviceView,
  DeviceView,
  ReenrollDeviceInput,
  ResetPinInput,
  StaffView,
  UpdateBranchInput,
  UpdateStaffInput,
} from '../../services/schemas';
import { toBranchView } from '../../brands/branches';
import type { AdminRoute, RouteContext } from './routes';

const p = (ctx: RouteContext, name: string): string => ctx.params[name] ?? '';
/** The row a route is about, for its audit's "before"; an unknown id is a 404 like the route's own. */
const rowOf = async (ctx: RouteContext, table: string, param: string): Promise<Record<string, unknown>> => {
  const row = (await ctx
    .db(table)
    .where({ id: p(ctx, param) })
    .first()) as Record<string, unknown> | undefined;
  if (!row) throw new AppError(ErrorCode.NOT_FOUND, `No such ${table.replace(/s$/, '')}: ${p(ctx, param)}.`);
  return row;
};

export const editRoutes: readonly AdminRoute[] = [
  {
    method: 'GET',
    path: '/brands/:brandId',
    operationId: 'getBrand',
    roles: EVERY_ROLE,
    entity: 'brand',
    summary: 'Read a brand and its settings',
    tag: 'brands',
    status: 200,
    response: BrandView,
    errors: [404],
    run: async (ctx) => ({ result: await getBrand(ctx.db, p(ctx, 'brandId')) }),
  },
  {
    method: 'PATCH',
    path: '/branches/:branchId',
    operationId: 'updateBranch',
    roles: MANAGERS,
    entity: 'branch',
    summary: 'Rename a branch, or close it (no active staff, devices revoked) or reopen it',
    tag: 'branches',
    body: UpdateBranchInput,
    status: 200,
    response: BranchView,
    errors: [400, 404, 409],
    before: async (ctx) => toBranchView(await rowOf(ctx, 'branches', 'branchId')),
    run: async (ctx) => {
      const branch = await updateBranch(ctx.db, ctx.catalog, p(ctx, 'branchId'), ctx.body);
      return { result: branch, changedBrandId: branch.brandId };
    },
  },
  {
    method: 'PATCH',
    path: '/staff/:staffId',
    operationId: 'updateStaff',
    roles: MANAGERS,
    entity: 'staff',
    summary: "Change a staff member's name, role or branch, or deactivate them (active: false)",
    tag: 'staff',
    body: UpdateStaffInput,
    status: 200,
    response: StaffView,
    errors: [400, 404, 409],
    before: async (ctx) => toStaffView(await rowOf(ctx, 'staff', 'staffId')),
    run: async (ctx) => {
      const staff = await updateStaff(ctx.db, ctx.catalog, p(ctx, 'staffId'), ctx.body);
      return { result: staff, changedBrandId: staff.brandId };
    },
  },
  {
    method: 'POST',
    path: '/staff/:staffId/pin',
    operationId: 'resetStaffPin',
    roles: MANAGERS,
    entity: 'staff',
    summary: "Set a staff member's new PIN (write-only)",
    tag: 'staff',
    body: ResetPinInput,
    status: 200,
    response: StaffView,
    errors: [400, 404],
    run: async (ctx) => {
      const staff = await resetStaffPin(ctx.db, ctx.catalog, p(ctx, 'staffId'), ctx.body);
      return { result: staff, changedBrandId: staff.brandId };
    },
  },
  {
    method: 'POST',
    path: '/devices/:deviceId/revoke',
    operationId: 'revokeDevice',
    roles: ADMIN_ONLY,
    entity: 'device',
    summary: 'Revoke a device: the hub refuses its connections, pulls and pushes from now on',
    tag: 'devices',
    status: 200,
    response: DeviceView,
    errors: [404],
    before: async (ctx) => toDeviceView(await rowOf(ctx, 'devices', 'deviceId'), ctx.catalog.clock.now()),
    run: async (ctx) => ({ result: await revokeDevice(ctx.db, ctx.catalog, p(ctx, 'deviceId')) }),
  },
  {
    method: 'POST',
    path: '/devices/:deviceId/reenroll',
    operationId: 'reenrollDevice',
    roles: ADMIN_ONLY,
    entity: 'device',
    summary:
      'Re-enroll a device whose till lost its credentials: a new device and one-time pairing code replacing it (the old one is revoked; what its till queued is accepted under the new one)',
    tag: 'devices',
    body: ReenrollDeviceInput,
    status: 201,
    response: CreatedDeviceView,
    errors: [400, 404, 409],
    before: async (ctx) => toDeviceView(await rowOf(ctx, 'devices', 'deviceId'), ctx.catalog.clock.now()),
    run: async (ctx) => {
      const old = await rowOf(ctx, 'devices', 'deviceId');
      return {
        result: await reenrollDevice(ctx.db, ctx.catalog, String(old.brand_id), p(ctx, 'deviceId'), ctx.body),
      };
    },
  },
];
