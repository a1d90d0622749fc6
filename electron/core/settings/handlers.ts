/** Settings' part of the ConsoleApi handler table. */
import type { ConsoleHandlers } from '../consoleApi/contract';
import type { createSettings } from './settings';

export type SettingsMethod = 'settings.get' | 'settings.update';

export function settingsHandlers(
  settings: ReturnType<typeof createSettings>,
): Pick<ConsoleHandlers, SettingsMethod> {
  return {
    'settings.get': () => settings.get(),
    'settings.update': (patch) => settings.update(patch),
  };
}
