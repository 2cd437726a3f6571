import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'bridge/**/*.test.ts', 'extension/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['test/e2e-real/**', 'test/browser/**', '**/node_modules/**'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
})
