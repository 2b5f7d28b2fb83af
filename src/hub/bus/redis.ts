import { type Logger, redactUrl } from '../../log'
import { type Bus, type BusHandlers, type BusMessage, cannotConnect } from './bus'
import { RedisLink } from './redis-link'
import { Unsent } from './unsent'

const CHANNEL = 'parley:hub'

/**
 * Redis pub/sub with Bun's built-in client: one connection publishes, one subscribes (a
 * subscribed connection may not publish). Each is kept up forever; after an outage the
 * subscriber subscribes again and the hub reads what it missed from the event log, and the
 * publisher sends again, by reference, what it could not send.
 */
export function redisBus(url: string, log: Logger, connectTimeoutMs: number): Bus {
  const where = redactUrl(url)
  const unsent = new Unsent()
  let handlers: BusHandlers | null = null
  let downSince: number | null = null
  let publishFailing = false

  // One line when the bus goes down and one when it is back, whichever connection noticed.
  const onDown = (error: Error) => {
    if (downSince !== null) return
    downSince = performance.now()
    log.warn(`bus: lost Redis at ${where}; reconnecting until it is back`, { bus: 'redis', url: where, err: error })
  }
  const onUp = (resumed: () => void) => () => {
    resumed()
    if (downSince === null || !publisher.up || !subscriber.up) return
    log.info(`bus: Redis at ${where} is back`, {
      bus: 'redis',
      url: where,
      down_ms: Math.round(performance.now() - downSince),
    })
    downSince = null
  }

  const receive = (text: string) => {
    try {
      handlers?.onMessage(JSON.parse(text) as BusMessage)
    } catch (err) {
      log.error('bus message dropped', { bus: 'redis', err })
    }
  }
  const subscriber: RedisLink = new RedisLink({
    url,
    connectTimeoutMs,
    prepare: (client) => client.subscribe(CHANNEL, receive),
    onDown,
    onUp: onUp(() => handlers?.onResume()),
  })
  const publisher: RedisLink = new RedisLink({
    url,
    connectTimeoutMs,
    // A server that accepts the socket and then refuses the client (max clients, auth) fails here.
    prepare: (client) => client.ping(),
    onDown,
    onUp: onUp(() => {
      for (const message of unsent.take()) send(message)
    }),
  })

  function send(message: BusMessage) {
    const client = publisher.client
    if (!client) return unsent.note(message)
    client.publish(CHANNEL, JSON.stringify(message)).then(
      () => {
        publishFailing = false
      },
      (err: unknown) => {
        unsent.note(message)
        // Logged once per run of failures, not per message; an outage is logged by onDown.
        if (publishFailing || !publisher.up) return
        publishFailing = true
        log.error('bus publish failed', { bus: 'redis', url: where, err })
      },
    )
  }

  return {
    name: 'redis',
    get up() {
      return publisher.up && subscriber.up
    },
    publish: send,
    async start(given) {
      handlers = given
      try {
        await Promise.all([publisher.open(), subscriber.open()])
      } catch (error) {
        publisher.close()
        subscriber.close()
        throw cannotConnect('Redis', where, 'redis', connectTimeoutMs, error)
      }
    },
    async close() {
      subscriber.close()
      publisher.close()
    },
  }
}
