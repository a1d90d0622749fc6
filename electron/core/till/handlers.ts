/**
 * The till feature: its part of the ConsoleApi handler table (scan, redeem, history,
 * CSV export, needs attention) and the hooks it plugs into the sync engine.
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Clock, IdGenerator } from '../../../backend-sync/domain/clock';
import type { ConsoleEventPayload, ConsoleHandlers, SignedInStaff, Settings } from '../consoleApi/contract';
import type { Faults } from '../sync/faults';
import type { SyncHooks } from '../sync/hooks';
import { attentionCount, attentionList, resolveConflict } from './attention';
import { csvFilename, redemptionsCsv } from './csv';
import { cachedRules, requireIdentity } from './cache';
import { allHistory, history } from './history';
import { redeemClaim, requireStaff } from './redeem';
import { judgeScan, type ScanOrigin } from './scan';
import { createTillSyncHooks } from './syncHooks';

export type TillMethod =
  'till.scan' | 'till.redeem' | 'till.history' | 'till.exportCsv' | 'attention.list' | 'attention.resolve';

export interface TillDeps {
  db: Knex;
  /** The console's best time (time/hubClock.ts). */
  clock: Clock;
  /** True while that time cannot be trusted: redeeming is refused (redeem.ts). */
  timeUntrusted?: () => boolean;
  ids: IdGenerator;
  logger: Logger;
  faults: Faults;
  currentStaff: () => SignedInStaff | null;
  settings: () => Promise<Settings>;
  /** After a commit that queued mutations (nudges the sync engine). */
  outboxChanged: () => void;
  /** `till.redemptionsChanged` */
  redemptionsChanged: (payload: ConsoleEventPayload<'till.redemptionsChanged'>) => void;
}

export interface Till {
  handlers: Pick<ConsoleHandlers, TillMethod>;
  syncHooks: SyncHooks;
  scan(input: string, origin: ScanOrigin): ReturnType<typeof judgeScan>;
}

export function createTill(deps: TillDeps): Till {
  const { db } = deps;
  const log = deps.logger.child({ module: 'till' });

  const announce = (): void => {
    attentionCount(db).then(
      (attention) => deps.redemptionsChanged({ attention }),
      (err: unknown) => log.error({ err }, 'counting conflicts failed'),
    );
  };
  const scan = (input: string, origin: ScanOrigin) => judgeScan({ db, clock: deps.clock }, input, origin);

  const handlers: Till['handlers'] = {
    'till.scan': ({ input, origin }) => scan(input, origin),

    'till.redeem': async (input) => {
      const staff = requireStaff(deps.currentStaff());
      try {
        const view = await redeemClaim(deps, staff, input);
        log.info({ redemptionId: view.id, claimId: input.claimId }, 'redeemed');
        return view;
      } finally {
        // Whether it redeemed or recorded a wrong verification code, the outbox may have grown.
        deps.outboxChanged();
        announce();
      }
    },

    'till.history': async (query) => history(db, await requireIdentity(db), query),

    'till.exportCsv': async (query) => {
      const me = await requireIdentity(db);
      const [views, rules, settings, branch] = await Promise.all([
        allHistory(db, me, query),
        cachedRules(db, me.brandId),
        deps.settings(),
        db('branches').where({ id: me.branchId }).first('code') as Promise<{ code: string } | undefined>,
      ]);
      return {
        filename: csvFilename(branch?.code ?? me.branchId, deps.clock.now(), rules.timeZone),
        csv: redemptionsCsv(views, settings.locale, rules.timeZone),
      };
    },

    'attention.list': async () => attentionList(db, await requireIdentity(db)),

    'attention.resolve': async (input) => {
      const view = await resolveConflict(deps, deps.currentStaff(), input);
      deps.outboxChanged();
      announce();
      return view;
    },
  };

  return { handlers, syncHooks: createTillSyncHooks(db, announce), scan };
}
