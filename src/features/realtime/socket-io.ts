import { Server as Engine } from '@socket.io/bun-engine'
import { Server as IO, type Socket } from 'socket.io'
import type { Actor } from '../../auth/actor'
import { type Authenticator, bearer } from '../../auth/authenticator'
import { valueTooDeep } from '../../bounded-json'
import { AppError } from '../../errors'
import type { Hub } from '../../hub/hub'
import type { Logger } from '../../log'
import { ignoringStrayPackets } from './engine-packets'
import { originAllowed } from './origins'
import type { Ack, Connection, Realtime } from './session'
import { createHandshakes, type EngineServer } from './socket-io-handshakes'

/** The engine's own socket type; its `data` holds `{ transport }`, never our `kind`. */
export type EngineSocket = Parameters<Engine['onWebSocketOpen']>[0]

/** The engine pings every 25 s; Bun's idle timeout must not cut a long-poll before that. */
export const PING_INTERVAL_MS = 25_000
/** A connected session's long-poll may be held this long: the ping interval and a margin. */
export const LONG_POLL_TIMEOUT_S = PING_INTERVAL_MS / 1000 + 10
/** A session must reach the namespace this soon after its handshake (Socket.IO's default: 45 s). */
export const PENDING_CONNECT_TIMEOUT_MS = 10_000

/**
 * Socket.IO clients (the original widget) on `/socket.io/`, polling-then-upgrade or WebSocket
 * only. Rooms are fed from the same Hub as native sockets rather than through a Socket.IO
 * adapter: one event stream, one ordering, and the Bus (not an adapter) spans instances.
 */
export type SocketIoDeps = {
  realtime: Realtime
  hub: Hub
  log: Logger
  authenticator: Authenticator
  allowedOrigins: readonly string[]
  maxPayloadBytes: number
  /** MAX_JSON_DEPTH: Socket.IO decodes packets itself, so payloads are checked after it. */
  maxJsonDepth: number
  /** MAX_PENDING_SOCKETS_PER_ADDRESS. */
  maxPendingPerAddress: number
}

