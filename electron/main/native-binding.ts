/**
 * better-sqlite3 is not N-API: the copy in node_modules is compiled for Node's ABI (tests, web host)
 * and cannot load in Electron. In development `npm start` (scripts/native.ts) builds a second copy
 * for Electron's ABI under var/native/; packaged builds get node_modules rebuilt by electron-builder
 * and need none of this. No `electron` import here: scripts/native.ts shares the path convention.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export function electronNativeBindingPath(projectRoot: string, electronVersion: string): string {
  return path.join(projectRoot, 'var', 'native', `electron-${electronVersion}`, 'better_sqlite3.node');
}

/** The Electron build for this Electron version, if `npm start` prepared one. */
export function findElectronNativeBinding(projectRoot: string, electronVersion: string): string | undefined {
  const file = electronNativeBindingPath(projectRoot, electronVersion);
  return existsSync(file) ? file : undefined;
}

type ResolveFilename = (request: string, parent: unknown, ...rest: unknown[]) => string;

/**
 * Points every load of better-sqlite3's default addon at `binding`. The console core takes a
 * `nativeBinding` option, but the embedded hub opens its database through the shared hub db module,
 * which loads the default addon; redirecting the one file keeps both on the Electron build.
 */
export function redirectBetterSqliteAddon(binding: string): void {
  const Module = createRequire(import.meta.url)('node:module') as { _resolveFilename: ResolveFilename };
  const original = Module._resolveFilename;
  const defaultAddon = /[\\/]better-sqlite3[\\/]build[\\/]Release[\\/]better_sqlite3\.node$/;
  Module._resolveFilename = function (this: unknown, request, parent, ...rest) {
    const resolved = original.call(this, request, parent, ...rest);
    return defaultAddon.test(resolved) ? binding : resolved;
  };
}
