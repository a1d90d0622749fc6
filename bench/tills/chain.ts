/**
 * A chain at opening hour, written straight into a hub database the way the admin API would (each
 * replicated row with its change): one brand, two branches, one device awaiting enrollment and one
 * sales associate per till (half the tills at each branch), a brand-wide coupon with enough claims
 * for every till's redemptions, and the emulator's LINE and WhatsApp channels with fixed binding
 * settings, so a LINE customer can bind to any till's associate.
 *
 * Every associate has the same PIN; its scrypt hash is computed once (the check at the hub costs
 * the same for each, whatever the PIN). The hub's keyed PIN check is stored as the admin API stores
 * it when a PIN is set (staff/pinCheck.ts; the hub's key must be installed before seeding), so
 * sign-in measures a chain whose staff were created before the opening.
 */
import type { Knex } from 'knex';
import { hashSecret } from '../../backend-sync/domain/secrets';
import { BindingSettingsInput, saveBindingSettings } from '../../backend-sync/hub/binding/settings';
import { recordChanges } from '../../backend-sync/hub/db/batchedChanges';
import { pinCheckFor } from '../../backend-sync/hub/staff/pinCheck';
import { chunks } from '../../backend-sync/hub/services/common';
import type { ChangeInput } from '../../backend-sync/hub/db/changes';
import { toBranchRow, toBrandRow, toClaimRow, toCouponRow, toStaffRow } from '../../backend-sync/hub/db/rows';
import { insertEmulatorChannels } from '../../backend-sync/hub/testing/emulatorHub';
import { TEST_SETTINGS } from '../../backend-sync/hub/webhooks/testing';

export const CHAIN_PIN = '2468';

export interface ChainTill {
  index: number;
  deviceId: string;
  pairingCode: string;
  branchId: string;
  staffId: string;
  staffCode: string;
  /** Claims only this till redeems (so pushes never conflict). */
  claims: { id: string; couponId: string; code: string }[];
}

export interface Chain {
  brandId: string;
  branchIds: [string, string];
  tills: ChainTill[];
}

export interface ChainSize {
  tills: number;
  /** Claims set aside for each till's redemptions. */
  claimsPerTill: number;
  /** Claims nobody redeems, so a first pull carries a realistic log (~2,000 rows per till). */
  extraClaims: number;
}

const pad = (n: number) => String(n).padStart(4, '0');

export async function seedChain(db: Knex, size: ChainSize, at = new Date()): Promise<Chain> {
  const now = at.toISOString();
  const brandId = 'brand-chain';
  const branchIds: [string, string] = ['branch-north', 'branch-south'];
  const couponId = 'coupon-opening';
  const pinHash = hashSecret(CHAIN_PIN);
  const tills: ChainTill[] = Array.from({ length: size.tills }, (_, i) => ({
    index: i,
    deviceId: `till-${pad(i)}`,
    pairingCode: `TILL-${pad(i)}`,
    branchId: branchIds[i % 2]!,
    staffId: `staff-${pad(i)}`,
    staffCode: `S${pad(i)}`,
    claims: Array.from({ length: size.claimsPerTill }, (_, k) => ({
      id: `claim-${pad(i)}-${k}`,
      couponId,
      code: `C${pad(i)}${k}`,
    })),
  }));
  const extra = Array.from({ length: size.extraClaims }, (_, k) => ({
    id: `claim-extra-${pad(k)}`,
    couponId,
    code: `X${pad(k)}`,
  }));

  await db.transaction(async (trx) => {
    await trx('brands').insert({ id: brandId, name: 'Opening Hour Tea', created_at: now });
    await trx('branches').insert(
      branchIds.map((id, i) => ({
        id,
        brand_id: brandId,
        name: `Branch ${i + 1}`,
        code: `B${i + 1}`,
        created_at: now,
      })),
    );
    const staffRows = tills.map((t) => ({
      id: t.staffId,
      brand_id: brandId,
      branch_id: t.branchId,
      role: 'sales_associate',
      staff_code: t.staffCode,
      display_name: `Associate ${t.staffCode}`,
      pin_hash: pinHash,
      active: true,
      created_at: now,
    }));
    const withChecks = staffRows.map((row) => ({
      ...row,
      pin_check: pinCheckFor(row.id, pinHash, CHAIN_PIN),
    }));
    for (const chunk of chunks(withChecks, 200)) await trx('staff').insert(chunk);
    const deviceRows = tills.map((t) => ({
      id: t.deviceId,
      brand_id: brandId,
      branch_id: t.branchId,
      name: `Till ${t.index}`,
      pairing_code: t.pairingCode,
      created_at: now,
    }));
    for (const chunk of chunks(deviceRows, 200)) await trx('devices').insert(chunk);
    await trx('coupons').insert({
      id: couponId,
      brand_id: brandId,
      name: 'Opening day drink',
      type: 'sales',
      status: 'published',
      branch_ids: JSON.stringify([]),
      validity_mode: 'from_claim',
      valid_from: null,
      valid_until: null,
      duration_days: 30,
      usage_rules: 'One per visit.',
      barcode_type: 'CODE_128',
      fixed_code: null,
      verification_code_hash: null,
      redeem_tag: null,
      created_at: now,
      updated_at: now,
    });
    const claimRows = [...tills.flatMap((t) => t.claims), ...extra].map((c) => ({
      id: c.id,
      brand_id: brandId,
      coupon_id: couponId,
      customer_id: null,
      code: c.code,
      claim_token: `tok-${c.id}`,
      claimed_at: now,
    }));
    for (const chunk of chunks(claimRows, 200)) await trx('claims').insert(chunk);

    const change = (
      entity: ChangeInput['entity'],
      id: string,
      scope: ChangeInput['scopes'][number],
      data: unknown,
    ) => ({ brandId, scopes: [scope], entity, id, op: 'upsert', data, at }) satisfies ChangeInput;
    const brand = await trx('brands').where({ id: brandId }).first();
    const branches = (await trx('branches').where({ brand_id: brandId }).orderBy('id')) as Record<
      string,
      unknown
    >[];
    const coupon = await trx('coupons').where({ id: couponId }).first();
    await recordChanges(trx, [
      change('brand', brandId, 'brand', toBrandRow(brand)),
      ...branches.map((b) => change('branch', String(b.id), 'brand', toBranchRow(b))),
      change('coupon', couponId, 'brand', toCouponRow(coupon)),
      ...staffRows.map((s) => change('staff', s.id, `branch:${s.branch_id}`, toStaffRow(s))),
      ...claimRows.map((c) => change('claim', c.id, 'brand', toClaimRow(c))),
    ]);
  });
  await insertEmulatorChannels(db, brandId, now);
  await db.transaction((trx) =>
    saveBindingSettings(trx, brandId, BindingSettingsInput.parse(TEST_SETTINGS), now),
  );
  return { brandId, branchIds, tills };
}
