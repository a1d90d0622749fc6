/**
 * Electron's desktop binary is a separate download from GitHub, which many shop, corporate and CI
 * networks block. Since Electron 45 the npm package no longer fetches it at install time (it does
 * so on first use, and fails there with a stack trace), so this module owns the question "is there
 * a desktop window on this machine?": it fetches the binary with a time limit and answers in one
 * line, never a stack trace. `npm install` runs it (postinstall) and `npm start` asks it again.
 *
 * Plain JavaScript with no dependencies: it runs as npm's postinstall, before anything is built.
 *
 *   node scripts/electron-binary.mjs     fetch if missing; print one line; always exit 0
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = path.join(projectRoot, 'node_modules', 'electron');

/** How long a download may take before we decide this machine has no desktop window. */
export const DOWNLOAD_TIMEOUT_MS = 120_000;

/**
 * @typedef {{ ok: true, path: string, version: string }} ElectronPresent
 * @typedef {{ ok: false, reason: string }} ElectronMissing
 * @typedef {ElectronPresent | ElectronMissing} ElectronBinary
 */

/** @returns {string | null} */
function packageVersion() {
  try {
    return JSON.parse(readFileSync(path.join(electronDir, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

/**
 * The binary as the electron package itself finds it (path.txt + dist/), without downloading.
 * @returns {ElectronBinary}
 */
export function installedElectron() {
  const version = packageVersion();
  if (!version) return { ok: false, reason: 'the electron package is not installed' };
  try {
    const relative = readFileSync(path.join(electronDir, 'path.txt'), 'utf8');
    const executable = path.join(electronDir, 'dist', relative);
    if (existsSync(executable)) return { ok: true, path: executable, version };
  } catch {
    // no path.txt: never downloaded
  }
  return { ok: false, reason: `the Electron ${version} binary has not been downloaded` };
}

/**
 * The last meaningful line of a failed download's output: "getaddrinfo ENOTFOUND github.com"
 * rather than the stack under it.
 * @param {string} output
 * @returns {string}
 */
export function downloadFailureReason(output) {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('at ') && line !== 'Downloading Electron binary...');
  const error = lines.find((line) => /^(Request)?Error\b|^[A-Za-z]*Error:/.test(line));
  return (error ?? lines[0] ?? 'no output').replace(/^[A-Za-z]*Error:\s*/, '').slice(0, 200);
}

/**
 * Fetches the binary with electron's own installer (checksums included) unless it is there.
 * @param {{ timeoutMs?: number, env?: NodeJS.ProcessEnv }} [options]
 * @returns {Promise<ElectronBinary>}
 */
export async function ensureElectron(options = {}) {
  const env = options.env ?? process.env;
  const present = installedElectron();
  if (present.ok || !packageVersion()) return present;
  if (env.ELECTRON_SKIP_BINARY_DOWNLOAD) return { ok: false, reason: 'ELECTRON_SKIP_BINARY_DOWNLOAD is set' };
  const timeoutMs = options.timeoutMs ?? DOWNLOAD_TIMEOUT_MS;
  const outcome = await new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(electronDir, 'install.js')], {
      cwd: electronDir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (/** @type {Buffer} */ chunk) => {
      output = (output + chunk.toString()).slice(-8_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ failed: `no answer from the download within ${Math.round(timeoutMs / 1000)} s` });
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ failed: err.message });
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code === 0 ? { failed: null } : { failed: downloadFailureReason(output) });
    });
  });
  if (outcome.failed) return { ok: false, reason: `download failed: ${outcome.failed}` };
  return installedElectron();
}

/** @param {ElectronBinary} binary */
export function describe(binary) {
  return binary.ok
    ? `Electron ${binary.version} desktop binary ready: \`npm start\` opens the desktop app.`
    : `No Electron desktop binary on this machine (${binary.reason}): \`npm start\` will serve the console to your browser instead.`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // Never fail the install over it: a machine without the binary still runs the product.
  ensureElectron().then(
    (binary) => console.log(describe(binary)),
    (err) => console.log(describe({ ok: false, reason: String(err?.message ?? err).split('\n')[0] ?? '' })),
  );
}
