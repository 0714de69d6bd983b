import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
    },
  },
  {
    // The engine knows nothing of the terminal: only the CLI may import listr2.
    files: ['runner/**/*.ts'],
    ignores: ['runner/cli/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'listr2', message: 'only runner/cli renders to the terminal' }] }] },
  },
)
