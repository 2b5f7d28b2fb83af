import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { messagesOf } from './assistant-helpers'
import { fakeOpenAI, toolCallScript } from './fake-openai'
import { type liveServer, wsClient } from './live'
import { sioClient } from './sio'
import { GUARDED, toolServer } from './tool-helpers'

type Fake = Awaited<ReturnType<typeof fakeOpenAI>>
const location = {
  name: 'get_location',
  description: "The user's city",
  parameters: { type: 'object', properties: {} },
}

describe('tools that wait for the user: client tools and approvals', () => {
  let fake: Fake
  let server: Awaited<ReturnType<typeof liveServer>>
  const conversation = async () => (await server.call('POST', '/conversations/', { user_id: 'u' })).body.id as string

  beforeAll(async () => {
    fake = await fakeOpenAI({ kind: 'reply', chunks: ['Done.'] })
    server = await toolServer(fake, GUARDED, { TOOL_WAIT_MS: '1500' })
  })
  afterAll(async () => {
    await server?.stop()
    await fake?.stop()
  })

  test('a client tool declared with the message is called on the client, which answers over Socket.IO', async () => {
    const id = await conversation()
    fake.queue(toolCallScript([{ name: 'get_location', arguments: {} }]), {
      kind: 'reply',
      chunks: ['You are in Lisbon.'],
    })
    const before = fake.requests.length
    using sio = await sioClient(server.base, { transports: ['websocket'] })
    await sio.join(id)
    sio.emit('send_message', { conversationId: id, content: 'Where am I?', client_tools: [location] })
    const call = await sio.next('tool_call_input')
    expect(call).toMatchObject({ toolName: 'get_location', state: 'input-available', input: {} })
    // The assistant's own tools, then the client's.
    expect(fake.requests[before]?.body.tools.map((t: any) => t.function.name)).toEqual(['guarded__now', 'get_location'])
    expect(fake.requests[before]?.body.tools[1]).toEqual({
      type: 'function',
      function: { name: 'get_location', description: "The user's city", parameters: location.parameters },
    })
    const ack = await sio.socket.emitWithAck('tool_result', {
      conversationId: id,
      toolCallId: call.toolCallId,
      output: { city: 'Lisbon' },
    })
    expect(ack).toMatchObject({ ok: true, accepted: true })
    const reply = await sio.next('new_message', (m) => m.sender === 'ai')
    expect(reply.parts).toMatchObject([
      { type: 'tool-call', toolName: 'get_location', state: 'output-available', output: { city: 'Lisbon' } },
      { type: 'text', text: 'You are in Lisbon.' },
    ])
    expect(fake.requests[before + 1]?.body.messages.at(-1)).toEqual({
      role: 'tool',
      tool_call_id: call.toolCallId,
      content: '{"city":"Lisbon"}',
    })
    // Answering again, or a call that does not exist: nothing waits for it.
    const again = await sio.socket.emitWithAck('tool_result', {
      conversationId: id,
      toolCallId: call.toolCallId,
      output: 1,
    })
    expect(again).toMatchObject({ ok: false, code: 'tool_call_not_pending' })
  })

  test('an unanswered client tool times out into an error the model sees', async () => {
    const id = await conversation()
    fake.queue(toolCallScript([{ name: 'get_location', arguments: {} }]), {
      kind: 'reply',
      chunks: ['I could not tell.'],
    })
    await server.call('POST', `/conversations/${id}/messages`, {
      content: 'Where am I?',
      sender: 'user',
      reply: true,
      client_tools: [location],
    })
    const [, reply] = await messagesOf(server.call, id, 2)
    expect(reply.parts[0]).toMatchObject({
      state: 'output-error',
      errorText: 'The client did not answer the call of get_location',
    })
    expect(reply.content).toBe('I could not tell.')
  })

  test('a tool that needs approval waits; approved over REST it runs, denied over WebSocket the model hears why', async () => {
    const id = await conversation()
    using ws = await wsClient(`${server.ws}/ws`)
    await ws.join(id)
    fake.queue(
      toolCallScript([{ name: 'guarded__now', arguments: { timezone: 'UTC' } }]),
      toolCallScript([{ name: 'guarded__now', arguments: { timezone: 'Asia/Tokyo' }, id: 'second' }]),
      { kind: 'reply', chunks: ['One of two.'] },
    )
    await server.call('POST', `/conversations/${id}/messages`, { content: 'Times?', sender: 'user', reply: true })
    const asked = await ws.next('tool_call_approval', (d) => d.state === 'approval-requested', 5000)
    expect(asked).toMatchObject({ toolName: 'guarded.now', approval: { id: `approval-${asked.toolCallId}` } })
    const unknown = await server.call('POST', `/conversations/${id}/tool-calls/nope/approval`, { approved: true })
    expect(unknown).toMatchObject({ status: 409, body: { code: 'tool_call_not_pending' } })
    const approved = await server.call('POST', `/conversations/${id}/tool-calls/${asked.toolCallId}/approval`, {
      approved: true,
    })
    expect(approved).toEqual({ status: 202, body: { accepted: true } })
    expect(await ws.next('tool_call_result')).toMatchObject({ state: 'output-available', output: '00:00 in UTC' })

    const second = await ws.next('tool_call_approval', (d) => d.state === 'approval-requested', 5000)
    ws.emit('tool_approval', { conversationId: id, toolCallId: second.toolCallId, approved: false, reason: 'not now' })
    expect(await ws.next('tool_call_result')).toMatchObject({ state: 'output-denied', errorText: 'Denied: not now' })
    const reply = await ws.next('new_message', (m) => m.sender === 'ai')
    expect(reply.parts.map((p: any) => p.state ?? p.type)).toEqual(['output-available', 'output-denied', 'text'])
    expect(reply.parts[1].approval).toEqual({ id: `approval-${second.toolCallId}`, approved: false, reason: 'not now' })
    const tools = fake.requests.at(-1)?.body.messages.filter((m: any) => m.role === 'tool')
    expect(tools.map((m: any) => m.content)).toEqual(['00:00 in UTC', 'The user denied this call: Denied: not now'])
  })
})
