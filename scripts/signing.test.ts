import { describe, expect, it } from 'vitest';
import { planDist, targetPlatforms } from './signing';

const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const feed = {
  OMO_UPDATE_URL: 'https://updates.example.com/omo/',
  OMO_UPDATE_SIGNING_KEY: '/secrets/update.key',
  OMO_UPDATE_SIGNING_CERT: '/secrets/update.pem',
  OMO_PUBLISHER_NAME: 'Example Retail Ltd',
};
const plan = (args: string[], env: Record<string, string> = {}, host: NodeJS.Platform = 'linux') =>
  planDist({ args, env, host, readText: () => CERT });

describe('npm run dist signing', () => {
  it('fails with one line naming what is missing', () => {
    const result = plan(['--win']);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.split('\n')).toHaveLength(1);
    expect(result.error).toMatch(
      /^npm run dist: signing credentials missing — set OMO_UPDATE_URL; OMO_UPDATE_SIGNING_KEY/,
    );
    expect(result.error).toContain('CSC_LINK + CSC_KEY_PASSWORD (PFX)');
    expect(result.error).toContain('or pass --unsigned');
  });

  it('asks macOS builds for notarization credentials too', () => {
    const result = plan(['--mac'], { ...feed, CSC_LINK: '/secrets/devid.p12', CSC_KEY_PASSWORD: 'x' });
    expect(result).toMatchObject({
      ok: false,
      error: expect.stringContaining('macOS notarization: APPLE_ID'),
    });
    const ok = plan(['--mac'], {
      ...feed,
      CSC_LINK: '/secrets/devid.p12',
      APPLE_API_KEY: 'k.p8',
      APPLE_API_KEY_ID: 'K',
      APPLE_API_ISSUER: 'I',
    });
    expect(ok).toMatchObject({
      ok: true,
      plan: { builderArgs: expect.arrayContaining(['-c.mac.notarize=true']) },
    });
  });

  it('signs Windows with a PFX and sets the publisher name updates are checked against', () => {
    const result = plan(['--win'], { ...feed, CSC_LINK: 'C:/certs/shop.pfx', CSC_KEY_PASSWORD: 'pw' });
    if (!result.ok) throw new Error(result.error);
    expect(result.plan.builderArgs).toEqual([
      '--win',
      '-c.win.signtoolOptions.publisherName=Example Retail Ltd',
      '-c.publish.url=https://updates.example.com/omo/',
    ]);
    expect(result.plan.trust).toEqual({
      feedUrl: 'https://updates.example.com/omo',
      publisherName: 'Example Retail Ltd',
      certificatePem: CERT,
    });
    expect(result.plan.feedSigningKeyFile).toBe('/secrets/update.key');
  });

  it('prefers Azure Trusted Signing when its credentials are there', () => {
    const result = plan(['-w'], {
      ...feed,
      AZURE_TENANT_ID: 't',
      AZURE_CLIENT_ID: 'c',
      AZURE_CLIENT_SECRET: 's',
      OMO_AZURE_ENDPOINT: 'https://weu.codesigning.azure.net',
      OMO_AZURE_CERT_PROFILE: 'omo-profile',
      OMO_AZURE_CODE_SIGNING_ACCOUNT: 'omo-account',
    });
    if (!result.ok) throw new Error(result.error);
    expect(result.plan.builderArgs).toEqual(
      expect.arrayContaining([
        '-c.win.signtoolOptions=null',
        '-c.win.azureSignOptions.publisherName=Example Retail Ltd',
        '-c.win.azureSignOptions.certificateProfileName=omo-profile',
      ]),
    );
  });

  it('Linux needs the feed signing key and certificate; --unsigned needs nothing and turns updates off', () => {
    expect(plan(['--linux'])).toMatchObject({
      ok: false,
      error: expect.stringContaining('OMO_UPDATE_SIGNING_KEY'),
    });
    expect(plan(['--linux'], feed)).toMatchObject({ ok: true });
    const unsigned = plan(['--', '--linux', '--unsigned', '--dir']);
    if (!unsigned.ok) throw new Error(unsigned.error);
    expect(unsigned.plan.builderArgs).toEqual([
      '--linux',
      '--dir',
      '-c.mac.identity=null',
      '-c.mac.notarize=false',
      '--publish=never',
    ]);
    expect(unsigned.plan.trust).toEqual({ feedUrl: null, publisherName: null, certificatePem: null });
    expect(unsigned.plan.feedSigningKeyFile).toBeNull();
  });

  it('refuses a feed that is not https', () => {
    expect(plan(['--linux'], { ...feed, OMO_UPDATE_URL: 'http://updates.example.com' })).toMatchObject({
      ok: false,
      error: expect.stringContaining('OMO_UPDATE_URL as an https URL'),
    });
  });
});

describe('targetPlatforms', () => {
  it('takes the platform flags, else the host', () => {
    expect(targetPlatforms(['--win', '--linux'], 'linux')).toEqual(['win', 'linux']);
    expect(targetPlatforms([], 'darwin')).toEqual(['mac']);
    expect(targetPlatforms(['--dir'], 'win32')).toEqual(['win']);
  });
});
