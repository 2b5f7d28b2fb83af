import { expect, test } from 'bun:test'
import * as ai7 from 'ai'
import * as ai5 from 'ai-v5'
import * as ai6 from 'ai-v6'
import { spawnInstance } from './cluster'
import { createPostgresDatabase, needs } from './databases'

// Skipped with a message where PostgreSQL is missing; required in CI.
const up = await needs('PostgreSQL')
const SDKS = [
  ['ai 5', ai5 as unknown as typeof ai7],
  ['ai 6', ai6 as unknown as typeof ai7],
  ['ai 7', ai7],
] as const

test.if(up).each(SDKS)(
  '%s: a reply started through one instance is resumed through another, from its start, and finishes there',
  async (_name, { DefaultChatTransport, generateId, readUIMessageStream }) => {
    const db = await createPostgresDatabase()
    // The built-in bot streams word by word, slowly enough to leave in the middle.
    const env = { DATABASE_URL: db.url, BUS: 'postgres', BOT_PROVIDER: 'builtin', BUILTIN_BOT_DELAY_MS: '150' }
    const started = await Promise.allSettled([spawnInstance(env), spawnInstance(env)])
    const [a, b] = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
    try {
      if (!a || !b) throw new Error('an instance did not start')
      const chatId = generateId()
      const onA = new DefaultChatTransport({ api: `${a.base}/api/chat` })
      const onB = new DefaultChatTransport({ api: `${b.base}/api/chat` })
      const leave = new AbortController()
      const message = { id: 'q1', role: 'user' as const, parts: [{ type: 'text' as const, text: 'hello' }] }
      const first = await onA.sendMessages({
        chatId,
        messages: [message],
        trigger: 'submit-message',
        messageId: undefined,
        abortSignal: leave.signal,
      })
      const reader = first.getReader()
      let start: any
      for (let chunk = (await reader.read()).value; chunk?.type !== 'text-delta'; chunk = (await reader.read()).value)
        start ??= chunk
      leave.abort() // the page goes away mid-reply

      const resumed = await onB.reconnectToStream({ chatId })
      expect(resumed).not.toBeNull()
      let reply: any = null
      for await (const m of readUIMessageStream({ stream: resumed as ReadableStream<any> })) reply = m
      expect(reply.id).toBe(start.messageId)
      const text = reply.parts
        .filter((p: any) => p.type === 'text')
        .map((p: any) => p.text)
        .join('')
      const stored = (await (await fetch(`${b.base}/api/chat/${chatId}/messages`)).json()) as any[]
      expect(stored.at(-1).id).toBe(reply.id)
      expect(text).toBe(stored.at(-1).parts.find((p: any) => p.type === 'text').text)
      expect(text.length).toBeGreaterThan(10)
      expect(await onB.reconnectToStream({ chatId })).toBeNull()
    } finally {
      await Promise.all([a, b].map((i) => i?.stop()))
      await db.drop()
    }
  },
  60_000,
)
