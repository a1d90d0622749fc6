/**
 * Who made a mutation is the hub's call: the person of the sign-in it names, allowed to make its
 * kind. A forged staffId in any kind is refused and leaves nothing behind; every kind is tried
 * with every role.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { uuidV7 } from '../../../domain/clock';
import { signInProof } from '../../../domain/secrets';
import { ROLES } from '../../../domain/roles';
import { SyncEvent, type MutationKind, type Role } from '../../../protocol';
import { testDbKinds } from '../../testing/databases';
import { insertStaff, type Fixture } from '../../testing/fixtures';
import {
  connectFixtureDevice,
  recordTestSignIns,
  request,
  startTestHub,
  testSignInId,
  type TestHub,
} from '../testing';
import { push } from './testing';

/** One mutation of each kind by `staffId`, under `signInId` (none for staff.signin). */
function mutationOf(kind: MutationKind, f: Fixture, staffId: string, signInId: string) {
  const claim = f.claims.onlyA[0]!;
  const payloads: Record<MutationKind, Record<string, unknown>> = {
    'staff.signin': { staffId, signedInAt: '2026-03-01T03:00:00.000Z' },
    'redemption.create': {
      claimId: claim.id,
      couponId: claim.couponId,
      staffId,
      signInId,
      scannedCode: claim.code,
    },
    'verification.failure': { couponId: claim.couponId, staffId, signInId, scannedCode: claim.code },
    'conflict.resolve': { redemptionId: uuidV7(), staffId, signInId, decision: 'acknowledge' },
    'customer.add': { staffId, signInId, phone: '+85291234567', name: null, takeOver: false },
    'broadcast.send': { staffId, signInId, channel: 'line', text: 'hello', template: null },
  };
  return { id: uuidV7(), kind, payload: payloads[kind], deviceTime: '2026-03-01T03:00:00.000Z' };
}

const KINDS: MutationKind[] = [
  'staff.signin',
  'redemption.create',
  'verification.failure',
  'conflict.resolve',
  'customer.add',
  'broadcast.send',
];

/** The product's roles table, written out here rather than read from the code under test. */
const MAY: Record<MutationKind, Role[]> = {
  'staff.signin': [...ROLES],
  'redemption.create': [...ROLES],
  'verification.failure': [...ROLES],
  'conflict.resolve': ['admin', 'supervisor', 'sales_manager'],
  'customer.add': ['sales_manager', 'sales_associate'],
  'broadcast.send': ['sales_manager', 'sales_associate'],
};

