import type { ChatEvent } from '../storage/store'
import { type RoomEvent, toRoomEvent } from './events'

/** A realtime transport: receives every room event and delivers it to its own connections. */
export interface Transport {
  deliver(event: RoomEvent): void
}

/**
 * Fans conversation events out to the attached transports. It never sees a socket: each
 * transport keeps its own connections and rooms (one room per conversation).
 */
export class Hub {
  private readonly transports = new Set<Transport>()

  attach(transport: Transport): () => void {
    this.transports.add(transport)
    return () => this.transports.delete(transport)
  }

  /** A stored change (it carries its seq). */
  publish(event: ChatEvent): void {
    this.deliver(toRoomEvent(event))
  }

  /** Something that is not stored: typing, streamed deltas, a failed reply. */
  publishEphemeral(event: RoomEvent): void {
    this.deliver(event)
  }

  private deliver(event: RoomEvent): void {
    for (const transport of this.transports) transport.deliver(event)
  }
}
