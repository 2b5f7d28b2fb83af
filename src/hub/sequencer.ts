import type { ChatEvent } from '../storage/store'
import { type RoomEvent, toRoomEvent } from './events'

type Track = {
  last: number
  /** A member saw this seq in the log: what has not arrived up to it is read back, too. */
  known: number
  /** Read the log once after `last` even with nothing held (the track is new). */
  catchUp: boolean
  held: Map<number, RoomEvent>
  /** Unstored events (typing, deltas) that came after a held one: they must not overtake it. */
  trailing: RoomEvent[]
  timer: ReturnType<typeof setTimeout> | null
}

// A new track's one look at the log: writes that landed while its first member joined.
const CATCH_UP_LIMIT = 500

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

  /**
   * A local member joins at `seq` (the log's last seq when it looked). Answers the seq up to which
   * this conversation's events have been delivered here: live delivery continues right after it.
   * A new track starts at `seq`; events that passed through before it existed (unordered, to
   * nobody) are read back once from the log, so none is skipped. An existing track keeps its
   * place, and what it has not delivered up to `seq` is read back if it does not arrive.
   */
  track(conversationId: string, seq: number): number {
    const track = this.tracks.get(conversationId)
    if (track) {
      if (seq > track.last) {
        track.known = Math.max(track.known, seq)
        this.awaitGap(conversationId, track)
      }
      return track.last
    }
    if (this.tracks.size >= this.maxTracked) this.evictOldest()
    const created: Track = { last: seq, known: seq, catchUp: true, held: new Map(), trailing: [], timer: null }
    this.tracks.set(conversationId, created)
    this.awaitGap(conversationId, created)
    return seq
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
    if (track.held.size > 0) this.awaitGap(event.conversationId, track)
  }

  private awaitGap(conversationId: string, track: Track) {
    track.timer ??= setTimeout(() => void this.fill(conversationId, track), this.gapWaitMs)
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
    const upTo = Math.max(track.known, ...track.held.keys())
    const catchUp = track.catchUp
    track.catchUp = false
    if (upTo <= track.last && !catchUp) return
    const limit = catchUp ? Math.max(upTo - track.last, CATCH_UP_LIMIT) : upTo - track.last
    const stored = await this.readGap(conversationId, track.last, limit).catch(() => null)
    for (const event of stored ?? []) if (catchUp || event.seq <= upTo) this.handle(toRoomEvent(event))
    if (catchUp && stored?.length === limit && this.tracks.get(conversationId) === track) {
      track.catchUp = true // more landed than one read holds: look again rather than skip them
      return this.awaitGap(conversationId, track)
    }
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

  /**
   * The bus was down: what other instances published meanwhile never arrived, and nothing may
   * come to reveal the gap. Every tracked conversation reads the log once after what it delivered.
   */
  catchUp(): void {
    for (const [conversationId, track] of this.tracks) {
      track.catchUp = true
      this.awaitGap(conversationId, track)
    }
  }
}
