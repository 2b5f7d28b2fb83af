import type { Actor } from '../../auth/actor'
import type { ChatService } from '../../chat/service'
import { AppError } from '../../errors'
import { type RoomEvent, type ServerEventName, toRoomEvent } from '../../hub/events'
import type { Hub } from '../../hub/hub'
import type { Logger } from '../../log'
import { BadEvent, type ClientEvent, type ClientPayload, parseClientEvent } from './protocol'

/** One client connection, whatever its transport. */
export interface Connection {
  readonly id: string
  readonly transport: 'native' | 'socket.io'
  /** Who opened it (authenticated at connect). */
  readonly actor: Actor
  /** Conversations joined (or being joined). */
  readonly rooms: Set<string>
  closed: boolean
  send(name: ServerEventName, data: Record<string, unknown>): void
  /** Starts live delivery of the room through the transport's own fan-out. */
  subscribe(conversationId: string): void
  unsubscribe(conversationId: string): void
  /** Closes the connection (native close code; Socket.IO disconnects after an `error` event). */
  terminate(code: number, reason: string): void
}

/** A join in progress: live events are held here while stored ones are replayed. */
type Joiner = { conn: Connection; buffer: RoomEvent[] }

export type RealtimeDeps = { chat: ChatService; hub: Hub; log: Logger; maxRooms: number; maxSocketsPerUser: number }

/**
 * The realtime protocol, shared by the native WebSocket and Socket.IO transports: they parse
 * frames and own connections; this decides what each client event does.
 */
