import { SignJWT } from 'jose'
import { startServer } from './lib/servers'
import { percentile, report } from './lib/stats'

/**
 * Target: a socket flood next to a well-behaved user leaves that user's REST and socket p50
 * within 3× (or +2 ms) of a quiet server. Before socket budgets, one socket's join/leave flood
 * took another client's REST p50 from 0.6 ms to 2.4 s, and typing frames fanned out 88×.
 * The flood runs in its own process (this file, with FLOOD_URL set): 20 sockets of one user
 * sending join/leave/typing/ping as fast as the socket drains, reconnecting whenever they are
 * closed, while 40 more of its sockets listen in its own conversation.
 */
const SECRET = 'bench-secret-0123456789-abcdefghijklmnop'
const FLOOD_MS = 6000
const sign = (sub: string) =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(SECRET))

const authed = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' })

/** p50 and p99 of `n` sequential REST reads and socket pings by a well-behaved user. */
async function measure(url: string, token: string, id: string, n = 400) {
  const rest: number[] = []
  for (let i = 0; i < n; i++) {
    const t = performance.now()
    await (await fetch(`${url}/conversations/${id}/messages`, { headers: authed(token) })).arrayBuffer()
    rest.push(performance.now() - t)
  }
  const ws = new WebSocket(`${url.replace('http', 'ws')}/?token=${token}`)
  let pong: () => void = () => {}
  ws.onmessage = () => pong()
  await new Promise((resolve) => (ws.onopen = resolve))
  const socket: number[] = []
  for (let i = 0; i < n; i++) {
    const t = performance.now()
    await new Promise<void>((resolve) => {
      pong = resolve
      ws.send('{"event":"ping"}')
    })
    socket.push(performance.now() - t)
  }
  ws.close()
  return { rest: percentile(rest, 50), restP99: percentile(rest, 99), socket: percentile(socket, 50) }
}

/** The flooding process: prints `{ sent, closes, refused, fannedOut }` after FLOOD_MS. */
async function flood(url: string, token: string, target: string, own: string) {
  const stats = { sent: 0, closes: 0, refused: 0, fannedOut: 0 }
  const stopAt = performance.now() + FLOOD_MS
  const frames = [
    JSON.stringify({ event: 'join_conversation', data: { conversationId: target } }),
    JSON.stringify({ event: 'leave_conversation', data: { conversationId: target } }),
    JSON.stringify({ event: 'typing', data: { conversationId: own, isTyping: true } }),
    JSON.stringify({ event: 'typing', data: { conversationId: own, isTyping: false } }),
    '{"event":"ping"}',
  ]
  const listeners = Array.from({ length: 40 }, () => new WebSocket(`${url}/?token=${token}&conversation_id=${own}`))
  for (const l of listeners) l.onmessage = (e) => void (String(e.data).includes('"typing"') && stats.fannedOut++)
  const flooder = async () => {
    while (performance.now() < stopAt) {
      const ws = new WebSocket(`${url}/?token=${token}&conversation_id=${own}`)
      let opened = false
      const closed = new Promise<void>((resolve) => (ws.onclose = () => resolve()))
      await Promise.race([new Promise((resolve) => (ws.onopen = resolve)).then(() => (opened = true)), closed])
      if (!opened) {
        stats.refused++ // the upgrade was refused: a socket of this user was closed for flooding
        continue
      }
      while (ws.readyState === WebSocket.OPEN && performance.now() < stopAt) {
        for (let i = 0; i < 200 && ws.bufferedAmount < 1 << 20; i++)
          ws.send(frames[stats.sent++ % frames.length] as string)
        await Bun.sleep(1)
      }
      if (ws.readyState === WebSocket.OPEN) ws.close()
      else stats.closes++
      await closed
    }
  }
  await Promise.all(Array.from({ length: 20 }, flooder))
  for (const l of listeners) l.close()
  console.log(JSON.stringify(stats))
}

export async function socketFlood() {
  const server = await startServer('parley', { AUTH_MODE: 'jwt', JWT_SECRET: SECRET, MAX_SOCKETS_PER_USER: '100' })
  try {
    const [bob, mallory] = await Promise.all([sign('bob'), sign('mallory')])
    const create = async (token: string) =>
      (
        (await (
          await fetch(`${server.url}/conversations/`, { method: 'POST', headers: authed(token), body: '{}' })
        ).json()) as { id: string }
      ).id
    const [id, own] = [await create(bob), await create(mallory)]
    await measure(server.url, bob, id, 100) // warm-up
    const quiet = await measure(server.url, bob, id)
    const child = Bun.spawn([process.execPath, import.meta.path], {
      env: { ...process.env, FLOOD_URL: server.ws, FLOOD_TOKEN: mallory, FLOOD_TARGET: id, FLOOD_OWN: own },
      stdout: 'pipe',
      stderr: 'inherit',
    })
    await Bun.sleep(1000) // the flood is under way
    const loud = await measure(server.url, bob, id)
    const stats = JSON.parse((await new Response(child.stdout).text()).trim().split('\n').at(-1) ?? '{}')
    await child.exited
    const ok = (a: number, b: number) => b <= Math.max(3 * a, a + 2)
    const fig = (a: number, b: number) =>
      `${a.toFixed(2)} ms quiet → ${b.toFixed(2)} ms flooded (${(b / a).toFixed(1)}×)`
    report(
      "Socket flood: a well-behaved user's REST p50 within 3× (or +2 ms)",
      fig(quiet.rest, loud.rest),
      ok(quiet.rest, loud.rest),
    )
    report(
      "Socket flood: a well-behaved user's socket ping p50 within 3× (or +2 ms)",
      fig(quiet.socket, loud.socket),
      ok(quiet.socket, loud.socket),
    )
    const perListenerSecond = stats.fannedOut / 40 / (FLOOD_MS / 1000)
    report(
      'Socket flood: typing fan-out per listener ≤ 2 frames per flooding socket per second (TYPING_INTERVAL_MS 1000)',
      `${stats.sent} frames sent by 20 sockets in ${FLOOD_MS / 1000} s, ${stats.closes} closed (1008), ${stats.refused} reconnects refused (429); REST p99 ${quiet.restP99.toFixed(2)} → ${loud.restP99.toFixed(2)} ms; ${perListenerSecond.toFixed(1)} typing frames per listener per second`,
      perListenerSecond <= 2 * 20,
    )
  } finally {
    await server.stop()
  }
}

const env = process.env
if (import.meta.main && env.FLOOD_URL) {
  await flood(env.FLOOD_URL, env.FLOOD_TOKEN as string, env.FLOOD_TARGET as string, env.FLOOD_OWN as string)
  process.exit(0)
} else if (import.meta.main) await socketFlood()
