import { defineConfig } from 'vitest/config'

/** `npm run test:browser`: the extension in the real ComfyUI frontend, in headless Chromium. */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
})
