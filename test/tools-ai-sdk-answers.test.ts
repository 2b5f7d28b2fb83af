import { afterAll, beforeAll, expect, test } from 'bun:test'
import * as ai from 'ai'
import { fakeOpenAI, toolCallScript } from './fake-openai'
import type { liveServer } from './live'
import { GUARDED, toolServer } from './tool-helpers'

type Fake = Awaited<ReturnType<typeof fakeOpenAI>>
let fake: Fake
let server: Awaited<ReturnType<typeof liveServer>>

beforeAll(async () => {
  fake = await fakeOpenAI({ kind: 'reply', chunks: ['Done.'] })
  server = await toolServer(fake, GUARDED)
})
afterAll(async () => {
  await server?.stop()
  await fake?.stop()
})

/** Reads a UI message stream with the SDK's reader until `stop` holds for the message so far. */
async function readUntil(stream: ReadableStream<any>, stop: (m: any) => boolean, start?: any) {
  let message: any = start
  for await (const m of ai.readUIMessageStream({ stream, ...(start && { message: start }) }) as any) {
    message = m
    if (stop(m)) break
  }
  return message
}

const toolPart = (m: any) => m.parts.find((p: any) => p.type === 'dynamic-tool')

test('useChat answers the reply’s paused calls: a client tool’s result (addToolResult) and an approval', async () => {
  const chatId = ai.generateId()
  const transport = new ai.DefaultChatTransport({
    api: `${server.base}/api/chat`,
    body: { client_tools: [{ name: 'get_location', description: 'Where the user is' }] },
  })
  const send = (messages: any[]) =>
    transport.sendMessages({ chatId, messages, trigger: 'submit-message', messageId: undefined } as any)
  fake.queue(
    toolCallScript([{ name: 'get_location', arguments: {} }]),
    toolCallScript([{ name: 'guarded__now', arguments: { timezone: 'Europe/Lisbon' }, id: 'clock' }]),
    { kind: 'reply', chunks: ['Lisbon, 01:00.'] },
  )
  const user = { id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Where am I, and what time is it?' }] }
  const first = await send([user])
  const asked = await readUntil(first, (m) => toolPart(m)?.state === 'input-available')
  expect(toolPart(asked)).toMatchObject({ toolName: 'get_location', state: 'input-available' })

  // What addToolResult leaves in the message, sent back as useChat does.
  const answered = structuredClone(asked)
  Object.assign(toolPart(answered), { state: 'output-available', output: { city: 'Lisbon' } })
  const second = await send([user, answered])
  const approval = await readUntil(second, (m) => m.parts.some((p: any) => p.state === 'approval-requested'), answered)
  const guarded = approval.parts.find((p: any) => p.toolName === 'guarded.now')
  expect(guarded).toMatchObject({ state: 'approval-requested', approval: { id: 'approval-clock' } })

  // addToolApprovalResponse: the part answered, sent back.
  const approved = structuredClone(approval)
  const part = approved.parts.find((p: any) => p.toolName === 'guarded.now')
  Object.assign(part, { state: 'approval-responded', approval: { id: part.approval.id, approved: true } })
  const third = await send([user, approved])
  const done = await readUntil(third, () => false, approved)
  expect(
    done.parts
      .filter((p: any) => p.type !== 'step-start')
      .map((p: any) => [p.type, p.type === 'text' ? p.text : p.state]),
  ).toEqual([
    ['dynamic-tool', 'output-available'],
    ['dynamic-tool', 'output-available'],
    ['text', 'Lisbon, 01:00.'],
  ])
  // Stored as one reply: both calls and the answer.
  const history = (await (await fetch(`${server.base}/api/chat/${chatId}/messages`)).json()) as any[]
  expect(history[1].parts.map((p: any) => p.output ?? p.text)).toEqual([
    { city: 'Lisbon' },
    '01:00 in Europe/Lisbon',
    'Lisbon, 01:00.',
  ])
  // Answering what no longer waits is refused.
  const stale = await fetch(`${server.base}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id: chatId, trigger: 'submit-message', messages: [user, approved] }),
  })
  expect(stale.status).toBe(409)
})
