import { expect, test } from 'bun:test'
import { messagesOf, writeConfig } from './assistant-helpers'
import { fakeOpenAI } from './fake-openai'
import { liveServer, wsClient } from './live'

test('assistants over REST: create, read-only config ones, changes apply to the next reply, delete falls back', async () => {
  await using fake = await fakeOpenAI({ kind: 'reply', chunks: ['ok'] })
  const file = writeConfig({
    providers: { llm: { type: 'openai', base_url: fake.url } },
    assistants: [{ id: 'base', name: 'Base', provider: 'llm', model: 'base-model', system_prompt: 'Base.' }],
    default_assistant: 'base',
  })
  await using server = await liveServer({ PARLEY_CONFIG: file, BOT_PROVIDER: 'none' })
  const { call } = server

  const spec = {
    id: 'tutor',
    name: 'Tutor',
    provider: 'llm',
    model: 'tutor-model',
    system_prompt: 'Teach.',
    temperature: 1,
  }
  const made = await call('POST', '/assistants', spec)
  expect(made.status).toBe(201)
  expect(made.body).toMatchObject({ ...spec, source: 'api', default: false })
  expect((await call('POST', '/assistants', spec)).body.code).toBe('assistant_exists')
  expect((await call('POST', '/assistants', { ...spec, id: 'base' })).body.code).toBe('assistant_read_only')
  expect((await call('PATCH', '/assistants/base', { name: 'x' })).body.code).toBe('assistant_read_only')
  expect((await call('DELETE', '/assistants/base')).status).toBe(409)
  const unknownProvider = await call('POST', '/assistants', { ...spec, id: 'x', provider: 'nope' })
  expect(unknownProvider.status).toBe(422)
  expect(unknownProvider.body.detail[0]).toMatchObject({ loc: ['body', 'provider'], type: 'unknown_provider' })
  const noModel = await call('POST', '/assistants', { id: 'y', name: 'Y', provider: 'llm' })
  expect(noModel.body.detail[0]).toMatchObject({ loc: ['body', 'model'], type: 'model_required' })
  expect((await call('POST', '/assistants', { ...spec, id: 'z', extra: 1 })).status).toBe(422)
  expect((await call('GET', '/assistants/nobody')).body.code).toBe('assistant_not_found')

  const conversation = (await call('POST', '/conversations/', { user_id: 'u', assistant_id: 'tutor' })).body.id
  await call('POST', `/conversations/${conversation}/messages`, { content: 'q1', sender: 'user', reply: true })
  await messagesOf(call, conversation, 2)
  expect(fake.requests[0]?.body).toMatchObject({ model: 'tutor-model', temperature: 1 })

  // A reply in progress keeps its settings; the change applies to the next one.
  fake.set({ kind: 'gated', chunks: ['slow', ' answer'] })
  await call('POST', `/conversations/${conversation}/messages`, { content: 'q2', sender: 'user', reply: true })
  while (fake.requests.length < 2) await Bun.sleep(5)
  const patched = await call('PATCH', '/assistants/tutor', {
    model: 'tutor-2',
    system_prompt: 'Teach kindly.',
    temperature: null,
  })
  expect(patched.status).toBe(200)
  expect(patched.body.temperature).toBeUndefined()
  fake.release(10)
  const second = await messagesOf(call, conversation, 4)
  expect(second[3].generation.model).toBe('tutor-model')
  fake.set({ kind: 'reply', chunks: ['ok'] })
  await call('POST', `/conversations/${conversation}/messages`, { content: 'q3', sender: 'user', reply: true })
  const third = await messagesOf(call, conversation, 6)
  expect(third[5].generation).toMatchObject({ assistant_id: 'tutor', model: 'tutor-2' })
  expect(fake.requests[2]?.body.messages[0]).toEqual({ role: 'system', content: 'Teach kindly.' })
  expect(fake.requests[2]?.body.temperature).toBeUndefined()

  // Deleting it moves its conversations to the default assistant.
  expect((await call('DELETE', '/assistants/tutor')).status).toBe(204)
  expect((await call('GET', `/conversations/${conversation}`)).body.assistant_id).toBeNull()
  await call('POST', `/conversations/${conversation}/messages`, { content: 'q4', sender: 'user', reply: true })
  const fourth = await messagesOf(call, conversation, 8)
  expect(fourth[7].generation).toMatchObject({ assistant_id: 'base', model: 'base-model' })
  expect((await call('DELETE', '/assistants/tutor')).status).toBe(404)
  expect((await call('GET', '/assistants')).body.assistants.map((a: any) => a.id)).toEqual(['base'])
})

test('a provider down fails only its assistants, naming them; a slow provider does not queue a fast one', async () => {
  await using slow = await fakeOpenAI({ kind: 'gated', chunks: ['slow'] })
  await using fast = await fakeOpenAI({ kind: 'reply', chunks: ['fast'] })
  const file = writeConfig({
    providers: {
      slow: { type: 'openai', base_url: slow.url, model: 'slow-model', concurrency: 1 },
      fast: { type: 'openai', base_url: fast.url, model: 'fast-model', concurrency: 1 },
      down: { type: 'openai', base_url: 'http://127.0.0.1:9/v1', model: 'gone' },
    },
    assistants: [
      { id: 'local', name: 'Local', provider: 'slow' },
      { id: 'hosted', name: 'Hosted', provider: 'fast' },
      { id: 'broken', name: 'Broken', provider: 'down' },
    ],
    default_assistant: 'hosted',
  })
  await using server = await liveServer({ PARLEY_CONFIG: file, BOT_PROVIDER: 'none' })
  const { call } = server
  const on = async (assistant: string) =>
    (await call('POST', '/conversations/', { user_id: 'u', assistant_id: assistant })).body.id
  const [local1, local2, hosted, broken] = [
    await on('local'),
    await on('local'),
    await on('hosted'),
    await on('broken'),
  ]

  using ws = await wsClient(`${server.ws}/ws`)
  await ws.join(broken)
  ws.emit('send_message', { conversationId: broken, content: 'hello?' })
  const error = await ws.next('error', () => true, 10_000)
  expect(error).toMatchObject({ code: 'bot_failed', assistantId: 'broken' })
  expect(error.message).toStartWith('Broken: Could not reach the model provider at 127.0.0.1:9')

  // Two replies on the slow provider (one slot): one generating, one waiting; the fast one answers meanwhile.
  for (const id of [local1, local2, hosted]) {
    await call('POST', `/conversations/${id}/messages`, { content: 'go', sender: 'user', reply: true })
  }
  const fastReply = await messagesOf(call, hosted, 2)
  expect(fastReply[1]?.content).toBe('fast')
  expect(slow.requests).toHaveLength(1)
  expect(slow.maxOpen).toBe(1)
  slow.release(10)
  await messagesOf(call, local1, 2)
  await messagesOf(call, local2, 2)
  expect(slow.requests).toHaveLength(2)
  expect(slow.maxOpen).toBe(1)
})
