import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { messagesOf, threeAssistants, webhookReceiver, writeConfig } from './assistant-helpers'
import { fakeOpenAI } from './fake-openai'
import { liveServer } from './live'
import { sampleValue, scrape } from './prometheus'

type Fake = Awaited<ReturnType<typeof fakeOpenAI>>

describe('three assistants from one config file', () => {
  let hosted: Fake
  let local: Fake
  let hook: ReturnType<typeof webhookReceiver>
  let server: Awaited<ReturnType<typeof liveServer>>

  beforeAll(async () => {
    hosted = await fakeOpenAI({
      kind: 'reply',
      chunks: ['Happy', ' to help.'],
      usage: { prompt_tokens: 21, completion_tokens: 4 },
    })
    local = await fakeOpenAI({
      kind: 'reply',
      chunks: ['def f(): pass'],
      usage: { prompt_tokens: 13, completion_tokens: 6 },
    })
    hook = webhookReceiver()
    const file = writeConfig(threeAssistants(hosted.url, local.url, hook.url))
    server = await liveServer({
      PARLEY_CONFIG: file,
      BOT_PROVIDER: 'none',
      HOSTED_KEY: 'sk-hosted-123',
      METRICS: 'true',
    })
  })
  afterAll(async () => {
    await server?.stop()
    await hosted?.stop()
    await local?.stop()
    hook?.stop()
  })

  test('the front-end lists them, creates a conversation on each, and each reply comes from its own model', async () => {
    const { call } = server
    const listed = await call('GET', '/assistants')
    expect(listed.status).toBe(200)
    expect(listed.body.default_id).toBe('support')
    expect(listed.body.assistants.map((a: any) => [a.id, a.name, a.default])).toEqual([
      ['support', 'Support', true],
      ['coder', 'Coder', false],
      ['custom', 'Custom flow', false],
    ])
    expect(listed.body.assistants[0]).toMatchObject({
      greeting: 'Hi! How can I help?',
      suggestions: ['Track my order'],
    })

    const ids: Record<string, string> = {}
    for (const [user, assistant] of [
      ['alice', 'support'],
      ['alice', 'coder'],
      ['alice', 'custom'],
      ['bob', 'support'],
    ] as const) {
      const made = await call('POST', '/conversations/', { user_id: user, assistant_id: assistant })
      expect(made.status).toBe(201)
      expect(made.body.assistant_id).toBe(assistant)
      ids[`${user}/${assistant}`] = made.body.id
      const sent = await call('POST', `/conversations/${made.body.id}/messages`, {
        content: `question for ${assistant}`,
        sender: 'user',
        reply: true,
      })
      expect(sent.status).toBe(201)
      const [, reply] = await messagesOf(call, made.body.id)
      expect(reply.sender).toBe('ai')
      expect(reply.generation.assistant_id).toBe(assistant)
    }

    // What each server received: the assistant's model, instructions, temperature and limits.
    expect(hosted.requests).toHaveLength(2)
    const first = hosted.requests[0] as (typeof hosted.requests)[number]
    expect(first.body).toMatchObject({ model: 'gpt-fast', temperature: 0.2, max_tokens: 300 })
    expect(first.body.messages).toEqual([
      { role: 'system', content: 'You are Support.' },
      { role: 'user', content: 'question for support' },
    ])
    expect(first.headers.authorization).toBe('Bearer sk-hosted-123')
    expect(local.requests).toHaveLength(1)
    expect(local.requests[0]?.body).toMatchObject({ model: 'qwen-coder', temperature: 0.7 })
    expect(local.requests[0]?.body.max_tokens).toBeUndefined()
    expect(local.requests[0]?.body.messages[0]).toEqual({ role: 'system', content: 'You write code.' })
    expect(hook.bodies).toHaveLength(1)
    expect(hook.bodies[0].assistant).toMatchObject({ id: 'custom', name: 'Custom flow', metadata: { team: 'ops' } })
    expect(hook.bodies[0].message.content).toBe('question for custom')

    // Replies record the model that answered.
    const coder = await messagesOf(call, ids['alice/coder'] as string)
    expect(coder[1].generation).toMatchObject({ model: 'qwen-coder', usage: { input_tokens: 13, output_tokens: 6 } })

    // /usage: per user and per assistant, exactly what the servers reported.
    const alice = await call('GET', '/usage?user_id=alice')
    expect(alice.status).toBe(200)
    expect(alice.body.totals).toEqual({ input_tokens: 21 + 13 + 5, output_tokens: 4 + 6 + 7, replies: 3 })
    const byAssistant = Object.fromEntries(
      alice.body.rows.map((r: any) => [r.assistant_id, [r.model, r.input_tokens, r.output_tokens, r.replies]]),
    )
    expect(byAssistant).toEqual({
      support: ['gpt-fast', 21, 4, 1],
      coder: ['qwen-coder', 13, 6, 1],
      custom: ['flow-1', 5, 7, 1],
    })
    const support = await call('GET', '/usage?assistant_id=support')
    expect(support.body.totals).toEqual({ input_tokens: 42, output_tokens: 8, replies: 2 })
    expect(new Set(support.body.rows.map((r: any) => r.user_id))).toEqual(new Set(['alice', 'bob']))

    // /metrics: tokens and replies per assistant and model.
    const metrics = scrape(await (await fetch(`${server.base}/metrics`)).text())
    const tokens = (assistant: string, direction: string) =>
      sampleValue(metrics, 'parley_bot_tokens_total', { assistant, direction })
    expect([tokens('support', 'input'), tokens('support', 'output')]).toEqual([42, 8])
    expect([tokens('custom', 'input'), tokens('custom', 'output')]).toEqual([5, 7])
    expect(
      sampleValue(metrics, 'parley_bot_replies_total', {
        assistant: 'coder',
        model: 'qwen-coder',
        outcome: 'completed',
      }),
    ).toBe(1)
  })

  test('a conversation without assistant_id gets the default one; PATCH moves it to another', async () => {
    const { call } = server
    const made = await call('POST', '/conversations/', { user_id: 'carol' })
    expect(made.body.assistant_id).toBeNull()
    const before = hosted.requests.length
    await call('POST', `/conversations/${made.body.id}/messages`, { content: 'hello', sender: 'user', reply: true })
    const [, reply] = await messagesOf(call, made.body.id)
    expect(reply.generation.assistant_id).toBe('support')
    expect(hosted.requests.length).toBe(before + 1)

    const moved = await call('PATCH', `/conversations/${made.body.id}`, { assistant_id: 'coder' })
    expect(moved.status).toBe(200)
    expect(moved.body.assistant_id).toBe('coder')
    const asked = local.requests.length
    await call('POST', `/conversations/${made.body.id}/messages`, { content: 'now code', sender: 'user', reply: true })
    const all = await messagesOf(call, made.body.id, 4)
    expect(all[3].generation.assistant_id).toBe('coder')
    expect(local.requests.length).toBe(asked + 1)

    for (const body of [{ assistant_id: 'nobody' }, { assistant_id: 'bad id!' }]) {
      const refused = await call('PATCH', `/conversations/${made.body.id}`, body)
      expect(refused.status).toBe(422)
      expect(refused.body.code).toBe('validation_error')
    }
    const unknown = await call('POST', '/conversations/', { user_id: 'carol', assistant_id: 'nobody' })
    expect(unknown.status).toBe(422)
    expect(unknown.body.detail[0]).toMatchObject({ loc: ['body', 'assistant_id'], type: 'unknown_assistant' })
  })
})
