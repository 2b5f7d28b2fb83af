import { SQL } from 'bun'
import { type Logger, redactUrl } from '../../log'
import { type Bus, type BusMessage, cannotConnect, retryWithin, within } from './bus'
import { Unsent } from './unsent'

const CHANNEL = 'parley_hub'
// NOTIFY payloads are limited to 8000 bytes; stay clear of it.
const MAX_PAYLOAD = 7900

/**
 * PostgreSQL LISTEN/NOTIFY on the application's own database. A stored event too big for a
 * notification goes by reference (conversation, seq) and is read back from the event log.
 * Bun.SQL re-establishes a dropped LISTEN by itself and says so through `onlisten`: that is when
 * the hub reads back what it missed, and what could not be sent meanwhile is sent again.
 */
export function postgresBus(url: string, log: Logger, connectTimeoutMs: number): Bus {
  const sql = new SQL({ url, max: 2, connectionTimeout: Math.max(1, Math.ceil(connectTimeoutMs / 1000)) })
  const where = redactUrl(url)
  const unsent = new Unsent()
  let subscription: { unlisten(): Promise<void> } | null = null
  let publishFailing = false
  // One notification at a time, in order: concurrent NOTIFYs on pooled connections could be
  // delivered out of order (a reply's new_message after its typing:false).
  let tail: Promise<unknown> = Promise.resolve()

  function send(message: BusMessage) {
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
      .then(
        () => {
          publishFailing = false
        },
        (err: unknown) => {
          unsent.note(message)
          // Once per run of failures: during a database outage every publish fails.
          if (publishFailing) return
          publishFailing = true
          log.error('bus publish failed', { bus: 'postgres', url: where, err })
        },
      )
  }

  return {
    name: 'postgres',
    // A lost LISTEN connection is not reported by Bun.SQL; the database it uses is checked by readiness.
    up: true,
    publish: send,
    async start({ onMessage, onResume }) {
      let started = false
      const listen = (ms: number) => {
        const attempt = sql.listen(
          CHANNEL,
          (payload: string) => {
            try {
              onMessage(JSON.parse(payload) as BusMessage)
            } catch (err) {
              log.error('bus message dropped', { bus: 'postgres', err })
            }
          },
          () => {
            if (!started) return
            log.info('bus: listening on PostgreSQL again', { bus: 'postgres', url: where })
            onResume()
            for (const message of unsent.take()) send(message)
          },
        )
        return within(attempt, ms, () => {
          // Given up on: should it succeed later, a second registration would deliver everything twice.
          attempt.then(
            (late) => late.unlisten(),
            () => {},
          )
          return new Error(`no answer within ${Math.round(ms)} ms`)
        })
      }
      try {
        subscription = await retryWithin(connectTimeoutMs, listen)
        started = true
      } catch (error) {
        void sql.close({ timeout: 0 }).catch(() => {})
        throw cannotConnect('PostgreSQL', where, 'postgres', connectTimeoutMs, error)
      }
    },
    async close() {
      await subscription?.unlisten().catch(() => {})
      await sql.close({ timeout: 1 })
    },
  }
}
