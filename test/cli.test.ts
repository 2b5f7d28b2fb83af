import { afterAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { UUID7 } from './helpers'
import { liveServer, wsClient } from './live'
import { spawnParley } from './process'

const main = join(import.meta.dir, '../src/main.ts')
const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'parley-cli-'))
  dirs.push(d)
  return d
}

test('the default command serves on the configured port and creates ./db/chatbot.db', async () => {
  const cwd = tempDir()
  const proc = Bun.spawn([process.execPath, main, '--port', '0'], {
    cwd,
    stdout: 'pipe',
    stderr: 'pipe',
    env: { ...process.env, LOG_FORMAT: 'json' },
  })
  try {
    const reader = proc.stdout.getReader()
    let text = ''
    while (!text.includes('\n')) text += new TextDecoder().decode((await reader.read()).value)
    const line = JSON.parse(text.split('\n')[0] as string)
    expect(line.msg).toMatch(/^parley .* listening on http:\/\/127\.0\.0\.1:\d+$/)
    const res = await fetch(`${line.url}/conversations/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: 'cli' }),
    })
    expect(res.status).toBe(201)
    expect(existsSync(join(cwd, 'db/chatbot.db'))).toBe(true)
    reader.releaseLock()
  } finally {
    proc.kill('SIGTERM')
  }
  expect(await proc.exited).toBe(0)
})

test('a bad setting stops start-up with one line on stderr and exit code 2', async () => {
  const proc = Bun.spawn([process.execPath, main], {
    cwd: tempDir(),
    stderr: 'pipe',
    stdout: 'pipe',
    env: { ...process.env, PORT: 'eighty' },
  })
  expect(await proc.exited).toBe(2)
  const err = await new Response(proc.stderr).text()
  expect(err).toBe('parley: invalid PORT="eighty": expected an integer from 0 to 65535\n')
})

test('migrate applies migrations and exits; --version prints the version', async () => {
  const cwd = tempDir()
  const migrate = Bun.spawn([process.execPath, main, 'migrate', '--database-url', 'sqlite:///m.db'], {
    cwd,
    stdout: 'pipe',
  })
  expect(await migrate.exited).toBe(0)
  expect(existsSync(join(cwd, 'm.db'))).toBe(true)
  const version = Bun.spawn([process.execPath, main, '--version'], { stdout: 'pipe' })
  expect((await new Response(version.stdout).text()).trim()).toMatch(/^\d+\.\d+\.\d+/)
})

describe('parley healthcheck', () => {
  const healthcheck = async (...args: string[]) => {
    const proc = Bun.spawn([process.execPath, main, 'healthcheck', ...args], { stdout: 'pipe', stderr: 'pipe' })
    const [code, out, err] = await Promise.all([
      proc.exited,
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
    ])
    return { code, out, err }
  }

  test('exits 0 when the server is ready, probing loopback for a server bound to 0.0.0.0', async () => {
    await using live = await liveServer({ HOST: '0.0.0.0' })
    const { code, out } = await healthcheck('--host', '0.0.0.0', '--port', String(live.server.port))
    expect(code).toBe(0)
    expect(out).toBe(`healthy: http://127.0.0.1:${live.server.port}/health/ready answered 200\n`)
  })

  test('exits 1 when nothing listens, or the database is not ready', async () => {
    const free = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
    const port = free.port
    free.stop(true)
    const down = await healthcheck('--port', String(port))
    expect(down.code).toBe(1)
    expect(down.err).toStartWith(`unhealthy: http://127.0.0.1:${port}/health/ready: `)

    await using live = await liveServer()
    await live.deps.store.close() // readiness now answers 503
    const notReady = await healthcheck('--port', String(live.server.port))
    expect(notReady.code).toBe(1)
    expect(notReady.err).toContain('answered 503')
  })

  test('PORT=0 cannot be probed', async () => {
    expect((await healthcheck('--port', '0')).code).toBe(1)
  })
})

test('JSON logs: one object per line, the start line, requests with their id, sockets at debug', async () => {
  await using parley = spawnParley([process.execPath, main, '--port', '0', '--log-level', 'debug'], {
    cwd: tempDir(),
    env: { DATABASE_URL: 'sqlite::memory:' },
  })
  const url = await parley.url()
  await fetch(`${url}/health/`, { headers: { 'x-request-id': 'req-42' } })
  await fetch(`${url}/nope`)
  const ws = new WebSocket(`${url.replace('http', 'ws')}/ws`)
  await new Promise((resolve) => ws.addEventListener('open', resolve))
  ws.close()
  await parley.until((l) => l.msg === 'socket closed')
  parley.proc.kill('SIGTERM')
  expect(await parley.proc.exited).toBe(0)

  const lines = parley.lines.map((l) => JSON.parse(l))
  for (const line of lines) {
    expect(['debug', 'info', 'warn', 'error']).toContain(line.level)
    expect(new Date(line.time).toISOString()).toBe(line.time)
    expect(typeof line.msg).toBe('string')
  }
  expect(lines[0]).toMatchObject({ level: 'info', url, database: 'sqlite::memory:', bot: 'builtin' })
  expect(lines[0].version).toMatch(/^\d+\.\d+\.\d+/)
  const health = lines.find((l) => l.msg === 'request' && l.path === '/health/')
  expect(health).toMatchObject({ method: 'GET', status: 200, request_id: 'req-42' })
  expect(health.duration_ms).toBeGreaterThanOrEqual(0)
  const missing = lines.find((l) => l.msg === 'request' && l.path === '/nope')
  expect(missing.status).toBe(404)
  expect(missing.request_id).toMatch(UUID7)
  expect(lines.find((l) => l.msg === 'socket open')).toMatchObject({ level: 'debug', transport: 'native' })
  expect(lines.map((l) => l.msg).slice(-2)).toEqual(['shutting down', 'stopped'])
})

test('a second signal exits at once, without waiting for the reply in progress', async () => {
  await using parley = spawnParley([process.execPath, main, '--port', '0'], {
    cwd: tempDir(),
    env: { DATABASE_URL: 'sqlite::memory:', BUILTIN_BOT_DELAY_MS: '5000', SHUTDOWN_TIMEOUT_MS: '60000' },
  })
  const url = await parley.url()
  const created = await fetch(`${url}/conversations/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user_id: 'sig' }),
  })
  const { id } = (await created.json()) as { id: string }
  using client = await wsClient(`${url.replace('http', 'ws')}/ws`)
  client.emit('send_message', { conversationId: id, content: 'hello' })
  await client.next('typing', (t) => t.isTyping === true)
  parley.proc.kill('SIGTERM')
  await parley.until((l) => l.msg === 'shutting down')
  const started = performance.now()
  parley.proc.kill('SIGTERM')
  expect(await parley.proc.exited).toBe(1)
  expect(performance.now() - started).toBeLessThan(1000)
})
