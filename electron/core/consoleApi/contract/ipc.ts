/**
 * The Electron IPC channels that carry the ConsoleApi: calls (invoke) and events. Declared here,
 * in the contract, because both ends need them: the preload (which may import only the contract)
 * and electron/main.
 */
export const INVOKE_CHANNEL = 'omo:invoke';
export const EVENT_CHANNEL = 'omo:event';
