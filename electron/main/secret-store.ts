/**
 * Seals device credentials with the OS keychain through Electron's safeStorage (DPAPI on Windows,
 * Keychain on macOS, libsecret/kwallet on Linux). Sealed values are base64 so they fit a text column.
 */
import { safeStorage } from 'electron';
import type { SecretStore } from '../core';

export function createSafeStorageSecretStore(): SecretStore {
  return {
    kind: 'safeStorage',
    seal(plain) {
      assertAvailable();
      return safeStorage.encryptString(plain).toString('base64');
    },
    open(sealed) {
      assertAvailable();
      return safeStorage.decryptString(Buffer.from(sealed, 'base64'));
    },
  };
}

function assertAvailable(): void {
  // Only valid after app 'ready'. On Linux without a keyring the backend can be 'basic_text'
  // (weak); main logs the backend at start so support can see it.
  if (!safeStorage.isEncryptionAvailable()) {
    throw new Error('safeStorage is not available: the OS keychain could not be reached');
  }
}
