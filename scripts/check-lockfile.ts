/**
 * package-lock.json must install the same tree on every machine and survive `npm install` unchanged,
 * so a fresh clone stays clean. This checks what npm itself would otherwise fix up silently:
 * - every installed entry pins a version and an integrity hash (no entry npm must look up again);
 * - no entry records a registry address (the project's .npmrc omits them, so every user's npm
 *   writes the same lock whichever registry or mirror they use);
 * - every dependency, optional ones included, resolves to an entry, so `npm ci` on another
 *   platform finds its own native packages (esbuild, rolldown, …) in the lock.
 *
 *   npx tsx scripts/check-lockfile.ts        exit 1 with one line per problem
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface LockEntry {
  version?: string;
  integrity?: string;
  resolved?: string;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

export interface Lockfile {
  lockfileVersion?: number;
  packages: Record<string, LockEntry>;
}

/** Node's lookup: `a/node_modules/b/node_modules/c` → c's own folder, then each ancestor's. */
function resolves(packages: Record<string, LockEntry>, from: string, dependency: string): boolean {
  let base = from;
  for (;;) {
    const candidate = base ? `${base}/node_modules/${dependency}` : `node_modules/${dependency}`;
    if (packages[candidate]) return true;
    if (!base) return false;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut === -1 ? '' : base.slice(0, cut);
  }
}

export function lockfileProblems(lock: Lockfile): string[] {
  const problems: string[] = [];
  if (lock.lockfileVersion !== 3) problems.push(`lockfileVersion is ${lock.lockfileVersion}, not 3`);
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (key === '' || entry.link) continue;
    if (!key.includes('node_modules/')) continue; // a workspace or file: folder, not a download
    if (!entry.version) problems.push(`${key} has no version`);
    if (!entry.integrity) problems.push(`${key} has no integrity hash`);
    if (entry.resolved) problems.push(`${key} records a registry address (${entry.resolved})`);
    const wanted = { ...entry.dependencies, ...entry.optionalDependencies };
    for (const dependency of Object.keys(wanted)) {
      if (!resolves(lock.packages, key, dependency))
        problems.push(`${key} needs ${dependency}, which is not in the lock`);
    }
  }
  return problems;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'package-lock.json');
  const problems = lockfileProblems(JSON.parse(readFileSync(file, 'utf8')) as Lockfile);
  for (const problem of problems) console.error(`package-lock.json: ${problem}`);
  process.exit(problems.length ? 1 : 0);
}
