/**
 * Unit and integration tests (`*.test.ts` beside the code). Hub and core tests use real SQLite
 * files, real PostgreSQL and real sockets on loopback, hence the generous timeouts and one process
 * per test file (native modules and ports stay isolated). e2e/ has its own config.
 */
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [vue()],
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'out/**', 'dist/**', 'release/**', 'var/**', 'e2e/**'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    teardownTimeout: 10_000,
  },
});
