import { afterAll } from 'bun:test'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { build } from 'vite'

// Debian's chromium, as .ci/run installs it; without it (a developer's machine) the test skips, visibly.
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const present = existsSync(CHROMIUM)
if (!present) {
  if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is required in CI (apt-get install chromium)`)
  console.warn(`SKIPPED: no Chromium at ${CHROMIUM}; the browser tests do not run on this machine`)
}
const examples = join(import.meta.dir, '../examples')
const out = mkdtempSync(join(tmpdir(), 'parley-use-chat-'))
afterAll(() => rmSync(out, { recursive: true, force: true }))

/** An example page, built with Vite and served from its own origin (Parley is another one). */
export async function servePage(name: 'ai-sdk-react' | 'assistant-ui') {
  const root = join(examples, name)
  const outDir = join(out, name)
  await build({
    root,
    configFile: join(root, 'vite.config.ts'),
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true },
  })
  return Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch: (req) => {
      const path = new URL(req.url).pathname
      const file = Bun.file(join(outDir, path === '/' ? 'index.html' : path))
      return file.size ? new Response(file) : new Response('not found', { status: 404 })
    },
  })
}

export const texts = (page: Page, role: 'user' | 'assistant') =>
  page.locator(`[data-role="${role}"] .text`).allTextContents()
export const until = async (check: () => Promise<boolean>, what: string, ms = 10_000) => {
  for (const end = Date.now() + ms; Date.now() < end; await Bun.sleep(50)) if (await check()) return
  throw new Error(`timed out waiting for ${what}`)
}
