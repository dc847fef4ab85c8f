import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Suites that own Redis/PostgreSQL/SMTP ports run in their own files; files still run in parallel.
    pool: 'forks',
  },
});
