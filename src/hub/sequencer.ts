import type { ChatEvent } from '../storage/store'
import { type RoomEvent, toRoomEvent } from './events'

type Track = {
  last: number
  held: Map<number, RoomEvent>
  /** Unstored events (typing, deltas) that came after a held one: they must not overtake it. */
  trailing: RoomEvent[]
  timer: ReturnType<typeof setTimeout> | null
}

/** Reads stored events after a seq (the store's eventsAfter), to fill a gap. */
export type GapReader = (conversationId: string, afterSeq: number, limit: number) => Promise<ChatEvent[] | null>

/**
 * Puts stored events back in `seq` order, once each, for the conversations this instance has
 * members in. Events from several instances (or committed by concurrent transactions) can
 * arrive out of order: a later seq waits for the missing one for `gapWaitMs`, then the gap is
 * read back from the event log, so a lost or slow message never leaves a hole.
 */
export class Sequencer {
  private readonly tracks = new Map<string, Track>()

  constructor(
    private readonly readGap: GapReader,
    private readonly deliver: (event: RoomEvent) => void,
    private readonly gapWaitMs = 150,
    private readonly maxTracked = 50_000,
  ) {}

  /** Starts ordering a conversation from `seq` (what its newest member has seen). */
  track(conversationId: string, seq: number): void {
    const track = this.tracks.get(conversationId)
    if (track) return
    if (this.tracks.size >= this.maxTracked) this.evictOldest()
    this.tracks.set(conversationId, { last: seq, held: new Map(), trailing: [], timer: null })
  }

  handle(event: RoomEvent): void {
    const track = this.tracks.get(event.conversationId)
    if (!track) {
      this.deliver(event)
      return
    }
    if (event.seq === undefined) {
      if (track.held.size > 0) track.trailing.push(event)
      else this.deliver(event)
      return
    }
    if (event.seq <= track.last || track.held.has(event.seq)) return // already delivered or waiting
    track.held.set(event.seq, event)
    this.drain(event.conversationId, track)
    if (track.held.size > 0 && !track.timer) {
      track.timer = setTimeout(() => void this.fill(event.conversationId, track), this.gapWaitMs)
    }
  }

  private drain(conversationId: string, track: Track) {
    for (let next = track.held.get(track.last + 1); next; next = track.held.get(track.last + 1)) {
      track.held.delete(track.last + 1)
      track.last++
      this.deliver(next)
      if (next.name === 'conversation_deleted') {
        this.forget(conversationId, track)
        return
      }
    }
    if (track.held.size === 0 && track.trailing.length > 0) {
      for (const event of track.trailing.splice(0)) this.deliver(event)
    }
  }

  /** The missing events did not arrive: read them from the log and deliver everything held. */
  private async fill(conversationId: string, track: Track) {
    track.timer = null
    if (track.held.size === 0) return
    const upTo = Math.max(...track.held.keys())
    const stored = await this.readGap(conversationId, track.last, upTo - track.last).catch(() => null)
    for (const event of stored ?? []) if (event.seq <= upTo) this.handle(toRoomEvent(event))
    if (track.held.size > 0 && this.tracks.get(conversationId) === track) {
      // Pruned from the log or never stored: skip the hole rather than hold the room forever.
      track.last = Math.min(...track.held.keys()) - 1
      this.drain(conversationId, track)
    }
  }

  private forget(conversationId: string, track: Track) {
    if (track.timer) clearTimeout(track.timer)
    this.tracks.delete(conversationId)
  }

  private evictOldest() {
    const [id, track] = this.tracks.entries().next().value as [string, Track]
    this.forget(id, track)
  }
}
