/**
 * Scanner settings (wedge thresholds, HID POS device, sounds), the HID devices present and the
 * reader's live state. The wedge capture re-arms itself whenever `settings` changes.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ConsoleOutput, ScannerSettings } from '../../../electron/core/consoleApi/contract';
import { useApi } from '../api';

export const useTillScannerStore = defineStore('tillScanner', () => {
  const api = useApi();
  const settings = ref<ScannerSettings | null>(null);
  const devices = ref<ConsoleOutput<'scanner.devices'>>([]);
  const state = ref<ConsoleOutput<'scanner.state'> | null>(null);
  let started = false;

  async function load(): Promise<void> {
    const [s, st] = await Promise.all([api.call('scanner.settings'), api.call('scanner.state')]);
    settings.value = s;
    state.value = st;
  }

  async function refreshDevices(): Promise<void> {
    devices.value = await api.call('scanner.devices');
  }

  async function update(patch: Partial<ScannerSettings>): Promise<ScannerSettings> {
    settings.value = await api.call('scanner.updateSettings', patch);
    return settings.value;
  }

  function start() {
    if (started) return;
    started = true;
    api.on('scanner.state', (payload) => {
      state.value = payload;
    });
  }

  return { settings, devices, state, load, refreshDevices, update, start };
});
