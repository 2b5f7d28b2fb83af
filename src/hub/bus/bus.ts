import type { RoomEvent, ToolAnswer } from '../events'

/** What crosses instances: a room event, or a request to stop a conversation's reply. */
export type BusMessage =
  | { origin: string; event: RoomEvent }
  | { origin: string; event?: undefined; stop: string }
  /** A user's answer to a paused tool call (a client tool's result, an approval), for the instance running it. */
  | { origin: string; event?: undefined; answer: ToolAnswer }
  /** A stored event too big for the transport, sent by reference: read it back from the log. */
  | { origin: string; event?: undefined; ref: { conversationId: string; seq: number } }

export type BusHandlers = {
  onMessage: (message: BusMessage) => void
  /**
   * Runs each time the bus is back after an outage, once messages are received again: what other
   * instances published meanwhile was missed and must be read back from the event log.
   */
  onResume: () => void
}

/**
 * Carries hub messages between Parley instances over a real engine (PostgreSQL LISTEN/NOTIFY,
 * Redis pub/sub). Every instance receives every message, its own included; the hub drops its
 * own by `origin`. After an outage it reconnects by itself, forever.
 */
export interface Bus {
  readonly name: string
  /** False while messages cannot be sent or received (readiness reports it). */
  readonly up: boolean
  publish(message: BusMessage): void
  /**
   * Subscribes; resolves once messages from other instances will be received. Rejects, naming
   * the service and its URL, when that did not happen within the connect timeout.
   */
  start(handlers: BusHandlers): Promise<void>
  close(): Promise<void>
}

/** The start-up failure of a bus: which service, where (password hidden), how long it was tried. */
export function cannotConnect(service: string, url: string, bus: string, ms: number, cause: unknown): Error {
  const why = cause instanceof Error ? cause.message : String(cause)
  return new Error(`cannot connect to ${service} at ${url} (BUS=${bus}) within ${ms} ms: ${why}`, { cause })
}

/** `promise`, or a rejection with `onTimeout()` when it has not settled within `ms`. */
export async function within<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: Timer | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

// Reconnect attempts: 100 ms, doubling up to 2 s, with jitter so instances do not retry in step.
const RETRY_FIRST_MS = 100
const RETRY_MAX_MS = 2000
export const backoff = (attempt: number) =>
  Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** attempt) * (0.5 + Math.random() / 2)

/**
 * Tries `connect(msLeft)` until it succeeds or `ms` have passed, then rethrows its last error: a
 * service started at the same moment (a compose file) is waited for, an absent one is not.
 */
export async function retryWithin<T>(ms: number, connect: (msLeft: number) => Promise<T>): Promise<T> {
  const deadline = performance.now() + ms
  for (let attempt = 0; ; attempt++) {
    try {
      return await connect(Math.max(1, deadline - performance.now()))
    } catch (error) {
      const left = deadline - performance.now()
      if (left <= 0) throw error
      await Bun.sleep(Math.min(backoff(attempt), left))
    }
  }
}
