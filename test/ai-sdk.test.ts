import { describe, expect, test } from 'bun:test'
import * as ai7 from 'ai'
import * as ai5 from 'ai-v5'
import * as ai6 from 'ai-v6'
import { talkingBot } from './bots'
import { liveServer, wsClient } from './live'
import { SECRET, userToken } from './tokens'

/** The three majors, each used through its own exports (typed as the newest: the calls are the same). */
const SDKS = [
  ['ai 5', ai5 as unknown as typeof ai7],
  ['ai 6', ai6 as unknown as typeof ai7],
  ['ai 7', ai7],
] as const

/** The chat's history as Parley serves it to useChat. */
const historyOf = async (base: string, chatId: string): Promise<any[]> =>
  (await (await fetch(`${base}/api/chat/${chatId}/messages`)).json()) as any[]

/** The text parts of a UIMessage, joined. */
const textOf = (m: any) =>
  m.parts
    .filter((p: any) => p.type === 'text')
    .map((p: any) => p.text)
    .join('')
const userMessage = (id: string, text: string) => ({
  id,
  role: 'user' as const,
  parts: [{ type: 'text' as const, text }],
})

describe.each(SDKS)("%s: DefaultChatTransport against Parley's /api/chat", (_name, sdk) => {
  /** The transport's chunks of one response, and the UIMessage they build (the SDK's own reader). */
  async function read(stream: ReadableStream<any> | null) {
    if (!stream) return null
    const [forChunks, forMessage] = stream.tee()
    const chunks: any[] = []
    const collect = (async () => {
      for await (const chunk of forChunks as any) chunks.push(chunk)
    })()
    let message: any = null
    for await (const m of sdk.readUIMessageStream({ stream: forMessage }) as any) message = m
    await collect
    return { chunks, message }
  }

  test('send streams the reply (reasoning, text, finish with usage); history, regenerate and edit keep the tree', async () => {
    const bot = talkingBot()
    await using live = await liveServer({}, bot)
    const transport = new sdk.DefaultChatTransport({ api: `${live.base}/api/chat` })
    const chatId = sdk.generateId()
    const send = (messages: any[], extra: Record<string, unknown> = {}) =>
      transport.sendMessages({
        chatId,
        messages,
        trigger: 'submit-message',
        messageId: undefined,
        abortSignal: undefined,
        ...extra,
      } as any)
    const first = await read(await send([userMessage('u1', 'hello')]))
    expect(first?.chunks.map((c) => c.type)).toEqual([
      'start',
      'start-step',
      'reasoning-start',
      'reasoning-delta',
      'reasoning-end',
      'text-start',
      'text-delta',
      'text-delta',
      'text-end',
      'finish-step',
      'finish',
    ])
    const reply = first?.message
    expect(reply.parts.filter((p: any) => p.type !== 'step-start')).toMatchObject([
      { type: 'reasoning', text: 'Thinking.' },
      { type: 'text', text: 'You said: hello' },
    ])
    expect(reply.metadata).toMatchObject({ model: 'talk-1', usage: { input_tokens: 5, output_tokens: 3 } })

    // The chat is a Parley conversation: its history is the stored one, reply id included.
    const history = await historyOf(live.base, chatId)
    expect(history.map((m: any) => [m.role, textOf(m)])).toEqual([
      ['user', 'hello'],
      ['assistant', 'You said: hello'],
    ])
    expect(history[1].id).toBe(reply.id)

    // Regenerate: another version of the reply, beside the first.
    const again = await read(
      await transport.sendMessages({
        chatId,
        messages: history,
        trigger: 'regenerate-message',
        messageId: reply.id,
      } as any),
    )
    expect(again?.message.id).not.toBe(reply.id)
    expect(again?.message.metadata.siblings).toEqual([reply.id, again?.message.id])

    // Edit: the question as a new version (same parent), answered on its own branch.
    const edited = await read(await send([userMessage('u1', 'hi there')], { messageId: 'u1' }))
    expect(textOf(edited?.message)).toBe('You said: hi there')
    const after = await historyOf(live.base, chatId)
    expect(after.map(textOf)).toEqual(['hi there', 'You said: hi there'])
    expect(after[0].metadata.siblings.length).toBe(2)
    expect(bot.inputs.at(-1)?.history.map((m) => m.content)).toEqual(['hi there'])
  })

  test('a reply keeps going when the client goes; reconnectToStream replays it from its start and follows it live', async () => {
    const bot = talkingBot()
    bot.hold()
    await using live = await liveServer({}, bot)
    const transport = new sdk.DefaultChatTransport({ api: `${live.base}/api/chat` })
    const chatId = sdk.generateId()
    expect(await transport.reconnectToStream({ chatId } as any)).toBeNull()
    const abort = new AbortController()
    const stream = await transport.sendMessages({
      chatId,
      messages: [userMessage('m1', 'ping')],
      trigger: 'submit-message',
      abortSignal: abort.signal,
    } as any)
    const reader = stream.getReader()
    while ((await reader.read()).value?.type !== 'text-delta') {}
    abort.abort() // the client leaves mid-reply
    const resumed = transport.reconnectToStream({ chatId } as any)
    const got = await resumed
    expect(got).not.toBeNull()
    setTimeout(() => bot.go(), 100)
    const result = await read(got)
    expect(result?.chunks[0]).toMatchObject({ type: 'start' })
    expect(result?.message.parts.filter((p: any) => p.type === 'text').map((p: any) => p.text)).toEqual([
      'You said: ping',
    ])
    expect(result?.chunks.at(-1)).toMatchObject({ type: 'finish' })
    expect(await transport.reconnectToStream({ chatId } as any)).toBeNull()
  })

  test('POST …/stop stops the reply; it is stored as stopped and the stream finishes', async () => {
    const bot = talkingBot()
    bot.hold()
    await using live = await liveServer({}, bot)
    const transport = new sdk.DefaultChatTransport({ api: `${live.base}/api/chat` })
    const chatId = sdk.generateId()
    const reading = read(
      await transport.sendMessages({
        chatId,
        messages: [userMessage('m1', 'stop me')],
        trigger: 'submit-message',
      } as any),
    )
    await Bun.sleep(100)
    expect(await (await fetch(`${live.base}/api/chat/${chatId}/stop`, { method: 'POST' })).json()).toEqual({
      stopped: true,
    })
    const result = await reading
    expect(result?.chunks.at(-1)).toMatchObject({ type: 'finish', messageMetadata: { stopped: true } })
    expect(textOf(result?.message)).toBe('You said: ')
    const stored = await historyOf(live.base, chatId)
    expect(stored[1].metadata).toMatchObject({ stopped: true, finishReason: 'stopped' })
  })
})

