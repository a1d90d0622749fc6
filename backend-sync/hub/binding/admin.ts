/** GET/PUT of a brand's binding settings (with per-branch success overrides). */
import type { Knex } from 'knex';
import type { Clock } from '../../domain/clock';
import { requireBrand } from '../brands/brands';
import { recordBrandRow } from './brandRow';
import { inTransaction, parseInput, validationFailed } from '../services/common';
import {
  BindingSettingsInput,
  loadBindingSettings,
  saveBindingSettings,
  toBindingSettingsView,
  type BindingSettingsView,
} from './settings';

export async function getBindingSettings(db: Knex, brandId: string): Promise<BindingSettingsView> {
  await requireBrand(db, brandId);
  return toBindingSettingsView(await loadBindingSettings(db, brandId));
}

export async function putBindingSettings(
  db: Knex,
  deps: { clock: Clock },
  brandId: string,
  input: unknown,
): Promise<BindingSettingsView> {
  const data = parseInput(BindingSettingsInput, input);
  return inTransaction(db, async (trx) => {
    await requireBrand(trx, brandId);
    const ids = data.branchSuccessMessages.map((o) => o.branchId);
    const known = new Set(
      (await trx('branches').where({ brand_id: brandId }).whereIn('id', ids).select('id')).map(
        (r: { id: string }) => r.id,
      ),
    );
    const issues = ids.flatMap((id, i) =>
      known.has(id) && ids.indexOf(id) === i
        ? []
        : [
            {
              path: `branchSuccessMessages.${i}.branchId`,
              message: known.has(id) ? 'listed twice' : 'not a branch of this brand',
            },
          ],
    );
    if (issues.length > 0) throw validationFailed('The input is not valid.', issues);
    await saveBindingSettings(trx, brandId, data, deps.clock.now().toISOString());
    await recordBrandRow(trx, brandId, deps.clock.now()); // prefix/suffix reach the QR screens
    return toBindingSettingsView(await loadBindingSettings(trx, brandId));
  });
}
