/**
 * Adding a customer by WhatsApp number. The number is checked here first (E.164 in the
 * brand's region, default +852) so a typo is answered at once, even offline; the request is then
 * queued as a `customer.add` mutation and the hub decides (new, refused, needs confirmation,
 * taken over). The outbox entry and its answer are the request's record, so a request made offline
 * shows as pending and later as its answer.
 */
import type { Knex } from 'knex';
import type { Clock, IdGenerator } from '../../../backend-sync/domain/clock';
import { AppError } from '../../../backend-sync/domain/errors';
import { callingCodeOf, formatPhone, phoneProblem, toE164 } from '../../../backend-sync/domain/phone';
import { Role } from '../../../backend-sync/protocol';
import type { CustomerAddRequest, SignedInStaff } from '../consoleApi/contract';
import { enqueue, readRecentOfKind, type OutboxEntry } from '../outbox/outbox';
import { writeTransaction } from '../store/transaction';

export const PHONE_INVALID = 'PHONE_INVALID';

/** How many of a staff member's recent requests the screen lists. */
const RECENT = 20;

export async function addByPhone(
  deps: { db: Knex; clock: Clock; ids: IdGenerator },
  staff: SignedInStaff,
  input: { phone: string; name?: string | undefined; takeOver: boolean },
  phoneRegion: string,
): Promise<CustomerAddRequest> {
  const phone = toE164(input.phone, phoneRegion);
  if (!phone) {
    const reason = phoneProblem(input.phone, phoneRegion);
    throw new AppError(PHONE_INVALID, 'This is not a valid phone number.', {
      phone: input.phone.slice(0, 40),
      callingCode: callingCodeOf(phoneRegion),
      ...(reason ? { reason } : {}),
    });
  }
  const name = input.name?.trim() || null;
  const mutation = await writeTransaction(deps.db, (trx) =>
    enqueue(
      trx,
      'customer.add',
      { staffId: staff.id, signInId: staff.signInId, phone, name, takeOver: input.takeOver },
      deps,
    ),
  );
  return toRequest({ mutation, status: 'queued', outcome: null, createdAt: mutation.deviceTime });
}

/** The staff member's recent requests, newest first; for each number only its latest request. */
export async function addRequests(db: Knex, staff: SignedInStaff): Promise<CustomerAddRequest[]> {
  const entries = await readRecentOfKind(db, 'customer.add', staff.id, RECENT * 2);
  const seen = new Set<string>();
  const requests: CustomerAddRequest[] = [];
  for (const entry of entries) {
    const request = toRequest(entry);
    if (seen.has(request.phone)) continue;
    seen.add(request.phone);
    requests.push(request);
  }
  return requests.slice(0, RECENT);
}

function toRequest(entry: Pick<OutboxEntry, 'mutation' | 'status' | 'outcome'> & { createdAt: string }) {
  const payload = entry.mutation.payload as { phone: string; name: string | null; takeOver: boolean };
  const outcome = entry.outcome;
  const rejection = outcome?.status === 'rejected' ? outcome : null;
  const details = (rejection?.details ?? {}) as Record<string, unknown>;
  const role = Role.safeParse(details.role);
  const holder =
    typeof details.staffId === 'string'
      ? {
          id: details.staffId,
          displayName: typeof details.staffName === 'string' ? details.staffName : details.staffId,
          role: role.success ? role.data : null,
        }
      : null;
  const state: CustomerAddRequest['state'] =
    entry.status === 'queued'
      ? 'queued'
      : entry.status === 'synced'
        ? 'added'
        : rejection?.code === 'CUSTOMER_TAKEOVER_UNCONFIRMED'
          ? 'needs_confirmation'
          : rejection?.code === 'CUSTOMER_BOUND_ELSEWHERE'
            ? 'refused'
            : 'failed';
  return {
    id: entry.mutation.id,
    phone: formatPhone(payload.phone) ?? payload.phone,
    name: payload.name ?? formatPhone(payload.phone) ?? payload.phone,
    takeOver: payload.takeOver,
    state,
    requestedAt: entry.createdAt,
    currentStaff: holder,
    currentBranchName: typeof details.branchName === 'string' ? details.branchName : null,
    code: outcome && outcome.status !== 'applied' ? outcome.code : null,
  } satisfies CustomerAddRequest;
}
