/**
 * Bot reply relay: the delay Parley adds to each streamed token on its way from the model to the
 * conversation's clients, and what it costs.
 *
 * Method. One load-generator process (bench/lib/relay-client.ts, on the load core) holds both
 * ends: the model — an OpenAI-compatible server on 127.0.0.1 speaking the chat-completions SSE
 * wire format (bench/lib/relay-model.ts), raw HTTP/1.1 so it knows when each chunk reaches the
 * kernel — and the clients. A delta's delay is its receive time at a client minus the time the
 * model wrote that chunk (looked up by reply and `index`), both `performance.now()` of that one
 * process: no clock offset between processes. Parley (on the server core, BOT_PROVIDER=openai
 * pointed at the model) relays each chunk to the room over the native WebSocket
 * (`message_delta`) and to the SSE answer of the POST that asked (`event: delta`; Parley has no
 * GET subscription stream: an SSE client is the `POST …/messages` with `Accept:
 * text/event-stream`, docs/api.md).
 *
 * The floor: the same clients and model against bench/lib/relay-floor.ts on the same core — a
 * tiny Bun server that fetches the model's stream and forwards each parsed chunk as the same
 * frames, nothing else. Its delay is the load generator's own work plus the loopback and the
 * least relaying can cost; "added by Parley" is Parley's percentile minus the floor's, measured
 * in the same run, alternating floor, Parley, floor, Parley… (ROUNDS, 3), medians of the rounds
 * (of the quiet ones: other processes took at most 10 % of the server's core, when there are any).
 * Each relay is started fresh per run and first serves unmeasured 100-token replies, as many as
 * the phase has at once (at most WARM_MAX, 200): the model client loaded, the hot paths compiled
 * by the JIT's top tier, an upstream connection open for every reply, as on a server that has
 * been running. (With 20, Parley's JIT compiled its relay and storage paths during the measured
 * seconds, on the same core: its p99 was twice as long, the floor's the same.)
 *
 * Phases, REPLIES (200) conversations each with a socket joined and an SSE client, 500 tokens a
 * reply, every user message sent at once:
 * - paced (the ≤ 1 ms target): each reply streams a token every INTERVAL_MS (20 ms: 50 tokens/s,
 *   a hosted model's pace; 10,000 chunks/s in all) from a random phase. Besides the p99 of every
 *   delta, the p99 of tokens 10-90 % of each reply, which leaves out the seconds where all 200
 *   replies start (200 requests at once) and end (200 replies stored);
 * - burst: the model writes as fast as it can. Then every relay falls behind and the delays are
 *   queueing (they say how far behind, not what one delta costs): it measures throughput and CPU;
 * - many: 1,000 conversations, sockets only (`send_message` asks), 100 tokens at 20/s each, all
 *   streaming at once (the model counts its open streams): deliveries and errors.
 * CPU: the relay process's CPU time (/proc/<pid>/stat, utime + stime, all threads) from just
 * before the messages are sent until every reply has ended, per model chunk relayed (to both
 * faces in the first two phases); it includes the requests and, for Parley, the two stored
 * messages per reply, amortised over 500 chunks. From /proc/stat: the irq and softirq time on the
 * server's core (the loopback's packet work, charged to no process), and the share of that core
 * other processes used, as another benchmark may share the machine.
 *
 * Settings that would cap the concurrency are raised: BOT_CONCURRENCY, the rate limits, the
 * per-user socket and event budgets (each conversation is also its own user), the timeouts, and
 * Bun's own cap on concurrent outgoing fetches (BUN_CONFIG_MAX_HTTP_REQUESTS, 256 by default: with
 * it, Parley streams at most 256 replies at once whatever BOT_CONCURRENCY says; the rest wait).
 * `RELAY_DEBUG=1` prints each run's JSON with the p99 per tenth of the tokens and per 250 ms.
 */
import { join } from 'node:path'
import { freePort, pinned, startServer } from './lib/servers'
import { median, report } from './lib/stats'

