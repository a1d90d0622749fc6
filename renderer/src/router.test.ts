// @vitest-environment happy-dom
/** Where the guard sends people: enroll first, then sign in, then the shell. */
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EnrollmentInfo, SessionStaff, SyncStatus } from '../../electron/core/consoleApi/contract';
import { destinationFor, router } from './router';
import { useEnrollmentStore } from './stores/enrollment';
import { useSessionStore } from './stores/session';
import { useSyncStore } from './stores/sync';

const enrolled: EnrollmentInfo = {
  enrolled: true,
  hubUrl: 'http://127.0.0.1:4100',
  deviceId: 'd1',
  deviceName: 'Counter 1',
  brandName: 'Brand',
  branchName: 'Branch',
  suggestedHubUrl: null,
  timeZone: null,
  englishLocale: null,
  credentialsUnreadable: false,
};
const synced: SyncStatus = {
  connection: 'online',
  offlineSince: null,
  offlineRedeemUntil: null,
  lastSyncAt: '2026-01-01T00:00:00.000Z',
  queued: 0,
  queuedRedemptions: 0,
  conflicts: 0,
  rejected: 0,
  firstSync: null,
  lastErrorCode: null,
  oldestQueuedAt: null,
};
const staff: SessionStaff = {
  id: 's1',
  staffCode: 'S001',
  displayName: 'Staff',
  role: 'sales_associate',
  branchId: 'b1',
  signedInAt: '2026-01-01T00:00:00.000Z',
};

const where = (path: string) => destinationFor(router.resolve(path));

describe('route guard', () => {
  beforeEach(() => {
    // The stores reach the core through window.omo; these tests never call it.
    window.omo = { invoke: async () => ({ ok: true, value: null }), on: () => () => {} };
    setActivePinia(createPinia());
  });

  it('sends a device that is not enrolled to enrollment, whatever was asked', () => {
    useEnrollmentStore().info = { ...enrolled, enrolled: false };
    expect(where('/till')).toEqual({ name: 'enroll' });
    expect(where('/signin')).toEqual({ name: 'enroll' });
    expect(where('/enroll')).toBe(true);
  });

  it('keeps the first sync on the enrollment screen until it finishes', () => {
    useEnrollmentStore().info = enrolled;
    useSyncStore().status = {
      ...synced,
      lastSyncAt: null,
      firstSync: { received: 10, total: 100, pages: 1, startedAt: '2026-01-01T00:00:00.000Z' },
    };
    expect(where('/enroll')).toBe(true);
    expect(where('/signin')).toEqual({ name: 'enroll' });
  });

  it('asks for a sign-in before the shell, and skips it when someone is signed in', () => {
    useEnrollmentStore().info = enrolled;
    useSyncStore().status = synced;
    expect(where('/till')).toEqual({ name: 'signin' });
    expect(where('/settings')).toEqual({ name: 'signin' });
    expect(where('/enroll')).toEqual({ name: 'signin' });
    expect(where('/signin')).toBe(true);
    useSessionStore().staff = staff;
    expect(where('/signin')).toEqual({ name: 'till' });
    expect(where('/history')).toBe(true);
  });
});
