import type { Server, ServerWebSocket } from 'bun'
import type { Actor } from '../../auth/actor'
import { type Authenticator, bearer } from '../../auth/authenticator'
import { addressOf } from '../../auth/client-address'
import { JsonTooDeep, parseJson } from '../../bounded-json'
import { AppError } from '../../errors'
import type { Hub } from '../../hub/hub'
import type { Logger } from '../../log'
import { originAllowed } from './origins'
import type { Connection, Realtime } from './session'

/** What a native socket carries (`kind` tells it apart from Socket.IO's engine sockets). */
export type NativeData = { kind: 'native'; id: string; actor: Actor; autoJoin: string | null; conn?: Connection }

const topic = (conversationId: string) => `c:${conversationId}`
const frame = (event: string, data: unknown) => JSON.stringify({ event, data })

/**
 * Plain WebSocket clients (browsers, wscat, Postman) on `/` and `/ws`: JSON text frames
 * `{ "event": name, "data": payload }`. Rooms are Bun topics, so a broadcast is serialised once
 * and fanned out by Bun itself.
 */
export type NativeDeps = {
  realtime: Realtime
  hub: Hub
  log: Logger
  authenticator: Authenticator
  /** Origins allowed to open sockets; empty: any. */
  allowedOrigins: readonly string[]
  /** WS_BACKPRESSURE_LIMIT_BYTES. */
  backpressureLimit: number
  /** MAX_JSON_DEPTH: frames nested deeper are refused before they are parsed. */
  maxJsonDepth: number
}

export function createNativeTransport({
  realtime,
  hub,
  log,
  authenticator,
  allowedOrigins,
  backpressureLimit,
  maxJsonDepth,
}: NativeDeps) {
  let server: Server<NativeData> | null = null
  const sockets = new Map<string, ServerWebSocket<NativeData>>()
  // Buffers only grow when something is sent: the sweep below runs only after sends.
  let sent = false

  hub.attach({
    deliver(event) {
      if (!server) return
      const t = topic(event.conversationId)
      // Most writes have nobody listening natively (REST clients, Socket.IO rooms): no frame then.
      if (server.subscriberCount(t) === 0) return
      const text = frame(event.name, event.data)
      sent = true
      const sender = event.except ? sockets.get(event.except) : undefined
      // ws.publish reaches every subscriber but the socket itself.
      if (sender?.isSubscribed(t)) sender.publish(t, text)
      else server.publish(t, text)
    },
  })

  const connection = (ws: ServerWebSocket<NativeData>): Connection => ({
    id: ws.data.id,
    transport: 'native',
    actor: ws.data.actor,
    rooms: new Set(),
    closed: false,
    send: (name, data) => {
      sent = true
      ws.send(frame(name, data))
    },
    subscribe(conversationId) {
      if (!this.closed) ws.subscribe(topic(conversationId))
    },
    unsubscribe(conversationId) {
      if (!this.closed) ws.unsubscribe(topic(conversationId))
    },
    terminate: (code, reason) => ws.close(code, reason),
  })

  // A socket that stops reading must not grow the server's memory or delay its room: past half
  // the backpressure limit it is closed with 1013 ("try again later"), a Close frame that
  // reaches the client once it reads again. Bun's own limit (closeOnBackpressureLimit) remains
  // the hard stop, which can only drop the connection.
  const sweeper = setInterval(() => {
    if (!sent) return
    sent = false
    for (const ws of sockets.values()) {
      if (ws.getBufferedAmount() > backpressureLimit / 2) ws.close(1013, 'too slow: messages are not being read')
    }
  }, 100)
  sweeper.unref()

  return {
    /**
     * Upgrades `GET /` or `/ws` after checking the Origin (ALLOWED_ORIGINS), the credentials
     * (`?token=` or `Sec-WebSocket-Protocol: bearer, <token>`) and the socket budget; answers
     * an HTTP error otherwise. `?conversation_id=` joins that room on connect.
     */
    async upgrade(request: Request, srv: Server<NativeData>): Promise<Response | undefined> {
      server = srv
      const url = new URL(request.url)
      try {
        if (!originAllowed(request.headers.get('origin'), allowedOrigins)) {
          throw new AppError('origin_not_allowed', 'This Origin may not open WebSockets')
        }
        const protocols = (request.headers.get('sec-websocket-protocol') ?? '').split(',').map((p) => p.trim())
        const protocolToken = protocols[0]?.toLowerCase() === 'bearer' ? protocols[1] : undefined
        const actor = await authenticator.authenticate({
          token: url.searchParams.get('token') ?? protocolToken ?? bearer(request.headers.get('authorization')),
          address: () => addressOf(request),
        })
        const refused = realtime.refusal(actor)
        if (refused) throw refused
        const data: NativeData = {
          kind: 'native',
          id: Bun.randomUUIDv7(),
          actor,
          autoJoin: url.searchParams.get('conversation_id') ?? url.searchParams.get('conversationId'),
        }
        // The bearer subprotocol convention: the server echoes the protocol it accepted.
        const headers = protocolToken ? { 'sec-websocket-protocol': 'bearer' } : undefined
        if (srv.upgrade(request, { data, ...(headers ? { headers } : {}) })) return undefined
        throw new AppError('bad_request', 'WebSocket upgrade failed')
      } catch (error) {
        if (error instanceof AppError) return error.toResponse()
        throw error
      }
    },

    open(ws: ServerWebSocket<NativeData>) {
      const conn = connection(ws)
      ws.data.conn = conn
      sockets.set(conn.id, ws)
      realtime.open(conn)
      log.debug('socket open', { transport: 'native', socket_id: conn.id })
      if (ws.data.autoJoin) void realtime.handle(conn, 'join_conversation', { conversationId: ws.data.autoJoin })
    },

    message(ws: ServerWebSocket<NativeData>, message: string | Buffer) {
      const conn = ws.data.conn as Connection
      if (!realtime.admit(conn)) return // every frame costs, even one that will not parse
      if (typeof message !== 'string')
        return realtime.reject(conn, 'bad_event', 'Binary frames are not supported; send JSON text')
      let parsed: unknown
      try {
        parsed = parseJson(message, maxJsonDepth)
      } catch (error) {
        if (error instanceof JsonTooDeep) return realtime.reject(conn, 'json_too_deep', error.message)
        return realtime.reject(conn, 'bad_event', 'Frames must be JSON text: {"event": name, "data": payload}')
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !('event' in parsed)) {
        return realtime.reject(conn, 'bad_event', 'Frames must be objects: {"event": name, "data": payload}')
      }
      const { event, data } = parsed as { event: unknown; data?: unknown }
      void realtime.handle(conn, event, data) // never rejects
    },

    close(ws: ServerWebSocket<NativeData>, code: number) {
      const conn = ws.data.conn
      if (!conn) return
      realtime.close(conn)
      sockets.delete(conn.id)
      log.debug('socket closed', { transport: 'native', socket_id: conn.id, code })
    },

    /** Closes every socket with 1001 (going away), for shutdown. */
    closeAll(code = 1001, reason = 'server shutting down') {
      clearInterval(sweeper)
      for (const ws of sockets.values()) ws.close(code, reason)
    },

    get size() {
      return sockets.size
    },
  }
}

export type NativeTransport = ReturnType<typeof createNativeTransport>
