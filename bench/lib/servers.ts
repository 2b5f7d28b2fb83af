import { Database } from 'bun:sqlite'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = join(import.meta.dir, '../..')
const hasTaskset = Bun.which('taskset') !== null

export type Kind = 'parley' | 'baseline'
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
function freePort(): number {
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
}

/** The server pinned to core 0 (load generators take core 1), when taskset exists. */
export const pinned = (cpu: number, cmd: string[]) => (hasTaskset ? ['taskset', '-c', String(cpu), ...cmd] : cmd)
export const PINNING = hasTaskset
  ? 'server on CPU 0, load generator on CPU 1 (taskset)'
  : 'no pinning (taskset missing)'

/** How a server is started: under another program (`wrap(dir)` comes before Bun), given more time. */
export type StartOptions = { wrap?: (dir: string) => string[]; startTimeoutMs?: number }

/**
 * Starts Parley (from source) or the baseline on a fresh SQLite file in a temp folder. Parley
 * runs with bot replies off and request logs at warn unless `env` says otherwise: the baseline
 * logs nothing either.
 */
export async function startServer(
  kind: Kind,
  env: Record<string, string> = {},
  { wrap, startTimeoutMs = 10_000 }: StartOptions = {},
): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), `parley-bench-${kind}-`))
  const port = freePort()
  const file = join(dir, 'bench.db')
  const cmd = [
    ...(wrap?.(dir) ?? []),
    process.execPath,
    join(root, kind === 'parley' ? 'src/main.ts' : 'bench/baseline.ts'),
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
  const res = await fetch(`${running.url}/conversations/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user_id: 'bench' }),
  })
  const { id } = (await res.json()) as { id: string }
  if (n > 0) seedMessages(running.db, id, n)
  return id
}

/**
 * Writes `n` user messages into an existing conversation through a second connection to the
 * file (WAL lets the server keep serving meanwhile), and sets its count and seq to match.
 */
export function seedMessages(file: string, conversationId: string, n: number): void {
  const db = new Database(file)
  db.exec('PRAGMA busy_timeout = 10000')
  const insert = db.prepare(
    "INSERT INTO messages (id, conversation_id, seq, sender, content, metadata, created_at, updated_at) VALUES (?, ?, ?, 'user', ?, '{}', ?, ?)",
  )
  const start = Date.now() - n
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++)
      insert.run(Bun.randomUUIDv7(), conversationId, i + 1, `seed message ${i}`, start + i, start + i)
  })
  for (let i = 0; i < n; i += 50_000) batch(i, Math.min(n, i + 50_000))
  db.prepare('UPDATE conversations SET message_count = ?, last_seq = ? WHERE id = ?').run(n, n, conversationId)
  db.close()
}
