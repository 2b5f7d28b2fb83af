import type { RoomEvent } from '../events'

/** What crosses instances: a room event, or a request to stop a conversation's reply. */
export type BusMessage =
  | { origin: string; event: RoomEvent }
  | { origin: string; event?: undefined; stop: string }
  /** A stored event too big for the transport, sent by reference: read it back from the log. */
  | { origin: string; event?: undefined; ref: { conversationId: string; seq: number } }

/**
 * Carries hub messages between Parley instances over a real engine (PostgreSQL LISTEN/NOTIFY,
 * Redis pub/sub). Every instance receives every message, its own included; the hub drops its
 * own by `origin`.
 */
export interface Bus {
  readonly name: string
  publish(message: BusMessage): void
  /** Subscribes; resolves once messages from other instances will be received. */
  start(onMessage: (message: BusMessage) => void): Promise<void>
  close(): Promise<void>
}
