import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CREATE_ADMIN_OPTIONS } from './accounts/createAdmin';
import { HUB_CLI_OPTIONS } from './cliOptions';

const ROOT = path.resolve(__dirname, '../..');
const DOCUMENTS = ['README.md', 'docs/demo.md', 'docs/architecture.md'];

describe('the hub CLI as the documents describe it', () => {
  it('names only options `npm run hub` (and its create-admin) accepts where a line is about the hub command or its admin token', () => {
    const unknown: string[] = [];
    for (const doc of DOCUMENTS) {
      const lines = readFileSync(path.join(ROOT, doc), 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (!/npm run hub\b|HUB_ADMIN_TOKEN|admin token/i.test(line)) return;
        // `npm run hub -- create-admin …` is a subcommand with options of its own.
        const accepted = /\bcreate-admin\b/.test(line) ? CREATE_ADMIN_OPTIONS : HUB_CLI_OPTIONS;
        for (const [, flag] of line.matchAll(/(?<![\w-])--([a-z][a-z-]*)/g)) {
          if (!(flag! in accepted)) unknown.push(`${doc}:${i + 1} --${flag}`);
        }
      });
    }
    expect(unknown).toEqual([]);
  });
});
