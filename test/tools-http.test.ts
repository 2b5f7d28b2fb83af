import { expect, test } from 'bun:test'
import { createHmac } from 'node:crypto'
import { messagesOf, writeConfig } from './assistant-helpers'
import { fakeOpenAI, toolCallScript } from './fake-openai'
import { mcpHttpServer } from './fixtures/mcp-server'
import { liveServer } from './live'
import { sampleValue, scrape } from './prometheus'

test('an HTTP tool is POSTed signed; a Streamable HTTP MCP server shows in readiness and metrics', async () => {
  const received: { body: any; signature: string | null; raw: string }[] = []
  const weather = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(req) {
      const raw = await req.text()
      received.push({ body: JSON.parse(raw), signature: req.headers.get('x-parley-signature'), raw })
      return Response.json({ output: { city: 'Lisbon', forecast: 'sunny', high_c: 24 } })
    },
  })
  const mcp = mcpHttpServer()
  await using fake = await fakeOpenAI({ kind: 'reply', chunks: ['ok'] })
  try {
    const file = writeConfig({
      providers: { llm: { type: 'openai', base_url: fake.url, model: 'm' } },
      mcp_servers: { remote: { type: 'http', url: mcp.url } },
      tools: {
        weather: {
          url: `http://127.0.0.1:${weather.port}/weather`,
          secret_env: 'TOOL_SECRET',
          description: 'The forecast for a city',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      },
      assistants: [{ id: 'a', name: 'A', provider: 'llm', tools: ['weather', 'remote.now'] }],
    })
    await using server = await liveServer({
      PARLEY_CONFIG: file,
      BOT_PROVIDER: 'none',
      TOOL_SECRET: 'tool-secret-1',
      METRICS: 'true',
    })
    const deadline = Date.now() + 10_000
    let ready: any
    do {
      ready = await (await fetch(`${server.base}/health/ready`)).json()
      if (ready.mcp_servers?.remote?.state === 'ready') break
      await Bun.sleep(20)
    } while (Date.now() < deadline)
    expect(ready).toEqual({ status: 'ok', mcp_servers: { remote: { state: 'ready', tools: 4 } } })

    fake.queue(
      toolCallScript([
        { name: 'weather', arguments: { city: 'Lisbon' } },
        { name: 'remote__now', arguments: { timezone: 'Europe/Lisbon' } },
      ]),
      { kind: 'reply', chunks: ['Sunny, 24 °C.'] },
    )
    const id = (await server.call('POST', '/conversations/', { user_id: 'pat' })).body.id
    await server.call('POST', `/conversations/${id}/messages`, { content: 'Weather?', sender: 'user', reply: true })
    const [, reply] = await messagesOf(server.call, id, 2)
    expect(reply.parts.map((p: any) => [p.toolName, p.state])).toEqual([
      ['weather', 'output-available'],
      ['remote.now', 'output-available'],
      [undefined, undefined],
    ])
    expect(reply.parts[0].output).toEqual({ city: 'Lisbon', forecast: 'sunny', high_c: 24 })
    expect(received).toHaveLength(1)
    const [call] = received
    expect(call?.body).toEqual({ tool: 'weather', arguments: { city: 'Lisbon' }, conversation_id: id, user_id: 'pat' })
    expect(call?.signature).toBe(
      `sha256=${createHmac('sha256', 'tool-secret-1')
        .update(call?.raw ?? '')
        .digest('hex')}`,
    )
    // The model got the structured output as JSON text.
    const tool = fake.requests.at(-1)?.body.messages.find((m: any) => m.role === 'tool')
    expect(JSON.parse(tool.content)).toEqual({ city: 'Lisbon', forecast: 'sunny', high_c: 24 })

    const metrics = scrape(await (await fetch(`${server.base}/metrics`)).text())
    expect(sampleValue(metrics, 'parley_mcp_server_up', { server: 'remote' })).toBe(1)
    expect(sampleValue(metrics, 'parley_tool_calls_total', { tool: 'weather', outcome: 'ok' })).toBe(1)
    expect(sampleValue(metrics, 'parley_tool_calls_total', { tool: 'remote.now', outcome: 'ok' })).toBe(1)
  } finally {
    weather.stop(true)
    mcp.stop()
  }
})

test('tool calls count against the user’s RATE_LIMIT_TOOL_CALLS: past it a call is an error result', async () => {
  await using fake = await fakeOpenAI({ kind: 'reply', chunks: ['ok'] })
  await using server = await liveServer({
    BOT_PROVIDER: 'openai',
    OPENAI_BASE_URL: fake.url,
    OPENAI_MODEL: 'm',
    RATE_LIMIT_TOOL_CALLS: '1',
    TOOL_WAIT_MS: '1000',
  })
  fake.queue(
    toolCallScript([
      { name: 'where', arguments: {} },
      { name: 'where', arguments: {}, id: 'second' },
    ]),
    { kind: 'reply', chunks: ['Somewhere.'] },
  )
  const id = (await server.call('POST', '/conversations/', { user_id: 'busy' })).body.id
  await server.call('POST', `/conversations/${id}/messages`, {
    content: 'Where?',
    sender: 'user',
    reply: true,
    client_tools: [{ name: 'where' }],
  })
  const deadline = Date.now() + 5000
  let parts: any[] = []
  while (Date.now() < deadline) {
    parts = (await server.call('GET', `/conversations/${id}/messages`)).body.messages[0]?.parts ?? []
    if (parts.some((p) => p.errorText?.startsWith('Too many'))) break
    await Bun.sleep(20)
  }
  // The first call was allowed (and went unanswered); the second was over the limit.
  expect(parts.map((p) => p.errorText)).toEqual([
    'The client did not answer the call of where',
    expect.stringMatching(/^Too many tool calls \(RATE_LIMIT_TOOL_CALLS\); try again in \d+ s$/),
    undefined,
  ])
})

test('the reply’s deadline covers its tool calls: a slow one is cancelled and the reply fails with bot_timeout', async () => {
  const mcp = mcpHttpServer()
  await using fake = await fakeOpenAI({ kind: 'reply', chunks: ['ok'] })
  try {
    const file = writeConfig({
      providers: { llm: { type: 'openai', base_url: fake.url, model: 'm', timeout_ms: 800 } },
      mcp_servers: { remote: { type: 'http', url: mcp.url } },
      assistants: [{ id: 'a', name: 'Slowpoke', provider: 'llm', tools: ['remote.slow'] }],
    })
    await using server = await liveServer({ PARLEY_CONFIG: file, BOT_PROVIDER: 'none' })
    const deadline = Date.now() + 10_000
    while (server.deps.toolbox?.states().remote?.state !== 'ready' && Date.now() < deadline) await Bun.sleep(20)
    fake.queue(toolCallScript([{ name: 'remote__slow', arguments: { ms: 5000 } }]))
    const id = (await server.call('POST', '/conversations/', { user_id: 'u' })).body.id
    const started = performance.now()
    const res = await fetch(`${server.base}/conversations/${id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ content: 'slow', sender: 'user' }),
    })
    const text = await res.text()
    expect(performance.now() - started).toBeLessThan(4000)
    expect(text).toContain('event: tool_call_result')
    expect(text).toContain('"errorText":"The call was cancelled"')
    expect(text).toContain('"code":"bot_timeout","message":"Slowpoke: The reply took too long (tools included)"')
  } finally {
    mcp.stop()
  }
})
