import { RedisClient } from 'bun'
import type { Logger } from '../../log'
import type { Bus, BusMessage } from './bus'

const CHANNEL = 'parley:hub'

/** Redis pub/sub with Bun's built-in client: one connection publishes, one subscribes. */
export function redisBus(url: string, log: Logger): Bus {
  const publisher = new RedisClient(url)
  const subscriber = new RedisClient(url)
  return {
    name: 'redis',
    publish(message) {
      publisher
        .publish(CHANNEL, JSON.stringify(message))
        .catch((err: unknown) => log.error('bus publish failed', { bus: 'redis', err }))
    },
    async start(onMessage) {
      await publisher.connect()
      await subscriber.subscribe(CHANNEL, (text) => {
        try {
          onMessage(JSON.parse(text) as BusMessage)
        } catch (err) {
          log.error('bus message dropped', { bus: 'redis', err })
        }
      })
    },
    async close() {
      subscriber.close()
      publisher.close()
    },
  }
}
