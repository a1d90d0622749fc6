/**
 * Completes package-lock.json with the platform packages our registry mirror does not carry.
 *
 * Rollup declares one optional native package per platform. The npm mirror this project is built
 * against only serves the Linux ones, so `npm install` writes a lock without the others, and
 * `npm ci` (npm 11) then refuses the lock ("Missing: @rollup/rollup-darwin-arm64@ from lock file").
 * This adds an entry for each missing one with its os/cpu/libc (read from its name, pinned version
 * from the parent), so `npm ci` skips them on other platforms and fetches the right one elsewhere.
 *
 *   npx tsx scripts/lockfile-platforms.ts [--check]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

type LockEntry = {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  optionalDependencies?: Record<string, string>;
  [key: string]: unknown;
};

const OSES = new Set([
  'android',
  'darwin',
  'freebsd',
  'linux',
  'openbsd',
  'openharmony',
  'win32',
  'sunos',
  'aix',
  'netbsd',
]);
const CPUS = new Set(['arm', 'arm64', 'ia32', 'x64', 'loong64', 'ppc64', 'riscv64', 's390x', 'mips64el']);

/** `@rollup/rollup-linux-arm-musleabihf` → { os: linux, cpu: arm, libc: musl }. */
export function platformOf(name: string): { os: string; cpu: string; libc?: string } | null {
  const parts = (name.split('/').pop() ?? '').split('-');
  for (let i = 0; i + 1 < parts.length; i++) {
    const [os, cpu, abi] = [parts[i]!, parts[i + 1]!, parts[i + 2]];
    if (!OSES.has(os) || !CPUS.has(cpu)) continue;
    if (abi?.startsWith('gnu')) return { os, cpu, libc: 'glibc' };
    if (abi?.startsWith('musl')) return { os, cpu, libc: 'musl' };
    return { os, cpu };
  }
  return null;
}

export function completeLock(lock: { packages: Record<string, LockEntry> }): string[] {
  const added: string[] = [];
  for (const [key, entry] of Object.entries(lock.packages)) {
    for (const [dep, spec] of Object.entries(entry.optionalDependencies ?? {})) {
      const platform = platformOf(dep);
      // Only exact versions: a range would need the registry to pick one.
      if (!platform || !/^\d+\.\d+\.\d+$/.test(spec)) continue;
      const nested = `${key}/node_modules/${dep}`;
      const hoisted = `node_modules/${dep}`;
      if (lock.packages[nested] || lock.packages[hoisted]) continue;
      lock.packages[hoisted] = {
        version: spec,
        cpu: [platform.cpu],
        ...(entry.dev ? { dev: true } : {}),
        ...(platform.libc ? { libc: [platform.libc] } : {}),
        optional: true,
        os: [platform.os],
      };
      added.push(`${dep}@${spec}`);
    }
  }
  return added;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'package-lock.json');
  const lock = JSON.parse(readFileSync(file, 'utf8')) as { packages: Record<string, LockEntry> };
  const added = completeLock(lock);
  if (process.argv.includes('--check')) {
    if (added.length)
      console.error(
        `package-lock.json lacks ${added.length} platform packages: run npx tsx scripts/lockfile-platforms.ts`,
      );
    process.exit(added.length ? 1 : 0);
  }
  writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
  console.log(added.length ? `added ${added.length}: ${added.join(', ')}` : 'lock already complete');
}
