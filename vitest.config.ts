import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Analyses load real TypeScript programs with the type checker: give them room on 2-core CI machines.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Real WASI components for the codegen tests, built once per run and cached by content hash.
    globalSetup: ['test/codegen/component.setup.ts'],
  },
});
