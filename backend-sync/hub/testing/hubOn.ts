/**
 * The one way a test starts a hub in its own process: over a private test database
 * (testing/databases.ts), on a free loopback port unless told otherwise, quiet unless
 * HUB_TEST_LOG_LEVEL says, with the test admin token. `options` adds or overrides the rest
 * (clock, channel base URLs, fault points…).
 */
import type { HubOptions } from '../config';
import { createHub, type Hub } from '../server';
import type { TestDb } from './databases';

export const TEST_ADMIN_TOKEN = 'test-admin-token';

export function startHubOn(t: Pick<TestDb, 'options'>, options: Partial<HubOptions> = {}): Promise<Hub> {
  return createHub({
    port: 0,
    dataDir: t.options.dataDir,
    // '' (not undefined) for SQLite: the hub would otherwise fall back to $DATABASE_URL.
    databaseUrl: t.options.databaseUrl ?? '',
    ...(t.options.searchPath ? { searchPath: t.options.searchPath } : {}),
    logLevel: process.env.HUB_TEST_LOG_LEVEL ?? 'silent',
    adminToken: TEST_ADMIN_TOKEN,
    ...options,
  });
}
