/** Starts and stops hub processes (hubProcess.ts) for the benches. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const HubNodeOptions = z.object({
  dataDir: z.string(),
  databaseUrl: z.string().optional(),
  searchPath: z.string().optional(),
  lineApiBaseUrl: z.string().optional(),
  whatsappApiBaseUrl: z.string().optional(),
});
export type HubNodeOptions = z.infer<typeof HubNodeOptions>;

export interface HubNode {
  url: string;
  child: ChildProcess;
}

export async function startHubNode(options: HubNodeOptions): Promise<HubNode> {
  const script = fileURLToPath(new URL('./hubProcess.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`hub process exited (${code})`)));
  });
  return { url: (JSON.parse(first) as { url: string }).url, child };
}

export async function stopHubNode(node: HubNode): Promise<void> {
  if (node.child.exitCode !== null) return;
  const exited = new Promise((resolve) => node.child.once('exit', resolve));
  node.child.kill('SIGTERM');
  await exited;
}
