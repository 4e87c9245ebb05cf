import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
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
);
