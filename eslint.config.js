// Flat ESLint config: JS recommended, typescript-eslint recommended (not type-aware: fast enough to
// run in `npm test`), Vue recommended for .vue with the TS parser, and Prettier last so formatting
// is Prettier's job alone (`prettier --check` runs beside ESLint).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import vue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['out/', 'dist/', 'release/', 'node_modules/', 'var/', 'coverage/', 'e2e/.artifacts/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    rules: {
      // Leading underscore marks an intentionally unused parameter (e.g. stubs, handler signatures).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: [
      'renderer/**/*.{ts,vue}',
      'backend-sync/backoffice/src/**/*.{ts,vue}',
      'electron/preload/**/*.ts',
    ],
    languageOptions: { globals: { ...globals.browser } },
  },
  prettier,
);
