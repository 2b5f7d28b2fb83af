import { defineConfig } from 'vite'

// React's automatic JSX runtime through Vite's own transform; top-level await needs esnext.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic' } },
  build: { target: 'esnext' },
})
