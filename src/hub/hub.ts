import type { ChatEvent } from '../storage/store'

/** A realtime transport: receives every hub event and delivers it to its own connections. */
export interface Transport {
  deliver(event: ChatEvent): void
}

/**
 * Fans conversation events out to the attached transports. It never sees a socket: each
 * transport keeps its own connections and rooms (topics are conversation ids).
 */
export class Hub {
  private readonly transports = new Set<Transport>()

  attach(transport: Transport): () => void {
    this.transports.add(transport)
    return () => this.transports.delete(transport)
  }

  publish(event: ChatEvent): void {
    for (const transport of this.transports) transport.deliver(event)
  }
}
