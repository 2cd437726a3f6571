import { defineConfig } from 'vite'

/** The ComfyUI extension: one ES module in web/, which ComfyUI serves from WEB_DIRECTORY. */
export default defineConfig({
  build: {
    outDir: 'web',
    emptyOutDir: true,
    target: 'es2022',
    minify: false,
    sourcemap: false,
    lib: {
      entry: 'extension/src/index.ts',
      formats: ['es'],
      fileName: () => 'discomfort.js',
    },
    rollupOptions: {
      // The page's own modules: imported from ComfyUI at run time.
      external: [/\/scripts\/(app|api)\.js$/],
    },
  },
})
