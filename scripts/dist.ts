/**
 * `npm run dist`: check the signing credentials (scripts/signing.ts: one line and exit 1 when any
 * is missing, unless `--unsigned`), write the update trust the app checks updates against
 * (build/update/update-trust.json, shipped as resources/update-trust.json), build with
 * electron-vite, package with electron-builder (which rebuilds native modules for Electron IN
 * node_modules), sign each installer for the update feed (`<file>.sig` beside it), then put the
 * Node build of better-sqlite3 back so tests and the web host keep working.
 * Other arguments go to electron-builder (e.g. `npm run dist -- --linux`); docs/deploy.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SIGNATURE_SUFFIX, signUpdateFile } from '../electron/main/updateSignature';
import { planDist, type DistPlan } from './signing';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name: string) => path.join(projectRoot, 'node_modules', '.bin', name);

function run(command: string, args: string[]): number {
  const result = spawnSync(command, args, {
    cwd: projectRoot,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  return result.status ?? 1;
}

/** electron-builder packages the Electron binary the `electron` package downloaded. */
function electronDist(): string | null {
  const dir = path.join(projectRoot, 'node_modules', 'electron', 'dist');
  return existsSync(dir) && readdirSync(dir).length > 0 ? dir : null;
}

/** The installers a feed file (latest.yml, beta-linux.yml…) names, as paths in the output folder. */
function feedFiles(outputDir: string): string[] {
  const files = new Set<string>();
  for (const feed of readdirSync(outputDir).filter((n) => /\.ya?ml$/.test(n) && !n.startsWith('builder-'))) {
    for (const match of readFileSync(path.join(outputDir, feed), 'utf8').matchAll(
      /^\s*-?\s*(?:url|path):\s*(.+)$/gm,
    )) {
      const file = path.join(outputDir, match[1]!.trim().replace(/^['"]|['"]$/g, ''));
      if (existsSync(file)) files.add(file);
    }
  }
  return [...files];
}

async function signFeed(plan: DistPlan): Promise<void> {
  if (!plan.feedSigningKeyFile) return;
  const version = (
    JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string }
  ).version;
  const outputDir = path.join(projectRoot, 'release', version);
  const key = readFileSync(plan.feedSigningKeyFile, 'utf8');
  for (const file of feedFiles(outputDir)) {
    writeFileSync(`${file}${SIGNATURE_SUFFIX}`, await signUpdateFile(file, key));
    console.log(`signed for the update feed: ${path.relative(projectRoot, file)}${SIGNATURE_SUFFIX}`);
  }
}

async function main(): Promise<number> {
  const planned = planDist({
    args: process.argv.slice(2),
    env: process.env,
    host: process.platform,
    readText: (file) => readFileSync(file, 'utf8'),
  });
  if (!planned.ok) {
    console.error(planned.error);
    return 1;
  }
  const plan = planned.plan;
  const electron = electronDist();
  if (!electron) {
    console.error(
      'npm run dist: the Electron binary is not available on this machine (installed with ELECTRON_SKIP_BINARY_DOWNLOAD or without GitHub access); run npm ci with access to GitHub first.',
    );
    return 1;
  }
  mkdirSync(path.join(projectRoot, 'build', 'update'), { recursive: true });
  writeFileSync(
    path.join(projectRoot, 'build', 'update', 'update-trust.json'),
    JSON.stringify(plan.trust, null, 2),
  );

  let code = run(bin('electron-vite'), ['build']);
  if (code === 0) {
    code = run(bin('electron-builder'), [...plan.builderArgs, `-c.electronDist=${electron}`]);
    const restored = run('npm', ['rebuild', 'better-sqlite3']);
    if (restored !== 0)
      console.error('Could not restore the Node build of better-sqlite3: run "npm rebuild better-sqlite3".');
  }
  if (code === 0) await signFeed(plan);
  return code;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
