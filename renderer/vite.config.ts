/**
 * Vite config for the renderer. A plain config object so electron.vite.config.ts can reuse it for the
 * Electron build, and `vite build -c renderer/vite.config.ts` builds what the web host serves.
 */
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import type { UserConfig } from 'vite';

const rendererRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export const rendererOutDir = fileURLToPath(new URL('../out/renderer', import.meta.url));

const config: UserConfig = {
  root: rendererRoot,
  // Relative asset URLs: the same build is served over http by the web host and from a custom
  // protocol in Electron.
  base: './',
  plugins: [vue()],
  define: {
    // vue-i18n: Composition API only, no devtools hooks in production bundles.
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
    __VUE_PROD_DEVTOOLS__: false,
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: false,
  },
  server: { fs: { allow: [repoRoot] } },
  build: {
    outDir: rendererOutDir,
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
  },
};

export default config;
