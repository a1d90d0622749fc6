/**
 * Helpers for the till's end-to-end tests: a TCP proxy between the console and the hub (so one
 * device can be cut off while another still reaches the hub), the demo hub's admin API, and a
 * second device speaking sync protocol v1 directly (to make a real redemption conflict).
 */
import net from 'node:net';
import type { Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import {
  EnrollResponse,
  PROTOCOL_VERSION,
  PushResponse,
  SyncEvent,
  type Mutation,
} from '../backend-sync/protocol';
import { uuidV7 } from '../backend-sync/domain/clock';

export interface TcpProxy {
  url: string;
  /** Drops every connection and refuses new ones until `restore`. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  let cut = false;
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (cut) {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  const dropAll = () => {
    for (const s of open) s.destroy();
  };
  return {
    url: `http://127.0.0.1:${address.port}`,
    cut() {
      cut = true;
      dropAll();
    },
    restore() {
      cut = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        dropAll();
        server.close(() => resolve());
      }),
  };
}

const ADMIN_TOKEN = 'demo-admin-token';

export async function adminGet<T>(hubUrl: string, path: string): Promise<T> {
  const res = await fetch(`${hubUrl}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

interface Listed<T> {
  items: T[];
}
export interface DemoClaim {
  id: string;
  couponId: string;
  code: string;
  claimToken: string;
  customerName: string | null;
}

/** The demo brand's facts the till tests need: a claim by its code, and staff ids by code. */
export async function demoFacts(hubUrl: string) {
  const [brand] = (await adminGet<Listed<{ id: string }>>(hubUrl, '/api/admin/brands')).items;
  if (!brand) throw new Error('the demo hub has no brand');
  const coupons = (
    await adminGet<Listed<{ id: string; fixedCode: string | null; name: string }>>(
      hubUrl,
      `/api/admin/brands/${brand.id}/coupons`,
    )
  ).items;
  const staff = (
    await adminGet<Listed<{ id: string; staffCode: string }>>(hubUrl, `/api/admin/brands/${brand.id}/staff`)
  ).items;
  return {
    brandId: brand.id,
    staffId(code: string): string {
      const found = staff.find((s) => s.staffCode === code);
      if (!found) throw new Error(`no staff ${code}`);
      return found.id;
    },
    /** The claims of the fixed-code coupon whose fixed code is `fixedCode`. */
    async fixedCodeClaims(fixedCode: string, limit = 5): Promise<DemoClaim[]> {
      const coupon = coupons.find((c) => c.fixedCode === fixedCode);
      if (!coupon) throw new Error(`no coupon with fixed code ${fixedCode}`);
      return (
        await adminGet<Listed<DemoClaim>>(hubUrl, `/api/admin/coupons/${coupon.id}/claims?limit=${limit}`)
      ).items;
    },
  };
}

/** A second device of the brand that talks protocol v1 itself: enroll, then push mutations. */
export async function protocolDevice(hubUrl: string, pairingCode: string, deviceName: string) {
  const res = await fetch(`${hubUrl}/api/devices/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pairingCode, deviceName, protocolVersion: PROTOCOL_VERSION }),
  });
  if (!res.ok) throw new Error(`enroll: HTTP ${res.status} ${await res.text()}`);
  const creds = EnrollResponse.parse(await res.json());
  const socket: Socket = io(hubUrl, {
    auth: { deviceId: creds.deviceId, deviceToken: creds.deviceToken, protocolVersion: PROTOCOL_VERSION },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
  return {
    deviceId: creds.deviceId,
    /**
     * Signs the staff member in at the hub with their PIN, then redeems a claim under that sign-in
     * at `deviceTime` (the hub keeps the earliest redemption of a claim).
     */
    async redeem(claim: DemoClaim, staff: { id: string; pin: string }, deviceTime: Date) {
      const signInId = uuidV7();
      await socket
        .timeout(10_000)
        .emitWithAck(SyncEvent.sessionOpen, { staffId: staff.id, pin: staff.pin, signInId });
      const mutation: Mutation = {
        id: uuidV7(),
        kind: 'redemption.create',
        payload: {
          claimId: claim.id,
          couponId: claim.couponId,
          staffId: staff.id,
          signInId,
          scannedCode: claim.code,
        },
        deviceTime: deviceTime.toISOString(),
      };
      const answer: unknown = await socket
        .timeout(10_000)
        .emitWithAck(SyncEvent.push, { mutations: [mutation] });
      return PushResponse.parse(answer).results[0];
    },
    close: () => void socket.close(),
  };
}

/** One key as Chromium's DevTools protocol takes it (Input.dispatchKeyEvent). */
interface KeyEventParams {
  type: 'keyDown' | 'keyUp';
  key: string;
  code: string;
  windowsVirtualKeyCode: number;
  text?: string;
  /** When the key was pressed, seconds since the epoch (the event's timeStamp in the page). */
  timestamp?: number;
}

/** A scanner's pace: one character every 4 ms (USB HID wedge scanners type at 2–10 ms). */
const SCANNER_KEY_GAP_S = 0.004;

function keyOf(char: string): Omit<KeyEventParams, 'type' | 'text'> {
  const upper = char.toUpperCase();
  if (/^[A-Z]$/.test(upper))
    return { key: char, code: `Key${upper}`, windowsVirtualKeyCode: upper.charCodeAt(0) };
  if (/^\d$/.test(char))
    return { key: char, code: `Digit${char}`, windowsVirtualKeyCode: char.charCodeAt(0) };
  if (char === '-') return { key: char, code: 'Minus', windowsVirtualKeyCode: 189 };
  return { key: char, code: '', windowsVirtualKeyCode: 0 };
}

/** A long task on the page's main thread, run right after its `afterKey`-th keydown (1-based). */
export interface BusyPage {
  afterKey: number;
  ms: number;
}

/**
 * Makes the page busy mid-burst, as a page still loading or re-rendering is: a one-shot capture
 * listener, added after the scanner's own, spins the main thread once the given key was handled,
 * so the keys behind it queue up while the detector's hold timer comes due.
 */
async function makeBusyAfterKey(page: Page, busy: BusyPage): Promise<void> {
  await page.evaluate(({ afterKey, ms }) => {
    let seen = 0;
    const spin = () => {
      seen += 1;
      if (seen < afterKey) return;
      window.removeEventListener('keydown', spin, true);
      const end = performance.now() + ms;
      while (performance.now() < end) {
        // a long task: nothing else runs on the main thread meanwhile
      }
    };
    window.addEventListener('keydown', spin, true);
  }, busy);
}

/**
 * A keyboard-wedge scanner: the code's keys and then Enter, all handed to the browser at once,
 * as a scanner's keyboard reports arrive. Playwright's `keyboard.type` waits for each key's round
 * trip before sending the next, which on a loaded test machine stretched the gaps past the
 * detector's default 50 ms hold time; a real scanner never pauses like that. The browser still
 * takes the keys one by one as trusted key events, in order, wherever the focus is. Each key carries
 * the time the scanner typed it, as the OS stamps a USB report: on a loaded machine the browser may
 * hand the keys to the page late and unevenly, and the detector judges by those stamps.
 */
export async function wedgeScan(page: Page, code: string, busy?: BusyPage): Promise<void> {
  if (busy) await makeBusyAfterKey(page, busy);
  const cdp = await page.context().newCDPSession(page);
  try {
    const events: KeyEventParams[] = [];
    const start = Date.now() / 1000;
    [...code].forEach((char, i) => {
      const key = keyOf(char);
      const timestamp = start + i * SCANNER_KEY_GAP_S;
      events.push({ type: 'keyDown', ...key, text: char, timestamp }, { type: 'keyUp', ...key, timestamp });
    });
    const enter = { key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13 };
    const timestamp = start + code.length * SCANNER_KEY_GAP_S;
    events.push({ type: 'keyDown', ...enter, text: '\r', timestamp }, { type: 'keyUp', ...enter, timestamp });
    await Promise.all(events.map((e) => cdp.send('Input.dispatchKeyEvent', e)));
  } finally {
    await cdp.detach();
  }
}
