/**
 * Claims: one coupon issued to one customer (or to nobody yet), with its own unique code and the
 * token behind the claim QR. A claim reaches the devices of its coupon's branches.
 */
import type { Knex } from 'knex';
import type { BarcodeType } from '../../protocol';
import { couponScopes, recordChange, type ChangeInput } from '../db/changes';
import { claimForDevices, toClaimRow } from '../db/rows';
import { recordChanges } from '../db/batchedChanges';
import { codeProblem, generateClaimCode, generateClaimToken } from '../readableCodes';
import { assertCodeFree, requireCoupon } from './coupons';
import { BulkClaimsInput, CreateClaimInput, Paging, type ClaimView } from '../services/schemas';
import {
  alreadyExists,
  chunks,
  cryptoRandom,
  inTransaction,
  insertInChunks,
  notFound,
  parseInput,
  validationFailed,
  type CatalogDeps,
  type IssueSummary,
  type RandomSource,
} from '../services/common';

type Row = Record<string, unknown>;

export async function createClaim(
  db: Knex,
  deps: CatalogDeps,
  couponId: string,
  input: unknown,
): Promise<ClaimView> {
  const [claim] = await createClaims(
    db,
    deps,
    couponId,
    { claims: [parseInput(CreateClaimInput, input ?? {})] },
    'single',
  );
  return claim!;
}

export interface BulkClaimOptions {
  /** Claim time for every claim (default: the clock). The demo backdates some. */
  claimedAt?: Date;
}

/** Many claims of one coupon in one transaction: batched inserts and batched change rows. */
export async function createClaimsBulk(
  db: Knex,
  deps: CatalogDeps,
  couponId: string,
  input: unknown,
  options: BulkClaimOptions = {},
): Promise<ClaimView[]> {
  return createClaims(db, deps, couponId, parseInput(BulkClaimsInput, input), 'bulk', options);
}

async function createClaims(
  db: Knex,
  deps: CatalogDeps,
  couponId: string,
  input: { claims: { customerId?: string | null | undefined; code?: string | undefined }[] },
  shape: 'single' | 'bulk',
  options: BulkClaimOptions = {},
): Promise<ClaimView[]> {
  const random = deps.random ?? cryptoRandom;
  const now = deps.clock.now();
  const claimedAt = (options.claimedAt ?? now).toISOString();
  const pathOf = (i: number, field: string) => (shape === 'single' ? field : `claims.${i}.${field}`);

  return inTransaction(db, async (trx) => {
    const coupon = await requireCoupon(trx, couponId);
    const brandId = String(coupon.brand_id);
    const barcodeType = String(coupon.barcode_type) as BarcodeType;

    const explicit = checkExplicitCodes(input.claims, barcodeType, pathOf);
    const names = await customerNames(trx, brandId, input.claims);
    await assertCodesFree(trx, brandId, explicit);

    const generatedCount = input.claims.filter((c) => c.code === undefined).length;
    const generated = await freshCodes(trx, brandId, barcodeType, new Set(explicit), generatedCount, random);
    const rows = [];
    for (const claim of input.claims) {
      const code = claim.code ?? generated.shift()!;
      rows.push({
        id: deps.ids(),
        brand_id: brandId,
        coupon_id: couponId,
        customer_id: claim.customerId ?? null,
        code,
        claim_token: generateClaimToken(random),
        claimed_at: claimedAt,
        opened_at: null,
        redeemed_at: null,
        redeemed_branch_id: null,
        redeemed_device_id: null,
        redeemed_staff_id: null,
        redemption_id: null,
      });
    }
    await insertInChunks(trx, 'claims', rows, 200);

    const scopes = couponScopes();
    const views = rows.map((row) =>
      toClaimRow(row, row.customer_id ? (names.get(row.customer_id) ?? null) : null),
    );
    const changes: ChangeInput[] = views.map((view) => ({
      brandId,
      scopes,
      entity: 'claim',
      id: view.id,
      op: 'upsert',
      data: claimForDevices(view),
      at: now,
    }));
    if (changes.length === 1) await recordChange(trx, changes[0]!);
    else await recordChanges(trx, changes);
    return views;
  });
}

