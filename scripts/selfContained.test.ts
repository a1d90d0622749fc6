/**
 * The repository stands on its own: nothing in it points at files outside it (the product
 * documents the project started from are not shipped with it, so a pointer to them is a dead end).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Tracked text files containing `pattern` (a fixed string). */
function filesContaining(pattern: string): string[] {
  try {
    return execFileSync('git', ['grep', '-l', '-I', '-F', pattern], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
  } catch {
    return []; // git grep exits 1 when nothing matches
  }
}

// Built from parts so this file does not name them itself.
const OUTSIDE = [['..', 'shared'].join('/'), ['/work', 'shared'].join('/'), ['SPEC', '§'].join(' ')];

describe('the repository', () => {
  it.each(OUTSIDE)('refers to nothing outside it: %s', (pattern) => {
    expect(filesContaining(pattern)).toEqual([]);
  });

  it('finds a pattern that is there (the search itself works)', () => {
    expect(filesContaining('OMO Store Console')).toContain('README.md');
  });
});
