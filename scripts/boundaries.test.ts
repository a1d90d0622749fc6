/**
 * The architecture's dependency directions are enforced by ESLint (eslint.config.js, with
 * eslint-plugin-boundaries): each fixture below is a file that does not exist in the tree, linted
 * as if it were at `path`, with one import. A wrong direction must fail lint; the right ones pass.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: projectRoot });
});

/** The boundary messages ESLint reports for one fixture file. */
async function boundaryErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport const fixture = 1;\n`, {
    filePath: path.join(projectRoot, file),
  });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'boundaries/dependencies').map((m) => m.message);
}

const wrong: [string, string, string][] = [
  [
    'core imports the hub',
    'electron/core/till/fixture.ts',
    "import { createHub } from '../../../backend-sync/hub/server';",
  ],
  [
    'core imports the emulator',
    'electron/core/fixture.ts',
    "import { startDemoEmulator } from '../../backend-sync/emulator/embedded';",
  ],
  ['core imports Electron', 'electron/core/sync/fixture.ts', "import { app } from 'electron';"],
  ['core imports a server package', 'electron/core/fixture.ts', "import fastify from 'fastify';"],
  [
    'core imports a test harness',
    'electron/core/till/fixture.ts',
    "import { tempDir } from '../../testing/temp';",
  ],
  [
    'main imports the hub (the demo hub is a process of its own)',
    'electron/main/fixture.ts',
    "import { createHub } from '../../backend-sync/hub/server';",
  ],
  [
    'main imports the renderer',
    'electron/main/fixture.ts',
    "import { useSyncStore } from '../../renderer/src/stores/sync';",
  ],
  [
    'the renderer imports core beyond the contract',
    'renderer/src/stores/fixture.ts',
    "import { createConsoleCore } from '../../../electron/core';",
  ],
  [
    'the renderer imports the protocol directly',
    'renderer/src/fixture.ts',
    "import { BrandRow } from '../../backend-sync/protocol';",
  ],
  [
    'the preload imports the core',
    'electron/preload/fixture.ts',
    "import { createConsoleCore } from '../core';",
  ],
  [
    'the domain imports the core',
    'backend-sync/domain/fixture.ts',
    "import { createTill } from '../../electron/core/till/handlers';",
  ],
  [
    'the protocol imports the domain',
    'backend-sync/protocol/fixture.ts',
    "import { judgeClaim } from '../domain/verdict';",
  ],
  [
    'the hub imports the console core',
    'backend-sync/hub/fixture.ts',
    "import { createConsoleCore } from '../../electron/core';",
  ],
];

const right: [string, string, string][] = [
  [
    'core imports the protocol and domain',
    'electron/core/till/fixture.ts',
    "import { BrandRow } from '../../../backend-sync/protocol';\nimport { judgeClaim } from '../../../backend-sync/domain/verdict';",
  ],
  [
    'main imports the core',
    'electron/main/fixture.ts',
    "import { createConsoleCore } from '../core';\nimport { app } from 'electron';",
  ],
  [
    'the renderer imports the ConsoleApi contract',
    'renderer/src/stores/fixture.ts',
    "import type { SyncStatus } from '../../../electron/core/consoleApi/contract';",
  ],
  [
    'a test imports a harness and the hub',
    'electron/core/till/fixture.test.ts',
    "import { tempDir } from '../../testing/temp';\nimport { createHub } from '../../../backend-sync/hub/server';",
  ],
];

describe('dependency directions (ESLint boundaries)', () => {
  it.each(wrong)('fails when %s', { timeout: 60_000 }, async (_what, file, source) => {
    const errors = await boundaryErrors(file, source);
    expect(errors.length, `${file}: ${source}`).toBeGreaterThan(0);
  });

  it.each(right)('passes when %s', { timeout: 60_000 }, async (_what, file, source) => {
    expect(await boundaryErrors(file, source)).toEqual([]);
  });
});
