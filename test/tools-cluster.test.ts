import { expect, test } from 'bun:test'
import { writeConfig } from './assistant-helpers'
import { spawnInstance } from './cluster'
import { createPostgresDatabase, needs } from './databases'
import { fakeOpenAI, toolCallScript } from './fake-openai'
import { wsClient } from './live'

// Skipped with a message where PostgreSQL is missing; required in CI.
const up = await needs('PostgreSQL')

test.if(up)(
  "a client tool's result posted to another instance reaches the reply, which goes on where it runs",
  async () => {
    const db = await createPostgresDatabase()
    await using fake = await fakeOpenAI({ kind: 'reply', chunks: ['Done.'] })
    const file = writeConfig({
      providers: { llm: { type: 'openai', base_url: fake.url, model: 'm' } },
      assistants: [{ id: 'a', name: 'A', provider: 'llm' }],
    })
    const env = { DATABASE_URL: db.url, BUS: 'postgres', PARLEY_CONFIG: file, BOT_PROVIDER: 'none' }
    const started = await Promise.allSettled([spawnInstance(env), spawnInstance(env)])
    const [a, b] = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
    try {
      if (!a || !b) throw new Error('an instance did not start')
      fake.queue(toolCallScript([{ name: 'get_location', arguments: {} }]), { kind: 'reply', chunks: ['In Porto.'] })
      const id = (await a.call('POST', '/conversations/', { user_id: 'u' })).body.id
      using onB = await wsClient(`${b.ws}/ws`)
      await onB.join(id)
      await a.call('POST', `/conversations/${id}/messages`, {
        content: 'Where am I?',
        sender: 'user',
        reply: true,
        client_tools: [{ name: 'get_location' }],
      })
      // The call is seen on B, and answered there; the reply runs on A.
      const call = await onB.next('tool_call_input', () => true, 10_000)
      const answered = await b.call('POST', `/conversations/${id}/tool-calls/${call.toolCallId}/result`, {
        output: { city: 'Porto' },
      })
      expect(answered).toEqual({ status: 202, body: { accepted: true } })
      const reply = await onB.next('new_message', (m) => m.sender === 'ai', 10_000)
      expect(reply.parts).toMatchObject([
        { type: 'tool-call', toolName: 'get_location', state: 'output-available', output: { city: 'Porto' } },
        { type: 'text', text: 'In Porto.' },
      ])
    } finally {
      await Promise.all([a?.stop(), b?.stop()])
      await db.drop()
    }
  },
  30_000,
)
