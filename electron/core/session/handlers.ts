/** Staff sign-in's part of the ConsoleApi handler table. */
import type { ConsoleHandlers } from '../consoleApi/contract';
import type { Sessions } from './sessions';

export type SessionMethod = 'session.get' | 'session.signIn' | 'session.signOut';

export function sessionHandlers(sessions: Sessions): Pick<ConsoleHandlers, SessionMethod> {
  return {
    'session.get': async () => sessions.current(),
    'session.signIn': (input) => sessions.signIn(input),
    'session.signOut': async () => sessions.signOut(),
  };
}
