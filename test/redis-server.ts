import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Subprocess } from 'bun'

/** A TCP port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
export function freePort(): number {
  const probe = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
  const { port } = probe
  probe.stop(true)
  return port
}

/** Whether this machine can run a Redis of a test's own; says so loudly when it cannot. */
export function redisServerInstalled(): boolean {
  if (Bun.which('redis-server')) return true
  if (process.env.CI === 'true') throw new Error('redis-server is required in CI but is not installed')
  console.warn('SKIPPED: redis-server is not installed; the Redis outage tests do not run on this machine')
  return false
}

/**
 * A redis-server of the test's own, on a free port in a temp dir, that the test may kill and
 * start again on the same port. The machine's shared Redis (6379) is never touched: other
 * tests use it.
 */
export async function ownRedis(options: { password?: string } = {}) {
  const port = freePort()
  const dir = mkdtempSync(join(tmpdir(), 'parley-redis-'))
  let proc: Subprocess | null = null
  const url = `redis://${options.password ? `:${options.password}@` : ''}127.0.0.1:${port}`
  const auth = options.password ? ['--requirepass', options.password] : []
  const server = {
    port,
    url,
    /** Starts it and waits (bounded) until it answers PING. */
    async start() {
      proc = Bun.spawn(
        ['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...auth],
        { cwd: dir, stdin: 'ignore', stdout: 'ignore', stderr: 'ignore' },
      )
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; await Bun.sleep(20)) {
        if (await server.ping()) return
      }
      throw new Error(`redis-server on port ${port} did not start`)
    },
    /** Kills it at once, as a crash would. */
    async kill() {
      proc?.kill('SIGKILL')
      await proc?.exited
      proc = null
    },
    async ping(): Promise<boolean> {
      const client = new Bun.RedisClient(url, { connectionTimeout: 500, autoReconnect: false })
      try {
        return (await client.send('PING', [])) === 'PONG'
      } catch {
        return false
      } finally {
        client.close()
      }
    },
    /** How many connections are subscribed to `channel`. */
    async subscribers(channel: string): Promise<number> {
      const client = new Bun.RedisClient(url, { connectionTimeout: 500, autoReconnect: false })
      try {
        const [, count] = (await client.send('PUBSUB', ['NUMSUB', channel])) as [string, number]
        return count
      } finally {
        client.close()
      }
    },
    async [Symbol.asyncDispose]() {
      await server.kill()
      rmSync(dir, { recursive: true, force: true })
    },
  }
  await server.start()
  return server
}
