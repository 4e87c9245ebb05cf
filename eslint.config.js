import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // Examples, benchmarks and the demo talk to a person on the terminal; the library never does.
    files: ['examples/**', 'bench/**', 'test/**', '*.config.*'],
    rules: { 'no-console': 'off' },
  },
  {
    // CI scripts, the CommonJS preload for the statsd daemon and the codemod's CommonJS corpus run as plain Node
    // scripts.
    files: ['.ci/**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', require: 'readonly', module: 'writable' } },
    rules: { 'no-console': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
);
