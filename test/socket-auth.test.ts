import { describe, expect, test } from 'bun:test'
import { io } from 'socket.io-client'
import { liveServer, wsClient } from './live'
import { sioClient } from './sio'
import { API_KEY, SECRET, userToken } from './tokens'

const jwtEnv = { AUTH_MODE: 'jwt', JWT_SECRET: SECRET, API_KEYS: API_KEY, BOT_PROVIDER: 'none' }

/** Resolves with the HTTP status of a refused upgrade, or 101. */
async function upgradeStatus(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url.replace('ws', 'http'), {
    headers: {
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-version': '13',
      'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
      ...headers,
    },
  })
  return { status: res.status, body: await res.text() }
}

describe('native WebSocket authentication', () => {
  test('?token=, the bearer subprotocol and API keys are accepted; a bad or missing token is refused with 401', async () => {
    await using live = await liveServer(jwtEnv)
    const token = await userToken('alice')
    using a = await wsClient(`${live.ws}/?token=${token}`)
    a.emit('ping')
    await a.next('pong')
    const b = new WebSocket(`${live.ws}/ws`, ['bearer', token])
    await new Promise((resolve, reject) => {
      b.onopen = resolve
      b.onerror = reject
    })
    expect(b.protocol).toBe('bearer')
    b.close()
    using k = await wsClient(`${live.ws}/?token=${API_KEY}`)
    k.emit('ping')
    await k.next('pong')
    for (const url of [
      `${live.ws}/`,
      `${live.ws}/?token=nope`,
      `${live.ws}/?token=${await userToken('alice', { ttlS: -5 })}`,
    ]) {
      const refused = await upgradeStatus(url)
      expect(refused.status).toBe(401)
      expect(JSON.parse(refused.body).code).toBe('unauthorized')
    }
  })

  test('a socket whose token expires is closed with 4001', async () => {
    await using live = await liveServer(jwtEnv)
    // Expiry is in whole seconds: 1 s could leave only milliseconds, and the upgrade itself be refused.
    using c = await wsClient(`${live.ws}/?token=${await userToken('alice', { ttlS: 2 })}`)
    const closed = await c.closed
    expect(closed.code).toBe(4001)
  })

  test('a token valid for 30 days keeps its socket open (its expiry is past the 24.8 days setTimeout can wait)', async () => {
    await using live = await liveServer(jwtEnv)
    const token = await userToken('alice', { ttlS: 30 * 86_400 })
    using c = await wsClient(`${live.ws}/?token=${token}`)
    using s = await sioClient(live.base, { transports: ['websocket'], auth: { token } })
    await Bun.sleep(50) // an overflowed timer fires after ~1 ms
    c.emit('ping')
    await c.next('pong')
    expect(await s.socket.emitWithAck('ping')).toEqual({ ok: true })
    expect(c.closeInfo).toBeNull()
    expect(s.socket.connected).toBe(true)
  })

  test('ALLOWED_ORIGINS refuses upgrades from other sites (403); clients without Origin pass', async () => {
    await using live = await liveServer({ BOT_PROVIDER: 'none', ALLOWED_ORIGINS: 'https://app.example' })
    expect((await upgradeStatus(`${live.ws}/`, { origin: 'https://evil.example' })).status).toBe(403)
    // Bun's WebSocket client may set headers, Origin included.
    const allowed = new WebSocket(`${live.ws}/`, { headers: { origin: 'https://app.example' } } as unknown as string[])
    await new Promise((resolve, reject) => {
      allowed.onopen = resolve
      allowed.onerror = reject
    })
    allowed.close()
    using plain = await wsClient(`${live.ws}/`)
    plain.emit('ping')
    await plain.next('pong')
  })

  test('MAX_SOCKETS_PER_USER caps open sockets per user (429), and frees a slot on close', async () => {
    await using live = await liveServer({ ...jwtEnv, MAX_SOCKETS_PER_USER: '2' })
    const token = await userToken('alice')
    const a = await wsClient(`${live.ws}/?token=${token}`)
    using b = await wsClient(`${live.ws}/?token=${token}`)
    expect(b.socket.readyState).toBe(WebSocket.OPEN)
    expect((await upgradeStatus(`${live.ws}/?token=${token}`)).status).toBe(429)
    using other = await wsClient(`${live.ws}/?token=${await userToken('bob')}`)
    expect(other.socket.readyState).toBe(WebSocket.OPEN) // other users are not affected
    a.close()
    await a.closed
    await Bun.sleep(20)
    using c = await wsClient(`${live.ws}/?token=${token}`)
    expect(c.socket.readyState).toBe(WebSocket.OPEN)
  })
})

describe('Socket.IO authentication', () => {
  test('auth: { token } connects; a bad token is a connect_error', async () => {
    await using live = await liveServer(jwtEnv)
    using ok = await sioClient(live.base, { transports: ['websocket'], auth: { token: await userToken('alice') } })
    expect(ok.socket.connected).toBe(true)
    for (const auth of [{}, { token: 'bad' }]) {
      const error = await sioClient(live.base, { transports: ['websocket'], auth }).then(
        () => null,
        (e: Error) => e,
      )
      expect(error?.message).toMatch(/Authentication required|Invalid/)
    }
  })

  test('a foreign Origin is refused', async () => {
    await using live = await liveServer({ BOT_PROVIDER: 'none', ALLOWED_ORIGINS: 'https://app.example' })
    const refused = await new Promise<string>((resolve) => {
      const s = io(live.base, {
        transports: ['polling'],
        reconnection: false,
        extraHeaders: { origin: 'https://evil.example' },
      })
      s.on('connect', () => resolve('connected'))
      s.on('connect_error', (e) => resolve(e.message))
    })
    expect(refused).not.toBe('connected')
    const allowed = await new Promise<string>((resolve) => {
      const s = io(live.base, {
        transports: ['polling'],
        reconnection: false,
        extraHeaders: { origin: 'https://app.example' },
      })
      s.on('connect', () => {
        resolve('connected')
        s.disconnect()
      })
      s.on('connect_error', (e) => resolve(e.message))
    })
    expect(allowed).toBe('connected')
  })
})