const TOKENS = Number(process.env.RELAY_TOKENS ?? 500)
const REPLIES = Number(process.env.RELAY_REPLIES ?? 200)
/** The paced phase: a token every 20 ms per reply (50 tokens/s, a hosted model's pace). */
const INTERVAL_MS = Number(process.env.RELAY_INTERVAL_MS ?? 20)
const MANY = Number(process.env.RELAY_MANY ?? 1000)
const MANY_TOKENS = Number(process.env.RELAY_MANY_TOKENS ?? 100)
const MANY_INTERVAL_MS = Number(process.env.RELAY_MANY_INTERVAL_MS ?? 50)
const ROUNDS = Number(process.env.RELAY_ROUNDS ?? 3)
const LIMIT_MS = 1
/** A round counts when other processes took at most this share of the server's core. */
const QUIET = 0.1
/** Warm-up replies per run: as many as the phase has, up to this. */
const WARM_MAX = 200

const FETCHES = { BUN_CONFIG_MAX_HTTP_REQUESTS: '65535' }
const PARLEY_ENV = {
  BOT_PROVIDER: 'openai',
  OPENAI_MODEL: 'bench',
  OPENAI_API_KEY: 'bench',
  BOT_CONCURRENCY: '10000',
  BOT_TIMEOUT_MS: '600000',
  BOT_FIRST_TOKEN_TIMEOUT_MS: '600000',
  HTTP_IDLE_TIMEOUT_S: '255',
  RATE_LIMIT_REQUESTS: '10000000',
  RATE_LIMIT_MESSAGES: '10000000',
  RATE_LIMIT_SOCKET_EVENTS: '10000000',
  RATE_LIMIT_SOCKET_EVENTS_PER_USER: '10000000',
  RATE_LIMIT_JOINS: '10000000',
  MAX_SOCKETS_PER_USER: '1000000',
  ...FETCHES,
}

type Face = { received: number; expected: number; p50: number; p99: number; middleP99: number; max: number }
type Result = {
  ws: Face
  sse: Face | null
  cpuMs: number
  /** The share of the server's core used by other processes meanwhile. */
  othersCore0: number
  /** irq and softirq time on the server's core meanwhile (loopback packets), charged to no process. */
  kernelMs: number
  deltas: number
  seconds: number
  streams: number
  maxOpen: number
  errors: number
  errorSamples: string[]
}

type Relay = { url: string; pid: number; stop(): Promise<unknown> }

/** Parley, pointed at the model's port. */
async function parley(modelPort: number): Promise<Relay> {
  return await startServer('parley', { ...PARLEY_ENV, OPENAI_BASE_URL: `http://127.0.0.1:${modelPort}/v1` })
}

/** The floor relay, on the server core like Parley. */
async function floor(modelPort: number): Promise<Relay> {
  const port = freePort()
  const proc = Bun.spawn(pinned(0, [process.execPath, join(import.meta.dir, 'lib/relay-floor.ts')]), {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      MODEL_URL: `http://127.0.0.1:${modelPort}/v1`,
      ...FETCHES,
    },
    stdout: 'inherit',
    stderr: 'inherit',
  })
  const url = `http://127.0.0.1:${port}`
  const up = () =>
    fetch(`${url}/health/`).then(
      (r) => r.ok,
      () => false,
    )
  for (const deadline = performance.now() + 10_000; !(await up()); await Bun.sleep(20)) {
    if (proc.exitCode !== null) throw new Error('the floor relay exited before listening')
    if (performance.now() > deadline) throw new Error('the floor relay did not start')
  }
  return {
    url,
    pid: proc.pid,
    async stop() {
      proc.kill()
      await proc.exited
    },
  }
}

type Phase = { replies: number; tokens: number; intervalMs: number; sse: boolean }

