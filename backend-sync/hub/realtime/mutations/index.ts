/**
 * Mutation kind → applier. Adding a kind = a protocol schema in backend-sync/protocol, a file here,
 * and one line below; the push handler needs no change.
 */
import type { MutationKind } from '../../../protocol';
import { applyConflictResolve } from './conflict.resolve';
import { applyRedemptionCreate } from './redemption.create';
import { applyStaffSignIn } from './staff.signin';
import type { Applier } from './types';
import { applyVerificationFailure } from './verification.failure';

export const appliers: { [K in MutationKind]: Applier<K> } = {
  'redemption.create': applyRedemptionCreate,
  'verification.failure': applyVerificationFailure,
  'conflict.resolve': applyConflictResolve,
  'staff.signin': applyStaffSignIn,
};

export const isKnownKind = (kind: unknown): kind is MutationKind =>
  typeof kind === 'string' && Object.prototype.hasOwnProperty.call(appliers, kind);
