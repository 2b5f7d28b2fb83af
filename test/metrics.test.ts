import { describe, expect, test } from 'bun:test'
import { Registry } from '../src/metrics/registry'
import { gatedBot } from './bots'
import { newConversation, testApp } from './helpers'
import { liveServer, wsClient } from './live'
import { sampleValue, scrape } from './prometheus'

describe('GET /metrics', () => {
  test('is a 404 unless METRICS=true', async () => {
    await using t = testApp()
    const res = await t.call('GET', '/metrics')
    expect(res.status).toBe(404)
    expect(res.body).toEqual({ detail: 'Not Found', code: 'not_found' })
  })

  test('records nothing while METRICS is off (nobody could read it)', async () => {
    await using t = testApp()
    const id = await newConversation(t)
    expect((await t.call('POST', `/conversations/${id}/messages`, { sender: 'user', content: 'a' })).status).toBe(201)
    expect((await t.call('GET', `/conversations/${id}/messages`)).status).toBe(200)
    const m = scrape(await t.deps.metrics.registry.expose())
    expect(sampleValue(m, 'parley_http_requests_total', { method: 'POST' })).toBe(0)
    expect(sampleValue(m, 'parley_messages_stored_total', { sender: 'user' })).toBe(0)
    expect(sampleValue(m, 'parley_db_query_duration_seconds_count', { operation: 'createMessage' })).toBe(0)
  })

  test('counts HTTP requests by route pattern and status, with latency, messages and DB timings', async () => {
    await using t = testApp({ METRICS: 'true' })
    const id = await newConversation(t)
    for (const content of ['a', 'b', 'c'])
      expect((await t.call('POST', `/conversations/${id}/messages`, { sender: 'user', content })).status).toBe(201)
    await t.call('GET', `/conversations/${id}`)
    await t.call('GET', '/no/such/path')
    await Bun.sleep(10) // let any work after the response settle
    const res = await t.call('GET', '/metrics')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8')
    const m = scrape(res.text)

    expect(m.get('parley_http_requests_total')?.type).toBe('counter')
    const route = '/conversations/:id/messages/'
    expect(sampleValue(m, 'parley_http_requests_total', { method: 'POST', route, status: '201' })).toBe(3)
    expect(sampleValue(m, 'parley_http_requests_total', { method: 'GET', route: '/conversations/:id' })).toBe(1)
    expect(sampleValue(m, 'parley_http_requests_total', { route: 'unmatched', status: '404' })).toBe(1)
    expect(res.text).not.toContain(id) // raw paths never become labels
    await promtoolAccepts(res.text)

    expect(m.get('parley_http_request_duration_seconds')?.type).toBe('histogram')
    expect(sampleValue(m, 'parley_http_request_duration_seconds_count', { method: 'POST', route })).toBe(3)
    expect(sampleValue(m, 'parley_http_request_duration_seconds_sum', { method: 'POST', route })).toBeGreaterThan(0)

    expect(sampleValue(m, 'parley_messages_stored_total', { sender: 'user' })).toBe(3)
    expect(sampleValue(m, 'parley_db_query_duration_seconds_count', { operation: 'createMessage' })).toBe(3)
    expect(sampleValue(m, 'parley_info', { version: t.deps.version })).toBe(1)
    expect(sampleValue(m, 'process_resident_memory_bytes')).toBeGreaterThan(0)
  })

  test('a retried message (same client_id) is counted once', async () => {
    await using t = testApp({ METRICS: 'true' })
    const id = await newConversation(t)
    for (let i = 0; i < 2; i++)
      await t.call('POST', `/conversations/${id}/messages`, { sender: 'user', content: 'x', client_id: 'k1' })
    const m = scrape((await t.call('GET', '/metrics')).text)
    expect(sampleValue(m, 'parley_messages_stored_total', { sender: 'user' })).toBe(1)
  })

  test('open WebSockets by transport and bot replies by provider and outcome', async () => {
    const bot = gatedBot(['one ', 'two'])
    await using live = await liveServer({ METRICS: 'true' }, bot)
    const metrics = async () => scrape(await (await fetch(`${live.base}/metrics`)).text())
    const id = (await live.call('POST', '/conversations/', { user_id: 'm' })).body.id
    using a = await wsClient(`${live.ws}/ws`)
    using b = await wsClient(`${live.ws}/ws`)
    await a.join(id)
    await b.join(id)
    let m = await metrics()
    expect(sampleValue(m, 'parley_websockets_open', { transport: 'native' })).toBe(2)
    expect(sampleValue(m, 'parley_websockets_open', { transport: 'socket.io' })).toBe(0)

    a.emit('send_message', { conversationId: id, content: 'first' })
    bot.release(2)
    const first = await a.next('new_message', (msg) => msg.sender === 'ai')
    a.emit('send_message', { conversationId: id, content: 'second' })
    bot.release(1)
    // The second reply's first delta (the first reply's is in the inbox too, not taken).
    await a.next('message_delta', (d) => d.delta === 'one ' && d.index === 0 && d.messageId !== first.id)
    a.emit('stop_generation', { conversationId: id })
    await a.next('new_message', (msg) => msg.sender === 'ai' && msg.metadata.stopped === true)
    await live.deps.replies?.idle()
    m = await metrics()
    expect(sampleValue(m, 'parley_bot_replies_total', { provider: 'gated', outcome: 'completed' })).toBe(1)
    expect(sampleValue(m, 'parley_bot_replies_total', { provider: 'gated', outcome: 'stopped' })).toBe(1)
    expect(sampleValue(m, 'parley_bot_reply_duration_seconds_count', { outcome: 'completed' })).toBe(1)
    expect(sampleValue(m, 'parley_messages_stored_total', { sender: 'ai' })).toBe(2)

    b.close()
    await b.closed
    await Bun.sleep(20)
    expect(sampleValue(await metrics(), 'parley_websockets_open', { transport: 'native' })).toBe(1)
  })
})

test('the registry escapes label values and help text as the text format requires', () => {
  const registry = new Registry()
  registry.counter('x_total', 'line one\nback\\slash', ['v']).inc({ v: 'a "quoted"\nnew\\line' }, 2)
  registry.histogram('y_seconds', 'y', [], [0.5, 0.1]).observe({}, 0.2)
  const text = registry.expose()
  expect(text).toContain('# HELP x_total line one\\nback\\\\slash\n')
  expect(text).toContain('x_total{v="a \\"quoted\\"\\nnew\\\\line"} 2\n')
  const m = scrape(text)
  expect(m.get('x_total')?.samples[0]?.labels.v).toBe('a "quoted"\nnew\\line')
  expect(sampleValue(m, 'y_seconds_bucket', { le: '0.1' })).toBe(0)
  expect(sampleValue(m, 'y_seconds_bucket', { le: '0.5' })).toBe(1)
  expect(() => registry.counter('x_total', 'again')).toThrow('duplicate')
})

/** Prometheus' own checker, where installed (Debian package `prometheus`); skipped otherwise. */
async function promtoolAccepts(text: string) {
  const promtool = Bun.which('promtool')
  if (!promtool) return
  const proc = Bun.spawn([promtool, 'check', 'metrics'], { stdin: new Blob([text]), stdout: 'pipe', stderr: 'pipe' })
  const [code, out, err] = await Promise.all([
    proc.exited,
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
  ])
  expect(`${out}${err}`).toBe('')
  expect(code).toBe(0)
}
