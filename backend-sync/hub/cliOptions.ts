/**
 * The options `npm run hub` accepts, apart from cli.ts so the docs test can hold the documents to
 * them. Secrets (the admin token, DATABASE_URL) are environment variables only: a command-line
 * option would show them to anyone who can list processes.
 */
export const HUB_CLI_OPTIONS = {
  port: { type: 'string', default: '4100' },
  host: { type: 'string', default: '127.0.0.1' },
  data: { type: 'string', default: './var/hub' },
  demo: { type: 'boolean', default: false },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;