export function createSocketIoTransport({
  realtime,
  hub,
  log,
  authenticator,
  allowedOrigins,
  maxPayloadBytes,
  maxJsonDepth,
  maxPendingPerAddress,
}: SocketIoDeps) {
  // Engine options (ping, size, path) belong to the engine, not to the Socket.IO server.
  const engine = new Engine({
    path: '/socket.io/',
    pingInterval: PING_INTERVAL_MS,
    pingTimeout: 20_000,
    maxHttpBufferSize: maxPayloadBytes,
    // Runs for every engine request; throwing refuses it with 403 (returning false would not).
    allowRequest: async (request) => {
      if (!originAllowed(request.headers.get('origin'), allowedOrigins)) throw 'Origin not allowed'
    },
  })
  const io = new IO({ connectTimeout: PENDING_CONNECT_TIMEOUT_MS })
  io.bind(engine)
  const websockets = new Set<EngineSocket>() // upgraded connections, closed with 1001 at shutdown
  const handshakes = createHandshakes({ engine, realtime, authenticator, allowedOrigins, maxPendingPerAddress })
  const onMessage = ignoringStrayPackets(engine) // noop and repeated upgrade packets would close the session

  // Authentication at connect: `auth: { token }`, else what the handshake established, else
  // ?token= or an Authorization header; a refusal reaches the client as connect_error.
  io.use(async (socket, next) => {
    const { auth, query, headers, address } = socket.handshake
    const token =
      typeof auth?.token === 'string'
        ? auth.token
        : typeof query.token === 'string'
          ? query.token
          : bearer(headers.authorization ?? null)
    try {
      const known = typeof auth?.token === 'string' ? undefined : handshakes.actorOf(socket.conn)
      const actor = known ?? (await authenticator.authenticate({ token, address: () => address ?? 'unknown' }))
      const refused = realtime.refusal(actor)
      if (refused) return next(new Error(String(refused.detail)))
      socket.data.actor = actor
      next()
    } catch (error) {
      next(new Error(error instanceof AppError && typeof error.detail === 'string' ? error.detail : 'unauthorized'))
    }
  })

  const main = io.of('/')
  hub.attach({
    deliver(event) {
      // Most events have no Socket.IO socket in their room (REST clients, native sockets): the
      // adapter would encode the packet before finding nobody to send it to.
      if (!main.adapter.rooms.has(event.conversationId)) return
      const room = io.to(event.conversationId)
      ;(event.except ? room.except(event.except) : room).emit(event.name, event.data)
    },
  })

  const connection = (socket: Socket): Connection => ({
    id: socket.id,
    transport: 'socket.io',
    actor: socket.data.actor as Actor,
    rooms: new Set(),
    closed: false,
    send: (name, data) => {
      socket.emit(name, data)
    },
    subscribe: (conversationId) => void socket.join(conversationId),
    unsubscribe: (conversationId) => void socket.leave(conversationId),
    terminate: (code, reason) => {
      const why = code === 4001 ? 'token_expired' : code === 1008 ? 'rate_limited' : 'closed'
      socket.emit('error', { code: why, message: reason })
      socket.disconnect(true)
    },
  })

  io.on('connection', (socket) => {
    const conn = connection(socket)
    realtime.open(conn)
    handshakes.connected(socket.conn)
    socket.onAny((name: unknown, ...args: unknown[]) => {
      const ack = typeof args.at(-1) === 'function' ? (args.pop() as Ack) : undefined
      if (!realtime.admit(conn, ack)) return
      // Socket.IO parsed the packet already: bound its depth before anything walks it.
      if (!ArrayBuffer.isView(args[0]) && valueTooDeep(args[0], maxJsonDepth)) {
        const message = `Payloads must be nested at most ${maxJsonDepth} levels deep`
        return realtime.reject(conn, 'json_too_deep', message, ack)
      }
      void realtime.handle(conn, name, args[0], ack) // never rejects
    })
    log.debug('socket open', { transport: 'socket.io', socket_id: socket.id, via: socket.conn.transport.name })
    socket.on('disconnect', (reason) => {
      realtime.close(conn)
      log.debug('socket closed', { transport: 'socket.io', socket_id: socket.id, reason })
    })
    const q = socket.handshake.query
    const autoJoin = q.conversation_id ?? q.conversationId
    if (typeof autoJoin === 'string' && autoJoin)
      void realtime.handle(conn, 'join_conversation', { conversationId: autoJoin })
  })

  return {
    engine,
    io,
    /**
     * Every `/socket.io/` request. Only a connected (authenticated) session's long-poll is let
     * outlive Bun's idle timeout, and then by a bounded time; handshakes go through `handshake`.
     */
    handleRequest(request: Request, server: EngineServer) {
      const url = new URL(request.url)
      if (!url.searchParams.has('sid')) return handshakes.handshake(request, url, server)
      if (handshakes.holdsLongPoll(request.method, url)) server.timeout(request, LONG_POLL_TIMEOUT_S)
      return engine.handleRequest(request, server)
    },
    open(ws: EngineSocket) {
      websockets.add(ws)
      engine.onWebSocketOpen(ws)
    },
    message: (ws: EngineSocket, message: string | Buffer) => onMessage(ws, message),
    close(ws: EngineSocket, code: number, reason: string) {
      websockets.delete(ws)
      engine.onWebSocketClose(ws, code, reason)
    },
    /**
     * For shutdown: WebSockets close with 1001 (going away), long-polls get the engine's close
     * packet. No Socket.IO "disconnect" packet is sent: a client told that ("io server
     * disconnect") never reconnects on its own, while after a transport close it reconnects
     * (to the restarted server) and resumes with since_seq.
     */
    async closeAll() {
      for (const ws of websockets) ws.close(1001, 'server shutting down')
      await io.close()
    },
    get size() {
      return io.of('/').sockets.size
    },
  }
}

export type SocketIoTransport = ReturnType<typeof createSocketIoTransport>
