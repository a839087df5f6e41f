import { defineConfig } from 'vitest/config';

// Unit and integration tests (Node). Store and component tests that need a DOM opt in per file with
// `// @vitest-environment jsdom`. End-to-end tests live in e2e/ and run under Playwright instead.
export default defineConfig({
  test: {
    include: ['**/*.test.ts', '**/*.test.tsx'],
    exclude: ['node_modules/**', '.next/**', 'e2e/**', 'bench/**', '.tmp/**'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
