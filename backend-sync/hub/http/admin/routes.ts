/**
 * Every admin route as data: method, path, the zod schemas of its body and answer, and what it
 * runs. index.ts registers these with fastify and openapi.ts describes the very same list, so a
 * route cannot exist without its documentation.
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import type { CatalogDeps } from '../../services/common';
import {
  ADMIN_ONLY,
  CS_MANAGERS,
  CUSTOMER_SERVICE,
  DEVICE_READERS,
  EVERY_ROLE,
  HEAD_OFFICE,
  MANAGERS,
  OPERATOR_ONLY,
  type AdminRole,
  type Principal,
} from '../../accounts/roles';
import { accountRoutes } from './accounts';
import { catalogEditRoutes } from './editRoutes';
import { createBrand, getBrand, listBrands } from '../../brands/brands';
import { BrandTillSettingsInput, updateBrandTillSettings } from '../../brands/brandSettings';
import { createBranch, listBranches } from '../../brands/branches';
import { createClaim, listClaims } from '../../coupons/claims';
import { createCoupon, listCoupons, publishCoupon } from '../../coupons/coupons';
import { createCustomer, listCustomers, ListCustomersQuery } from '../../customers/customers';
import { createDevice, listDevices, updateDevice } from '../../devices/devices';
import { createStaff, listStaff } from '../../staff/staff';
import { channelRoutes } from './channels';
import {
  BranchView,
  BrandView,
  ClaimView,
  CouponView,
  CreateBranchInput,
  CreateBrandInput,
  CreateClaimInput,
  CreateCouponInput,
  CreateCustomerInput,
  CreatedDeviceView,
  CreateDeviceInput,
  UpdateDeviceInput,
  CreateStaffInput,
  CustomerView,
  DeviceView,
  listOf,
  pageOf,
  Paging,
  StaffView,
} from '../../services/schemas';

export interface RouteContext {
  db: Knex;
  catalog: CatalogDeps;
  principal: Principal;
  /** Starts sending queued channel messages (after the write commits). */
  kickOutbound: () => void;
  params: Record<string, string>;
  query: unknown;
  body: unknown;
}

export interface RouteOutcome {
  result: unknown;
  /** The brand whose devices should be poked (set by writes). */
  changedBrandId?: string;
}

export interface AdminRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  /** The roles that may call it (the operator token may call anything). */
  roles: readonly AdminRole[];
  /** What the audit log calls the object a write changes. */
  entity: string;
  /** A list a sales manager may read: only items whose field equals their branch. */
  branchField?: 'branchId' | 'id';
  /** A write's object before the write, for the audit log. */
  before?(ctx: RouteContext): Promise<unknown>;
  /** CSV answers (the route's result is the CSV text). */
  produces?: 'text/csv';
  /** Relative to /api/admin, in fastify syntax (`:brandId`). */
  path: string;
  operationId: string;
  summary: string;
  tag:
    | 'brands'
    | 'branches'
    | 'staff'
    | 'devices'
    | 'coupons'
    | 'claims'
    | 'customers'
    | 'channels'
    | 'binding'
    | 'accounts'
    | 'audit';
  query?: z.ZodObject;
  body?: z.ZodType;
  status: 200 | 201;
  response: z.ZodType;
  /** Error statuses besides 401 and 403 (every route may answer those). */
  errors: readonly (400 | 404 | 409)[];
  run(ctx: RouteContext): Promise<RouteOutcome>;
}

export const p = (ctx: RouteContext, name: string): string => ctx.params[name] ?? '';

/** A write's outcome: the created object, and its brand to poke. */
export const wrote = <T extends { brandId: string }>(result: T): RouteOutcome => ({
  result,
  changedBrandId: result.brandId,
});