function checkExplicitCodes(
  claims: { code?: string | undefined }[],
  barcodeType: BarcodeType,
  pathOf: (i: number, field: string) => string,
): string[] {
  const issues: IssueSummary[] = [];
  const seen = new Set<string>();
  claims.forEach((claim, i) => {
    if (claim.code === undefined) return;
    const problem = codeProblem(claim.code, barcodeType);
    if (problem) issues.push({ path: pathOf(i, 'code'), message: problem });
    else if (seen.has(claim.code))
      issues.push({ path: pathOf(i, 'code'), message: 'this code is listed twice' });
    seen.add(claim.code);
  });
  if (issues.length > 0) throw validationFailed('The input is not valid.', issues);
  return [...seen];
}

/** Display names of the given customers; NOT_FOUND when one is not a customer of the brand. */
async function customerNames(
  trx: Knex.Transaction,
  brandId: string,
  claims: { customerId?: string | null | undefined }[],
): Promise<Map<string, string>> {
  const ids = [...new Set(claims.map((c) => c.customerId).filter((id): id is string => !!id))];
  const names = new Map<string, string>();
  for (const chunk of chunks(ids, 500)) {
    const rows: Row[] = await trx('customers')
      .where({ brand_id: brandId })
      .whereIn('id', chunk)
      .select('id', 'display_name');
    for (const row of rows) names.set(String(row.id), String(row.display_name));
  }
  const missing = ids.find((id) => !names.has(id));
  if (missing) throw notFound('Customer', missing);
  return names;
}

async function assertCodesFree(trx: Knex.Transaction, brandId: string, codes: string[]): Promise<void> {
  if (codes.length === 1) return assertCodeFree(trx, brandId, codes[0]!);
  for (const chunk of chunks(codes, 500)) {
    const claim = await trx('claims').where({ brand_id: brandId }).whereIn('code', chunk).first('code');
    const coupon = await trx('coupons')
      .where({ brand_id: brandId })
      .whereIn('fixed_code', chunk)
      .first('fixed_code');
    const used = claim?.code ?? coupon?.fixed_code;
    if (used)
      throw alreadyExists(`The code ${String(used)} is already in use in this brand.`, { field: 'code' });
  }
}

/** `count` generated codes, unused in the brand and in `taken`; checked against the database in chunks. */
async function freshCodes(
  trx: Knex.Transaction,
  brandId: string,
  barcodeType: BarcodeType,
  taken: Set<string>,
  count: number,
  random: RandomSource,
): Promise<string[]> {
  const fresh: string[] = [];
  while (fresh.length < count) {
    const candidates = new Set<string>();
    while (candidates.size < count - fresh.length) {
      const code = generateClaimCode(barcodeType, random);
      if (!taken.has(code)) candidates.add(code);
    }
    const used = new Set<string>();
    for (const chunk of chunks([...candidates], 500)) {
      for (const code of await trx('claims')
        .where({ brand_id: brandId })
        .whereIn('code', chunk)
        .pluck('code'))
        used.add(code);
      for (const code of await trx('coupons')
        .where({ brand_id: brandId })
        .whereIn('fixed_code', chunk)
        .pluck('fixed_code'))
        used.add(code);
    }
    for (const code of candidates) {
      if (used.has(code)) continue;
      fresh.push(code);
      taken.add(code);
    }
  }
  return fresh;
}

export interface ClaimPage {
  items: ClaimView[];
  total: number;
  limit: number;
  offset: number;
}

export async function listClaims(db: Knex, couponId: string, query: unknown): Promise<ClaimPage> {
  const { limit, offset } = parseInput(Paging, query ?? {});
  await requireCoupon(db, couponId);
  const totalRow = await db('claims').where({ coupon_id: couponId }).count({ n: '*' }).first();
  const rows: Row[] = await db('claims')
    .leftJoin('customers', 'customers.id', 'claims.customer_id')
    .where('claims.coupon_id', couponId)
    .orderBy([{ column: 'claims.claimed_at' }, { column: 'claims.id' }])
    .limit(limit)
    .offset(offset)
    .select('claims.*', 'customers.display_name as customer_name');
  return {
    items: rows.map((row) => toClaimRow(row, row.customer_name == null ? null : String(row.customer_name))),
    total: Number(totalRow?.n ?? 0),
    limit,
    offset,
  };
}
