/**
 * Prepares better-sqlite3 for Electron's ABI in var/native/electron-<version>/ WITHOUT touching the
 * Node build in node_modules (tests and the web host need that one). Works on a temporary copy of
 * the package: first a prebuilt binary (prebuild-install --runtime electron), else a compile with
 * node-gyp against Electron's headers. Packaged builds don't use this: electron-builder rebuilds.
 *
 *   npx tsx scripts/native.ts        prints the path of the prepared binary
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronNativeBindingPath } from '../electron/main/native-binding';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(projectRoot, 'package.json'));

export function installedElectronVersion(): string {
  const pkg = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export function prepareElectronNativeBinding(
  electronVersion = installedElectronVersion(),
  log: (line: string) => void = (line) => console.log(line),
): string {
  const target = electronNativeBindingPath(projectRoot, electronVersion);
  if (existsSync(target)) return target;

  const moduleDir = path.dirname(require.resolve('better-sqlite3/package.json'));
  mkdirSync(path.join(projectRoot, 'var', 'native'), { recursive: true });
  const scratch = mkdtempSync(path.join(projectRoot, 'var', 'native', 'tmp-'));
  const copy = path.join(scratch, 'better-sqlite3');
  try {
    // Sources only: the existing build/ is Node's and must not be mistaken for Electron's.
    cpSync(moduleDir, copy, { recursive: true, filter: (src) => path.relative(moduleDir, src) !== 'build' });
    const built = path.join(copy, 'build', 'Release', 'better_sqlite3.node');
    log(`Preparing better-sqlite3 for Electron ${electronVersion}…`);
    if (!tryPrebuilt(moduleDir, copy, electronVersion) || !existsSync(built)) {
      log('No prebuilt binary; compiling against Electron headers (needs a C++ toolchain)…');
      compileWithNodeGyp(copy, electronVersion);
    }
    if (!existsSync(built)) throw new Error(`better-sqlite3 build for Electron ${electronVersion} failed`);
    mkdirSync(path.dirname(target), { recursive: true });
    copyFileSync(built, target);
    return target;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** npm passes its config down as npm_config_*; a Node `nodedir` or target would poison an Electron build. */
function buildEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^npm_config_(nodedir|target|runtime|disturl|dist_url|arch|build_from_source)$/i.test(key))
      delete env[key];
  }
  return env;
}

function tryPrebuilt(moduleDir: string, cwd: string, electronVersion: string): boolean {
  const bin = createRequire(path.join(moduleDir, 'package.json')).resolve('prebuild-install/bin.js');
  const args = [bin, '--runtime', 'electron', '--target', electronVersion, '--arch', process.arch];
  const result = spawnSync(process.execPath, args, { cwd, env: buildEnv(), stdio: 'inherit' });
  return result.status === 0;
}

function compileWithNodeGyp(cwd: string, electronVersion: string): void {
  const args = [
    nodeGypScript(),
    'rebuild',
    '--release',
    '--runtime=electron',
    `--target=${electronVersion}`,
    `--arch=${process.arch}`,
    '--dist-url=https://electronjs.org/headers',
  ];
  const result = spawnSync(process.execPath, args, { cwd, env: buildEnv(), stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`node-gyp exited with ${result.status ?? result.signal}`);
}

/** node-gyp from node_modules, else the copy bundled with npm. */
function nodeGypScript(): string {
  try {
    return require.resolve('node-gyp/bin/node-gyp.js');
  } catch {
    const npmDir = path.resolve(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm');
    return path.join(npmDir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.log(prepareElectronNativeBinding());
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