describe.each(testDbKinds())('who made a mutation, on %s', (kind) => {
  let h: TestHub | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** What a refused mutation must not have left: no redemption, event, customer or broadcast. */
  async function footprint(t: TestHub) {
    const count = async (table: string) => Number((await t.t.db(table).count({ n: '*' }))[0]!.n);
    return Promise.all(['redemptions', 'events', 'customers', 'broadcasts'].map(count));
  }

  it.each(KINDS.filter((k) => k !== 'staff.signin'))(
    'refuses %s naming someone other than the signed-in staff member, and records nothing',
    async (mutationKind) => {
      h = await startTestHub(kind);
      const f = h.fixture;
      const a1 = await connectFixtureDevice(h, f.devices.a1.id);
      const before = await footprint(h);
      // Signed in as the associate; the payload says the manager did it.
      const forged = mutationOf(
        mutationKind,
        f,
        f.staff.managerA.id,
        testSignInId(a1.deviceId, f.staff.associateA.id),
      );
      expect((await push(a1, [forged])).results[0]).toMatchObject({
        status: 'rejected',
        code: 'STAFF_MISMATCH',
      });
      // A sign-in the hub never recorded, or another device's, is refused too.
      const unknown = mutationOf(mutationKind, f, f.staff.managerA.id, uuidV7());
      const a2sSignIn = testSignInId(f.devices.a2.id, f.staff.managerA.id);
      await recordTestSignIns(h.t.db, f.devices.a2.id);
      const elsewhere = mutationOf(mutationKind, f, f.staff.managerA.id, a2sSignIn);
      const { results } = await push(a1, [unknown, elsewhere]);
      expect(results.map((r) => ('code' in r ? r.code : r.status))).toEqual([
        'SIGNIN_UNKNOWN',
        'SIGNIN_UNKNOWN',
      ]);
      expect(await footprint(h)).toEqual(before);
    },
  );

  it("attributes a console's mutation without signInId (older than the field) to that person's sign-in on the device", async () => {
    h = await startTestHub(kind);
    const f = h.fixture;
    const a1 = await connectFixtureDevice(h, f.devices.a1.id);
    const [first, second] = [f.claims.onlyA[0]!, f.claims.onlyA[1]!];
    const olderConsole = (claim: typeof first, staffId: string) => ({
      id: uuidV7(),
      kind: 'redemption.create' as const,
      payload: { claimId: claim.id, couponId: claim.couponId, staffId, scannedCode: claim.code },
      deviceTime: '2026-03-01T03:00:00.000Z',
    });
    const ok = olderConsole(first, f.staff.associateA.id);
    expect((await push(a1, [ok])).results[0]).toMatchObject({ status: 'applied' });
    // Nobody of that name ever signed in on this device: still refused.
    await h.t.db('sign_ins').where({ staff_id: f.staff.managerA.id }).delete();
    expect((await push(a1, [olderConsole(second, f.staff.managerA.id)])).results[0]).toMatchObject({
      status: 'rejected',
      code: 'SIGNIN_UNKNOWN',
    });
    expect(await h.t.db('redemptions').where({ claim_id: first.id }).select('staff_id')).toEqual([
      { staff_id: f.staff.associateA.id },
    ]);
  });

  it('checks every kind against every role', async () => {
    h = await startTestHub(kind);
    const f = h.fixture;
    const staffOfRole = new Map<Role, string>();
    for (const role of ROLES) {
      const branchRole = role === 'sales_manager' || role === 'sales_associate';
      const member = await insertStaff(h.t.db, h.clock, {
        id: `staff-role-${role}`,
        brandId: f.brandId,
        branchId: branchRole ? f.branchA : null,
        role,
        staffCode: `R${ROLES.indexOf(role)}`,
        pin: '4321',
      });
      staffOfRole.set(role, member.id);
    }
    const a1 = await connectFixtureDevice(h, f.devices.a1.id);
    for (const mutationKind of KINDS) {
      for (const role of ROLES) {
        const staffId = staffOfRole.get(role)!;
        const m = mutationOf(mutationKind, f, staffId, testSignInId(a1.deviceId, staffId));
        const [result] = (await push(a1, [m])).results;
        const forbidden = result!.status === 'rejected' && result!.code === 'FORBIDDEN';
        expect({ mutationKind, role, forbidden }).toEqual({
          mutationKind,
          role,
          forbidden: !MAY[mutationKind].includes(role),
        });
      }
    }
  });

  it('records how it knows a sign-in: the PIN at the hub, the offline proof, or neither (flagged)', async () => {
    h = await startTestHub(kind);
    const f = h.fixture;
    const a1 = await connectFixtureDevice(h, f.devices.a1.id);
    const staffId = f.staff.associateA.id;
    const { pin_hash: pinHash } = await h.t.db('staff').where({ id: staffId }).first('pin_hash');
    const signIn = (pinProof?: string) => {
      const id = uuidV7();
      return {
        id,
        kind: 'staff.signin',
        payload: { staffId, signedInAt: '2026-03-01T03:00:00.000Z', ...(pinProof ? { pinProof } : {}) },
        deviceTime: '2026-03-01T03:00:00.000Z',
      };
    };
    // Offline: the sign-in and what was done under it arrive in one push when the device returns.
    const offline = signIn();
    offline.payload.pinProof = signInProof(String(pinHash), offline.id, staffId);
    const redeemed = mutationOf('redemption.create', f, staffId, offline.id);
    const stale = signIn('0'.repeat(64)); // made with a PIN the hub no longer has
    const { results } = await push(a1, [offline, redeemed, stale]);
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    const proofs = async () =>
      Object.fromEntries(
        (await h!.t.db('sign_ins').whereIn('id', [offline.id, stale.id]).select('id', 'proof')).map((r) => [
          r.id,
          r.proof,
        ]),
      );
    expect(await proofs()).toEqual({ [offline.id]: 'offline_pin', [stale.id]: 'unverified' });
    expect(await h.t.db('events').where({ kind: 'signin.unverified' }).pluck('staff_id')).toEqual([staffId]);

    // The staff member is still signed in when the device returns: the hub checks the PIN itself.
    const session = await request(a1.socket, SyncEvent.sessionOpen, {
      staffId,
      pin: f.staff.associateA.pin,
      signInId: offline.id,
    });
    expect(session).toMatchObject({ staffId });
    expect((await proofs())[offline.id]).toBe('hub_pin');
    // …and a sign-in id cannot be claimed for someone else.
    const other = await connectFixtureDevice(h, f.devices.a2.id);
    expect(
      await request(other.socket, SyncEvent.sessionOpen, {
        staffId,
        pin: f.staff.associateA.pin,
        signInId: offline.id,
      }),
    ).toMatchObject({ error: { code: 'SESSION_REFUSED' } });
  });
});
