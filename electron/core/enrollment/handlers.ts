/**
 * Enrollment's part of the ConsoleApi handler table: joining a hub starts syncing; following the
 * hub to a new address or leaving it is a manager's decision and stops syncing first.
 */
import type { Logger } from 'pino';
import { AppError, ErrorCode } from '../../../backend-sync/domain/errors';
import { canManageDevice } from '../../../backend-sync/domain/roles';
import type { ConsoleHandlers } from '../consoleApi/contract';
import type { Sessions } from '../session/sessions';
import type { SyncEngine } from '../sync/engine';
import type { Enrollment } from './enrollment';

export type EnrollmentMethod =
  'enrollment.get' | 'enrollment.enroll' | 'enrollment.changeHubUrl' | 'enrollment.leave';

export interface EnrollmentHandlerDeps {
  enrollment: Enrollment;
  sessions: Sessions;
  sync: SyncEngine;
  logger: Logger;
}

export function enrollmentHandlers(deps: EnrollmentHandlerDeps): Pick<ConsoleHandlers, EnrollmentMethod> {
  const { enrollment, sessions, sync, logger } = deps;

  function requireDeviceManager(): void {
    const staff = sessions.current();
    if (!staff) throw new AppError(ErrorCode.NOT_SIGNED_IN, 'Sign in first.');
    if (!canManageDevice(staff.role))
      throw new AppError(ErrorCode.FORBIDDEN, 'Only a manager may move this device to another hub.');
  }

  return {
    'enrollment.get': () => enrollment.info(),
    'enrollment.enroll': async (input) => {
      const creds = await enrollment.enroll(input);
      logger.info({ deviceId: creds.deviceId }, 'enrolled');
      await sync.start(creds);
      return enrollment.info();
    },
    'enrollment.changeHubUrl': async ({ hubUrl }) => {
      requireDeviceManager();
      const creds = await enrollment.changeHubUrl(hubUrl);
      logger.info({ deviceId: creds.deviceId }, 'following the hub to a new address');
      await sync.stop();
      await sync.start(creds);
      return enrollment.info();
    },
    'enrollment.leave': async () => {
      requireDeviceManager();
      await sync.stop();
      await enrollment.leave();
      sessions.signOut();
      await sync.left();
      logger.info('left the hub; the outbox is kept for the next enrollment');
      return enrollment.info();
    },
  };
}
