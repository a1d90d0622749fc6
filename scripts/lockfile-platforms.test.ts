import { describe, expect, it } from 'vitest';
import { completeLock, platformOf } from './lockfile-platforms';

describe('platformOf', () => {
  it('reads os, cpu and libc from a platform package name', () => {
    expect(platformOf('@rollup/rollup-linux-arm-musleabihf')).toEqual({
      os: 'linux',
      cpu: 'arm',
      libc: 'musl',
    });
    expect(platformOf('@rollup/rollup-linux-x64-gnu')).toEqual({ os: 'linux', cpu: 'x64', libc: 'glibc' });
    expect(platformOf('@rollup/rollup-win32-x64-msvc')).toEqual({ os: 'win32', cpu: 'x64' });
    expect(platformOf('@rollup/rollup-darwin-arm64')).toEqual({ os: 'darwin', cpu: 'arm64' });
    expect(platformOf('fsevents')).toBeNull();
  });
});

describe('completeLock', () => {
  it('adds missing pinned platform packages and leaves present ones and ranges alone', () => {
    const present = { version: '4.1.0', integrity: 'sha512-x', optional: true, os: ['linux'], cpu: ['x64'] };
    const lock = {
      packages: {
        '': { name: 'app' },
        'node_modules/rollup': {
          version: '4.1.0',
          dev: true,
          optionalDependencies: {
            '@rollup/rollup-linux-x64-gnu': '4.1.0',
            '@rollup/rollup-darwin-arm64': '4.1.0',
            fsevents: '~2.3.2',
          },
        },
        'node_modules/@rollup/rollup-linux-x64-gnu': present,
      },
    };
    expect(completeLock(lock)).toEqual(['@rollup/rollup-darwin-arm64@4.1.0']);
    expect(lock.packages['node_modules/@rollup/rollup-linux-x64-gnu']).toBe(present);
    expect(lock.packages).toHaveProperty(['node_modules/@rollup/rollup-darwin-arm64'], {
      version: '4.1.0',
      cpu: ['arm64'],
      dev: true,
      optional: true,
      os: ['darwin'],
    });
    expect(completeLock(lock)).toEqual([]);
  });
});
