/**
 * The USB edge for tests: a HID POS scanner (usage page 0x8C) beside a keyboard, which can be
 * plugged, unplugged and made to send Scanned Data Reports, behind the real `HidBackend` interface.
 */
import { EventEmitter } from 'node:events';
import type { HidBackend, HidDeviceInfo, HidHandle } from '../core/scanner/hidPosReader';

export function fakeUsb() {
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
  let plugged: HidDeviceInfo[] = [keyboard, scanner];
  const open = new Map<string, EventEmitter>();
  const backend: HidBackend = {
    devices: async () => plugged,
    open: async (path) => {
      const e = new EventEmitter();
      open.set(path, e);
      return Object.assign(e, { close: async () => void open.delete(path) }) as unknown as HidHandle;
    },
  };
  return {
    backend,
    scanner,
    plug: () => (plugged = [keyboard, scanner]),
    /** Unplugging surfaces as a read error on the open handle, as with node-hid. */
    unplug: () => {
      plugged = [keyboard];
      open.get(scanner.path)?.emit('error', new Error('could not read from HID device'));
    },
    /** One Scanned Data Report: id 2, length, AIM id "]C0", data. */
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
