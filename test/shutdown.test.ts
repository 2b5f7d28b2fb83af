import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../src/config'
import { startServer } from '../src/server'
import { openStorage } from '../src/storage/connect'
import { gatedBot } from './bots'
import { memoryLogger } from './helpers'
import { liveServer, wsClient } from './live'
import { sioClient } from './sio'

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})
const dbUrl = () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-stop-'))
  dirs.push(dir)
  return `sqlite:///${join(dir, 'chat.db')}`
}

/** The messages stored in a conversation, read from the database file after the server stopped. */
async function storedMessages(url: string, conversationId: string) {
  const store = await openStorage(loadConfig({}, { DATABASE_URL: url }))
  try {
    return ((await store.listMessages(conversationId, { limit: 100, offset: 0 })) ?? []).reverse()
  } finally {
    await store.close()
  }
}

describe('graceful stop', () => {
  test('closes native WebSockets with 1001 and stores a reply cut by the timeout as stopped', async () => {
    const url = dbUrl()
    const bot = gatedBot(['Hel', 'lo ', 'there'])
    const live = await liveServer({ DATABASE_URL: url, SHUTDOWN_TIMEOUT_MS: '300' }, bot)
    const id = (await live.call('POST', '/conversations/', { user_id: 's' })).body.id
    const client = await wsClient(`${live.ws}/ws`)
    client.emit('send_message', { conversationId: id, content: 'hello' })
    bot.release(1)
    await client.next('message_delta', (d) => d.delta === 'Hel')

    const started = performance.now()
    const stopping = live.stop()
    expect((await client.closed).code).toBe(1001)
    await stopping
    const took = performance.now() - started
    expect(took).toBeGreaterThanOrEqual(200) // waited for the reply most of the timeout…
    expect(took).toBeLessThan(1000) // …but not past it

    const [user, reply] = await storedMessages(url, id)
    expect(user?.content).toBe('hello')
    expect(reply).toMatchObject({ sender: 'ai', content: 'Hel', reply_to: user?.id, metadata: { stopped: true } })
    expect(bot.aborted).toEqual([user?.id as string])
  })

  test('lets a reply that ends within the timeout finish, and stores it whole', async () => {
    const url = dbUrl()
    const bot = gatedBot(['Hel', 'lo ', 'there'])
    const live = await liveServer({ DATABASE_URL: url, SHUTDOWN_TIMEOUT_MS: '5000' }, bot)
    const id = (await live.call('POST', '/conversations/', { user_id: 's' })).body.id
    using client = await wsClient(`${live.ws}/ws`)
    client.emit('send_message', { conversationId: id, content: 'hello' })
    bot.release(1)
    await client.next('message_delta', (d) => d.delta === 'Hel')
    const stopping = live.stop()
    expect((await client.closed).code).toBe(1001)
    setTimeout(() => bot.releaseAll(), 50)
    await stopping
    const [, reply] = await storedMessages(url, id)
    expect(reply?.content).toBe('Hello there')
    expect(reply?.metadata.stopped).toBeUndefined()
  })

  test('an HTTP request in flight is answered; new connections are refused', async () => {
    const live = await liveServer({ SHUTDOWN_TIMEOUT_MS: '5000' })
    const id = (await live.call('POST', '/conversations/', { user_id: 's' })).body.id
    // A body that arrives in two parts: the request is in flight until the second one.
    let finish!: () => void
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(new TextEncoder().encode('{"sender": "user", '))
        await new Promise<void>((resolve) => (finish = resolve))
        controller.enqueue(new TextEncoder().encode('"content": "late"}'))
        controller.close()
      },
    })
    const inFlight = fetch(`${live.base}/conversations/${id}/messages`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    })
    await Bun.sleep(50)
    const stopping = live.stop()
    await Bun.sleep(20)
    expect(await fetch(`${live.base}/health/`).catch((e: Error) => e.name)).not.toBeInstanceOf(Response)
    finish()
    const res = await inFlight
    expect(res.status).toBe(201)
    expect(((await res.json()) as { content: string }).content).toBe('late')
    await stopping
  })

  test.each([['websocket'], ['polling']] as const)(
    'Socket.IO clients (%s) see a transport close, so they reconnect on their own',
    async (transport) => {
      const live = await liveServer()
      using sio = await sioClient(live.base, { transports: [transport] })
      const disconnected = new Promise<{ reason: string; details: any }>((resolve) =>
        sio.socket.once('disconnect', (reason, details) => resolve({ reason, details })),
      )
      await live.stop()
      const { reason, details } = await disconnected
      // "io server disconnect" would tell the client never to reconnect; these both reconnect.
      if (transport === 'websocket') {
        expect(reason).toBe('transport close')
        expect(details?.context?.code).toBe(1001)
      } else expect(['transport close', 'transport error']).toContain(reason)
      expect(sio.socket.active).toBe(true)
    },
  )

  test('stop() twice is one shutdown', async () => {
    const running = await startServer(loadConfig({}, { DATABASE_URL: 'sqlite::memory:', PORT: '0' }), memoryLogger())
    const first = running.stop()
    expect(running.stop()).toBe(first)
    await first
  })
})
