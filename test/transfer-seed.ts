import { expect, setSystemTime } from 'bun:test'
import { loadConfig } from '../src/config'
import { openSqliteStorage } from '../src/storage/connect'
import { liveServer } from './live'

// The data the export → import round trip (transfer.test.ts) moves between dialects.

// A PNG signature, then every byte value: a file that must come back byte for byte.
export const everyByte = new Uint8Array([
  0x89,
  0x50,
  0x4e,
  0x47,
  0x0d,
  0x0a,
  0x1a,
  0x0a,
  ...Array.from({ length: 256 }, (_, i) => i),
])

/** A SQLite database with varied data: unicode, metadata, edits, deletes, replies, client ids, files. */
export async function seed(url: string) {
  await using live = await liveServer({ DATABASE_URL: url, BOT_PROVIDER: 'builtin' })
  const form = new FormData()
  form.append('user_id', 'user-0')
  form.append('file', new File([everyByte], 'every byte 🧪.png', { type: 'image/png' }))
  const uploaded = (await (await fetch(`${live.base}/files`, { method: 'POST', body: form })).json()) as { url: string }
  for (let c = 0; c < 3; c++) {
    const conv = (
      await live.call('POST', '/conversations/', {
        user_id: `user-${c}`,
        title: c ? `Title ${c} 🧵` : undefined,
        metadata: { c, tags: ['a', 'b'], nested: { z: 1, a: 'é' } },
      })
    ).body
    const ids: string[] = []
    for (let i = 0; i < 7; i++) {
      const m = await live.call('POST', `/conversations/${conv.id}/messages`, {
        sender: i % 2 ? 'ai' : 'user',
        content: `message ${i} 😀 مرحبا e\u0301`,
        metadata: { i },
        ...(i === 2 ? { client_id: `client-${c}` } : {}),
      })
      ids.push(m.body.id)
    }
    await live.call('PUT', `/conversations/${conv.id}/messages/${ids[0]}`, { content: 'edited ✍️' })
    await live.call('DELETE', `/conversations/${conv.id}/messages/${ids[4]}`)
    const hello = await live.call('POST', `/conversations/${conv.id}/messages`, {
      sender: 'user',
      content: 'hello',
      reply: true,
    })
    await live.deps.replies?.idle()
    if (c > 0) continue
    // Branches: another reply to hello (a sibling), a question forked from an earlier message,
    // then the head moved back to the regenerated reply's branch.
    await live.call('POST', `/conversations/${conv.id}/messages/${hello.body.id}/regenerate`)
    await live.deps.replies?.idle()
    const fork = { sender: 'user', content: 'a fork 🌿', parent_id: ids[1] }
    expect((await live.call('POST', `/conversations/${conv.id}/messages`, fork)).status).toBe(201)
    expect((await live.call('PUT', `/conversations/${conv.id}/head`, { message_id: hello.body.id })).status).toBe(200)
    // Files named by parts: one uploaded, one sent as a data: URL (stored as a second file).
    const dataUrl = `data:text/plain;base64,${Buffer.from('notes\u0000\n').toString('base64')}`
    const parts = [
      { type: 'text', text: 'two files' },
      { type: 'file', mediaType: 'image/png', url: uploaded.url, filename: 'every byte 🧪.png' },
      { type: 'file', mediaType: 'text/plain', url: dataUrl },
    ]
    expect((await live.call('POST', `/conversations/${conv.id}/messages`, { sender: 'user', parts })).status).toBe(201)
  }
  return uploaded.url
}

/**
 * Assistants (their specs' key order and unicode kept), a quota, and a conversation of one of
 * them whose replies on a fixed day make usage rows: two models, one summed from two replies.
 */
export async function seedAssistants(url: string) {
  const store = openSqliteStorage(loadConfig({}, { DATABASE_URL: url }))
  try {
    await store.createAssistant('helper', { name: 'Helper 🤖', z: 1, a: [1, { y: null, b: 'é' }] })
    await store.createAssistant('Zeta', { instructions: 'Be brief.\nAlways.' })
    await store.setQuota('user-1', { tokens_per_day: 5000, nested: { é: 1, a: true } })
    const conv = await store.createConversation({
      userId: 'user-9',
      title: 'assisted',
      metadata: {},
      assistantId: 'helper',
    })
    const question = await store.createMessage({ conversationId: conv.id, sender: 'user', content: 'q', metadata: {} })
    setSystemTime(new Date('2030-01-02T03:04:05.006Z'))
    for (const [model, input, output] of [
      ['m1', 3, 4],
      ['m1', 5, 6],
      ['m2 é', 7, 8],
    ] as const) {
      await store.createMessage({
        conversationId: conv.id,
        sender: 'ai',
        content: `answer by ${model}`,
        metadata: {},
        replyTo: question?.message.id,
        generation: {
          assistant_id: 'helper',
          model,
          finish_reason: 'stop',
          usage: { input_tokens: input, output_tokens: output, estimated: false },
          duration_ms: 9,
        },
      })
    }
  } finally {
    setSystemTime()
    await store.close()
  }
}

/** How many lines of each type an export has. */
export const kinds = (file: string) => {
  const count: Record<string, number> = {}
  for (const l of file.split('\n').filter(Boolean)) {
    const { type } = JSON.parse(l) as { type: string }
    count[type] = (count[type] ?? 0) + 1
  }
  return count
}
