/**
 * `npm run dist`: build, then package with electron-builder (which rebuilds native modules for
 * Electron IN node_modules), then put the Node build of better-sqlite3 back so tests and the web
 * host keep working. Extra arguments go to electron-builder (e.g. `npm run dist -- --linux`).
 * OMO_UPDATE_URL, when set, becomes the update feed baked into the installers.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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

const builderArgs = process.argv.slice(2).filter((a) => a !== '--');
if (process.env.OMO_UPDATE_URL) builderArgs.push(`--config.publish.url=${process.env.OMO_UPDATE_URL}`);

let code = run(bin('electron-vite'), ['build']);
if (code === 0) {
  code = run(bin('electron-builder'), builderArgs);
  const restored = run('npm', ['rebuild', 'better-sqlite3']);
  if (restored !== 0)
    console.error('Could not restore the Node build of better-sqlite3: run "npm rebuild better-sqlite3".');
}
process.exit(code);