/** One phase against a fresh relay: the load generator with its model on the load core. */
async function run(start: (modelPort: number) => Promise<Relay>, phase: Phase): Promise<Result> {
  const modelPort = freePort()
  const relay = await start(modelPort)
  try {
    const proc = Bun.spawn(pinned(1, [process.execPath, join(import.meta.dir, 'lib/relay-client.ts')]), {
      env: {
        PATH: process.env.PATH ?? '',
        TARGET: relay.url,
        MODEL_PORT: String(modelPort),
        SERVER_PID: String(relay.pid),
        REPLIES: String(phase.replies),
        TOKENS: String(phase.tokens),
        INTERVAL_MS: String(phase.intervalMs),
        SSE: phase.sse ? '1' : '0',
        WARMUP: String(Math.min(phase.replies, WARM_MAX)),
        TIMEOUT_MS: '30000',
        RELAY_DEBUG: process.env.RELAY_DEBUG ?? '',
        ...FETCHES,
      },
      stdout: 'pipe',
      stderr: 'inherit',
    })
    const out = await new Response(proc.stdout).text()
    if ((await proc.exited) !== 0) throw new Error('the relay load generator failed')
    if (process.env.RELAY_DEBUG) console.log(out.trim())
    return JSON.parse(out.trim().split('\n').at(-1) as string) as Result
  } finally {
    await relay.stop()
  }
}

const ms = (x: number) => `${x.toFixed(2)} ms`
const pct = (x: number) => `${Math.max(0, x * 100).toFixed(0)} %`
/** Server CPU time per model chunk relayed, in µs. */
const us = (r: Result) => (r.cpuMs * 1000) / r.deltas
/** The kernel's irq and softirq time on the server's core per model chunk, in µs. */
const kernelUs = (r: Result) => (r.kernelMs * 1000) / r.deltas
const faceOf = (r: Result, face: 'ws' | 'sse') => (face === 'ws' ? r.ws : (r.sse as Face))
const complete = (r: Result) =>
  r.errors === 0 && r.ws.received === r.ws.expected && (!r.sse || r.sse.received === r.sse.expected)
const errorsOf = (r: Result) => `${r.errors} errors${r.errorSamples.length ? ` (${r.errorSamples.join('; ')})` : ''}`
const faceLine = (f: Face) => `p50 ${ms(f.p50)} p99 ${ms(f.p99)} (tokens 10-90 %: ${ms(f.middleP99)}) max ${ms(f.max)}`

/**
 * The rounds in which other processes left the server's core alone (they only ever add delay and
 * take CPU time from the relay); all of them when none did.
 */
const quiet = (rs: Result[]) => {
  const calm = rs.filter((r) => r.othersCore0 <= QUIET)
  return calm.length ? calm : rs
}

/** Floor and Parley alternating, ROUNDS each; every round printed. */
async function rounds(name: string, phase: Phase) {
  const floors: Result[] = []
  const parleys: Result[] = []
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [relay, start, into] of [
      ['floor', floor, floors],
      ['parley', parley, parleys],
    ] as const) {
      const r = await run(start, phase)
      into.push(r)
      const sse = r.sse as Face
      console.log(
        `  ${name} ${round} ${relay.padEnd(6)}: ws ${faceLine(r.ws)}; sse ${faceLine(sse)}; ` +
          `${r.ws.received + sse.received}/${r.ws.expected + sse.expected} deltas in ${r.seconds.toFixed(2)} s; ` +
          `CPU ${us(r).toFixed(1)} µs/chunk (+ ${kernelUs(r).toFixed(1)} µs softirq); ` +
          `other processes on its core ${pct(r.othersCore0)}; ${errorsOf(r)}`,
      )
    }
  }
  const med = (rs: Result[], f: (r: Result) => number) => median(quiet(rs).map(f))
  const calm = (rs: Result[]) => rs.filter((r) => r.othersCore0 <= QUIET).length
  const note =
    calm(floors) && calm(parleys)
      ? `medians of the rounds with other processes at most ${pct(QUIET)} of the server's core: ` +
        `${calm(floors)} floor, ${calm(parleys)} Parley of ${ROUNDS}`
      : `medians of ${ROUNDS} rounds (${calm(floors)} floor, ${calm(parleys)} Parley with other processes at most ` +
        `${pct(QUIET)} of the server's core)`
  return { floors, parleys, med, note }
}

