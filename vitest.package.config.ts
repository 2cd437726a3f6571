import { defineConfig } from 'vitest/config'

/** `npm run test:package`: the packed package, installed into an empty project and used there. */
export default defineConfig({
  test: {
    include: ['test/package/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 600_000,
  },
})
