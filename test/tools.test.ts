import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { messagesOf } from './assistant-helpers'
import { fakeOpenAI, toolCallScript } from './fake-openai'
import { type liveServer, wsClient } from './live'
import { sioClient } from './sio'
import { stdioClock, toolServer } from './tool-helpers'

const marker = join(mkdtempSync(join(tmpdir(), 'parley-tools-')), 'marker')
type Fake = Awaited<ReturnType<typeof fakeOpenAI>>

/** SSE events of a response, parsed: [{event, data}]. */
async function sseEvents(res: Response) {
  const text = await res.text()
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('event:'))
    .map((block) => {
      const [head, data] = block.split('\n')
      return { event: (head as string).slice(7), data: JSON.parse((data as string).slice(6)) }
    })
}

describe('an assistant with an MCP server calls its tools in a bounded loop', () => {
  let fake: Fake
  let server: Awaited<ReturnType<typeof liveServer>>
  const conversation = async () => (await server.call('POST', '/conversations/', { user_id: 'u' })).body.id as string

  beforeAll(async () => {
    fake = await fakeOpenAI({ kind: 'reply', chunks: ['Done.'] })
    server = await toolServer(fake, {
      mcp_servers: { clock: stdioClock({ env: { MCP_MARKER: marker } }) },
      assistants: [{ id: 'timekeeper', name: 'Timekeeper', provider: 'llm', tools: ['clock.*'], max_steps: 3 }],
    })
  })
  afterAll(async () => {
    await server?.stop()
    await fake?.stop()
  })

  test('"what time is it in Tokyo?": the call, its result and the answer, on SSE and Socket.IO, and stored', async () => {
    const id = await conversation()
    using sio = await sioClient(server.base, { transports: ['websocket'] })
    await sio.join(id)
    const call = toolCallScript([{ name: 'clock__now', arguments: { timezone: 'Asia/Tokyo' } }])
    fake.queue(
      { ...call, usage: { prompt_tokens: 9, completion_tokens: 12 } },
      {
        kind: 'reply',
        chunks: ['It is ', '09:00 in Tokyo.'],
        usage: { prompt_tokens: 40, completion_tokens: 6 },
      },
    )
    const before = fake.requests.length
    const res = await fetch(`${server.base}/conversations/${id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ content: 'What time is it in Tokyo?', sender: 'user' }),
    })
    const events = await sseEvents(res)
    const names = events.map((e) => e.event)
    const calls = names.filter((n) => n.startsWith('tool_'))
    expect(calls[0]).toBe('tool_call_start')
    expect(calls.at(-2)).toBe('tool_call_input')
    expect(calls.at(-1)).toBe('tool_call_result')
    expect(calls.slice(1, -2).every((n) => n === 'tool_input_delta')).toBe(true)
    expect(names.indexOf('tool_call_result')).toBeLessThan(names.indexOf('delta'))
    expect(names.slice(-2)).toEqual(['message', 'done'])
    const result = events.find((e) => e.event === 'tool_call_result')?.data
    expect(result).toMatchObject({
      toolCallId: 'call_0',
      toolName: 'clock.now',
      input: { timezone: 'Asia/Tokyo' },
      state: 'output-available',
      output: '09:00 in Asia/Tokyo',
      part: 0,
    })
    const deltas = events.filter((e) => e.event === 'tool_input_delta').map((e) => e.data.delta)
    expect(deltas.join('')).toBe('{"timezone":"Asia/Tokyo"}')

    // What the model was given and sent back: the tools, then its call and the result in order.
    const [first, second] = fake.requests.slice(before)
    expect(first?.body.tools.map((t: any) => t.function.name)).toEqual([
      'clock__now',
      'clock__slow',
      'clock__fail',
      'clock__grow',
      'clock__boom',
    ])
    expect(first?.body.tools[0].function.parameters).toMatchObject({ type: 'object', required: ['timezone'] })
    expect(second?.body.messages.slice(-3)).toEqual([
      { role: 'user', content: 'What time is it in Tokyo?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_0', type: 'function', function: { name: 'clock__now', arguments: '{"timezone":"Asia/Tokyo"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_0', content: '09:00 in Asia/Tokyo' },
    ])

    // Stored: the call and the answer as parts of one reply, usage over both model calls.
    const [, reply] = await messagesOf(server.call, id, 2)
    expect(reply.content).toBe('It is 09:00 in Tokyo.')
    expect(reply.parts).toEqual([
      {
        type: 'tool-call',
        toolCallId: 'call_0',
        toolName: 'clock.now',
        input: { timezone: 'Asia/Tokyo' },
        state: 'output-available',
        output: '09:00 in Asia/Tokyo',
        durationMs: expect.any(Number),
      },
      { type: 'text', text: 'It is 09:00 in Tokyo.' },
    ])
    expect(reply.generation).toMatchObject({ finish_reason: 'stop', usage: { input_tokens: 49, output_tokens: 18 } })

    // Socket.IO saw the same steps live.
    const started = await sio.next('tool_call_start')
    expect(started).toMatchObject({
      conversationId: id,
      messageId: reply.id,
      toolName: 'clock.now',
      state: 'input-streaming',
    })
    expect(await sio.next('tool_call_result')).toMatchObject({
      state: 'output-available',
      output: '09:00 in Asia/Tokyo',
    })
    expect((await sio.next('new_message', (m) => m.sender === 'ai')).parts).toEqual(reply.parts)
  })

  test('a failing tool and an unknown one are results the model sees; the step limit ends the loop', async () => {
    const id = await conversation()
    fake.queue(
      toolCallScript([
        { name: 'clock__fail', arguments: {} },
        { name: 'nope', arguments: {} },
        { name: 'clock__now', arguments: { timezone: 42 } },
      ]),
      toolCallScript([{ name: 'clock__now', arguments: { timezone: 'UTC' } }]),
      toolCallScript([{ name: 'clock__now', arguments: { timezone: 'UTC' }, id: 'again' }]),
    )
    const before = fake.requests.length
    await server.call('POST', `/conversations/${id}/messages`, { content: 'try', sender: 'user', reply: true })
    const [, reply] = await messagesOf(server.call, id, 2)
    const states = reply.parts.map((p: any) => [p.toolName, p.state, p.errorText ?? p.output])
    expect(states).toEqual([
      ['clock.fail', 'output-error', 'the disk is on fire'],
      ['nope', 'output-error', 'There is no tool "nope"'],
      ['clock.now', 'output-error', expect.stringContaining('/timezone must be string')],
      ['clock.now', 'output-available', '00:00 in UTC'],
      ['clock.now', 'output-error', 'Not run: the reply reached its limit of 3 model calls'],
    ])
    expect(reply.generation.finish_reason).toBe('max_steps')
    expect(fake.requests.length - before).toBe(3)
    const toolMessages = fake.requests[before + 1]?.body.messages.filter((m: any) => m.role === 'tool')
    expect(toolMessages.map((m: any) => m.content)).toEqual([
      'Error: the disk is on fire',
      'Error: There is no tool "nope"',
      expect.stringContaining('Error: Invalid arguments for clock.now'),
    ])
  })

  test('stop during a slow call cancels it at the MCP server; a client joining meanwhile sees the steps so far', async () => {
    const id = await conversation()
    fake.queue(toolCallScript([{ name: 'clock__slow', arguments: { ms: 30_000 } }]))
    using watcher = await wsClient(`${server.ws}/ws`)
    await watcher.join(id)
    await server.call('POST', `/conversations/${id}/messages`, { content: 'wait', sender: 'user', reply: true })
    await watcher.next('tool_call_input', () => true, 5000)
    using late = await wsClient(`${server.ws}/ws`)
    late.emit('join_conversation', { conversationId: id })
    const progress = await late.next('reply_in_progress')
    expect(progress.parts_so_far).toEqual([
      {
        type: 'tool-call',
        toolCallId: 'call_0',
        toolName: 'clock.slow',
        input: { ms: 30_000 },
        state: 'input-available',
      },
    ])
    expect((await server.call('POST', `/conversations/${id}/stop`)).body).toEqual({ stopped: true })
    const result = await watcher.next('tool_call_result')
    expect(result).toMatchObject({ state: 'output-error', errorText: 'The call was cancelled' })
    const [, reply] = await messagesOf(server.call, id, 2)
    expect(reply.metadata.stopped).toBe(true)
    expect(reply.parts[0]).toMatchObject({ toolName: 'clock.slow', state: 'output-error' })
    const deadline = Date.now() + 5000
    while (!(existsSync(marker) && readFileSync(marker, 'utf8').includes('cancelled')) && Date.now() < deadline)
      await Bun.sleep(20)
    expect(readFileSync(marker, 'utf8')).toContain('cancelled')
  })

  test('the MCP server dies during a reply: the call is an error the model recovers from, and the server is back for the next', async () => {
    const id = await conversation()
    fake.queue(toolCallScript([{ name: 'clock__boom', arguments: {} }]), {
      kind: 'reply',
      chunks: ['The clock is down.'],
    })
    await server.call('POST', `/conversations/${id}/messages`, { content: 'boom', sender: 'user', reply: true })
    const [, crashed] = await messagesOf(server.call, id, 2)
    expect(crashed.parts[0]).toMatchObject({ toolName: 'clock.boom', state: 'output-error' })
    expect(crashed.content).toBe('The clock is down.')
    const deadline = Date.now() + 15_000
    while (server.deps.toolbox?.states().clock?.state !== 'ready' && Date.now() < deadline) await Bun.sleep(20)
    fake.queue(toolCallScript([{ name: 'clock__now', arguments: { timezone: 'UTC' } }]), {
      kind: 'reply',
      chunks: ['Back.'],
    })
    await server.call('POST', `/conversations/${id}/messages`, { content: 'again', sender: 'user', reply: true })
    const after = await messagesOf(server.call, id, 4)
    expect(after[3].parts[0]).toMatchObject({
      toolName: 'clock.now',
      state: 'output-available',
      output: '00:00 in UTC',
    })
  })
})
