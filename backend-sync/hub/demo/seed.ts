/**
 * Demo data (`--demo`): one brand, two branches, staff in every role, coupons covering every till
 * verdict, 1,000 claims and 200 bound customers. Idempotent: a second run finds the brand and only
 * makes sure the documented pairing codes are usable again. Everything runs in one transaction,
 * so a failed seed leaves nothing behind. docs/demo.md lists what this makes.
 */
import type { Knex } from 'knex';
import type { Clock, IdGenerator } from '../../domain/clock';
import { createBrand } from '../brands/brands';
import { createBranch } from '../brands/branches';
import { recordChange } from '../db/batchedChanges';
import { createClaimsBulk } from '../coupons/claims';
import { generateClaimCode } from '../readableCodes';
import { createCoupon } from '../coupons/coupons';
import { createCustomersBulk } from '../customers/customers';
import { createDevice } from '../devices/devices';
import { createStaff } from '../staff/staff';
import type { CatalogDeps } from '../services/common';
import { branchScope, couponScopes } from '../db/changes';
import { claimForDevices, toClaimRow, toRedemptionRow } from '../db/rows';
import {
  DEMO_BINDING_STAFF,
  DEMO_BRANCHES,
  DEMO_BRAND_NAME,
  DEMO_CONVERSATION_URLS,
  DEMO_KNOWN_CUSTOMERS,
  DEMO_COUPONS,
  DEMO_CUSTOMER_COUNT,
  DEMO_REDEEMED,
  DEMO_SEED,
  DEMO_STAFF,
  DEMO_TIME_ZONE,
  demoPairingCode,
  PAIRING_CODES_PER_BRANCH,
  type DemoBranchCode,
} from './data';
import { demoCustomers } from './people';
import { ensureDemoAccounts } from './seedAccounts';
import { ensureDemoChannels } from './seedChannels';
import { seededPrng, type Prng } from './prng';

export interface DemoSummary {
  brandId: string;
  branches: { id: string; code: string; name: string }[];
  /** Unused one-time pairing codes, re-issued on every start so the demo can always enroll. */
  pairingCodes: { branchCode: string; code: string }[];
  staff: { staffCode: string; pin: string; role: string; displayName: string; branchCode: string | null }[];
  /** Back-office sign-ins (email / password). */
  accounts: { email: string; password: string; role: string }[];
}

type Row = Record<string, unknown>;
const DAY = 86_400_000;
const PAIRING_VALID_DAYS = 7;

export async function seedDemo(db: Knex, opts: { clock: Clock; ids: IdGenerator }): Promise<DemoSummary> {
  const deps: CatalogDeps = { clock: opts.clock, ids: opts.ids };
  return db.transaction(async (trx) => {
    const existing: Row | undefined = await trx('brands')
      .where({ name: DEMO_BRAND_NAME })
      .orderBy('created_at')
      .first();
    const brandId = existing ? String(existing.id) : await seedEverything(trx, deps);
    await ensureDemoChannels(trx, deps, brandId);
    const branches: Row[] = await trx('branches').where({ brand_id: brandId }).orderBy('code');
    return {
      brandId,
      branches: branches.map((b) => ({ id: String(b.id), code: String(b.code), name: String(b.name) })),
      pairingCodes: await ensurePairingCodes(trx, deps, brandId, branches),
      accounts: await ensureDemoAccounts(trx, deps, brandId, branches),
      staff: DEMO_STAFF.map(({ staffCode, pin, role, displayName, branchCode }) => ({
        staffCode,
        pin,
        role,
        displayName,
        branchCode,
      })),
    };
  });
}

async function seedEverything(trx: Knex.Transaction, deps: CatalogDeps): Promise<string> {
  const prng = seededPrng(DEMO_SEED);
  const now = deps.clock.now();
  const brand = await createBrand(trx, deps, { name: DEMO_BRAND_NAME, timeZone: DEMO_TIME_ZONE });

  const branchIds = new Map<string, string>();
  for (const branch of DEMO_BRANCHES) {
    branchIds.set(branch.code, (await createBranch(trx, deps, brand.id, branch)).id);
  }
  const branchIdOf = (code: DemoBranchCode): string => branchIds.get(code)!;

  const staffIds = new Map<string, string>();
  for (const s of DEMO_STAFF) {
    const branchId = s.branchCode ? branchIdOf(s.branchCode) : null;
    const { staffCode, pin, role, displayName } = s;
    const created = await createStaff(trx, deps, brand.id, { staffCode, pin, role, displayName, branchId });
    staffIds.set(s.staffCode, created.id);
  }

  await trx('brands').where({ id: brand.id }).update({
    conversation_url_line: DEMO_CONVERSATION_URLS.line,
    conversation_url_whatsapp: DEMO_CONVERSATION_URLS.whatsapp,
  });
  const known = DEMO_KNOWN_CUSTOMERS.map(({ staffCode, ...c }) => ({
    ...c,
    avatarUrl: null,
    boundStaffId: staffIds.get(staffCode)!,
  }));
  const knownPhones = new Set(known.map((c) => c.phone));
  const generated = demoCustomers(
    prng,
    DEMO_CUSTOMER_COUNT,
    DEMO_BINDING_STAFF.map((code) => staffIds.get(code)!),
  ).filter((c) => !c.phone || !knownPhones.has(c.phone));
  const customers = await createCustomersBulk(
    trx,
    deps,
    brand.id,
    { customers: [...known, ...generated] },
    { source: 'demo' },
  );

  const usedCodes = new Set<string>();
  let nextCustomer = 0;
  for (const def of DEMO_COUPONS) {
    const coupon = await createCoupon(trx, deps, brand.id, def.input(now, branchIdOf));
    const codes = [
      ...def.tryCodes,
      ...demoCodes(prng, coupon.barcodeType, def.claims - def.tryCodes.length, usedCodes),
    ];
    const claims = codes.map((code) => ({
      code,
      customerId: customers[nextCustomer++ % customers.length]!.id,
    }));
    await createClaimsBulk(trx, deps, coupon.id, { claims });
  }

  await redeemOne(
    trx,
    deps,
    brand.id,
    branchIdOf(DEMO_REDEEMED.branchCode),
    staffIds.get(DEMO_REDEEMED.staffCode)!,
  );
  return brand.id;
}

