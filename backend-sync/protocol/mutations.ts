/**
 * Sync protocol v1, push(mutations): what a console changes, as mutations with the payload of
 * each kind, and the hub's answer to each. Part of the protocol's single source (index.ts
 * re-exports it); prose in docs/protocol.md.
 */
import { z } from 'zod';
import { isoDateTime } from './base';
import { Channel } from './entities';

/**
 * The console sign-in a mutation was made under: the id of that sign-in's `staff.signin`
 * mutation. The hub takes the person from the sign-in it recorded, never from the payload's
 * `staffId` alone (docs/protocol.md "Who made a mutation"). Optional on the wire only for
 * consoles older than the field, whose mutations the hub attributes to that person's latest
 * sign-in on the device; this console always sends it.
 */
const signInId = z.string().min(1).max(100).optional();

export const RedeemPayload = z.object({
  claimId: z.string(),
  couponId: z.string(),
  staffId: z.string(),
  signInId,
  /** The code the cashier scanned or typed. */
  scannedCode: z.string(),
});
export const VerificationFailurePayload = z.object({
  couponId: z.string(),
  staffId: z.string(),
  signInId,
  scannedCode: z.string(),
});
export const ConflictResolvePayload = z.object({
  /** The redemption (mutation id) that was answered with `conflict`. */
  redemptionId: z.string(),
  staffId: z.string(),
  signInId,
  decision: z.enum(['acknowledge', 'void']),
  note: z.string().max(500).optional(),
});
export const StaffSignInPayload = z.object({
  staffId: z.string(),
  signedInAt: isoDateTime,
  /**
   * hex HMAC-SHA256 keyed with the PIN hash the console checked the PIN against, over
   * `<mutation id>:<staffId>` (domain/secrets.ts signInProof): the hub records whether it matches
   * the member's current PIN. Absent from consoles older than the field.
   */
  pinProof: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});
export const CustomerAddPayload = z.object({
  staffId: z.string(),
  signInId,
  /** E.164, already normalised by the console (the hub checks it again). */
  phone: z.string().max(20),
  /** null: the customer is named by the number. */
  name: z.string().max(100).nullable(),
  /** Confirmed by the associate: take over a customer bound to someone else (transfer allowed). */
  takeOver: z.boolean(),
});
export const BroadcastPayload = z.object({
  staffId: z.string(),
  signInId,
  channel: Channel,
  /** LINE: the message. WhatsApp: sent to customers inside the 24-hour window, when given. */
  text: z.string().max(5000).nullable(),
  /** WhatsApp: the approved template for everyone else (required for WhatsApp). */
  template: z.object({ name: z.string().max(512), language: z.string().max(15) }).nullable(),
});

const mutation = <K extends string, P extends z.ZodType>(kind: K, payload: P) =>
  z.object({
    /** Made on the device (UUIDv7); the hub keeps it under a UNIQUE constraint. */
    id: z.uuid(),
    kind: z.literal(kind),
    payload,
    /** The device's clock when the effect was committed locally. */
    deviceTime: isoDateTime,
  });

export const Mutation = z.discriminatedUnion('kind', [
  mutation('redemption.create', RedeemPayload),
  mutation('verification.failure', VerificationFailurePayload),
  mutation('conflict.resolve', ConflictResolvePayload),
  mutation('staff.signin', StaffSignInPayload),
  mutation('customer.add', CustomerAddPayload),
  mutation('broadcast.send', BroadcastPayload),
]);
export type Mutation = z.infer<typeof Mutation>;
export type MutationKind = Mutation['kind'];

/** Each kind's payload schema: what a device checks before it writes a mutation it made itself. */
export const MutationPayload = {
  'redemption.create': RedeemPayload,
  'verification.failure': VerificationFailurePayload,
  'conflict.resolve': ConflictResolvePayload,
  'staff.signin': StaffSignInPayload,
  'customer.add': CustomerAddPayload,
  'broadcast.send': BroadcastPayload,
} as const satisfies { [K in MutationKind]: z.ZodType<Extract<Mutation, { kind: K }>['payload']> };

export const PushRequest = z.object({ mutations: z.array(z.unknown()).min(1).max(500) });
export type PushRequest = { mutations: Mutation[] };

export const MutationOutcome = z.discriminatedUnion('status', [
  z.object({ status: z.literal('applied') }),
  z.object({
    status: z.literal('rejected'),
    code: z.string(),
    message: z.string(),
    /** e.g. who holds a phone number an associate tried to add. */
    details: z.record(z.string(), z.unknown()).optional(),
  }),
  z.object({
    status: z.literal('conflict'),
    code: z.string(),
    message: z.string(),
    /** e.g. the redemption that won: when, branch, device, staff. */
    details: z.record(z.string(), z.unknown()),
  }),
]);
export type MutationOutcome = z.infer<typeof MutationOutcome>;

export const MutationResult = z.union([
  MutationOutcome.and(z.object({ id: z.string() })),
  /** The id was seen before: `first` is the answer it got then; nothing was applied again. */
  z.object({ id: z.string(), status: z.literal('duplicate'), first: MutationOutcome }),
]);
export type MutationResult = z.infer<typeof MutationResult>;

export const PushResponse = z.object({
  results: z.array(MutationResult),
  /** The hub's clock as it answered (every ack carries it: docs/protocol.md, "Time"). */
  hubTime: isoDateTime.optional(),
});
export type PushResponse = z.infer<typeof PushResponse>;
