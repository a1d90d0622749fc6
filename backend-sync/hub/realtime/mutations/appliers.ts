/**
 * Mutation kind → applier (and, optionally, a prefetcher that loads what a whole push of that kind
 * needs in one query). Adding a kind = a protocol schema in backend-sync/protocol, a file here,
 * and one line below; the push handler needs no change.
 */
import type { MutationKind } from '../../../protocol';
import { applyBroadcastSend } from './broadcast.send';
import { prefetchClaims } from './claims';
import { applyCustomerAdd } from './customer.add';
import { applyConflictResolve } from './conflict.resolve';
import { applyRedemptionCreate } from './redemption.create';
import { applyStaffSignIn } from './staff.signin';
import type { Applier, Prefetcher } from './types';
import { applyVerificationFailure } from './verification.failure';

export const appliers: { [K in MutationKind]: Applier<K> } = {
  'redemption.create': applyRedemptionCreate,
  'verification.failure': applyVerificationFailure,
  'conflict.resolve': applyConflictResolve,
  'staff.signin': applyStaffSignIn,
  'customer.add': applyCustomerAdd,
  'broadcast.send': applyBroadcastSend,
};

export const prefetchers: { [K in MutationKind]?: Prefetcher<K> } = {
  'redemption.create': prefetchClaims,
};

export const isKnownKind = (kind: unknown): kind is MutationKind =>
  typeof kind === 'string' && Object.prototype.hasOwnProperty.call(appliers, kind);
