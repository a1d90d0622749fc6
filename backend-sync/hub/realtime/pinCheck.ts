/** The hub's check of a PIN a staff member typed at a till (session:open). */
import type { Knex } from 'knex';
import { verifySecret } from '../../domain/secrets';

type Row = Record<string, unknown>;

export async function verifyStaffPin(_db: Knex, staff: Row, pin: string): Promise<boolean> {
  return verifySecret(pin, String(staff.pin_hash));
}
