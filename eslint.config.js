// Lint with typescript-eslint, plus the project's layer rules (architecture.md):
// only the Electron shell may import 'electron'; renderer/ and shared/ import no Node
// built-ins; shared/ imports neither React nor the DOM-side or Node-side code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** The files that may import 'electron' (architecture rule 1). */
export const ELECTRON_SHELL_FILES = [
  'electron/main/index.ts',
  'electron/main/window.ts',
  'electron/main/ipc.ts',
  'electron/main/shell/**',
  'electron/preload/**',
  // Playwright's Electron launcher and the typed stand-in name Electron's types.
  'test/e2e-electron/**',
  'test/electron/**',
];

const noElectron = {
  name: 'electron',
  message: 'Only the Electron shell (electron/main/index.ts, window.ts, ipc.ts, shell/, preload/) may import electron.',
};

export default tseslint.config(
  {
    ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'native/**', '.data/**', 'resources/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-control-regex': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    // No import cycles (issue 16): a module's dependencies form a tree the next engineer can
    // read from the top. Type-only imports count too: a type that both sides need lives where
    // both can import it.
    files: ['electron/**/*.ts', 'server/**/*.ts', 'shared/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs'] })],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['renderer/**/*.tsx', 'renderer/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    // Tests may poke at untyped JSON answers.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.mjs'],
    ignores: ELECTRON_SHELL_FILES,
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron] }],
    },
  },
  {
    files: ['renderer/**', 'shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, ...nodeBuiltins.map((name) => ({ name, message: 'renderer/ and shared/ run in the page too: no Node built-ins.' }))],
          patterns: [{ group: ['**/electron/main/**', '**/server/**'], message: 'renderer/ and shared/ must not import the app core or the server.' }],
        },
      ],
    },
  },
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, { name: 'react', message: 'shared/ is plain TypeScript.' }, ...nodeBuiltins.map((name) => ({ name, message: 'shared/ runs in the page too: no Node built-ins.' }))],
          patterns: [{ group: ['**/renderer/**', '**/electron/**', '**/server/**'], message: 'shared/ imports nothing from the layers above it.' }],
        },
      ],
    },
  },
  {
    // shared/**/*-node.ts: shared by the server and the app core only, never the page (tsconfig.web.json
    // leaves them out), so Node's built-ins are allowed there and nothing else changes.
    files: ['shared/**/*-node.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, { name: 'react', message: 'shared/ is plain TypeScript.' }],
          patterns: [{ group: ['**/renderer/**', '**/electron/**', '**/server/**'], message: 'shared/ imports nothing from the layers above it.' }],
        },
      ],
    },
  },
);
