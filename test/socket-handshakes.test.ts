import { expect, test } from 'bun:test'
import { EngineSessions } from '../src/features/realtime/engine-sessions'
import { liveServer } from './live'
import { sioClient } from './sio'
import { SECRET, userToken } from './tokens'

/**
 * Engine.IO handshakes are plain GETs, and each session used to live 45 s unauthenticated and
 * with the idle timeout switched off: 60,000 of them took 570 MB. Now pending sessions are
 * capped per address, credentials in the handshake are checked there, and only a session
 * connected to the namespace (authenticated) may hold a long-poll past the idle timeout.
 */
const handshake = (base: string, query = '', headers: Record<string, string> = {}) =>
  fetch(`${base}/socket.io/?EIO=4&transport=polling${query}`, { headers })
/** A GET on its own TCP connection: what came back before the server closed it. */
function rawGet(url: URL, path: string): Promise<{ closed: true; received: string }> {
  let received = ''
  return new Promise((resolve) => {
    void Bun.connect({
      hostname: url.hostname,
      port: Number(url.port),
      socket: {
        open: (socket) => void socket.write(`GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`),
        data: (_socket, chunk) => {
          received += chunk.toString()
        },
        close: () => resolve({ closed: true, received }),
      },
    })
  })
}
const sidOf = async (res: Response) => JSON.parse((await res.text()).slice(1)).sid as string

test('pending sessions are capped per address with a JSON 429; connecting to the namespace frees the slot', async () => {
  await using live = await liveServer({ BOT_PROVIDER: 'none', MAX_PENDING_SOCKETS_PER_ADDRESS: '3' })
  const opened = await Promise.all([1, 2, 3].map(() => handshake(live.base)))
  expect(opened.map((r) => r.status)).toEqual([200, 200, 200])
  const sids = await Promise.all(opened.map(sidOf))
  const refused = await handshake(live.base)
  expect(refused.status).toBe(429)
  expect(await refused.json()).toMatchObject({ code: 'too_many_sockets' })
  // One session sends its namespace CONNECT and reads the answer: it is no longer pending.
  const post = await fetch(`${live.base}/socket.io/?EIO=4&transport=polling&sid=${sids[0]}`, {
    method: 'POST',
    body: '40',
  })
  expect(await post.text()).toBe('ok')
  const answer = await fetch(`${live.base}/socket.io/?EIO=4&transport=polling&sid=${sids[0]}`)
  expect(await answer.text()).toStartWith('40{')
  expect((await handshake(live.base)).status).toBe(200)
})

test('credentials in the handshake are checked there (401), and so is the socket limit (429)', async () => {
  const env = { AUTH_MODE: 'jwt', JWT_SECRET: SECRET, BOT_PROVIDER: 'none', MAX_SOCKETS_PER_USER: '1' }
  await using live = await liveServer(env)
  const bad = await handshake(live.base, '&token=nope')
  expect(bad.status).toBe(401)
  expect(await bad.json()).toMatchObject({ code: 'unauthorized' })
  const alice = await userToken('alice')
  expect((await handshake(live.base, '', { authorization: `Bearer ${alice}` })).status).toBe(200)
  using _open = await sioClient(live.base, { transports: ['websocket'], auth: { token: alice } })
  const over = await handshake(live.base, `&token=${alice}`)
  expect(over.status).toBe(429)
  expect(await over.json()).toMatchObject({ code: 'too_many_sockets' })
  // Without credentials the handshake may go on: `auth: { token }` comes with the CONNECT.
  expect((await handshake(live.base)).status).toBe(200)
})

test("a pending session's long-poll is cut at the idle timeout; a connected polling client outlives it", async () => {
  const env = { AUTH_MODE: 'jwt', JWT_SECRET: SECRET, BOT_PROVIDER: 'none', HTTP_IDLE_TIMEOUT_S: '1' }
  await using live = await liveServer(env)
  const sid = await sidOf(await handshake(live.base))
  // The engine holds this poll until it has something to send (a ping after 25 s). A raw
  // connection, because fetch retries a GET whose connection was closed.
  const outcome = await Promise.race([
    rawGet(live.url, `/socket.io/?EIO=4&transport=polling&sid=${sid}`),
    Bun.sleep(6000),
  ])
  expect(outcome).toEqual({ closed: true, received: '' })
  using c = await sioClient(live.base, { transports: ['polling'], auth: { token: await userToken('alice') } })
  await Bun.sleep(2500) // its long-polls sit idle for more than twice the idle timeout
  expect(c.socket.connected).toBe(true)
  expect(await c.socket.timeout(2000).emitWithAck('ping')).toEqual({ ok: true })
}, 15_000)

test('the decision: only GET polls of connected sessions are held; slots come back on connect and close', () => {
  const sessions = new EngineSessions(1)
  const url = (q: string) => new URL(`http://x/socket.io/?EIO=4&${q}`)
  expect(sessions.reserve('a')).toBe(true)
  expect(sessions.reserve('a')).toBe(false)
  expect(sessions.reserve('b')).toBe(true) // per address
  sessions.opened('s1', 'a')
  expect(sessions.holdsLongPoll('GET', url('transport=polling&sid=s1'))).toBe(false) // pending
  sessions.connect('s1')
  expect(sessions.pending('a')).toBe(0)
  expect(sessions.holdsLongPoll('GET', url('transport=polling&sid=s1'))).toBe(true)
  expect(sessions.holdsLongPoll('POST', url('transport=polling&sid=s1'))).toBe(false)
  expect(sessions.holdsLongPoll('GET', url('transport=polling&sid=other'))).toBe(false)
  expect(sessions.holdsLongPoll('GET', url('transport=polling'))).toBe(false) // a handshake
  sessions.closed('s1')
  expect(sessions.holdsLongPoll('GET', url('transport=polling&sid=s1'))).toBe(false)
  sessions.release('b')
  expect(sessions.reserve('b')).toBe(true)
})
