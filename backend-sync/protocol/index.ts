/**
 * Sync protocol v1: the wire contract between a console and the hub.
 * Zod schemas are the single source; TypeScript types are inferred from them and both ends
 * validate what they receive. Nothing else lives here. Prose description: docs/protocol.md.
 * This file: versions, event names, enrollment, the handshake, pull, poke and sessions; the
 * replicated rows are in entities.ts and the mutations in mutations.ts (re-exported here).
 */
import { z } from 'zod';
import { isoDateTime, printableText, WireId } from './base';
import { Change } from './entities';

export * from './base';
export * from './entities';
export * from './mutations';

/** Bumped on any incompatible change. A hub accepts consoles one version behind. */
export const PROTOCOL_VERSION = 1;
export const MIN_SUPPORTED_PROTOCOL_VERSION = PROTOCOL_VERSION - 1;

/** socket.io event names, in one place. */
export const SyncEvent = {
  pull: 'sync:pull',
  push: 'sync:push',
  poke: 'sync:poke',
  /** Opens (or resumes) the signed-in staff member's session on this socket: see SessionOpen. */
  sessionOpen: 'session:open',
  sessionClose: 'session:close',
  /** The console tells the hub its app version and outbox size (the back office's device list). */
  deviceStatus: 'device:status',
  /** The console's clock against the hub's: see PingRequest. */
  ping: 'sync:ping',
  /** Which hub database and restore this is, and its change log's horizon: see HubEpoch. */
  epoch: 'sync:epoch',
} as const;

// ---------------------------------------------------------------------------------------------
// Enrollment (HTTP, POST /api/devices/enroll)

export const EnrollRequest = z.object({
  pairingCode: z
    .string()
    .trim()
    .min(4)
    .max(64)
    .transform((s) => s.toUpperCase()),
  deviceName: printableText(100),
  protocolVersion: z.number().int(),
  /**
   * Enroll only if the pairing code is of this brand: a console that left its brand with changes
   * still unsent sends it, so a code of another brand is refused (ENROLL_OTHER_BRAND) before it
   * is used up. Older hubs ignore it (the console then checks the answer's brand itself).
   */
  onlyBrandId: z.string().min(1).max(100).optional(),
  /**
   * The device this console was before it left, proved by its token: a console that left with
   * changes unsent sends it, so the new device takes the old one's sign-ins and mutation ids (its
   * lineage, as after a re-enroll) and the queued changes are not refused. Older hubs ignore it.
   */
  previousDevice: z
    .object({ deviceId: z.string().min(1).max(100), deviceToken: z.string().min(1).max(200) })
    .optional(),
});
export type EnrollRequest = z.infer<typeof EnrollRequest>;

export const EnrollResponse = z.object({
  deviceId: z.string(),
  /** Secret the device presents on every connection; the hub stores only its hash. */
  deviceToken: z.string(),
  brand: z.object({ id: z.string(), name: z.string(), timeZone: z.string() }),
  branch: z.object({ id: z.string(), name: z.string() }),
  protocolVersion: z.number().int(),
  hubTime: isoDateTime,
});
export type EnrollResponse = z.infer<typeof EnrollResponse>;

// ---------------------------------------------------------------------------------------------
// Identity (HTTP, POST /api/devices/identify): before a console follows its hub to a new address,
// the hub there proves it is the one that enrolled the device — it holds the device token's hash —
// so a till cannot be pointed at a stranger's hub (and never shows one its token).

export const IdentifyRequest = z.object({
  deviceId: WireId,
  /** Random, chosen by the console for this one check (base64url). */
  nonce: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
});
export type IdentifyRequest = z.infer<typeof IdentifyRequest>;

export const IdentifyResponse = z.object({
  deviceId: z.string(),
  brandId: z.string(),
  /** hex HMAC-SHA256 of the nonce, keyed with the device token's sha256 (hex). */
  proof: z.string().regex(/^[0-9a-f]{64}$/),
  protocolVersion: z.number().int(),
});
export type IdentifyResponse = z.infer<typeof IdentifyResponse>;

// ---------------------------------------------------------------------------------------------
// Connection handshake: socket.io `auth` payload, checked by the hub's middleware.

export const DeviceAuth = z.object({
  deviceId: z.string(),
  deviceToken: z.string(),
  protocolVersion: z.number().int(),
});
export type DeviceAuth = z.infer<typeof DeviceAuth>;

/** `connect_error` data sent by the hub when it refuses a connection. */
export const ConnectRefusal = z.object({
  code: z.enum(['AUTH_INVALID', 'DEVICE_REVOKED', 'PROTOCOL_UNSUPPORTED']),
  message: z.string(),
});
export type ConnectRefusal = z.infer<typeof ConnectRefusal>;

