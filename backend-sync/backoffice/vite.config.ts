/**
 * Vite config for the back office (issue 18): a Vue 3 + naive-ui single-page app the hub serves at
 * /admin/ (http/backOffice.ts). `npm run build:backoffice` builds it into out/backoffice.
 */
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import type { UserConfig } from 'vite';

export const backOfficeOutDir = fileURLToPath(new URL('../../out/backoffice', import.meta.url));

const config: UserConfig = {
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/admin/',
  plugins: [vue()],
  resolve: {
    // domain/csv.ts is shared with Node; csv-stringify's Node build reaches for Buffer at load,
    // its browser build carries its own.
    alias: { 'csv-stringify/sync': 'csv-stringify/browser/esm/sync' },
  },
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
    __VUE_PROD_DEVTOOLS__: false,
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: false,
  },
  build: {
    outDir: backOfficeOutDir,
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
  },
};

export default config;
