import { describe, expect, it } from 'vitest';
import { createHidPosReader } from './hidPosReader';
import { fakeUsb } from '../../testing/fakeUsb';
import type { ScanEvent, ScannerState } from './source';

describe('HID POS reader', () => {
  it('opens the 0x8C scanner, reports scans, shows unplug as waiting and reopens on replug', async () => {
    const usb = fakeUsb();
    usb.unplug(); // start with no scanner
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