export function createRealtime({ chat, hub, log, maxRooms, maxSocketsPerUser }: RealtimeDeps) {
  const pending = new Map<string, Set<Joiner>>()
  const socketsOf = new Map<string, number>() // per actor.rateKey
  const expiries = new Map<Connection, ReturnType<typeof setTimeout>>()
  hub.attach({
    deliver(event) {
      const joiners = pending.get(event.conversationId)
      if (joiners) for (const j of joiners) j.buffer.push(event)
    },
  })

  const send = (conn: Connection, event: RoomEvent) => {
    if (!conn.closed && event.except !== conn.id) conn.send(event.name, event.data)
  }

  /**
   * Subscribes `conn` to a conversation gap-free and duplicate-free: live events are buffered
   * from the first moment, stored events after the resume point are replayed, then the buffer
   * is flushed (skipping what the replay covered) and live delivery takes over in the same tick.
   */
  async function join(conn: Connection, p: ClientPayload<'join_conversation'>): Promise<void> {
    const id = p.conversationId
    if (!conn.rooms.has(id) && conn.rooms.size >= maxRooms) {
      throw new AppError('bad_event', `A connection may join at most ${maxRooms} conversations`)
    }
    const joiner: Joiner = { conn, buffer: [] }
    const joiners = pending.get(id) ?? new Set()
    pending.set(id, joiners.add(joiner))
    conn.unsubscribe(id) // a re-join starts over; the buffer already holds what comes next
    conn.rooms.add(id)
    try {
      const point = await chat.as(conn.actor).resumePoint(id, {
        ...(p.since_seq !== undefined ? { seq: p.since_seq } : {}),
        ...(p.since !== undefined ? { messageId: p.since } : {}),
      })
      hub.track(id, point.seq) // from here on, this instance delivers the room's events in seq order
      conn.send('joined', { conversationId: id, seq: point.seq })
      let last = point.seq
      if (point.resync) conn.send('resync_required', { conversationId: id, seq: point.seq })
      else if (point.from !== null) {
        try {
          for await (const event of chat.as(conn.actor).eventsAfter(id, point.from)) {
            if (conn.closed || !joiners.has(joiner)) return
            send(conn, toRoomEvent(event))
            last = Math.max(last, event.seq)
          }
        } catch (error) {
          if (!(error instanceof AppError && error.code === 'resync_required')) throw error
          conn.send('resync_required', { conversationId: id, seq: point.seq })
        }
      }
      if (conn.closed || !joiners.has(joiner)) return // left or disconnected meanwhile
      // From here to subscribe() nothing awaits: no event can slip between buffer and live.
      const progress = chat.as(conn.actor).replyInProgress(id)
      for (const event of joiner.buffer) {
        if (event.name === 'message_delta') continue // covered by reply_in_progress or the stored reply
        if (event.seq === undefined || event.seq > last) send(conn, event)
      }
      if (progress) {
        conn.send('reply_in_progress', {
          conversationId: id,
          messageId: progress.messageId,
          content_so_far: progress.content,
        })
      }
      conn.subscribe(id)
    } catch (error) {
      conn.rooms.delete(id)
      throw error
    } finally {
      joiners.delete(joiner)
      if (joiners.size === 0 && pending.get(id) === joiners) pending.delete(id)
    }
  }

  function leave(conn: Connection, id: string) {
    conn.unsubscribe(id)
    conn.rooms.delete(id)
    const joiners = pending.get(id)
    if (joiners) for (const j of joiners) if (j.conn === conn) joiners.delete(j)
  }

  async function dispatch(conn: Connection, event: ClientEvent): Promise<unknown> {
    switch (event.name) {
      case 'join_conversation':
        return join(conn, event.data)
      case 'leave_conversation':
        return leave(conn, event.data.conversationId)
      case 'send_message': {
        const { conversationId, content, clientId } = event.data
        // Sending in a conversation subscribes the sender, so it sees its own message and the reply.
        if (!conn.rooms.has(conversationId)) await join(conn, { conversationId })
        const sent = await chat.as(conn.actor).sendMessage(conversationId, { content, clientId })
        // A retry of a stored message: echo it to this client only.
        if (sent.duplicate) send(conn, toRoomEvent(sent.event))
        return { message: sent.message, duplicate: sent.duplicate }
      }
      case 'typing': {
        const { conversationId, isTyping, userId } = event.data
        if (!conn.rooms.has(conversationId))
          throw new AppError('bad_event', 'Join the conversation before typing in it')
        const data = { conversationId, userId: userId ?? 'user', isTyping }
        return hub.publishEphemeral({ conversationId, name: 'typing', data, except: conn.id })
      }
      case 'stop_generation':
        return { stopped: await chat.as(conn.actor).stopGeneration(event.data.conversationId) }
    }
  }

  return {
    /**
     * Handles one client event. Failures become an `error` event (and the ack, if any);
     * the connection stays usable.
     */
    async handle(conn: Connection, name: unknown, data: unknown, ack?: (answer: unknown) => void): Promise<void> {
      try {
        const result = await dispatch(conn, parseClientEvent(name, data))
        ack?.({ ok: true, ...(result && typeof result === 'object' ? result : {}) })
      } catch (error) {
        const { code, message } = describe(error)
        if (code === 'internal_error')
          log.error('realtime event failed', { transport: conn.transport, event: String(name), err: error })
        if (!conn.closed)
          conn.send('error', { code, message, ...(typeof name === 'string' ? { event: name.slice(0, 64) } : {}) })
        ack?.({ ok: false, code, message })
      }
    },

    /** Rejects a frame the transport could not decode. */
    reject(conn: Connection, message: string) {
      if (!conn.closed) conn.send('error', { code: 'bad_event', message })
    },

    /** Whether `actor` may open one more socket (MAX_SOCKETS_PER_USER). */
    admits(actor: Actor): boolean {
      return (socketsOf.get(actor.rateKey) ?? 0) < maxSocketsPerUser
    },

    /** A connection is open: count it, and close it when its token expires (4001). */
    open(conn: Connection) {
      socketsOf.set(conn.actor.rateKey, (socketsOf.get(conn.actor.rateKey) ?? 0) + 1)
      const expiresAt = conn.actor.kind === 'user' ? conn.actor.expiresAt : undefined
      if (expiresAt !== undefined) {
        const timer = setTimeout(() => conn.terminate(4001, 'token expired'), Math.max(0, expiresAt - Date.now()))
        expiries.set(conn, timer)
      }
    },

    /** The connection is gone: stop every join in progress. */
    close(conn: Connection) {
      if (conn.closed) return
      conn.closed = true
      clearTimeout(expiries.get(conn))
      expiries.delete(conn)
      const left = (socketsOf.get(conn.actor.rateKey) ?? 1) - 1
      if (left > 0) socketsOf.set(conn.actor.rateKey, left)
      else socketsOf.delete(conn.actor.rateKey)
      for (const id of conn.rooms) leave(conn, id)
    },
  }
}

export type Realtime = ReturnType<typeof createRealtime>

function describe(error: unknown): { code: string; message: string } {
  if (error instanceof BadEvent) return { code: 'bad_event', message: error.message }
  if (error instanceof AppError) {
    const detail = error.detail
    const message = typeof detail === 'string' ? detail : detail.map((d) => `${d.loc.join('.')}: ${d.msg}`).join('; ')
    return { code: error.code, message }
  }
  return { code: 'internal_error', message: 'Internal error' }
}
