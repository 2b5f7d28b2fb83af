import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import * as ai7 from 'ai'
import * as ai5 from 'ai-v5'
import * as ai6 from 'ai-v6'
import { fakeOpenAI, toolCallScript } from './fake-openai'
import type { liveServer } from './live'
import { stdioClock, toolServer } from './tool-helpers'

const SDKS = [
  ['ai 5', ai5 as unknown as typeof ai7],
  ['ai 6', ai6 as unknown as typeof ai7],
  ['ai 7', ai7],
] as const
type Fake = Awaited<ReturnType<typeof fakeOpenAI>>

let fake: Fake
let server: Awaited<ReturnType<typeof liveServer>>
beforeAll(async () => {
  fake = await fakeOpenAI({ kind: 'reply', chunks: ['Done.'] })
  server = await toolServer(fake, {
    mcp_servers: { clock: stdioClock() },
    assistants: [{ id: 'timekeeper', name: 'Timekeeper', provider: 'llm', tools: ['clock.now', 'clock.slow'] }],
  })
})
afterAll(async () => {
  await server?.stop()
  await fake?.stop()
})

const tokyo = () =>
  fake.queue(toolCallScript([{ name: 'clock__now', arguments: { timezone: 'Asia/Tokyo' } }]), {
    kind: 'reply',
    chunks: ['It is 09:00 in Tokyo.'],
  })

describe.each(SDKS)('%s: tool steps reach useChat as the SDK’s own tool chunks', (_name, sdk) => {
  test('the call, its input as it streams, its output, then the answer; the same after a reload', async () => {
    tokyo()
    const transport = new sdk.DefaultChatTransport({ api: `${server.base}/api/chat` })
    const chatId = sdk.generateId()
    const stream = await transport.sendMessages({
      chatId,
      messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: 'What time is it in Tokyo?' }] }],
      trigger: 'submit-message',
      messageId: undefined,
      abortSignal: undefined,
    } as any)
    const [forChunks, forMessage] = stream.tee()
    const chunks: any[] = []
    const collect = (async () => {
      for await (const chunk of forChunks as any) chunks.push(chunk)
    })()
    let message: any = null
    // The SDK's own reader: it fails on a chunk its schema or state machine refuses.
    for await (const m of sdk.readUIMessageStream({ stream: forMessage }) as any) message = m
    await collect
    const types = chunks.map((c) => c.type)
    expect(types.slice(0, 3)).toEqual(['start', 'start-step', 'tool-input-start'])
    expect(types.filter((t) => t === 'tool-input-delta').length).toBeGreaterThan(1)
    expect(types.slice(types.indexOf('tool-input-available'))).toEqual([
      'tool-input-available',
      'tool-output-available',
      'finish-step',
      'start-step',
      'text-start',
      'text-delta',
      'text-end',
      'finish-step',
      'finish',
    ])
    const tool = {
      type: 'dynamic-tool',
      toolName: 'clock.now',
      toolCallId: 'call_0',
      state: 'output-available',
      input: { timezone: 'Asia/Tokyo' },
      output: '09:00 in Asia/Tokyo',
    }
    expect(message.parts.filter((p: any) => p.type !== 'step-start')).toMatchObject([
      tool,
      { type: 'text', text: 'It is 09:00 in Tokyo.' },
    ])
    const history = (await (await fetch(`${server.base}/api/chat/${chatId}/messages`)).json()) as any[]
    expect(history[1].parts).toMatchObject([tool, { type: 'text', text: 'It is 09:00 in Tokyo.' }])
  })
})

test('a stream resumed mid-call shows the call so far, then its result and the answer', async () => {
  fake.queue(toolCallScript([{ name: 'clock__slow', arguments: { ms: 300 } }]), { kind: 'reply', chunks: ['Waited.'] })
  const chatId = ai7.generateId()
  const first = await fetch(`${server.base}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      id: chatId,
      trigger: 'submit-message',
      messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: 'wait' }] }],
    }),
  })
  const reader = (first.body as ReadableStream<Uint8Array>).getReader()
  let seen = ''
  while (!seen.includes('tool-input-available')) seen += new TextDecoder().decode((await reader.read()).value)
  await reader.cancel() // the tab reloads
  const resumed = await new ai7.DefaultChatTransport({ api: `${server.base}/api/chat` }).reconnectToStream({
    chatId,
  } as any)
  let message: any = null
  for await (const m of ai7.readUIMessageStream({ stream: resumed as any }) as any) message = m
  expect(message.parts.filter((p: any) => p.type !== 'step-start')).toMatchObject([
    { type: 'dynamic-tool', toolName: 'clock.slow', state: 'output-available', output: 'waited 300 ms' },
    { type: 'text', text: 'Waited.' },
  ])
})
