/**
 * Hub node processes: `npm run hub` (cli.ts) with the cluster's environment, its URL read from the
 * banner it prints once listening. Used by `npm run hub:cluster` and the cluster test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface HubNodeProcess {
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code once the process is gone. */
  exited: Promise<number | null>;
}

const CLI = fileURLToPath(new URL('../cli.ts', import.meta.url));
const LISTENING = /OMO hub listening on (http:\/\/\S+)/;

export async function startHubNodeProcess(
  args: string[],
  env: NodeJS.ProcessEnv,
  options: { echo?: boolean } = {},
): Promise<HubNodeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      if (options.echo) console.log(line);
      const match = LISTENING.exec(line);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`hub node exited (${code}) before listening`)));
  });
  return { url, child, exited };
}

/** SIGTERM (graceful: drains sockets and jobs), then waits for the exit. */
export async function stopHubNodeProcess(node: HubNodeProcess): Promise<void> {
  if (node.child.exitCode === null && node.child.signalCode === null) node.child.kill('SIGTERM');
  await node.exited;
}
