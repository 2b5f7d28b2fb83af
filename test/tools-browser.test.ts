import { expect, test } from 'bun:test'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { writeConfig } from './assistant-helpers'
import { CHROMIUM, present, servePage, texts, until } from './browser'
import { fakeOpenAI, toolCallScript } from './fake-openai'
import { liveServer } from './live'

const FIXTURE = join(import.meta.dir, 'fixtures', 'mcp-server.ts')

test.if(present)(
  'useChat in a real browser shows the MCP tool step live, then the answer, and both after a reload',
  async () => {
    await using fake = await fakeOpenAI({ kind: 'reply', chunks: ['Done.'] })
    const file = writeConfig({
      providers: { llm: { type: 'openai', base_url: fake.url, model: 'm' } },
      mcp_servers: { clock: { type: 'stdio', command: process.execPath, args: [FIXTURE], env: { CLOCK_NOW: '0' } } },
      assistants: [{ id: 'timekeeper', name: 'Timekeeper', provider: 'llm', tools: ['clock.now'] }],
    })
    await using live = await liveServer({ PARLEY_CONFIG: file, BOT_PROVIDER: 'none' })
    await until(async () => live.deps.toolbox?.states().clock?.state === 'ready', 'the MCP server')
    using site = await servePage('ai-sdk-react')
    const { id } = (await live.call('POST', '/conversations/', { user_id: 'anonymous' })).body
    // The answer after the tool waits for the test: the tool step must show while it does.
    fake.queue(toolCallScript([{ name: 'clock__now', arguments: { timezone: 'Asia/Tokyo' } }]), {
      kind: 'gated',
      chunks: ['It is 09:00 ', 'in Tokyo.'],
    })
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
    try {
      const page = await browser.newPage()
      const url = `${site.url}?parley=${encodeURIComponent(live.base)}&chat=${id}`
      await page.goto(url)
      await page.fill('#draft', 'What time is it in Tokyo?')
      await page.click('#send')
      const tool = page.locator('[data-role="assistant"] .tool[data-state="output-available"]')
      await until(async () => (await tool.count()) === 1, 'the tool step')
      expect(await tool.textContent()).toBe('clock.now: "09:00 in Asia/Tokyo"')
      expect(await texts(page, 'assistant')).toEqual([''])
      fake.release(10)
      await until(async () => (await texts(page, 'assistant')).includes('It is 09:00 in Tokyo.'), 'the answer')

      await page.reload()
      await until(async () => (await texts(page, 'assistant')).includes('It is 09:00 in Tokyo.'), 'the stored answer')
      expect(await tool.textContent()).toBe('clock.now: "09:00 in Asia/Tokyo"')
    } finally {
      await browser.close()
    }
  },
  60_000,
)
