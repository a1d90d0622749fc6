import { describe, expect, it } from 'vitest';
import { crashReportUrl, decideHubSetup, logLevel, parseAppConfig, type StartInputs } from './config';

const packagedStart = (over: Partial<StartInputs> = {}): StartInputs => ({
  config: null,
  env: {},
  argv: ['/opt/OMO Store Console/omo-store-console'],
  packaged: true,
  ...over,
});

describe('decideHubSetup', () => {
  it('a packaged app with no configuration shows enrollment, not a demo', () => {
    expect(decideHubSetup(packagedStart())).toEqual({ kind: 'enroll', suggestedHubUrl: null });
  });

  it('a demo hub in the environment is ignored without --demo', () => {
    const env = { OMO_DEMO_HUB_URL: 'http://127.0.0.1:4100', OMO_DEMO_PAIRING_CODE: 'DEMO-TPE1' };
    expect(decideHubSetup(packagedStart({ env }))).toEqual({ kind: 'enroll', suggestedHubUrl: null });
  });

  it('prefills the configured hub: OMO_HUB_URL over config.json', () => {
    const config = parseAppConfig(JSON.stringify({ hubUrl: 'https://hub.example.com' }));
    expect(decideHubSetup(packagedStart({ config }))).toEqual({
      kind: 'enroll',
      suggestedHubUrl: 'https://hub.example.com',
    });
    expect(decideHubSetup(packagedStart({ config, env: { OMO_HUB_URL: 'http://10.0.0.2:4100' } }))).toEqual({
      kind: 'enroll',
      suggestedHubUrl: 'http://10.0.0.2:4100',
    });
  });

  it('--demo enrolls to the demo hub it is handed, and fails clearly without one', () => {
    const argv = ['electron', '.', '--demo'];
    const env = { OMO_DEMO_HUB_URL: 'http://127.0.0.1:4100', OMO_DEMO_PAIRING_CODE: 'DEMO-TPE1' };
    expect(decideHubSetup(packagedStart({ argv, env, packaged: false }))).toEqual({
      kind: 'demo',
      hubUrl: 'http://127.0.0.1:4100',
      pairingCode: 'DEMO-TPE1',
    });
    expect(() => decideHubSetup(packagedStart({ argv }))).toThrow(/--demo needs the demo hub/);
  });

  it('refuses a hub URL that is not http(s)', () => {
    expect(() => decideHubSetup(packagedStart({ env: { OMO_HUB_URL: 'file:///etc/passwd' } }))).toThrow(
      /OMO_HUB_URL must be an http\(s\) URL/,
    );
  });
});

describe('parseAppConfig', () => {
  it('reads hub, crash-report URL and log level; no file is no config', () => {
    expect(parseAppConfig(null)).toBeNull();
    const config = parseAppConfig(
      JSON.stringify({
        hubUrl: 'https://hub.example.com',
        crashReportUrl: 'https://crash.example.com/post',
        logLevel: 'debug',
      }),
    );
    expect(crashReportUrl({ config, env: {} })).toBe('https://crash.example.com/post');
    expect(crashReportUrl({ config: null, env: {} })).toBeNull();
    expect(logLevel({ config, env: {} })).toBe('debug');
    expect(logLevel({ config, env: { LOG_LEVEL: 'warn' } })).toBe('warn');
    expect(logLevel({ config: null, env: { LOG_LEVEL: 'loud' } })).toBe('info');
  });

  it('names the file and the field when config.json is wrong', () => {
    expect(() => parseAppConfig(JSON.stringify({ hubUrl: 'file:///etc/passwd' }))).toThrow(
      /config.json is invalid: .*hubUrl/s,
    );
    expect(() => parseAppConfig('{ hubUrl: ')).toThrow(/config.json is invalid: not JSON/);
  });
});
