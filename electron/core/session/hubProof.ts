/**
 * What the console shows the hub to open the signed-in staff member's session there (so the hub,
 * not the device, decides which customer lists it sends). Right after sign-in that is the PIN the
 * staff typed — held in memory only, never written — until the hub answers with a session token;
 * from then on the token, and the PIN is dropped. The PIN also proves the sign-in (its id) at
 * the hub, made offline too: the session opened when the device returns records it. Sign-out forgets both.
 */
import type { SessionOpenRequest, SessionOpenResponse } from '../../../backend-sync/protocol';
import type { StaffSessionLink } from '../sync/engine';

export interface HubProof extends StaffSessionLink {
  signedIn(staffId: string, pin: string, signInId: string): void;
  signedOut(): void;
  /** The hub's refusal code for the current sign-in, if it refused it. */
  refusal(): string | null;
}

export function createHubProof(): HubProof {
  let proof: SessionOpenRequest | null = null;
  let refusal: string | null = null;
  return {
    proof: () => proof,
    signedIn(staffId, pin, signInId) {
      proof = { staffId, pin, signInId };
      refusal = null;
    },
    signedOut() {
      proof = null;
      refusal = null;
    },
    accepted(answer: SessionOpenResponse) {
      if (proof && 'staffId' in proof && proof.staffId !== answer.staffId) return;
      proof = { sessionToken: answer.sessionToken };
      refusal = null;
    },
    refused(code) {
      // A refused token (expired, revoked) or PIN is of no further use; sign in again to retry.
      proof = null;
      refusal = code;
    },
    refusal: () => refusal,
  };
}
