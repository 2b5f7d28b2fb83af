import type { BusMessage } from './bus'

/**
 * Stored events whose publish failed (the bus was down): on reconnect each conversation's newest
 * one is sent again by reference. A receiver that then sees a gap reads it from the event log,
 * so an event written between the other instances' catch-up and this instance's reconnect is
 * not missed. Unstored events (typing, deltas) are stale by then and are dropped.
 */
export class Unsent {
  private readonly newest = new Map<string, { origin: string; seq: number }>()

  constructor(private readonly max = 10_000) {}

  note(message: BusMessage): void {
    const event = message.event
    if (event?.seq === undefined) return
    const known = this.newest.get(event.conversationId)
    if (known && known.seq >= event.seq) return
    // Past the bound, the oldest conversations are given up: their next event reveals the gap.
    if (!known && this.newest.size >= this.max) this.newest.delete(this.newest.keys().next().value as string)
    this.newest.set(event.conversationId, { origin: message.origin, seq: event.seq })
  }

  /** The references to send again, emptied. */
  take(): BusMessage[] {
    const out = [...this.newest].map(([conversationId, { origin, seq }]) => ({ origin, ref: { conversationId, seq } }))
    this.newest.clear()
    return out
  }
}
