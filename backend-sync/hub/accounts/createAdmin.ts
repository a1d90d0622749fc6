/**
 * `npm run hub -- create-admin …`: the first-run bootstrap. Makes a back-office admin for an
 * existing brand (--brand <id>) or for a new brand (--brand-name <name>), in one transaction.
 * The password comes from HUB_ADMIN_PASSWORD or the first line of stdin, never from the command
 * line (which shell history and `ps` would keep).
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Knex } from 'knex';
import { systemClock, uuidV7 } from '../../domain/clock';
import { createBrand } from '../brands/brands';
import { createAdminUser, type AdminUserView } from './users';

export const CREATE_ADMIN_USAGE = `Usage: npm run hub -- create-admin --email a@example.com --name "王小明" (--brand <brand id> | --brand-name "OMO") [--data ./var/hub]
  The password (12+ characters) is read from HUB_ADMIN_PASSWORD, else from the first line of stdin.`;

export interface CreateAdminArgs {
  email: string;
  name: string;
  brandId?: string;
  brandName?: string;
  password: string;
}

/** `npm run hub -- create-admin …`'s options (the docs test holds the documents to them). */
export const CREATE_ADMIN_OPTIONS = {
  email: { type: 'string' },
  name: { type: 'string' },
  brand: { type: 'string' },
  'brand-name': { type: 'string' },
  data: { type: 'string', default: './var/hub' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function parseCreateAdminArgs(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: CREATE_ADMIN_OPTIONS,
    strict: true,
  });
  if (values.help) throw new Error(CREATE_ADMIN_USAGE);
  if (!values.email || !values.name || !values.brand === !values['brand-name'])
    throw new Error(CREATE_ADMIN_USAGE);
  return values as { email: string; name: string; brand?: string; 'brand-name'?: string; data: string };
}

export async function readPassword(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.HUB_ADMIN_PASSWORD) return env.HUB_ADMIN_PASSWORD;
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  throw new Error('No password: set HUB_ADMIN_PASSWORD or pipe it on stdin.');
}

export async function createAdmin(db: Knex, args: CreateAdminArgs): Promise<AdminUserView> {
  const deps = { clock: systemClock, ids: uuidV7 };
  return db.transaction(async (trx) => {
    const brandId = args.brandId ?? (await createBrand(trx, deps, { name: args.brandName })).id;
    return createAdminUser(trx, deps, brandId, {
      email: args.email,
      displayName: args.name,
      role: 'admin',
      password: args.password,
    });
  });
}
