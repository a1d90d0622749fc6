/**
 * The app's runtime `dependencies` are exactly the packages its main process imports: electron-vite
 * bundles our own code and leaves those packages external (electron.vite.config.ts), and
 * electron-builder ships `dependencies` and nothing else. The preload and the renderer are bundled
 * whole, so what they use is a devDependency. esbuild reads the same import graph here.
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

/** Runtime packages no file of ours imports: a dependency of ours loads them. */
const LOADED_BY = { 'better-sqlite3': 'knex/lib/dialects/better-sqlite3/index.js' } as const;

const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/** Every bare import the main process's bundle leaves external, and the packages they name. */
async function mainImports(): Promise<{ specifiers: Set<string>; packages: Set<string> }> {
  const result = await build({
    entryPoints: [path.join(root, 'electron/main/index.ts')],
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  const specifiers = new Set<string>();
  for (const input of Object.values(result.metafile.inputs))
    for (const imported of input.imports) if (imported.external) specifiers.add(imported.path);
  const builtins = new Set(builtinModules);
  const packages = new Set(
    [...specifiers]
      .filter((s) => !s.startsWith('node:') && !builtins.has(s) && s !== 'electron')
      .map(packageOf),
  );
  return { specifiers, packages };
}

describe('runtime dependencies', () => {
  it('are exactly what the main process imports', { timeout: 60_000 }, async () => {
    const { specifiers, packages } = await mainImports();
    for (const [runtime, loader] of Object.entries(LOADED_BY)) {
      expect(specifiers, `${runtime} is loaded through ${loader}`).toContain(loader);
      packages.add(runtime);
    }
    expect(Object.keys(pkg.dependencies).sort()).toEqual([...packages].sort());
  });

  it('names a scoped package by its scope and name', () => {
    expect(packageOf('@scope/name/sub/path.js')).toBe('@scope/name');
    expect(packageOf('csv-stringify/sync')).toBe('csv-stringify');
  });
});
