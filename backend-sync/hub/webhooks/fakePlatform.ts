/**
 * Test support: a tiny stand-in for the LINE Messaging API and the WhatsApp Cloud API on a
 * loopback port (the true edge of the hub's tests). It records what the hub sent, honours
 * X-Line-Retry-Key like LINE (a key accepted once gets 409 + x-line-accepted-request-id), and can
 * refuse the next calls with a given answer (429, WhatsApp 130429, …).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeCall {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface FakeRefusal {
  status: number;
  /** Accept the message but answer with the refusal anyway (a response lost on the way back). */
  acceptAnyway?: boolean;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FakePlatform {
  url: string;
  /** Every request, refused or not. */
  calls: FakeCall[];
  /** Messages the platform accepted (what the customer sees), in order. */
  delivered: { path: string; to: unknown; body: unknown; retryKey?: string }[];
  /** Answer the next `count` send calls (reply/push/multicast/messages) with `refusal`. */
  refuseNext(count: number, refusal: FakeRefusal): void;
  /** Resolves when `n` messages were accepted. */
  waitForDelivered(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });

export async function startFakePlatform(
  profiles: Record<string, { displayName: string; pictureUrl?: string }> = {},
): Promise<FakePlatform> {
  const calls: FakeCall[] = [];
  const delivered: FakePlatform['delivered'] = [];
  const refusals: FakeRefusal[] = [];
  const acceptedKeys = new Map<string, string>();
  const waiters: (() => void)[] = [];
  let seq = 0;

  const server: Server = createServer((req, res) => {
    void readBody(req).then((text) => {
      const path = (req.url ?? '').split('?')[0]!;
      const body: unknown = text ? JSON.parse(text) : null;
      calls.push({ method: req.method ?? '', path, headers: req.headers, body });
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(payload));
      };

      const profile = /^\/v2\/bot\/profile\/(.+)$/.exec(path);
      if (req.method === 'GET' && profile) {
        const userId = decodeURIComponent(profile[1]!);
        const p = profiles[userId] ?? { displayName: `User ${userId.slice(-4)}` };
        return send(200, { userId, displayName: p.displayName, pictureUrl: p.pictureUrl, language: 'zh-TW' });
      }
      const isSend =
        req.method === 'POST' &&
        (/^\/v2\/bot\/message\/(reply|push|multicast)$/.test(path) || /\/messages$/.test(path));
      if (!isSend) return send(404, { message: 'Not found' });

      const retryKey = req.headers['x-line-retry-key'] as string | undefined;
      if (retryKey && acceptedKeys.has(retryKey)) {
        return send(
          409,
          { message: 'The retry key is already accepted' },
          { 'x-line-accepted-request-id': acceptedKeys.get(retryKey)! },
        );
      }
      const refusal = refusals.shift();
      if (refusal && !refusal.acceptAnyway) {
        return send(refusal.status, refusal.body ?? { message: 'refused' }, refusal.headers);
      }

      seq += 1;
      const id = `${seq}`;
      if (retryKey) acceptedKeys.set(retryKey, `req-${id}`);
      const b = body as { to?: unknown; replyToken?: string };
      delivered.push({ path, to: b.to ?? b.replyToken, body, ...(retryKey ? { retryKey } : {}) });
      for (const w of waiters.splice(0)) w();
      if (refusal) return send(refusal.status, refusal.body ?? { message: 'lost' }, refusal.headers);
      if (path.endsWith('/messages')) {
        return send(200, {
          messaging_product: 'whatsapp',
          contacts: [{ input: b.to, wa_id: b.to }],
          messages: [{ id: `wamid.${id}` }],
        });
      }
      return send(200, path.endsWith('multicast') ? {} : { sentMessages: [{ id, quoteToken: `q${id}` }] });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    delivered,
    refuseNext: (count, refusal) => {
      for (let i = 0; i < count; i++) refusals.push(refusal);
    },
    waitForDelivered: async (n, timeoutMs = 5000) => {
      const deadline = Date.now() + timeoutMs;
      while (delivered.length < n) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`only ${delivered.length} of ${n} messages delivered`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
