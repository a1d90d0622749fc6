// Flat ESLint config: JS recommended, typescript-eslint recommended (not type-aware: fast enough to
// run in `npm test`), Vue recommended for .vue with the TS parser, the architecture's dependency
// directions (eslint-plugin-boundaries, below), and Prettier last so formatting is Prettier's job
// alone (`prettier --check` runs beside ESLint).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import boundaries from 'eslint-plugin-boundaries';
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
  {
    // docs/architecture.md "Dependency rules": renderer → the ConsoleApi contract only; core →
    // never Electron, never the hub; domain and protocol → nothing of ours; main → core only (the
    // demo hub is a separate process started by scripts/); test harnesses live in electron/testing
    // and backend-sync/hub/testing, and they and tests may import anything. scripts/boundaries.test.ts proves a wrong import fails.
    files: ['**/*.{ts,vue,js}'],
    plugins: { boundaries },
    settings: {
      'import/resolver': { node: { extensions: ['.ts', '.vue', '.js', '.mjs'] } },
      'boundaries/elements': [
        { type: 'core', pattern: 'electron/core/**', partialMatch: false },
        { type: 'main', pattern: 'electron/main/**', partialMatch: false },
        { type: 'preload', pattern: 'electron/preload/**', partialMatch: false },
        { type: 'webhost', pattern: 'electron/webhost/**', partialMatch: false },
        {
          type: 'testing',
          pattern: ['electron/testing/**', 'backend-sync/hub/testing/**'],
          partialMatch: false,
        },
        { type: 'renderer', pattern: 'renderer/**', partialMatch: false },
        { type: 'protocol', pattern: 'backend-sync/protocol/**', partialMatch: false },
        { type: 'domain', pattern: 'backend-sync/domain/**', partialMatch: false },
        { type: 'hub', pattern: 'backend-sync/hub/**', partialMatch: false },
        { type: 'emulator', pattern: 'backend-sync/emulator/**', partialMatch: false },
        { type: 'tooling', pattern: ['scripts/**', 'e2e/**', 'bench/**'], partialMatch: false },
      ],
      'boundaries/files': [
        // Tests, and the per-feature test helpers beside them (`testing.ts`, never imported by production code).
        {
          category: 'test',
          pattern: ['**/*.test.ts', '**/*.e2e.ts', 'backend-sync/**/testing.ts'],
        },
        // The ConsoleApi contract: part of the core, and the one piece of it the renderer may see.
        {
          category: 'contract',
          pattern: ['electron/core/consoleApi/contract.ts', 'electron/core/consoleApi/contract/*.ts'],
        },
      ],
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          // npm packages and Node built-ins are checked too (Electron and server packages below).
          checkAllOrigins: true,
          policies: [
            // npm packages and Node built-ins in general; the restricted ones follow at the end
            // (the last policy that matches decides).
            { allow: { to: { module: { origin: 'external' } } } },
            { allow: { to: { module: { origin: 'core' } } } },
            { from: { element: { type: 'renderer' } }, allow: { to: { element: { type: 'renderer' } } } },
            {
              from: { element: { types: { anyOf: ['renderer', 'preload'] } } },
              allow: { to: { file: { categories: 'contract' } } },
            },
            {
              from: { element: { type: 'main' } },
              allow: { to: { element: { types: { anyOf: ['main', 'core'] } } } },
            },
            {
              from: { element: { type: 'core' } },
              allow: { to: { element: { types: { anyOf: ['core', 'protocol', 'domain'] } } } },
            },
            {
              from: { element: { type: 'webhost' } },
              allow: { to: { element: { types: { anyOf: ['webhost', 'core', 'domain', 'protocol'] } } } },
            },
            { from: { element: { type: 'protocol' } }, allow: { to: { element: { type: 'protocol' } } } },
            // The rules speak the protocol's entity shapes (ClaimRow, Role…); protocol imports nothing of ours.
            {
              from: { element: { type: 'domain' } },
              allow: { to: { element: { types: { anyOf: ['domain', 'protocol'] } } } },
            },
            {
              from: { element: { type: 'hub' } },
              allow: { to: { element: { types: { anyOf: ['hub', 'protocol', 'domain'] } } } },
            },
            {
              from: { element: { type: 'emulator' } },
              allow: { to: { element: { types: { anyOf: ['emulator', 'hub', 'protocol', 'domain'] } } } },
            },
            {
              from: { element: { types: { anyOf: ['testing', 'tooling'] } } },
              allow: { to: { element: { type: '*' } } },
            },
            // Electron only in main and preload.
            {
              from: {
                element: {
                  types: { anyOf: ['core', 'renderer', 'webhost', 'protocol', 'domain', 'hub', 'emulator'] },
                },
              },
              disallow: { to: { module: { origin: 'external', source: 'electron' } } },
            },
            // No server package in the console's code or the shared rules.
            {
              from: {
                element: { types: { anyOf: ['core', 'main', 'preload', 'renderer', 'protocol', 'domain'] } },
              },
              disallow: {
                to: {
                  module: {
                    origin: 'external',
                    source: ['fastify', '@fastify/*', 'socket.io', 'pg', '@line/bot-sdk', 'ws'],
                  },
                },
              },
            },
            // Tests may reach anything (harnesses, the hub, ws clients…); last, so it wins.
            { from: { file: { categories: 'test' } }, allow: { to: { element: { type: '*' } } } },
            { from: { file: { categories: 'test' } }, allow: { to: { module: { origin: 'external' } } } },
          ],
        },
      ],
    },
  },
  prettier,
);
