/**
 * One build for the three Electron parts (output in out/):
 * - main: electron/main/index.ts; the app's `dependencies` stay external (node_modules ships with
 *   the app), our own TypeScript (main and the console core; never the hub) is bundled.
 * - preload: electron/preload/index.ts as ONE CommonJS file with every dependency inlined (zod
 *   included), because a sandboxed preload can only require 'electron' and a few built-ins.
 * - renderer: renderer/vite.config.ts reused as is (same build the web host serves).
 */
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import rendererConfig from './renderer/vite.config';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      externalizeDeps: true,
      rollupOptions: { input: { index: resolve(root, 'electron/main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(root, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', inlineDynamicImports: true },
      },
    },
  },
  renderer: {
    ...rendererConfig,
    build: {
      ...rendererConfig.build,
      rollupOptions: { input: resolve(root, 'renderer/index.html') },
    },
  },
});
