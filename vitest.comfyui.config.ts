import { defineConfig } from 'vitest/config'

/** `npm run test:comfyui`: the end-to-end suite against a real ComfyUI. */
export default defineConfig({
  test: {
    include: ['test/e2e-real/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
})
