/** Back-office sign-in: the cookie's flags, sign-out, expiry, lockout and deactivated accounts. */
import { afterEach, describe, expect, it } from 'vitest';
import { IDLE_MS } from '../../accounts/sessions';
import { testDbKinds } from '../../testing/databases';
import { PASSWORD, startAdminHarness, type AdminHarness } from './testing';

describe.each(testDbKinds())('back-office sessions on %s', (kind) => {
  let h: AdminHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('sets an HttpOnly SameSite=Strict cookie, Secure except on plain-http loopback, and keeps only its hash', async () => {
    h = await startAdminHarness(kind);
    const local = await h.signIn('admin@a.test');
    expect(local.res.status).toBe(200);
    expect(local.res.body.user).toMatchObject({ email: 'admin@a.test', role: 'admin' });
    expect(local.res.body.brand.id).toBe(h.brand.id);
    expect(local.setCookie).toMatch(/HttpOnly/i);
    expect(local.setCookie).toMatch(/SameSite=Strict/i);
    expect(local.setCookie).not.toMatch(/Secure/i);
    const remote = await h.signIn('admin@a.test', PASSWORD, 'hub.example.com');
    expect(remote.setCookie).toMatch(/; Secure/i);

    const token = local.caller.cookie.split('=')[1]!;
    expect(JSON.stringify(await h.db('admin_sessions'))).not.toContain(token);
    expect(JSON.stringify(await h.db('admin_users'))).not.toContain(PASSWORD);
    const me = await h.call('GET', '/api/admin/session', local.caller);
    expect(me.body.csrfToken).toBe(local.caller.csrf);
  });

  it('signs out (with the CSRF token) so the cookie opens nothing more', async () => {
    h = await startAdminHarness(kind);
    const { caller } = await h.signIn('admin@a.test');
    expect((await h.call('DELETE', '/api/admin/session', { ...caller, noCsrf: true })).status).toBe(403);
    expect((await h.call('GET', `/brands/${h.brand.id}/staff`, caller)).status).toBe(200);
    expect((await h.call('DELETE', '/api/admin/session', caller)).status).toBe(204);
    expect((await h.call('GET', `/brands/${h.brand.id}/staff`, caller)).status).toBe(401);
    expect((await h.call('GET', '/api/admin/session', caller)).status).toBe(401);
  });

  it('ends a session after the idle limit', async () => {
    h = await startAdminHarness(kind);
    const { caller } = await h.signIn('admin@a.test');
    h.clock.advance(IDLE_MS - 1000);
    expect((await h.call('GET', `/brands/${h.brand.id}/staff`, caller)).status).toBe(200);
    h.clock.advance(IDLE_MS + 1000);
    expect((await h.call('GET', `/brands/${h.brand.id}/staff`, caller)).status).toBe(401);
  });

  it('locks an account after five wrong passwords, longer after each further one, and says until when', async () => {
    h = await startAdminHarness(kind);
    for (let i = 0; i < 4; i++)
      expect((await h.signIn('admin@a.test', 'wrong password!')).res.status).toBe(401);
    const fifth = await h.signIn('admin@a.test', 'wrong password!');
    expect(fifth.res.status).toBe(401);
    expect(fifth.res.body.error.code).toBe('SIGNIN_FAILED');
    const locked = await h.signIn('admin@a.test');
    expect(locked.res.status).toBe(429);
    expect(locked.res.body.error).toMatchObject({
      code: 'SIGNIN_LOCKED',
      details: { lockedUntil: expect.any(String) },
    });
    h.clock.advance(61_000);
    expect((await h.signIn('admin@a.test', 'wrong again!!')).res.status).toBe(401);
    h.clock.advance(61_000);
    expect((await h.signIn('admin@a.test')).res.status).toBe(429); // two minutes this time
    h.clock.advance(61_000);
    expect((await h.signIn('admin@a.test')).res.status).toBe(200);
    // An unknown email answers like a wrong password.
    const unknown = await h.signIn('nobody@a.test');
    expect(unknown.res.status).toBe(401);
    expect(unknown.res.body.error.code).toBe('SIGNIN_FAILED');
  });

  it('answers 429 RATE_LIMITED with a retry time to an 11th sign-in attempt from one address in a minute', async () => {
    h = await startAdminHarness(kind);
    for (let i = 0; i < 10; i++) expect((await h.signIn(`nobody${i}@a.test`)).res.status).toBe(401);
    const limited = await h.signIn('admin@a.test');
    expect(limited.res.status).toBe(429);
    expect(limited.res.body.error).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterMs: 60_000 } });
    expect(limited.res.headers['retry-after']).toBe('60');
    h.clock.advance(60_001);
    expect((await h.signIn('admin@a.test')).res.status).toBe(200);
  });

  it('refuses an email with NUL or control characters with 400 VALIDATION_FAILED', async () => {
    h = await startAdminHarness(kind);
    for (const email of ['admin\u0000@a.test', 'admin\u0007@a.test']) {
      const res = await h.signIn(email);
      expect(res.res.status).toBe(400);
      expect(res.res.body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('refuses a deactivated account and ends its sessions at once', async () => {
    h = await startAdminHarness(kind);
    const admin = (await h.signIn('admin@a.test')).caller;
    const agent = (await h.signIn('cs_agent@a.test')).caller;
    expect((await h.call('GET', `/brands/${h.brand.id}/customers`, agent)).status).toBe(200);
    const off = await h.call('PATCH', `/accounts/${h.accounts.cs_agent.id}`, admin, { active: false });
    expect(off.status).toBe(200);
    expect((await h.call('GET', `/brands/${h.brand.id}/customers`, agent)).status).toBe(401);
    expect((await h.signIn('cs_agent@a.test')).res.status).toBe(401);
    // Nor can an admin lock themselves out.
    const self = await h.call('PATCH', `/accounts/${h.accounts.admin.id}`, admin, { active: false });
    expect(self.status).toBe(400);
    expect(self.body.error.details.issues[0].path).toBe('active');
  });
});
