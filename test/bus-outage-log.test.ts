import { expect, test } from 'bun:test'
import { redisBus } from '../src/hub/bus/redis'
import { memoryLogger } from './helpers'
import { ownRedis, redisServerInstalled } from './redis-server'

test.if(redisServerInstalled())(
  'a Redis outage is logged once when it starts and once when it ends, naming Redis with its password hidden, however many retries it takes',
  async () => {
    await using redis = await ownRedis({ password: 's3cret' })
    const log = memoryLogger()
    let resumed = 0
    const bus = redisBus(redis.url, log, 2000)
    await bus.start({ onMessage: () => {}, onResume: () => resumed++ })
    try {
      await redis.kill()
      for (const deadline = Date.now() + 10_000; bus.up; await Bun.sleep(20)) {
        if (Date.now() > deadline) throw new Error('the bus never noticed Redis was gone')
      }
      await Bun.sleep(3000) // long enough for several retries at the 2 s cap
      await redis.start()
      for (const deadline = Date.now() + 10_000; !bus.up; await Bun.sleep(20)) {
        if (Date.now() > deadline) throw new Error('the bus did not come back')
      }
      const lines = log.lines.map((l) => JSON.parse(l)).filter((l) => l.bus === 'redis')
      expect(lines.map((l) => `${l.level} ${l.msg}`)).toEqual([
        `warn bus: lost Redis at redis://:***@127.0.0.1:${redis.port}; reconnecting until it is back`,
        `info bus: Redis at redis://:***@127.0.0.1:${redis.port} is back`,
      ])
      expect(log.lines.join('\n')).not.toContain('s3cret')
      expect(resumed).toBe(1)
      expect(await redis.subscribers('parley:hub')).toBe(1)
    } finally {
      await bus.close()
    }
  },
  30_000,
)
