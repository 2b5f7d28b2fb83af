import { expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { postgresBus } from '../src/hub/bus/postgres'
import { redisBus } from '../src/hub/bus/redis'
import { memoryLogger } from './helpers'
import { spawnParley } from './process'
import { freePort, ownRedis, redisServerInstalled } from './redis-server'

const main = join(import.meta.dir, '../src/main.ts')
const handlers = { onMessage: () => {}, onResume: () => {} }

test('with Redis unreachable, the server exits within CONNECT_TIMEOUT_MS naming Redis and its URL, password hidden', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'parley-bus-'))
  const port = freePort()
  try {
    const started = performance.now()
    await using parley = spawnParley([process.execPath, main, '--port', '0'], {
      cwd,
      env: {
        DATABASE_URL: 'sqlite::memory:',
        BUS: 'redis',
        REDIS_URL: `redis://parley:s3cret@127.0.0.1:${port}/0`,
        CONNECT_TIMEOUT_MS: '500',
      },
    })
    const code = await parley.proc.exited
    const stderr = await new Response(parley.proc.stderr).text()
    console.log(`exited ${code} after ${Math.round(performance.now() - started)} ms: ${stderr.trim()}`)
    expect(code).toBe(1)
    expect(stderr).toContain(
      `parley: cannot connect to Redis at redis://parley:***@127.0.0.1:${port}/0 (BUS=redis) within 500 ms`,
    )
    expect(stderr + parley.lines.join('\n')).not.toContain('s3cret')
  } finally {
    rmSync(cwd, { recursive: true, force: true })
  }
})

test.if(redisServerInstalled())(
  'the Redis bus retries within the timeout: a Redis that comes up a moment later is used',
  async () => {
    await using redis = await ownRedis()
    await redis.kill()
    const bus = redisBus(redis.url, memoryLogger(), 5000)
    const starting = bus.start(handlers)
    await Bun.sleep(300)
    await redis.start()
    await starting
    expect(bus.up).toBe(true)
    await bus.close()
  },
)

test('with its database unreachable, the PostgreSQL bus fails within the timeout naming PostgreSQL and its URL', async () => {
  const port = freePort()
  const bus = postgresBus(`postgres://parley:s3cret@127.0.0.1:${port}/chat`, memoryLogger(), 500)
  const started = performance.now()
  const error = await bus.start(handlers).then(
    () => null,
    (e: Error) => e,
  )
  console.log(`rejected after ${Math.round(performance.now() - started)} ms: ${error?.message}`)
  expect(error?.message).toStartWith(
    `cannot connect to PostgreSQL at postgres://parley:***@127.0.0.1:${port}/chat (BUS=postgres) within 500 ms`,
  )
  expect(error?.message).not.toContain('s3cret')
})
