/**
 * The console core: everything the console does, in plain TypeScript under Node (no `electron`
 * import). STUB — being written by the console-core helper; this interface is the contract with
 * electron/main and electron/webhost.
 */
import type { Clock } from '../../backend-sync/domain/clock';
import type { Dispatch } from './api/dispatcher';
import type { ConsoleEventName } from './api/contract';

/** Seals device credentials at rest: Electron's safeStorage in the app, a key file in the web host. */
export interface SecretStore {
  readonly kind: 'safeStorage' | 'keyfile';
  seal(plain: string): string;
  open(sealed: string): string;
}

export interface ConsoleCoreOptions {
  /** Folder holding the local SQLite file (console.sqlite). */
  dataDir: string;
  secretStore: SecretStore;
  host: 'electron' | 'web';
  appVersion: string;
  /** Prefilled hub URL on the enrollment screen (embedded demo hub or configuration). */
  suggestedHubUrl?: string | null;
  /** Path to a better-sqlite3 binary built for Electron's ABI (the Node build serves tests). */
  nativeBinding?: string;
  clock?: Clock;
}

export interface ConsoleCore {
  dispatch: Dispatch;
  onEvent(listener: (name: ConsoleEventName, payload: unknown) => void): () => void;
  close(): Promise<void>;
}

export async function createConsoleCore(_options: ConsoleCoreOptions): Promise<ConsoleCore> {
  throw new Error('createConsoleCore not written yet');
}
