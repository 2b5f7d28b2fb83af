import type { Actor } from '../../auth/actor'
import type { ChatService } from '../../chat/service'
import { AppError, rateLimited } from '../../errors'
import { type ServerEventName, toRoomEvent } from '../../hub/events'
import type { Hub } from '../../hub/hub'
import type { Logger } from '../../log'
import { type BudgetLimits, SocketBudgets } from './budgets'
import { createJoins } from './join'
import { type ClientEvent, describeError, eventLabel, parseClientEvent } from './protocol'
import { TypingThrottle, typingUserId } from './typing'

/** One client connection, whatever its transport. */
export interface Connection {
  readonly id: string
  readonly transport: 'native' | 'socket.io'
  /** Who opened it (authenticated at connect). */
  readonly actor: Actor
  /** Conversations joined: their ownership check has passed. */
  readonly rooms: Set<string>
  closed: boolean
  send(name: ServerEventName, data: Record<string, unknown>): void
  /** Starts live delivery of the room through the transport's own fan-out. */
  subscribe(conversationId: string): void
  unsubscribe(conversationId: string): void
  /** Closes the connection (native close code; Socket.IO disconnects after an `error` event). */
  terminate(code: number, reason: string): void
}

export type Ack = (answer: unknown) => void

export type RealtimeDeps = {
  chat: ChatService
  hub: Hub
  log: Logger
  maxRooms: number
  maxSocketsPerUser: number
  budgets: BudgetLimits
  /** TYPING_INTERVAL_MS. */
  typingIntervalMs: number
}

// setTimeout fires after ~1 ms past 2^31-1 ms (24.8 days): longer waits are taken in steps.
const MAX_TIMER_MS = 2 ** 31 - 1

/**
 * The realtime protocol, shared by the native WebSocket and Socket.IO transports: they decode
 * frames and own connections; this decides what each client event does and what it may cost.
 */
