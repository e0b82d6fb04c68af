// The linter: TypeScript's recommended rules, plus the few that catch real mistakes in a server (a promise left
// floating, an unused import). Formatting is Prettier's, not the linter's.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      '.data/',
      'coverage/',
      'bench/results/',
      '**/__generated__/',
      '.scratch/',
      'web/dist/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      // A default before a try whose catch leaves it, as in `let ok = false; try { ok = … } catch {}`, reads clearly.
      'no-useless-assignment': 'off',
      // Prettier wraps code at 120; strings, SQL in templates, URLs and patterns may run longer, comments may not.
      'max-len': [
        'error',
        { code: 120, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreUrls: true, ignoreRegExpLiterals: true },
      ],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  { files: ['test/**/*.ts'], languageOptions: { globals: { ...globals.jest } } },
);