export async function relayLatency() {
  const what = `${REPLIES} concurrent replies × ${TOKENS} tokens`
  // The target, at a rate a relay can keep up with: each reply 1000/INTERVAL_MS tokens a second.
  const paced = await rounds('paced', { replies: REPLIES, tokens: TOKENS, intervalMs: INTERVAL_MS, sse: true })
  const { floors, parleys, med } = paced
  for (const face of ['ws', 'sse'] as const) {
    const at = (rs: Result[], key: 'p50' | 'p99' | 'middleP99') => med(rs, (r) => faceOf(r, face)[key])
    const [p50, p99, mid] = [at(parleys, 'p50'), at(parleys, 'p99'), at(parleys, 'middleP99')]
    const [f50, f99, fmid] = [at(floors, 'p50'), at(floors, 'p99'), at(floors, 'middleP99')]
    const delivered = parleys.reduce((n, r) => n + faceOf(r, face).received, 0)
    const expected = parleys.reduce((n, r) => n + faceOf(r, face).expected, 0)
    const label = face === 'ws' ? 'native WebSocket `message_delta`' : 'SSE `event: delta`'
    report(
      `Relay, ${what} at ${1000 / INTERVAL_MS} tokens/s each, ${label}: ≤ ${LIMIT_MS} ms p99 added per delta`,
      `added p50 ${ms(p50 - f50)}, p99 ${ms(p99 - f99)} (Parley p50 ${ms(p50)} p99 ${ms(p99)}, ` +
        `floor p50 ${ms(f50)} p99 ${ms(f99)}; tokens 10-90 % of each reply: p99 ${ms(mid)} vs ${ms(fmid)}; ` +
        `${paced.note}); ` +
        `${delivered}/${expected} delivered`,
      parleys.every(complete) && p99 - f99 <= LIMIT_MS,
    )
  }
  const cpuOf = (rs: typeof paced) => {
    const [p, f] = [rs.med(rs.parleys, us), rs.med(rs.floors, us)]
    const [pk, fk] = [rs.med(rs.parleys, kernelUs), rs.med(rs.floors, kernelUs)]
    return `Parley ${p.toFixed(1)} µs (+ ${pk.toFixed(1)} µs softirq), floor ${f.toFixed(1)} µs (+ ${fk.toFixed(1)}), ${(p / f).toFixed(1)}×`
  }

  // As fast as the model can write: the relay's throughput and CPU; the delays are then queueing.
  const burst = await rounds('burst', { replies: REPLIES, tokens: TOKENS, intervalMs: 0, sse: true })
  const rate = (r: Result) => r.deltas / r.seconds
  const queued = (rs: Result[], face: 'ws' | 'sse') => ms(burst.med(rs, (r) => faceOf(r, face).p99))
  report(
    `Relay, ${what} as fast as the model writes: chunks relayed per second (each to a socket and an SSE answer)`,
    `Parley ${burst.med(burst.parleys, rate).toFixed(0)}/s, floor ${burst.med(burst.floors, rate).toFixed(0)}/s; ` +
      `delay p99 (queueing) ws ${queued(burst.parleys, 'ws')} vs ${queued(burst.floors, 'ws')}, ` +
      `sse ${queued(burst.parleys, 'sse')} vs ${queued(burst.floors, 'sse')}; ` +
      `${burst.parleys.every(complete) ? 'all' : 'NOT all'} delivered; ${burst.note}`,
    burst.parleys.every(complete),
  )
  report(
    'Relay: server CPU time (all threads) per model chunk relayed to a socket and an SSE answer',
    `at ${1000 / INTERVAL_MS} tokens/s: ${cpuOf(paced)}; as fast as it can: ${cpuOf(burst)}`,
    true,
  )

  const many = await run(parley, { replies: MANY, tokens: MANY_TOKENS, intervalMs: MANY_INTERVAL_MS, sse: false })
  report(
    `Relay: ${MANY} concurrent replies (${MANY_TOKENS} tokens at ${1000 / MANY_INTERVAL_MS}/s each, native sockets) held without errors`,
    `${many.ws.received}/${many.ws.expected} deltas delivered, ${errorsOf(many)}, ` +
      `${many.maxOpen} model streams open at once; delay ${faceLine(many.ws)}; ${many.seconds.toFixed(1)} s, ` +
      `CPU ${us(many).toFixed(1)} µs/chunk`,
    complete(many) && many.streams === MANY && many.maxOpen === MANY,
  )
}

if (import.meta.main) await relayLatency()
