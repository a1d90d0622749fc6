/**
 * The signed-in staff member, as every screen and most handlers see them. The role is the sync
 * protocol's, so the renderer and the hub agree on who may do what.
 */
import { z } from 'zod';
import { Role } from '../../../../backend-sync/protocol';
import { isoDateTime } from './base';

export const SessionStaff = z.object({
  id: z.string(),
  staffCode: z.string(),
  displayName: z.string(),
  role: Role,
  branchId: z.string().nullable(),
  signedInAt: isoDateTime,
});
export type SessionStaff = z.infer<typeof SessionStaff>;

/**
 * Inside the core, also the sign-in (its `staff.signin` mutation id), which every mutation made
 * under it names so the hub can tell who made it. Not part of any answer to the renderer.
 */
export type SignedInStaff = SessionStaff & { signInId: string };
