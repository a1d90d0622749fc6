/**
 * /readyz tells a balancer whether to send devices to this node: ready once migrated, 503 with
 * MIGRATIONS_PENDING when the database lacks a migration this build needs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { testDbKinds } from '../testing/databases';
import { hubMigrationSource } from '../db/migrations';
import { startTestHub, type TestHub } from '../realtime/testing';

describe.each(testDbKinds())('readiness on %s', (kind) => {
  let h: TestHub | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('is ready when migrated, and says MIGRATIONS_PENDING when a migration is missing', async () => {
    h = await startTestHub(kind);
    const ready = await fetch(`${h.hub.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', db: kind, redis: false });

    await h.t.db.migrate.down({ migrationSource: hubMigrationSource });
    const pending = await fetch(`${h.hub.url}/readyz`);
    expect(pending.status).toBe(503);
    expect(await pending.json()).toMatchObject({ error: { code: 'MIGRATIONS_PENDING' } });
    expect((await fetch(`${h.hub.url}/healthz`)).status).toBe(200);
  });
});