export const adminRoutes: readonly AdminRoute[] = [
  {
    method: 'POST',
    path: '/brands',
    operationId: 'createBrand',
    roles: OPERATOR_ONLY,
    entity: 'brand',
    summary: 'Create a brand',
    tag: 'brands',
    body: CreateBrandInput,
    status: 201,
    response: BrandView,
    errors: [400],
    run: async (ctx) => {
      const brand = await createBrand(ctx.db, ctx.catalog, ctx.body);
      return { result: brand, changedBrandId: brand.id };
    },
  },
  {
    method: 'GET',
    path: '/brands',
    operationId: 'listBrands',
    roles: EVERY_ROLE,
    entity: 'brand',
    summary: 'List brands',
    tag: 'brands',
    status: 200,
    response: listOf(BrandView),
    errors: [],
    run: async (ctx) => ({
      result: {
        items: (await listBrands(ctx.db)).filter(
          (brand) => ctx.principal.kind === 'operator' || brand.id === ctx.principal.brandId,
        ),
      },
    }),
  },
  {
    method: 'PATCH',
    path: '/brands/:brandId/settings',
    operationId: 'updateBrandSettings',
    before: (ctx) => getBrand(ctx.db, p(ctx, 'brandId')),
    roles: MANAGERS,
    entity: 'brand',
    summary:
      "Change a brand's till settings (verification lock, offline redemption limit, update rollout and window)",
    tag: 'brands',
    body: BrandTillSettingsInput,
    status: 200,
    response: BrandView,
    errors: [400, 404],
    run: async (ctx) => {
      const brand = await updateBrandTillSettings(ctx.db, ctx.catalog, p(ctx, 'brandId'), ctx.body);
      return { result: brand, changedBrandId: brand.id };
    },
  },
  {
    method: 'POST',
    path: '/brands/:brandId/branches',
    operationId: 'createBranch',
    roles: MANAGERS,
    entity: 'branch',
    summary: 'Create a branch (分店)',
    tag: 'branches',
    body: CreateBranchInput,
    status: 201,
    response: BranchView,
    errors: [400, 404, 409],
    run: async (ctx) => wrote(await createBranch(ctx.db, ctx.catalog, p(ctx, 'brandId'), ctx.body)),
  },
  {
    method: 'GET',
    path: '/brands/:brandId/branches',
    operationId: 'listBranches',
    roles: EVERY_ROLE,
    entity: 'branch',
    branchField: 'id',
    summary: "List a brand's branches",
    tag: 'branches',
    status: 200,
    response: listOf(BranchView),
    errors: [404],
    run: async (ctx) => ({ result: { items: await listBranches(ctx.db, p(ctx, 'brandId')) } }),
  },
  {
    method: 'POST',
    path: '/brands/:brandId/staff',
    operationId: 'createStaff',
    roles: MANAGERS,
    entity: 'staff',
    summary: 'Create a staff member (the PIN is write-only)',
    tag: 'staff',
    body: CreateStaffInput,
    status: 201,
    response: StaffView,
    errors: [400, 404, 409],
    run: async (ctx) => wrote(await createStaff(ctx.db, ctx.catalog, p(ctx, 'brandId'), ctx.body)),
  },
  {
    method: 'GET',
    path: '/brands/:brandId/staff',
    operationId: 'listStaff',
    roles: EVERY_ROLE,
    entity: 'staff',
    branchField: 'branchId',
    summary: "List a brand's staff",
    tag: 'staff',
    status: 200,
    response: listOf(StaffView),
    errors: [404],
    run: async (ctx) => ({ result: { items: await listStaff(ctx.db, ctx.catalog, p(ctx, 'brandId')) } }),
  },
  {
    method: 'POST',
    path: '/brands/:brandId/devices',
    operationId: 'createDevice',
    roles: ADMIN_ONLY,
    entity: 'device',
    summary: 'Create a device with a one-time pairing code (returned only here)',
    tag: 'devices',
    body: CreateDeviceInput,
    status: 201,
    response: CreatedDeviceView,
    errors: [400, 404],
    run: async (ctx) => wrote(await createDevice(ctx.db, ctx.catalog, p(ctx, 'brandId'), ctx.body)),
  },
  {
    method: 'GET',
    path: '/brands/:brandId/devices',
    operationId: 'listDevices',
    roles: DEVICE_READERS,
    entity: 'device',
    branchField: 'branchId',
    summary: "List a brand's devices and whether their pairing codes are still usable",
    tag: 'devices',
    status: 200,
    response: listOf(DeviceView),
    errors: [404],
    run: async (ctx) => ({ result: { items: await listDevices(ctx.db, ctx.catalog, p(ctx, 'brandId')) } }),
  },
  {
    method: 'PATCH',
    path: '/brands/:brandId/devices/:deviceId',
    operationId: 'updateDevice',
    roles: MANAGERS,
    entity: 'device',
    summary: "Change a device's settings (its update channel: stable or beta)",
    tag: 'devices',
    body: UpdateDeviceInput,
    status: 200,
    response: DeviceView,
    errors: [400, 404],
    run: async (ctx) => {
      const device = await updateDevice(ctx.db, ctx.catalog, p(ctx, 'brandId'), p(ctx, 'deviceId'), ctx.body);
      return { result: device, changedBrandId: device.brandId };
    },
  },
  {
    method: 'POST',
    path: '/brands/:brandId/coupons',
    operationId: 'createCoupon',
    roles: CS_MANAGERS,
    entity: 'coupon',
    summary: 'Create a coupon (the verification code is write-only)',
    tag: 'coupons',
    body: CreateCouponInput,
    status: 201,
    response: CouponView,
    errors: [400, 404, 409],
    run: async (ctx) => wrote(await createCoupon(ctx.db, ctx.catalog, p(ctx, 'brandId'), ctx.body)),
  },
  {
    method: 'GET',
    path: '/brands/:brandId/coupons',
    operationId: 'listCoupons',
    roles: HEAD_OFFICE,
    entity: 'coupon',
    summary: "List a brand's coupons",
    tag: 'coupons',
    status: 200,
    response: listOf(CouponView),
    errors: [404],
    run: async (ctx) => ({ result: { items: await listCoupons(ctx.db, p(ctx, 'brandId')) } }),
  },
  {
    method: 'POST',
    path: '/coupons/:couponId/publish',
    operationId: 'publishCoupon',
    roles: CS_MANAGERS,
    entity: 'coupon',
    summary: 'Publish a draft coupon (publishing a published coupon changes nothing)',
    tag: 'coupons',
    status: 200,
    response: CouponView,
    errors: [404],
    run: async (ctx) => wrote(await publishCoupon(ctx.db, ctx.catalog, p(ctx, 'couponId'))),
  },
  {
    method: 'POST',
    path: '/coupons/:couponId/claims',
    operationId: 'createClaim',
    roles: CUSTOMER_SERVICE,
    entity: 'claim',
    summary: 'Issue the coupon to a customer (or to nobody yet) with a given or generated code',
    tag: 'claims',
    body: CreateClaimInput,
    status: 201,
    response: ClaimView,
    errors: [400, 404, 409],
    run: async (ctx) => wrote(await createClaim(ctx.db, ctx.catalog, p(ctx, 'couponId'), ctx.body)),
  },
  {
    method: 'GET',
    path: '/coupons/:couponId/claims',
    operationId: 'listClaims',
    roles: HEAD_OFFICE,
    entity: 'claim',
    summary: "List a coupon's claims, oldest first, a page at a time",
    tag: 'claims',
    query: Paging,
    status: 200,
    response: pageOf(ClaimView),
    errors: [400, 404],
    run: async (ctx) => ({ result: await listClaims(ctx.db, p(ctx, 'couponId'), ctx.query) }),
  },
  {
    method: 'POST',
    path: '/brands/:brandId/customers',
    operationId: 'createCustomer',
    roles: CUSTOMER_SERVICE,
    entity: 'customer',
    summary: 'Create a LINE or WhatsApp customer, optionally bound to an associate',
    tag: 'customers',
    body: CreateCustomerInput,
    status: 201,
    response: CustomerView,
    errors: [400, 404, 409],
    run: async (ctx) => wrote(await createCustomer(ctx.db, ctx.catalog, p(ctx, 'brandId'), ctx.body)),
  },
  {
    method: 'GET',
    path: '/brands/:brandId/customers',
    operationId: 'listCustomers',
    roles: CUSTOMER_SERVICE,
    entity: 'customer',
    summary: "List a brand's customers, a page at a time",
    tag: 'customers',
    query: ListCustomersQuery,
    status: 200,
    response: pageOf(CustomerView),
    errors: [400, 404],
    run: async (ctx) => ({ result: await listCustomers(ctx.db, p(ctx, 'brandId'), ctx.query) }),
  },
  ...channelRoutes,
  ...catalogEditRoutes,
  ...accountRoutes,
];