export function createRealtime({ chat, hub, log, maxRooms, maxSocketsPerUser, ...limits }: RealtimeDeps) {
  const socketsOf = new Map<string, number>() // per actor.rateKey
  const expiries = new Map<Connection, ReturnType<typeof setTimeout>>()
  const closing = new WeakSet<Connection>() // refused too often: closed, or about to be
  const budgets = new SocketBudgets(limits.budgets)
  const typing = new TypingThrottle(limits.typingIntervalMs)
  const rooms = createJoins({ chat, hub, maxRooms })

  function leave(conn: Connection, id: string) {
    rooms.leave(conn, id)
    typing.forget(conn.id, id)
  }

  async function dispatch(conn: Connection, event: ClientEvent): Promise<unknown> {
    switch (event.name) {
      case 'join_conversation':
        budgets.join(conn)
        return rooms.join(conn, event.data)
      case 'leave_conversation':
        return leave(conn, event.data.conversationId)
      case 'send_message': {
        const { conversationId, content, clientId, parentId, clientTools } = event.data
        // Sending in a conversation subscribes the sender, so it sees its own message and the reply.
        if (!conn.rooms.has(conversationId)) await rooms.join(conn, { conversationId })
        const sent = await chat.as(conn.actor).sendMessage(conversationId, { content, clientId, parentId, clientTools })
        // A retry of a stored message: echo it to this client only.
        if (sent.duplicate && !conn.closed) {
          const echo = toRoomEvent(sent.event)
          conn.send(echo.name, echo.data)
        }
        return { message: sent.message, duplicate: sent.duplicate }
      }
      case 'typing': {
        const { conversationId, isTyping } = event.data // the client's own userId is ignored
        if (!conn.rooms.has(conversationId))
          throw new AppError('bad_event', 'Join the conversation before typing in it')
        const userId = typingUserId(conn.actor)
        typing.offer(conn.id, conversationId, isTyping, (state) => {
          if (conn.closed || !conn.rooms.has(conversationId)) return
          const data = { conversationId, userId, isTyping: state }
          hub.publishEphemeral({ conversationId, name: 'typing', data, except: conn.id })
        })
        return
      }
      case 'stop_generation':
        return { stopped: await chat.as(conn.actor).stopGeneration(event.data.conversationId) }
      case 'tool_result': {
        const { conversationId, toolCallId, output, error } = event.data
        return chat.as(conn.actor).answerToolCall(conversationId, { kind: 'result', toolCallId, output, error }, [])
      }
      case 'tool_approval': {
        const { conversationId, toolCallId, approved, reason } = event.data
        const reply = { kind: 'approval' as const, toolCallId, approved, reason }
        return chat.as(conn.actor).answerToolCall(conversationId, reply, [])
      }
    }
  }

  /** Answers a failed event with an `error` event (and the ack). Never throws. */
  function answer(conn: Connection, error: unknown, name: unknown, ack?: Ack) {
    try {
      const { code, message, retryAfter } = describeError(error)
      if (code === 'internal_error')
        log.error('realtime event failed', { transport: conn.transport, event: eventLabel(name), err: error })
      if (code === 'rate_limited' && budgets.strike(conn)) return shut(conn)
      const extra = retryAfter === undefined ? {} : { retry_after: retryAfter }
      if (!conn.closed) {
        const event = typeof name === 'string' ? { event: name.slice(0, 64) } : {}
        conn.send('error', { code, message, ...event, ...extra })
      }
      ack?.({ ok: false, code, message, ...extra })
    } catch (err) {
      log.error('realtime error answer failed', { transport: conn.transport, err })
    }
  }

  function shut(conn: Connection) {
    if (closing.has(conn) || conn.closed) return
    closing.add(conn)
    budgets.cool(conn)
    log.warn('socket closed for flooding', { transport: conn.transport, socket_id: conn.id, key: conn.actor.rateKey })
    conn.terminate(1008, 'rate limit exceeded')
  }

  function expireAt(conn: Connection, at: number) {
    const left = at - Date.now()
    const timer =
      left > MAX_TIMER_MS
        ? setTimeout(() => expireAt(conn, at), MAX_TIMER_MS)
        : setTimeout(() => conn.terminate(4001, 'token expired'), Math.max(0, left))
    expiries.set(conn, timer)
  }

  return {
    /**
     * Charges one client frame (any frame: events, pings, ones that will not parse) to the
     * socket's and its user's budgets. False: refused and answered (`rate_limited` with
     * `retry_after`), or the socket is being closed for flooding; drop the frame.
     */
    admit(conn: Connection, ack?: Ack): boolean {
      if (conn.closed || closing.has(conn)) return false
      const wait = budgets.event(conn)
      if (wait === 0) return true
      answer(conn, rateLimited(`Too many events; try again in ${wait} s`, wait), undefined, ack)
      return false
    },

    /**
     * Handles one admitted client event. Failures become an `error` event (and the ack, if any);
     * the connection stays usable. The promise never rejects: transports do not await it.
     */
    async handle(conn: Connection, name: unknown, data: unknown, ack?: Ack): Promise<void> {
      try {
        if (name === 'ping') {
          if (!conn.closed) conn.send('pong', {})
          return ack?.({ ok: true })
        }
        const result = await dispatch(conn, parseClientEvent(name, data))
        ack?.({ ok: true, ...(result && typeof result === 'object' ? result : {}) })
      } catch (error) {
        answer(conn, error, name, ack)
      }
    },

    /** Rejects a frame the transport could not decode. */
    reject(conn: Connection, code: 'bad_event' | 'json_too_deep', message: string, ack?: Ack) {
      answer(conn, new AppError(code, message), undefined, ack)
    },

    /**
     * Why `actor` may not open one more socket, or null: MAX_SOCKETS_PER_USER open already
     * (too_many_sockets), or a socket of theirs was closed for flooding moments ago (rate_limited).
     */
    refusal(actor: Actor): AppError | null {
      const wait = budgets.cooling(actor)
      if (wait) return rateLimited(`A socket of yours was closed for flooding; try again in ${wait} s`, wait)
      if ((socketsOf.get(actor.rateKey) ?? 0) < maxSocketsPerUser) return null
      return new AppError('too_many_sockets', 'Too many open sockets for this user')
    },

    /** A connection is open: count it, and close it when its token expires (4001). */
    open(conn: Connection) {
      socketsOf.set(conn.actor.rateKey, (socketsOf.get(conn.actor.rateKey) ?? 0) + 1)
      if (conn.actor.kind === 'user' && conn.actor.expiresAt !== undefined) expireAt(conn, conn.actor.expiresAt)
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
      rooms.leaveAll(conn)
      typing.forget(conn.id)
      budgets.forget(conn)
    },
  }
}

export type Realtime = ReturnType<typeof createRealtime>
