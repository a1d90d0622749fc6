/**
 * "Save diagnostics" (Settings): one zip a shop's IT can send when a till misbehaves — versions,
 * the sync status, a summary of the outbox (counts by kind and state, never payloads), the log
 * files and the names of crash dumps. No secrets and no customer data: the log lines were
 * redacted when written (logging.ts) and phone-like numbers in their text are masked again here;
 * nothing is read from the tables that hold customers, claims or the sealed device token.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import type { Knex } from 'knex';
import type { Clock } from '../../backend-sync/domain/clock';
import type { EnrollmentInfo, SyncStatus } from './consoleApi/contract';
import { LOG_FILE_NAME } from './logging';

/** A log file larger than this is cut to its last LOG_TAIL_BYTES (the newest lines matter). */
const LOG_TAIL_BYTES = 8 * 1024 * 1024;
const MAX_CRASH_DUMPS_LISTED = 200;

export interface DiagnosticsSources {
  db: Knex;
  clock: Clock;
  /** Folder of the rotating log files, or null when this host logs to stdout only (web host). */
  logsDir: string | null;
  /** Electron's crash dumps folder (names and sizes are listed, not contents), or null. */
  crashDumpsDir: string | null;
  /** Where the zip goes. */
  outputDir: string;
  /** App, protocol and runtime versions (Electron, Chromium, Node…). */
  versions: Record<string, string | number>;
  enrollment: () => Promise<EnrollmentInfo>;
  syncStatus: () => Promise<SyncStatus>;
}

export interface OutboxSummaryRow {
  kind: string;
  status: string;
  count: number;
  oldestDeviceTime: string;
}

export async function outboxSummary(db: Knex): Promise<OutboxSummaryRow[]> {
  const rows = (await db('outbox')
    .select('kind', 'status')
    .count({ count: '*' })
    .min({ oldestDeviceTime: 'device_time' })
    .groupBy('kind', 'status')
    .orderBy(['kind', 'status'])) as {
    kind: string;
    status: string;
    count: number | string;
    oldestDeviceTime: string;
  }[];
  return rows.map((r) => ({ ...r, count: Number(r.count) }));
}

/** Phone numbers and other long digit runs in free text (a customer's number in an error message). */
const PHONE_LIKE = /\+?\d[\d\s-]{6,}\d/g;

/**
 * pino writes one JSON object per line: string values are masked, numbers (times, counts) kept.
 * A line that is not JSON is masked as a whole.
 */
export function maskLogText(text: string): string {
  const maskString = (s: string) => s.replace(PHONE_LIKE, '[number]');
  return text
    .split('\n')
    .map((line) => {
      if (!line.startsWith('{')) return maskString(line);
      try {
        return JSON.stringify(JSON.parse(line), (_key, value: unknown) =>
          typeof value === 'string' ? maskString(value) : value,
        );
      } catch {
        return maskString(line);
      }
    })
    .join('\n');
}

async function logFiles(logsDir: string | null): Promise<Record<string, Uint8Array>> {
  if (!logsDir) return {};
  const names = (await readdir(logsDir).catch(() => [] as string[])).filter(
    (n) => n === LOG_FILE_NAME || n.startsWith(`${LOG_FILE_NAME}.`),
  );
  const files: Record<string, Uint8Array> = {};
  for (const name of names) {
    const bytes = await readFile(path.join(logsDir, name));
    const tail = bytes.length > LOG_TAIL_BYTES ? bytes.subarray(bytes.length - LOG_TAIL_BYTES) : bytes;
    files[`logs/${name}`] = strToU8(maskLogText(tail.toString('utf8')));
  }
  return files;
}

async function crashDumps(dir: string | null): Promise<{ file: string; bytes: number; at: string }[]> {
  if (!dir) return [];
  const entries = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  const dumps = [];
  for (const entry of entries.filter((e) => e.endsWith('.dmp')).slice(0, MAX_CRASH_DUMPS_LISTED)) {
    const info = await stat(path.join(dir, entry));
    dumps.push({ file: entry, bytes: info.size, at: info.mtime.toISOString() });
  }
  return dumps;
}

const json = (value: unknown) => strToU8(`${JSON.stringify(value, null, 2)}\n`);

/** Writes the zip and returns its path and size. */
export async function saveDiagnostics(sources: DiagnosticsSources): Promise<{ file: string; bytes: number }> {
  const now = sources.clock.now();
  const enrollment = await sources.enrollment();
  const zip = zipSync({
    'versions.json': json({
      createdAt: now.toISOString(),
      ...sources.versions,
      os: { platform: process.platform, release: os.release(), arch: process.arch },
    }),
    'device.json': json({
      enrolled: enrollment.enrolled,
      hubUrl: enrollment.hubUrl,
      deviceId: enrollment.deviceId,
      deviceName: enrollment.deviceName,
      brandName: enrollment.brandName,
      branchName: enrollment.branchName,
    }),
    'sync-status.json': json(await sources.syncStatus()),
    'outbox-summary.json': json(await outboxSummary(sources.db)),
    'crash-dumps.json': json(await crashDumps(sources.crashDumpsDir)),
    ...(await logFiles(sources.logsDir)),
  });
  await mkdir(sources.outputDir, { recursive: true });
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  const file = path.join(sources.outputDir, `omo-diagnostics-${stamp}.zip`);
  await writeFile(file, zip);
  return { file, bytes: zip.length };
}
