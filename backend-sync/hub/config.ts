/**
 * Resolves the hub's settings from createHub options and the environment, in one place, so the
 * CLI, the embedded hub and tests agree on precedence: explicit option > environment > default.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Clock, IdGenerator } from '../domain/clock';
import { systemClock, uuidV7 } from '../domain/clock';
import { DEFAULT_LINE_API_BASE_URL, DEFAULT_LINE_DATA_API_BASE_URL } from './channels/line';
import type { RetryPolicy } from './channels/retry';
import { DEFAULT_WHATSAPP_API_BASE_URL } from './channels/whatsapp';

export interface HubOptions {
  /** 0 = a free port chosen by the OS. */
  port?: number;
  /** Default 127.0.0.1 (loopback); pass 0.0.0.0 to serve the shop network. */
  host?: string;
  /** Folder for the SQLite file (unused with PostgreSQL, but still required). */
  dataDir: string;
  /**
   * postgres://…; when absent, process.env.DATABASE_URL, else SQLite in dataDir. `null` or ''
   * forces SQLite even when DATABASE_URL is set (tests run both kinds in one process).
   */
  databaseUrl?: string | null;
  /** PostgreSQL schema (tests give each hub its own). */
  searchPath?: string;
  /**
   * redis://… (default env REDIS_URL): run as one node of several, sharing PostgreSQL; Redis
   * carries socket.io events between the nodes. `null` or '' = a single node even when set.
   */
  redisUrl?: string | null;
  /** Seed the demo brand (idempotent) and return its summary. */
  demo?: boolean;
  adminToken?: string;
  clock?: Clock;
  ids?: IdGenerator;
  /** pino level; default process.env.LOG_LEVEL or 'info'. */
  logLevel?: string;
  /** socket.io path; default /socket.io. */
  socketPath?: string;
  /**
   * Fault points for fault-injection tests (electron/testing/faults); a no-op when absent. Called
   * synchronously at `push:after-commit-before-ack` (see realtime/push.ts) and at the outbound
   * sender's `outbound:before-send` / `outbound:after-send` (channels/outbound.ts). Never set in
   * production.
   */
  faults?: (point: string) => void;
  /** How long a WhatsApp message of unknown outcome waits for a status webhook (default 15 min). */
  whatsappStatusWaitMs?: number;
  /** LINE Messaging API base URL (default https://api.line.me, env LINE_API_BASE_URL): the emulator in dev. */
  lineApiBaseUrl?: string;
  /** LINE content API base URL (default https://api-data.line.me, env LINE_DATA_API_BASE_URL). */
  lineDataApiBaseUrl?: string;
  /** WhatsApp Cloud API base URL (default https://graph.facebook.com, env WHATSAPP_API_BASE_URL). */
  whatsappApiBaseUrl?: string;
  /** Largest webhook body accepted, in bytes (default 1 MiB); larger → 413. */
  webhookBodyLimit?: number;
  /**
   * How long a node's send attempt in flight is left to it before another node settles it (default
   * 60 s on PostgreSQL, env HUB_OUTBOUND_LEASE_MS; channels/outbound.ts).
   */
  outboundLeaseMs?: number;
  /** How long superseded change-log rows are kept (db/compaction.ts; default 7 days). */
  changeRetentionMs?: number;
  /** Outbound retry policy overrides (tests inject sleep and randomness). */
  outboundRetry?: Partial<RetryPolicy>;
  /**
   * Keys that seal channel secrets at rest, current first (default: HUB_SECRET_KEY, comma-separated;
   * else a key file in dataDir, see channels/secretBox.ts).
   */
  secretKeys?: string[];
  /** The back office's build served at /admin (default out/backoffice in the repository). */
  backOfficeDir?: string;
}

/** The admin token the demo uses, so docs/demo.md can name it. Never used outside demo mode. */
export const DEMO_ADMIN_TOKEN = 'demo-admin-token';

export type AdminTokenSource = 'option' | 'env' | 'demo' | 'generated';

export interface HubConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  searchPath: string | undefined;
  redisUrl: string | undefined;
  demo: boolean;
  adminToken: string;
  adminTokenSource: AdminTokenSource;
  clock: Clock;
  ids: IdGenerator;
  logLevel: string;
  socketPath: string;
  lineApiBaseUrl: string;
  lineDataApiBaseUrl: string;
  whatsappApiBaseUrl: string;
  webhookBodyLimit: number;
  outboundLeaseMs: number | undefined;
  backOfficeDir: string;
  /** null = the key file in dataDir. */
  secretKeys: string[] | null;
}

export function resolveHubConfig(options: HubOptions, env: NodeJS.ProcessEnv = process.env): HubConfig {
  const demo = options.demo ?? false;
  const { adminToken, adminTokenSource } = resolveAdminToken(options.adminToken, env.HUB_ADMIN_TOKEN, demo);
  return {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    dataDir: options.dataDir,
    databaseUrl: resolveDatabaseUrl(options.databaseUrl, env.DATABASE_URL),
    searchPath: options.searchPath,
    redisUrl: resolveDatabaseUrl(options.redisUrl, env.REDIS_URL),
    demo,
    adminToken,
    adminTokenSource,
    clock: options.clock ?? systemClock,
    ids: options.ids ?? uuidV7,
    logLevel: options.logLevel ?? env.LOG_LEVEL ?? 'info',
    socketPath: options.socketPath ?? '/socket.io',
    lineApiBaseUrl: options.lineApiBaseUrl ?? (env.LINE_API_BASE_URL || DEFAULT_LINE_API_BASE_URL),
    lineDataApiBaseUrl:
      options.lineDataApiBaseUrl ?? (env.LINE_DATA_API_BASE_URL || DEFAULT_LINE_DATA_API_BASE_URL),
    whatsappApiBaseUrl:
      options.whatsappApiBaseUrl ?? (env.WHATSAPP_API_BASE_URL || DEFAULT_WHATSAPP_API_BASE_URL),
    webhookBodyLimit: options.webhookBodyLimit ?? 1024 * 1024,
    outboundLeaseMs:
      options.outboundLeaseMs ?? (env.HUB_OUTBOUND_LEASE_MS ? Number(env.HUB_OUTBOUND_LEASE_MS) : undefined),
    secretKeys: options.secretKeys ?? (env.HUB_SECRET_KEY ? env.HUB_SECRET_KEY.split(',') : null),
    backOfficeDir: options.backOfficeDir ?? fileURLToPath(new URL('../../out/backoffice', import.meta.url)),
  };
}

/** Explicit null or '' turns the URL off; undefined falls back to the environment. */
function resolveDatabaseUrl(
  option: string | null | undefined,
  fromEnv: string | undefined,
): string | undefined {
  if (option === null || option === '') return undefined;
  return option ?? (fromEnv || undefined);
}

function resolveAdminToken(
  option: string | undefined,
  fromEnv: string | undefined,
  demo: boolean,
): { adminToken: string; adminTokenSource: AdminTokenSource } {
  if (option) return { adminToken: option, adminTokenSource: 'option' };
  if (fromEnv) return { adminToken: fromEnv, adminTokenSource: 'env' };
  if (demo) return { adminToken: DEMO_ADMIN_TOKEN, adminTokenSource: 'demo' };
  return { adminToken: randomBytes(24).toString('base64url'), adminTokenSource: 'generated' };
}
