import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createHidPosReader, type HidBackend, type HidDeviceInfo, type HidHandle } from './hidPosReader';
import type { ScanEvent, ScannerState } from './source';

/** The USB edge: a scanner that can be plugged, unplugged and made to send reports. */
function fakeUsb() {
  let plugged: HidDeviceInfo[] = [];
  const open = new Map<string, EventEmitter>();
  const backend: HidBackend = {
    devices: async () => plugged,
    open: async (path) => {
      const e = new EventEmitter();
      open.set(path, e);
      return Object.assign(e, { close: async () => void open.delete(path) }) as unknown as HidHandle;
    },
  };
  const scanner: HidDeviceInfo = {
    path: '/dev/hidraw3',
    vendorId: 0x0c2e,
    productId: 0x0b61,
    product: 'Xenon 1900',
    usagePage: 0x8c,
  };
  const keyboard: HidDeviceInfo = {
    path: '/dev/hidraw0',
    vendorId: 1,
    productId: 2,
    product: 'Keyboard',
    usagePage: 0x01,
  };
  return {
    backend,
    scanner,
    plug: () => (plugged = [keyboard, scanner]),
    unplug: () => {
      plugged = [keyboard];
      open.get(scanner.path)?.emit('error', new Error('could not read from HID device'));
    },
    send: (data: string) => {
      const r = Buffer.alloc(64);
      r[0] = 2;
      r[1] = data.length;
      r.write(']C0', 2, 'latin1');
      r.write(data, 5, 'latin1');
      open.get(scanner.path)?.emit('data', r);
    },
    isOpen: () => open.has(scanner.path),
  };
}

describe('HID POS reader', () => {
  it('opens the 0x8C scanner, reports scans, shows unplug as waiting and reopens on replug', async () => {
    const usb = fakeUsb();
    const reader = createHidPosReader({
      backend: usb.backend,
      devicePath: null,
      setInterval: () => 1,
      clearInterval: () => {},
    });
    const states: ScannerState['state'][] = [];
    const scans: ScanEvent[] = [];
    reader.onState((s) => states.push(s.state));
    reader.onScan((s) => scans.push(s));

    await reader.poll();
    expect(states.at(-1)).toBe('waiting');

    usb.plug();
    await reader.poll();
    expect(states.at(-1)).toBe('connected');
    usb.send('K7PX-2M9Q');
    expect(scans).toEqual([{ code: 'K7PX-2M9Q', origin: 'hid', symbologyId: ']C0' }]);

    const waiting = new Promise<void>((resolve) => reader.onState((s) => s.state === 'waiting' && resolve()));
    usb.unplug();
    await waiting;
    expect(states.at(-1)).toBe('waiting');
    expect(usb.isOpen()).toBe(false);

    usb.plug();
    await reader.poll();
    expect(states.at(-1)).toBe('connected');
    usb.send('4006381333931');
    expect(scans.map((s) => s.code)).toEqual(['K7PX-2M9Q', '4006381333931']);

    await reader.stop();
    expect(states.at(-1)).toBe('disabled');
  });

  it('waits for the device chosen in Settings rather than taking another', async () => {
    const usb = fakeUsb();
    usb.plug();
    const reader = createHidPosReader({
      backend: usb.backend,
      devicePath: '/dev/hidraw9',
      setInterval: () => 1,
      clearInterval: () => {},
    });
    const states: ScannerState[] = [];
    reader.onState((s) => states.push(s));
    await reader.poll();
    expect(states.at(-1)).toEqual({ state: 'waiting', devicePath: '/dev/hidraw9' });
  });
});
