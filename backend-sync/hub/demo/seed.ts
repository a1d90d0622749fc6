/**
 * Demo data (`--demo`). STUB — being written by the hub-admin helper; the signature is the
 * contract with the hub CLI and the embedded hub.
 */
import type { Knex } from 'knex';
import type { Clock, IdGenerator } from '../../domain/clock';

export interface DemoSummary {
  brandId: string;
  branches: { id: string; code: string; name: string }[];
  /** Unused one-time pairing codes, re-issued on every start so the demo can always enroll. */
  pairingCodes: { branchCode: string; code: string }[];
  staff: { staffCode: string; pin: string; role: string; displayName: string; branchCode: string | null }[];
}

export async function seedDemo(_db: Knex, _opts: { clock: Clock; ids: IdGenerator }): Promise<DemoSummary> {
  throw new Error('seedDemo not written yet');
}
