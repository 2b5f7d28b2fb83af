import { Database } from 'bun:sqlite'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = join(import.meta.dir, '../..')
const hasTaskset = Bun.which('taskset') !== null

export type Kind = 'parley' | 'baseline' | 'floor'
export type Running = {
  kind: Kind
  url: string
  ws: string
  pid: number
  dir: string
  db: string
  rssMiB(): Promise<number>
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<number>
}

/** A port free right now (the OS picks it, then lets it go). */
export function freePort(): number {
  const probe = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
  const { port } = probe
  probe.stop(true)
  return port
}

/** Parley as the benchmarks run it: bot replies off, request logs off, no rate limit in the way. */
export const BENCH_ENV = {
  BOT_PROVIDER: 'none',
  LOG_LEVEL: 'warn',
  RATE_LIMIT_REQUESTS: '10000000',
  RATE_LIMIT_MESSAGES: '10000000',
  RATE_LIMIT_SOCKET_EVENTS: '10000000',
  RATE_LIMIT_SOCKET_EVENTS_PER_USER: '10000000',
  RATE_LIMIT_JOINS: '10000000',
  // Fan-out benches open sockets 50 at a time from one address.
  MAX_PENDING_SOCKETS_PER_ADDRESS: '100000',
}

/** The server pinned to core 0 (load generators take core 1), when taskset exists. */
export const pinned = (cpu: number, cmd: string[]) => (hasTaskset ? ['taskset', '-c', String(cpu), ...cmd] : cmd)
export const PINNING = hasTaskset
  ? 'server on CPU 0, load generator on CPU 1 (taskset)'
  : 'no pinning (taskset missing)'

/** How a server is started: under another program (`wrap(dir)` comes before Bun), given more time. */
export type StartOptions = {
  wrap?: (dir: string) => string[]
  startTimeoutMs?: number
  /** Another checkout to run the server from (to measure a change side by side). */
  root?: string
}

/**
 * Starts Parley (from source) or the baseline on a fresh SQLite file in a temp folder. Parley
 * runs with bot replies off and request logs at warn unless `env` says otherwise: the baseline
 * logs nothing either.
 */
export async function startServer(
  kind: Kind,
  env: Record<string, string> = {},
  { wrap, startTimeoutMs = 10_000, root: from = root }: StartOptions = {},
): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), `parley-bench-${kind}-`))
  const port = freePort()
  const file = join(dir, 'bench.db')
  const cmd = [
    ...(wrap?.(dir) ?? []),
    process.execPath,
    join(from, kind === 'parley' ? 'src/main.ts' : `bench/${kind}.ts`),
  ]
  const proc = Bun.spawn(pinned(0, cmd), {
    cwd: dir,
    stdout: 'pipe',
    stderr: 'inherit',
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: String(port),
      DB: file,
      DATABASE_URL: `sqlite:///${file}`,
      ...BENCH_ENV,
      LOG_FORMAT: 'json',
      MAX_SOCKETS_PER_USER: '1000000',
      ...env,
    },
  })
  // Request logs are off (LOG_LEVEL=warn), so readiness is polled rather than read from stdout.
  const url = `http://127.0.0.1:${port}`
  for (const deadline = performance.now() + startTimeoutMs; ; ) {
    if (proc.exitCode !== null) throw new Error(`${kind} exited before listening`)
    const ok = await fetch(`${url}/health/`).then(
      (r) => r.ok,
      () => false,
    )
    if (ok) break
    if (performance.now() > deadline) throw new Error(`${kind} did not start`)
    await Bun.sleep(20)
  }
  void new Response(proc.stdout).arrayBuffer() // keep the pipe drained
  return {
    kind,
    url,
    ws: url.replace('http', 'ws'),
    pid: proc.pid,
    dir,
    db: file,
    async rssMiB() {
      const status = await Bun.file(`/proc/${proc.pid}/status`).text()
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024
    },
    async stop(signal = 'SIGTERM') {
      proc.kill(signal)
      const code = await proc.exited
      rmSync(dir, { recursive: true, force: true })
      return code
    },
  }
}

/** Creates a conversation with `n` messages written straight into the database file (fast). */
export async function seedConversation(running: Running, n: number): Promise<string> {
  return (await seedWithIds(running, n)).id
}

/** Like seedConversation, and returns the messages' ids, oldest first. */
export async function seedWithIds(running: Running, n: number): Promise<{ id: string; messageIds: string[] }> {
  const res = await fetch(`${running.url}/conversations/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user_id: 'bench' }),
  })
  const { id } = (await res.json()) as { id: string }
  if (n === 0) return { id, messageIds: [] }
  return { id, messageIds: seedMessages(running.db, id, n, running.kind) }
}

/**
 * Writes `n` user messages into an existing conversation through a second connection to the
 * file (WAL lets the server keep serving meanwhile), and sets its count (and Parley's seq and
 * head) to match. In Parley's schema they form one branch, each the parent of the next; in the
 * floor's (bench/floor.ts), a plain list. Returns the ids, oldest first.
 */
export function seedMessages(file: string, conversationId: string, n: number, kind: Kind = 'parley'): string[] {
  const floor = kind === 'floor'
  const db = new Database(file)
  db.exec('PRAGMA busy_timeout = 10000')
  const insert = db.prepare(
    floor
      ? "INSERT INTO messages (id, conversation_id, sender, content, metadata, created_at, updated_at) VALUES (?, ?, 'user', ?, '{}', ?, ?)"
      : "INSERT INTO messages (id, conversation_id, seq, sender, content, metadata, parent_id, created_at, updated_at) VALUES (?, ?, ?, 'user', ?, '{}', ?, ?, ?)",
  )
  const ids = Array.from({ length: n }, () => Bun.randomUUIDv7())
  const start = Date.now() - n
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const [id, text, at] = [ids[i] as string, `seed message ${i}`, start + i]
      if (floor) insert.run(id, conversationId, text, at, at)
      else insert.run(id, conversationId, i + 1, text, ids[i - 1] ?? null, at, at)
    }
  })
  for (let i = 0; i < n; i += 50_000) batch(i, Math.min(n, i + 50_000))
  if (floor) db.prepare('UPDATE conversations SET message_count = ? WHERE id = ?').run(n, conversationId)
  else
    db.prepare('UPDATE conversations SET message_count = ?, last_seq = ?, head_id = ? WHERE id = ?').run(
      n,
      n,
      ids.at(-1) ?? null,
      conversationId,
    )
  db.close()
  return ids
}