// ---------------------------------------------------------------------------------------------
// pull(cursor)

/**
 * What a pull reads. 'device': brand-wide rows and the device's branch. A staff session's
 * streams (see SessionOpenResponse): 'staff:<id>' — that associate's own bound customers and
 * broadcasts; 'team:<branchId>' — customers bound to the branch's associates (sales managers).
 * Each stream has its own cursor.
 */
export const PullStream = z.union([
  z.literal('device'),
  z.templateLiteral(['staff:', z.string().min(1).max(100)]),
  z.templateLiteral(['team:', z.string().min(1).max(100)]),
]);
export type PullStream = z.infer<typeof PullStream>;

export const PullRequest = z.object({
  stream: PullStream.default('device'),
  /** Last change seq the device has stored for this stream; 0 at first. */
  cursor: z.number().int().nonnegative(),
  limit: z.number().int().positive().max(5000).default(1000),
});
export type PullRequest = z.infer<typeof PullRequest>;

export const PullResponse = z.object({
  changes: z.array(Change),
  /** Store this with the changes, in the same transaction. */
  cursor: z.number().int().nonnegative(),
  hasMore: z.boolean(),
  /** Changes in scope after `cursor` still to come, for the first-sync progress bar. */
  remaining: z.number().int().nonnegative(),
  /** The hub's clock as it answered (every ack carries it: docs/protocol.md, "Time"). */
  hubTime: isoDateTime.optional(),
});
export type PullResponse = z.infer<typeof PullResponse>;

/**
 * The answer to `sync:epoch` (asked on every connect, before anything else): the hub database's
 * id, its restore generation, and the highest change seq it holds. A console that stored another
 * id or generation, or a cursor above `horizon`, met a restored or replaced hub: it re-syncs and
 * pushes again what it had delivered (docs/protocol.md "Hub epoch").
 */
export const HubEpoch = z.object({
  id: z.string().min(1).max(100),
  generation: z.number().int().nonnegative(),
  horizon: z.number().int().nonnegative(),
});
export type HubEpoch = z.infer<typeof HubEpoch>;

// ---------------------------------------------------------------------------------------------
// poke: hub → device, "changes are waiting"

export const Poke = z.object({ cursor: z.number().int().nonnegative() });
export type Poke = z.infer<typeof Poke>;

/**
 * `device:status`: what a console reports of itself after each push round (so on every connect
 * too): its app version and how many mutations still wait in its outbox. Acked with `{ ok: true }`.
 */
export const DeviceStatusReport = z.strictObject({
  appVersion: printableText(40),
  queuedMutations: z.number().int().min(0).max(10_000_000),
});
export type DeviceStatusReport = z.infer<typeof DeviceStatusReport>;

/** Every acknowledgement is either a value or an error with a code (never a thrown string). */
export const AckError = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    /** e.g. SIGNIN_LOCKED: `retryAt`; RATE_LIMITED: `retryAfterMs`. */
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type AckError = z.infer<typeof AckError>;

// ---------------------------------------------------------------------------------------------
// session:open — a staff member signed in on the device (the hub enforces who sees what)

export const SessionOpenRequest = z.union([
  /** First time (the PIN the staff typed at sign-in; the hub checks it against its own hash). */
  z
    .object({
      staffId: z.string().min(1).max(100),
      pin: z.string().regex(/^\d{4,8}$/),
      /** The console sign-in (its staff.signin mutation id) this session proves at the hub. */
      signInId: z.string().min(1).max(100).optional(),
    })
    .strict(),
  /** Later connections of the same sign-in. */
  z.object({ sessionToken: z.string().min(16).max(200) }).strict(),
]);
export type SessionOpenRequest = z.infer<typeof SessionOpenRequest>;

export const SessionOpenResponse = z.object({
  sessionToken: z.string(),
  staffId: z.string(),
  expiresAt: isoDateTime,
  /** The pull streams this session may read, besides 'device'. */
  streams: z.array(PullStream),
  hubTime: isoDateTime.optional(),
});
export type SessionOpenResponse = z.infer<typeof SessionOpenResponse>;

// ---------------------------------------------------------------------------------------------
// sync:ping — the console's clock against the hub's (docs/protocol.md, "Time"). Sent on connect
// and then now and then; the console stamps send and receipt, the hub keeps the measured offset.

export const PingRequest = z.object({
  /** The clock the device stamps its mutations with, when it sent this. */
  deviceTime: isoDateTime,
});
export type PingRequest = z.infer<typeof PingRequest>;

export const PingResponse = z.object({
  hubTime: isoDateTime,
  /** Hub receipt minus `deviceTime` (the one-way delay included): what the hub will assume. */
  clockOffsetMs: z.number().int(),
});
export type PingResponse = z.infer<typeof PingResponse>;
