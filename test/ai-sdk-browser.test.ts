import { afterAll, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Page } from 'playwright-core'
import { build } from 'vite'
import { talkingBot } from './bots'
import { liveServer } from './live'

// Debian's chromium, as .ci/run installs it; without it (a developer's machine) the test skips, visibly.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const present = existsSync(CHROMIUM)
if (!present) {
  if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is required in CI (apt-get install chromium)`)
  console.warn(`SKIPPED: no Chromium at ${CHROMIUM}; the useChat browser test does not run on this machine`)
}
const examples = join(import.meta.dir, '../examples')
const out = mkdtempSync(join(tmpdir(), 'parley-use-chat-'))
afterAll(() => rmSync(out, { recursive: true, force: true }))

/** An example page, built with Vite and served from its own origin (Parley is another one). */
async function servePage(name: 'ai-sdk-react' | 'assistant-ui') {
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

const texts = (page: Page, role: 'user' | 'assistant') => page.locator(`[data-role="${role}"] .text`).allTextContents()
const until = async (check: () => Promise<boolean>, what: string, ms = 10_000) => {
  for (const end = Date.now() + ms; Date.now() < end; await Bun.sleep(50)) if (await check()) return
  throw new Error(`timed out waiting for ${what}`)
}

test.if(present)(
  'useChat in a real browser: a streamed reply, stop, reload mid-reply and resume, an edit and switching between its versions',
  async () => {
    const bot = talkingBot()
    await using live = await liveServer({}, bot)
    using site = await servePage('ai-sdk-react')
    // The chat id is a Parley conversation id, so the page can also switch branches over REST.
    const { id } = (await live.call('POST', '/conversations/', { user_id: 'anonymous' })).body
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
    try {
      const page = await browser.newPage()
      await page.goto(`${site.url}?parley=${encodeURIComponent(live.base)}&chat=${id}`)
      const say = async (words: string) => {
        await page.fill('#draft', words)
        await page.click('#send')
      }

      await say('hello')
      await until(async () => (await texts(page, 'assistant')).includes('You said: hello'), 'the first reply')

      // Stop: the reply ends where it was, on the server too.
      bot.hold()
      await say('stop me')
      await until(async () => (await texts(page, 'assistant')).at(-1) === 'You said: ', 'the reply to begin')
      await page.click('#stop')
      await until(async () => (await page.textContent('#status')) === 'ready', 'the stop')
      const stored = (await live.call('GET', `/conversations/${id}`)).body.messages
      expect(stored.at(-1)).toMatchObject({ sender: 'ai', content: 'You said: ', metadata: { stopped: true } })

      // Reload in the middle of a reply: the page resumes it and sees it finish.
      bot.hold()
      await say('reload')
      await until(async () => (await texts(page, 'assistant')).at(-1) === 'You said: ', 'the reply to begin')
      await page.reload()
      await until(async () => (await texts(page, 'user')).at(-1) === 'reload', 'the history after the reload')
      bot.go()
      await until(async () => (await texts(page, 'assistant')).at(-1) === 'You said: reload', 'the resumed reply')

      // Edit the last question: a second version, answered; then back to the first one.
      await page.locator('li[data-role="user"] .edit').last().click()
      await page.fill('#draft', 'reload, edited')
      await page.click('#send')
      await until(
        async () => (await texts(page, 'assistant')).at(-1) === 'You said: reload, edited',
        'the edited reply',
      )
      const versions = page.locator('li[data-role="user"] .version').last()
      expect(await versions.textContent()).toBe('2 / 2')
      await page.locator('li[data-role="user"] .previous').last().click()
      await until(async () => (await texts(page, 'user')).at(-1) === 'reload', 'the first version')
      expect((await texts(page, 'assistant')).at(-1)).toBe('You said: reload')
      expect(await page.locator('li[data-role="user"] .version').last().textContent()).toBe('1 / 2')
    } finally {
      await browser.close()
    }
  },
  60_000,
)

test.if(present)(
  "assistant-ui's AI SDK runtime: the branch picker works from Parley's tree, and a follow-up continues the branch shown",
  async () => {
    const bot = talkingBot()
    await using live = await liveServer({}, bot)
    using site = await servePage('assistant-ui')
    const { id } = (await live.call('POST', '/conversations/', { user_id: 'anonymous' })).body
    // A stored tree: a question with two versions of its answer (the second is the head).
    const q = (
      await live.call('POST', `/conversations/${id}/messages`, { sender: 'user', content: 'hello', reply: true })
    ).body
    await live.deps.replies?.idle()
    await live.call('POST', `/conversations/${id}/messages/${q.id}/regenerate`)
    await live.deps.replies?.idle()
    const [first, second] = (await live.call('GET', `/conversations/${id}/tree`)).body.messages.filter(
      (m: any) => m.sender === 'ai',
    )
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
    try {
      const page = await browser.newPage()
      await page.goto(`${site.url}?parley=${encodeURIComponent(live.base)}&chat=${id}`)
      const version = page.locator('[data-role="assistant"] .version').last()
      await until(
        async () => (await version.count()) > 0 && (await version.textContent()) === '2 / 2',
        'the branch picker',
      )
      await page.locator('[data-role="assistant"] .previous').last().click()
      await until(async () => (await version.textContent()) === '1 / 2', 'the first version')
      // The follow-up goes after the answer on screen (the first), not the server's head.
      await page.fill('#draft', 'more')
      await page.click('#send')
      await until(async () => (await texts(page, 'assistant')).at(-1) === 'You said: more', 'the follow-up reply')
      const tree = (await live.call('GET', `/conversations/${id}/tree`)).body.messages
      const more = tree.find((m: any) => m.content === 'more')
      expect(more.parent_id).toBe(first.id)
      expect(second.parent_id).toBe(q.id)
    } finally {
      await browser.close()
    }
  },
  60_000,
)
