// ESLint (typescript-eslint, type-aware) for everything TypeScript; formatting is Prettier's alone.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'examples/client/api.d.ts', 'artifacts/', '.data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: ['*.js', 'tools/*.js'] }, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Unused names are an error unless marked as deliberately unused (_query: a declared but unread parameter).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // Bodies and rows from pg and JSON are untyped by nature; each place names its type where it reads one.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      // Nest's class-validator DTOs and decorators rely on classes and empty constructors.
      '@typescript-eslint/no-extraneous-class': 'off',
      // Interfaces (Nest's ThrottlerStorage, stop handles) ask for promises that some implementations have at once.
      '@typescript-eslint/require-await': 'off',
    },
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
  prettier,
);
