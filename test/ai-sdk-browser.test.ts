import { expect, test } from 'bun:test'
import { chromium } from 'playwright-core'
import { talkingBot } from './bots'
import { CHROMIUM, present, servePage, texts, until } from './browser'
import { liveServer } from './live'

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
