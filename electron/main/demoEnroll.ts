/**
 * `--demo` (development only, see config.ts): enroll to the demo hub scripts/start.ts started,
 * with its pairing code, unless this console is enrolled already. Only the core is used.
 */
import os from 'node:os';
import type { EnrollmentInfo } from '../core/consoleApi/contract';
import type { ConsoleCore } from '../core';

export async function enrollToDemoHub(
  core: Pick<ConsoleCore, 'dispatch'>,
  demo: { hubUrl: string; pairingCode: string },
): Promise<string> {
  const current = await core.dispatch('enrollment.get', undefined);
  if (!current.ok) throw new Error(`enrollment.get failed: ${current.error.code}`);
  const info = current.value as EnrollmentInfo; // validated by the dispatcher
  if (info.enrolled) {
    return info.hubUrl === demo.hubUrl
      ? 'already enrolled'
      : `enrolled to ${info.hubUrl}, not to ${demo.hubUrl}`;
  }
  const deviceName = `Counter ${os.hostname()}`.slice(0, 100);
  const result = await core.dispatch('enrollment.enroll', {
    hubUrl: demo.hubUrl,
    pairingCode: demo.pairingCode,
    deviceName,
  });
  if (!result.ok) throw new Error(`enrollment failed: ${result.error.code} ${result.error.message}`);
  return 'enrolled';
}
