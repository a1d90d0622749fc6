import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lockfileProblems, type Lockfile } from './check-lockfile';

const projectLock = JSON.parse(
  readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8'),
) as Lockfile;

function lockWith(packages: Lockfile['packages']): Lockfile {
  return { lockfileVersion: 3, packages: { '': {}, ...packages } };
}

describe('lockfileProblems', () => {
  it("finds nothing wrong with the project's own lock", () => {
    expect(lockfileProblems(projectLock)).toEqual([]);
  });

  it('names an entry without an integrity hash, and one that records a registry address', () => {
    const lock = lockWith({
      'node_modules/a': { version: '1.0.0' },
      'node_modules/b': {
        version: '1.0.0',
        integrity: 'sha512-b',
        resolved: 'https://registry.example/b.tgz',
      },
    });
    expect(lockfileProblems(lock)).toEqual([
      'node_modules/a has no integrity hash',
      'node_modules/b records a registry address (https://registry.example/b.tgz)',
    ]);
  });

  it("names another platform's native package that the lock left out, found where Node would look", () => {
    const lock = lockWith({
      'node_modules/tool': { version: '1.0.0', integrity: 'sha512-t', dependencies: { esbuild: '0.28.2' } },
      'node_modules/tool/node_modules/esbuild': {
        version: '0.28.2',
        integrity: 'sha512-e',
        optionalDependencies: { '@esbuild/linux-x64': '0.28.2', '@esbuild/darwin-arm64': '0.28.2' },
      },
      // Beside esbuild, one level up: Node's lookup finds it there.
      'node_modules/tool/node_modules/@esbuild/linux-x64': { version: '0.28.2', integrity: 'sha512-l' },
    });
    expect(lockfileProblems(lock)).toEqual([
      'node_modules/tool/node_modules/esbuild needs @esbuild/darwin-arm64, which is not in the lock',
    ]);
  });
});
