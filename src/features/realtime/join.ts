import type { ChatService } from '../../chat/service'
import { AppError } from '../../errors'
import { type RoomEvent, toRoomEvent } from '../../hub/events'
import type { Hub } from '../../hub/hub'
import type { ClientPayload } from './protocol'
import type { Connection } from './session'

/** Live events of a reply in progress: reply_in_progress (or the stored reply) covers them. */
const PROGRESS = new Set([
  'message_delta',
  'part_delta',
  'tool_call_start',
  'tool_input_delta',
  'tool_call_input',
  'tool_call_approval',
  'tool_call_result',
])

/** A join past its ownership check: live events are held here while stored ones are replayed. */
type Joiner = { conn: Connection; buffer: RoomEvent[] }

const send = (conn: Connection, event: RoomEvent) => {
  if (!conn.closed && event.except !== conn.id) conn.send(event.name, event.data)
}

/**
 * Joining and leaving rooms, gap-free and duplicate-free on every backend. The hub's sequencer
 * is the one authority on where the live stream stands: `hub.track` answers the seq it has
 * delivered up to, the join replays the log up to exactly that seq and buffers what the hub
 * delivers after it, so live delivery continues at the next seq whatever the order in which
 * concurrent writers' events reached this instance.
 */
export function createJoins({ chat, hub, maxRooms }: { chat: ChatService; hub: Hub; maxRooms: number }) {
  const pending = new Map<string, Set<Joiner>>()
  // Joins awaiting their ownership check, per connection: a leave or a newer join of the same
  // room replaces the attempt, and the one that was replaced stops at its next step.
  const attempts = new Map<Connection, Map<string, object>>()
  hub.attach({
    deliver(event) {
      const joiners = pending.get(event.conversationId)
      if (joiners) for (const j of joiners) j.buffer.push(event)
    },
  })

  async function join(conn: Connection, p: ClientPayload<'join_conversation'>): Promise<void> {
    const id = p.conversationId
    const mine = attempts.get(conn) ?? new Map<string, object>()
    if (!conn.rooms.has(id) && !mine.has(id) && conn.rooms.size + mine.size >= maxRooms) {
      throw new AppError('bad_event', `A connection may join at most ${maxRooms} conversations`)
    }
    attempts.set(conn, mine)
    const attempt = {}
    mine.set(id, attempt)
    conn.unsubscribe(id) // a re-join starts over
    const current = () => !conn.closed && attempts.get(conn)?.get(id) === attempt
    let joiner: Joiner | null = null
    const chatAs = chat.as(conn.actor)
    try {
      const point = await chatAs.resumePoint(id, {
        ...(p.since_seq !== undefined ? { seq: p.since_seq } : {}),
        ...(p.since !== undefined ? { messageId: p.since } : {}),
      })
      if (!current()) return // left, closed or joined again meanwhile
      // The ownership check passed: only now is this a member (typing, sending).
      conn.rooms.add(id)
      // In one tick: the seq the hub has delivered up to, and a buffer for everything after it.
      const seq = hub.track(id, point.seq)
      joiner = { conn, buffer: [] }
      const joiners = pending.get(id) ?? new Set()
      pending.set(id, joiners.add(joiner))
      conn.send('joined', { conversationId: id, seq })
      let last = seq
      if (point.resync) conn.send('resync_required', { conversationId: id, seq })
      else if (point.from !== null && point.from < seq) {
        try {
          for await (const event of chatAs.eventsAfter(id, point.from)) {
            if (!current()) return
            if (event.seq > seq) break // what follows comes through the buffer, in order
            send(conn, toRoomEvent(event))
          }
        } catch (error) {
          if (!(error instanceof AppError && error.code === 'resync_required')) throw error
          conn.send('resync_required', { conversationId: id, seq })
        }
      } else if (point.from !== null) last = Math.max(last, point.from)
      if (!current()) return
      // From here to subscribe() nothing awaits: no event can slip between buffer and live.
      const progress = chatAs.replyInProgress(id)
      for (const event of joiner.buffer) {
        // Covered by reply_in_progress or the stored reply.
        if (event.seq === undefined && PROGRESS.has(event.name)) continue
        if (event.seq === undefined || event.seq > last) send(conn, event)
      }
      if (progress) {
        conn.send('reply_in_progress', {
          conversationId: id,
          messageId: progress.messageId,
          content_so_far: progress.content,
          parts_so_far: progress.parts,
        })
      }
      conn.subscribe(id)
    } catch (error) {
      if (current()) conn.rooms.delete(id)
      throw error
    } finally {
      if (attempts.get(conn)?.get(id) === attempt) {
        mine.delete(id)
        if (mine.size === 0) attempts.delete(conn)
      }
      if (joiner) unregister(id, joiner)
    }
  }

  function unregister(id: string, joiner: Joiner) {
    const joiners = pending.get(id)
    joiners?.delete(joiner)
    if (joiners?.size === 0) pending.delete(id)
  }

  function leave(conn: Connection, id: string) {
    conn.unsubscribe(id)
    conn.rooms.delete(id)
    const mine = attempts.get(conn)
    mine?.delete(id)
    if (mine?.size === 0) attempts.delete(conn)
    for (const j of pending.get(id) ?? []) if (j.conn === conn) unregister(id, j)
  }

  /** Every room and join in progress of a closed connection. */
  function leaveAll(conn: Connection) {
    for (const id of [...conn.rooms, ...(attempts.get(conn)?.keys() ?? [])]) leave(conn, id)
  }

  return { join, leave, leaveAll }
}
