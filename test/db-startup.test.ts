import { expect, test } from 'bun:test'
import { join } from 'node:path'

const main = join(import.meta.dir, '../src/main.ts')

/** A port where nothing listens: one the system gave out and took back. */
function closedPort(): number {
  const probe = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
  const { port } = probe
  probe.stop(true)
  return port
}

/** A server that accepts connections and never says a word (a hung database, a wrong service). */
function silentServer() {
  const server = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
  return { port: server.port, [Symbol.dispose]: () => server.stop(true) }
}

async function start(url: string) {
  const proc = Bun.spawn([process.execPath, main, '--port', '0'], {
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: url, CONNECT_TIMEOUT_MS: '300', LOG_FORMAT: 'json' },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const code = await proc.exited
  return { code, stderr: await new Response(proc.stderr).text(), stdout: await new Response(proc.stdout).text() }
}

// At start-up a database that does not answer is one line naming it and its URL, exit code 1,
// within CONNECT_TIMEOUT_MS: not a hang, not a stack.
for (const [scheme, name] of [
  ['postgres', 'PostgreSQL'],
  ['mysql', 'MySQL/MariaDB'],
] as const) {
  test(`${name}: nothing listening on the port → exit 1 naming the database and URL, password hidden`, async () => {
    const port = closedPort()
    const { code, stderr } = await start(`${scheme}://parley:s3cret@127.0.0.1:${port}/parley`)
    expect(code).toBe(1)
    expect(stderr).toContain(`cannot connect to ${name} at ${scheme}://parley:***@127.0.0.1:${port}/parley`)
    expect(stderr).not.toContain('s3cret')
    expect(stderr.trim().split('\n')).toHaveLength(1)
  })

  test(`${name}: a server that never answers → exit 1 after CONNECT_TIMEOUT_MS, naming it`, async () => {
    using silent = silentServer()
    const { code, stderr } = await start(`${scheme}://parley:s3cret@127.0.0.1:${silent.port}/parley`)
    expect(code).toBe(1)
    expect(stderr).toContain(`cannot connect to ${name} at ${scheme}://parley:***@127.0.0.1:${silent.port}/parley`)
    expect(stderr).not.toContain('s3cret')
  })
}