/** Codes from the seeded PRNG: the same on every machine, so the docs can list some. */
function demoCodes(
  prng: Prng,
  barcodeType: Parameters<typeof generateClaimCode>[0],
  count: number,
  used: Set<string>,
) {
  const codes: string[] = [];
  while (codes.length < count) {
    const code = generateClaimCode(barcodeType, prng.bytes);
    if (used.has(code)) continue;
    used.add(code);
    codes.push(code);
  }
  return codes;
}

/**
 * Marks one claim redeemed, as a till of the branch would have, so "already redeemed" can be
 * tried. The till is a seed-only device without credentials: it can never connect. Recorded as
 * redemption.create records a redemption: the redemption row and its change to the branch (its
 * tills' history lists it), then the claim's change to every till.
 */
async function redeemOne(
  trx: Knex.Transaction,
  deps: CatalogDeps,
  brandId: string,
  branchId: string,
  staffId: string,
) {
  const now = deps.clock.now();
  const redeemedAt = new Date(now.getTime() - DEMO_REDEEMED.hoursAgo * 3_600_000).toISOString();
  const deviceId = deps.ids();
  await trx('devices').insert({
    id: deviceId,
    brand_id: brandId,
    branch_id: branchId,
    name: '示範收銀機（種子資料）· seed till',
    pairing_code: null,
    pairing_expires_at: null,
    token_hash: null,
    enrolled_at: new Date(now.getTime() - DAY).toISOString(),
    last_seen_at: redeemedAt,
    revoked: false,
    created_at: new Date(now.getTime() - DAY).toISOString(),
  });
  const claim: Row = await trx('claims').where({ brand_id: brandId, code: DEMO_REDEEMED.code }).first();
  const redemptionId = deps.ids();
  const redeemed = {
    redeemed_at: redeemedAt,
    redeemed_branch_id: branchId,
    redeemed_device_id: deviceId,
    redeemed_staff_id: staffId,
    redeemed_staff_name: (await trx('staff').where({ id: staffId }).first('display_name')).display_name,
    redemption_id: redemptionId,
  };
  await trx('claims').where({ id: claim.id }).update(redeemed);
  const redemption = {
    id: redemptionId,
    claim_id: claim.id,
    coupon_id: claim.coupon_id,
    device_id: deviceId,
    branch_id: branchId,
    staff_id: staffId,
    scanned_code: DEMO_REDEEMED.code,
    device_time: redeemedAt,
    received_at: redeemedAt,
    status: 'applied',
  };
  await trx('redemptions').insert(redemption);
  await recordChange(trx, {
    brandId,
    scopes: [branchScope(branchId)],
    entity: 'redemption',
    id: redemptionId,
    op: 'upsert',
    data: toRedemptionRow(
      { ...redemption, winner_id: null, resolution: null, resolved_by: null, resolved_at: null },
      brandId,
    ),
    at: now,
  });
  const customer: Row | undefined = claim.customer_id
    ? await trx('customers').where({ id: claim.customer_id }).first()
    : undefined;
  await recordChange(trx, {
    brandId,
    scopes: couponScopes(),
    entity: 'claim',
    id: String(claim.id),
    op: 'upsert',
    data: claimForDevices(
      toClaimRow({ ...claim, ...redeemed }, customer ? String(customer.display_name) : null),
    ),
    at: now,
  });
}

/**
 * The documented codes (DEMO-TPE1 …) stay usable: an unused one gets a fresh week, a used one
 * (enrollment clears it from its device) is issued again on a new device.
 */
async function ensurePairingCodes(
  trx: Knex.Transaction,
  deps: CatalogDeps,
  brandId: string,
  branches: Row[],
): Promise<DemoSummary['pairingCodes']> {
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + PAIRING_VALID_DAYS * DAY).toISOString();
  const codes: DemoSummary['pairingCodes'] = [];
  for (const branch of branches) {
    for (let n = 1; n <= PAIRING_CODES_PER_BRANCH; n++) {
      const code = demoPairingCode(String(branch.code), n);
      const device: Row | undefined = await trx('devices').where({ pairing_code: code }).first();
      if (device) {
        await trx('devices')
          .where({ id: device.id })
          .update({ pairing_expires_at: expiresAt, revoked: false });
      } else {
        const name = `示範收銀機 ${String(branch.code)}-${n} · demo till`;
        await createDevice(trx, deps, brandId, { branchId: String(branch.id), name }, { pairingCode: code });
      }
      codes.push({ branchCode: String(branch.code), code });
    }
  }
  return codes;
}