describe('the AI SDK face beside the others', () => {
  test('a retried request stores nothing new and streams the reply it made; a socket in the room sees the same messages', async () => {
    await using live = await liveServer({}, talkingBot())
    const transport = new ai7.DefaultChatTransport({ api: `${live.base}/api/chat` })
    const chatId = ai7.generateId()
    const send = () =>
      transport.sendMessages({
        chatId,
        messages: [userMessage('same-id', 'twice')],
        trigger: 'submit-message',
        messageId: undefined,
        abortSignal: undefined,
      })
    const firstStream = await send()
    let first: any = null
    for await (const m of ai7.readUIMessageStream({ stream: firstStream })) first = m
    let again: any = null
    for await (const m of ai7.readUIMessageStream({ stream: await send() })) again = m
    expect(again.id).toBe(first.id)
    expect(textOf(again)).toBe(textOf(first))
    expect((await historyOf(live.base, chatId)).length).toBe(2)
    const list = (await live.call('GET', '/conversations?user_id=anonymous')).body.conversations
    expect(list.length).toBe(1)
    using watcher = await wsClient(live.ws)
    await watcher.join(list[0].id)
    const next = await transport.sendMessages({
      chatId,
      messages: [userMessage('m2', 'and a socket sees it')],
      trigger: 'submit-message',
      messageId: undefined,
      abortSignal: undefined,
    })
    for await (const _ of ai7.readUIMessageStream({ stream: next })) {
    }
    expect((await watcher.next('new_message', (d) => d.sender === 'user')).content).toBe('and a socket sees it')
    expect((await watcher.next('new_message', (d) => d.sender === 'ai')).content).toBe('You said: and a socket sees it')
  })

  test('with user tokens the transport carries the bearer token; a chat id names a chat of the token’s user only', async () => {
    await using live = await liveServer({ AUTH_MODE: 'jwt', JWT_SECRET: SECRET }, talkingBot())
    const as = async (user: string) =>
      new ai7.DefaultChatTransport({
        api: `${live.base}/api/chat`,
        headers: { authorization: `Bearer ${await userToken(user)}` },
      })
    const chatId = ai7.generateId()
    const alice = await as('alice')
    for await (const _ of ai7.readUIMessageStream({
      stream: await alice.sendMessages({
        chatId,
        messages: [userMessage('a1', 'secret plan')],
        trigger: 'submit-message',
        messageId: undefined,
        abortSignal: undefined,
      }),
    })) {
    }
    const anonymous = await fetch(`${live.base}/api/chat/${chatId}/messages`)
    expect(anonymous.status).toBe(401)
    const bobs = await fetch(`${live.base}/api/chat/${chatId}/messages`, {
      headers: { authorization: `Bearer ${await userToken('bob')}` },
    })
    expect(await bobs.json()).toEqual([])
    const alices = await fetch(`${live.base}/api/chat/${chatId}/messages`, {
      headers: { authorization: `Bearer ${await userToken('alice')}` },
    })
    expect(((await alices.json()) as any[]).map(textOf)).toEqual(['secret plan', 'You said: secret plan'])
  })
})

