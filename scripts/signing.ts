/**
 * What `npm run dist` needs to sign, as a pure function of its arguments and environment: the
 * electron-builder arguments for each target platform's code signing, and the update trust baked
 * into the app (feed URL, publisher name, the certificate updates are checked against). Missing
 * credentials are one line naming every variable to set — or `--unsigned` for a build that
 * cannot update itself (docs/deploy.md).
 */
export type Platform = 'win' | 'mac' | 'linux';

export interface UpdateTrustFile {
  feedUrl: string | null;
  publisherName: string | null;
  certificatePem: string | null;
}

export interface DistPlan {
  platforms: Platform[];
  unsigned: boolean;
  /** Arguments for electron-builder (the user's, minus --unsigned, plus signing overrides). */
  builderArgs: string[];
  trust: UpdateTrustFile;
  /** The private key (PEM file) that signs each installer for the update feed; null when unsigned. */
  feedSigningKeyFile: string | null;
}

type Env = Readonly<Record<string, string | undefined>>;

const PLATFORM_FLAGS: Record<string, Platform> = {
  '--win': 'win',
  '-w': 'win',
  '--windows': 'win',
  '--mac': 'mac',
  '-m': 'mac',
  '--macos': 'mac',
  '--linux': 'linux',
  '-l': 'linux',
};

export function targetPlatforms(args: readonly string[], host: NodeJS.Platform): Platform[] {
  const named = [...new Set(args.map((a) => PLATFORM_FLAGS[a]).filter((p): p is Platform => Boolean(p)))];
  if (named.length > 0) return named;
  return [host === 'win32' ? 'win' : host === 'darwin' ? 'mac' : 'linux'];
}

const has = (env: Env, ...names: string[]) => names.every((n) => Boolean(env[n]));

/** Windows: Azure Trusted Signing, else a PFX; both need the publisher name updates are checked against. */
function windowsSigning(env: Env, missing: string[]): string[] {
  const publisher = env.OMO_PUBLISHER_NAME ?? '';
  if (has(env, 'AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'OMO_AZURE_ENDPOINT')) {
    const need = ['OMO_AZURE_CERT_PROFILE', 'OMO_AZURE_CODE_SIGNING_ACCOUNT'].filter((n) => !env[n]);
    missing.push(...need);
    return [
      '-c.win.signtoolOptions=null',
      `-c.win.azureSignOptions.publisherName=${publisher}`,
      `-c.win.azureSignOptions.endpoint=${env.OMO_AZURE_ENDPOINT}`,
      `-c.win.azureSignOptions.certificateProfileName=${env.OMO_AZURE_CERT_PROFILE ?? ''}`,
      `-c.win.azureSignOptions.codeSigningAccountName=${env.OMO_AZURE_CODE_SIGNING_ACCOUNT ?? ''}`,
    ];
  }
  if ((env.WIN_CSC_LINK || env.CSC_LINK) && (env.WIN_CSC_KEY_PASSWORD || env.CSC_KEY_PASSWORD)) {
    return [`-c.win.signtoolOptions.publisherName=${publisher}`];
  }
  missing.push(
    'Windows: AZURE_TENANT_ID + AZURE_CLIENT_ID + AZURE_CLIENT_SECRET + OMO_AZURE_ENDPOINT (Trusted Signing) or CSC_LINK + CSC_KEY_PASSWORD (PFX)',
  );
  return [];
}

/** macOS: a Developer ID identity and Apple notarization credentials. */
function macSigning(env: Env, missing: string[]): string[] {
  if (!env.CSC_LINK && !env.CSC_NAME) missing.push('macOS: CSC_LINK (+ CSC_KEY_PASSWORD) or CSC_NAME');
  const appleId = has(env, 'APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID');
  const apiKey = has(env, 'APPLE_API_KEY', 'APPLE_API_KEY_ID', 'APPLE_API_ISSUER');
  if (!appleId && !apiKey) {
    missing.push(
      'macOS notarization: APPLE_ID + APPLE_APP_SPECIFIC_PASSWORD + APPLE_TEAM_ID or APPLE_API_KEY + APPLE_API_KEY_ID + APPLE_API_ISSUER',
    );
  }
  return ['-c.mac.notarize=true'];
}

/**
 * `readText` reads a file named by the environment (the update certificate); it is passed in so
 * the plan stays a pure function in tests.
 */
export function planDist(input: {
  args: readonly string[];
  env: Env;
  host: NodeJS.Platform;
  readText: (file: string) => string;
}): { ok: true; plan: DistPlan } | { ok: false; error: string } {
  const unsigned = input.args.includes('--unsigned');
  const userArgs = input.args.filter((a) => a !== '--unsigned' && a !== '--');
  const platforms = targetPlatforms(userArgs, input.host);
  if (unsigned) {
    return {
      ok: true,
      plan: {
        platforms,
        unsigned,
        // No identity, no notarization, no feed: this build never updates itself.
        builderArgs: [...userArgs, '-c.mac.identity=null', '-c.mac.notarize=false', '--publish=never'],
        trust: { feedUrl: null, publisherName: null, certificatePem: null },
        feedSigningKeyFile: null,
      },
    };
  }

  const env = input.env;
  const missing: string[] = [];
  for (const name of [
    'OMO_UPDATE_URL',
    'OMO_UPDATE_SIGNING_KEY',
    'OMO_UPDATE_SIGNING_CERT',
    'OMO_PUBLISHER_NAME',
  ]) {
    if (!env[name]) missing.push(name);
  }
  if (env.OMO_UPDATE_URL && !/^https:\/\/[^\s]+$/.test(env.OMO_UPDATE_URL))
    missing.push('OMO_UPDATE_URL as an https URL');
  const signing: string[] = [];
  if (platforms.includes('win')) signing.push(...windowsSigning(env, missing));
  if (platforms.includes('mac')) signing.push(...macSigning(env, missing));
  if (missing.length > 0) {
    return {
      ok: false,
      error: `npm run dist: signing credentials missing — set ${missing.join('; ')} (docs/deploy.md), or pass --unsigned for a test build that cannot update itself`,
    };
  }
  return {
    ok: true,
    plan: {
      platforms,
      unsigned,
      builderArgs: [...userArgs, ...signing, `-c.publish.url=${env.OMO_UPDATE_URL}`],
      trust: {
        feedUrl: env.OMO_UPDATE_URL!.replace(/\/+$/, ''),
        publisherName: env.OMO_PUBLISHER_NAME!,
        certificatePem: input.readText(env.OMO_UPDATE_SIGNING_CERT!),
      },
      feedSigningKeyFile: env.OMO_UPDATE_SIGNING_KEY!,
    },
  };
}
