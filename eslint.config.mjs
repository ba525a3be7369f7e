// Lint configuration. The one structural rule: the analysis core stays pure (no editor, AWS,
// file-system or process access), so it can run anywhere and be tested with text alone.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.cache/**', 'test-results/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['server/src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'process', 'node:process', 'child_process', 'node:child_process', 'vscode'],
        patterns: ['vscode*', '@aws-sdk/*', 'node:*'],
      }],
      'no-restricted-globals': ['error', { name: 'process', message: 'The core is pure: take options instead.' }, { name: 'require', message: 'The core is pure: use imports of core modules.' }],
    },
  },
  {
    // The extension talks to the core only through the language server; what it shares with the server
    // (protocol names, the product's links) lives outside the core.
    files: ['client/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/server/src/core', '**/server/src/core/**'], message: 'The client does not import the analysis core: use server/src/lsp/protocol.ts or server/src/product.ts.' }] }],
    },
  },
);
