import { expect, test } from 'bun:test'
import { type Live, liveServer, wsClient } from './live'
import { rawSioClient } from './sio'

/**
 * Hostile frames to every client event name on both transports. A 100 KB frame of `[` once
 * ended the process (a RangeError in JSON.stringify of the event name, thrown again in the
 * handler's catch, unhandled because transports do not await the handler). Invariants: each
 * frame is answered with a client error (never internal_error), the socket stays usable, the
 * server stays up and logs no failure.
 */
const DEEP = 50_000
const deepArray = `${'['.repeat(DEEP)}${']'.repeat(DEEP)}`
const deepObject = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`
const names = [
  'join_conversation',
  'leave_conversation',
  'send_message',
  'typing',
  'stop_generation',
  'ping',
  '__proto__',
  'constructor',
]
/** Payloads as JSON text, `ID` standing for a real conversation id. */
const payloads = [
  deepArray,
  deepObject,
  '{"conversationId":"ID","content":DEEP,"isTyping":DEEP,"since_seq":DEEP}',
  '{"conversationId":"ID","content":"HUGE","isTyping":true,"clientId":"HUGE"}',
  '{"__proto__":{"isTyping":true,"content":"x"},"constructor":{"prototype":{"x":1}},"conversationId":"ID"}',
  '{"conversationId":["ID"],"isTyping":"yes","since_seq":-1,"since":{}}',
  '5',
  'null',
  '"ID"',
  '[]',
]
const inner = `${'['.repeat(10_000)}${']'.repeat(10_000)}` // DEEP inside a payload
const realize = (text: string, id: string) =>
  text.replaceAll('DEEP', inner).replaceAll('HUGE', 'x'.repeat(100_000)).replaceAll('"ID"', JSON.stringify(id))

async function stillServing(live: Live) {
  expect((await live.call('GET', '/health/ready')).status).toBe(200)
  const failures = live.log.lines.filter((l) => l.includes('"level":"error"'))
  expect(failures).toEqual([])
}

test('native WebSocket: deep, huge, mistyped and prototype-keyed frames to every event get errors; nothing falls over', async () => {
  await using live = await liveServer({ BOT_PROVIDER: 'none' })
  const id = (await live.call('POST', '/conversations/', { user_id: 'u' })).body.id
  using c = await wsClient(live.ws)
  const frames = [`{"event":${deepArray}}`, `{"event":${deepObject},"data":${deepArray}}`]
  for (const name of names)
    for (const payload of payloads) frames.push(`{"event":${JSON.stringify(name)},"data":${realize(payload, id)}}`)
  for (const frame of frames) {
    const before = c.inbox.arrived.length
    c.raw(frame)
    c.emit('ping')
    await c.next('pong')
    for (const answer of c.inbox.arrived.slice(before).filter((r) => r.event === 'error')) {
      expect(answer.data.code).not.toBe('internal_error')
      expect(answer.data.message.length).toBeLessThan(300) // no echo of the hostile value
    }
  }
  const depthErrors = c.inbox.named('error').filter((e) => e.code === 'json_too_deep')
  expect(depthErrors.length).toBeGreaterThanOrEqual(2 + names.length * 3)
  expect(c.socket.readyState).toBe(WebSocket.OPEN)
  await c.join(id) // still usable for real work
  await stillServing(live)
}, 15_000)

test('Socket.IO: deep, huge, mistyped and prototype-keyed packets to every event get errors; nothing falls over', async () => {
  await using live = await liveServer({ BOT_PROVIDER: 'none' })
  const id = (await live.call('POST', '/conversations/', { user_id: 'u' })).body.id
  using c = await rawSioClient(live.base)
  for (const name of names) {
    for (const payload of payloads) {
      const ack = c.packet(`[${JSON.stringify(name)},${realize(payload, id)}]`, true)
      const answer = await c.next(`ack:${ack}`)
      expect(typeof answer.ok).toBe('boolean')
      if (!answer.ok) expect(answer.code).not.toBe('internal_error')
    }
  }
  c.emit('ping')
  await c.next('pong')
  c.emit('join_conversation', { conversationId: id })
  expect((await c.next('joined')).conversationId).toBe(id)
  await stillServing(live)
}, 15_000)

test('Socket.IO: a packet the protocol itself refuses (a deep array as event name) ends that session only', async () => {
  await using live = await liveServer({ BOT_PROVIDER: 'none' })
  using bystander = await rawSioClient(live.base)
  using c = await rawSioClient(live.base)
  c.packet(`[${deepArray},{}]`)
  await c.closed // Socket.IO closes a session whose packet does not decode
  bystander.emit('ping')
  await bystander.next('pong')
  await stillServing(live)
})
