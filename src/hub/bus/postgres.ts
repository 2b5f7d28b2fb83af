import { SQL } from 'bun'
import type { Logger } from '../../log'
import type { Bus, BusMessage } from './bus'

const CHANNEL = 'parley_hub'
// NOTIFY payloads are limited to 8000 bytes; stay clear of it.
const MAX_PAYLOAD = 7900

/**
 * PostgreSQL LISTEN/NOTIFY on the application's own database. A stored event too big for a
 * notification goes by reference (conversation, seq) and is read back from the event log.
 */
export function postgresBus(url: string, log: Logger): Bus {
  const sql = new SQL({ url, max: 2 })
  let subscription: { unlisten(): Promise<void> } | null = null
  // One notification at a time, in order: concurrent NOTIFYs on pooled connections could be
  // delivered out of order (a reply's new_message after its typing:false).
  let tail: Promise<unknown> = Promise.resolve()
  return {
    name: 'postgres',
    publish(message) {
      let payload = JSON.stringify(message)
      if (Buffer.byteLength(payload) > MAX_PAYLOAD) {
        const event = message.event
        if (!event || event.seq === undefined) {
          log.warn('bus message too large to send', {
            bus: 'postgres',
            event: event?.name,
            bytes: Buffer.byteLength(payload),
          })
          return
        }
        payload = JSON.stringify({
          origin: message.origin,
          ref: { conversationId: event.conversationId, seq: event.seq },
        })
      }
      tail = tail
        .then(() => sql`SELECT pg_notify(${CHANNEL}, ${payload})`)
        .catch((err: unknown) => log.error('bus publish failed', { bus: 'postgres', err }))
    },
    async start(onMessage) {
      subscription = await sql.listen(CHANNEL, (payload: string) => {
        try {
          onMessage(JSON.parse(payload) as BusMessage)
        } catch (err) {
          log.error('bus message dropped', { bus: 'postgres', err })
        }
      })
    },
    async close() {
      await subscription?.unlisten().catch(() => {})
      await sql.close({ timeout: 1 })
    },
  }
}