test('a new message goes after the message the client shows before it, even off the head (a client-side branch switch)', async () => {
  await using live = await liveServer({}, talkingBot())
  const transport = new ai7.DefaultChatTransport({ api: `${live.base}/api/chat` })
  const chatId = ai7.generateId()
  const run = async (options: any) => {
    let message: any = null
    for await (const m of ai7.readUIMessageStream({
      stream: await transport.sendMessages({ chatId, messageId: undefined, abortSignal: undefined, ...options }),
    }))
      message = m
    return message
  }
  const question = userMessage('q', 'first')
  const a1 = await run({ messages: [question], trigger: 'submit-message' })
  const a2 = await run({ messages: [question, a1], trigger: 'regenerate-message', messageId: a1.id })
  expect(a2.metadata.siblings).toEqual([a1.id, a2.id])
  // The client shows a1 (it switched back locally): the follow-up answers that branch.
  await run({ messages: [question, a1, userMessage('f', 'follow-up')], trigger: 'submit-message' })
  const history = await historyOf(live.base, chatId)
  expect(history.map((m) => m.id).slice(1, 2)).toEqual([a1.id])
  expect(history.map(textOf)).toEqual(['first', 'You said: first', 'follow-up', 'You said: follow-up'])
})

test("useChat's requests count against RATE_LIMIT_MESSAGES like send_message: past it, a JSON 429 the transport reports", async () => {
  await using live = await liveServer({ RATE_LIMIT_MESSAGES: '2' }, talkingBot())
  const transport = new ai7.DefaultChatTransport({ api: `${live.base}/api/chat` })
  const chatId = ai7.generateId()
  for (const id of ['r1', 'r2']) {
    const stream = await transport.sendMessages({
      chatId,
      messages: [userMessage(id, id)],
      trigger: 'submit-message',
      messageId: undefined,
      abortSignal: undefined,
    })
    for await (const _ of ai7.readUIMessageStream({ stream })) {
    }
  }
  const refused = transport.sendMessages({
    chatId,
    messages: [userMessage('r3', 'r3')],
    trigger: 'submit-message',
    messageId: undefined,
    abortSignal: undefined,
  })
  await expect(refused).rejects.toThrow(/rate_limited|Too many messages/)
  const raw = await fetch(`${live.base}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id: chatId, trigger: 'submit-message', messages: [userMessage('r4', 'r4')] }),
  })
  expect([raw.status, ((await raw.json()) as { code: string }).code]).toEqual([429, 'rate_limited'])
  expect((await historyOf(live.base, chatId)).length).toBe(4) // nothing of the refused ones stored
})
