/**
 * The update signature check with real certificates: self-signed ones made by openssl for the
 * test, a real file signed with the matching key. An update whose signature does not match is
 * refused.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp';
import { signUpdateFile, verifyUpdateFile } from './updateSignature';

const tmp = tempDir('omo-update-sig-');
afterAll(() => tmp.remove());

/** A self-signed certificate and its private key (PEM), for `cn`, valid `days` from today. */
function selfSigned(name: string, cn: string, key: 'rsa' | 'ec' = 'rsa', days = 30) {
  const keyFile = path.join(tmp.dir, `${name}.key`);
  const certFile = path.join(tmp.dir, `${name}.pem`);
  const newkey =
    key === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      ...newkey,
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-subj',
      `/O=OMO/CN=${cn}`,
      '-days',
      String(days),
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') };
}

let publisher: ReturnType<typeof selfSigned>;
let impostor: ReturnType<typeof selfSigned>;
const installer = path.join(tmp.dir, 'OMO Store Console-Setup-0.2.0.exe');

beforeAll(() => {
  publisher = selfSigned('publisher', 'OMO Ltd');
  impostor = selfSigned('impostor', 'OMO Ltd');
  writeFileSync(installer, Buffer.alloc(3 * 1024 * 1024, 7)); // several read chunks
});

const check = (signatureBase64: string, overrides: Partial<Parameters<typeof verifyUpdateFile>[0]> = {}) =>
  verifyUpdateFile({
    file: installer,
    signatureBase64,
    certificatePem: publisher.cert,
    publisherName: 'OMO Ltd',
    // After the certificates were made (their validity starts at that second).
    now: new Date(),
    ...overrides,
  });

describe('update signature', () => {
  it("accepts an update signed with the publisher's key", async () => {
    const signature = await signUpdateFile(installer, publisher.key);
    expect(await check(signature)).toEqual({ ok: true });
  });

  it('accepts ECDSA signatures too', async () => {
    const ec = selfSigned('ec', 'OMO Ltd', 'ec');
    const signature = await signUpdateFile(installer, ec.key);
    expect(await check(signature, { certificatePem: ec.cert })).toEqual({ ok: true });
  });

  it('refuses an update signed by another key, even one with the same name', async () => {
    const signature = await signUpdateFile(installer, impostor.key);
    expect(await check(signature)).toEqual({
      ok: false,
      reason: 'the update signature does not match the file',
    });
  });

  it('refuses an update whose file changed after signing', async () => {
    const tampered = path.join(tmp.dir, 'tampered.exe');
    const signature = await signUpdateFile(installer, publisher.key);
    const bytes = readFileSync(installer);
    bytes.writeUInt8(bytes.readUInt8(0) ^ 1, 0);
    writeFileSync(tampered, bytes);
    expect(await check(signature, { file: tampered })).toMatchObject({ ok: false });
  });

  it('refuses a certificate for another publisher, an expired one, and garbage', async () => {
    const signature = await signUpdateFile(installer, publisher.key);
    expect(await check(signature, { publisherName: 'Someone Else' })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('names OMO Ltd'),
    });
    const later = new Date(Date.now() + 60 * 86_400_000);
    expect(await check(signature, { now: later })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('not valid'),
    });
    expect(await check(signature, { certificatePem: 'UNSIGNED BUILD' })).toMatchObject({ ok: false });
    expect(await check('not base64 at all!')).toMatchObject({
      ok: false,
      reason: 'the update signature is not base64',
    });
    expect(await check('')).toMatchObject({ ok: false });
  });
});
