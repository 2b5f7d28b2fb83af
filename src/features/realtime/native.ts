import type { Server, ServerWebSocket } from 'bun'
import type { Hub } from '../../hub/hub'
import type { Logger } from '../../log'
import type { Connection, Realtime } from './session'

/** What a native socket carries (`kind` tells it apart from Socket.IO's engine sockets). */
export type NativeData = { kind: 'native'; id: string; autoJoin: string | null; conn?: Connection }

const topic = (conversationId: string) => `c:${conversationId}`
const frame = (event: string, data: unknown) => JSON.stringify({ event, data })

/**
 * Plain WebSocket clients (browsers, wscat, Postman) on `/` and `/ws`: JSON text frames
 * `{ "event": name, "data": payload }`. Rooms are Bun topics, so a broadcast is serialised once
 * and fanned out by Bun itself.
 */
export function createNativeTransport({ realtime, hub, log }: { realtime: Realtime; hub: Hub; log: Logger }) {
  let server: Server<NativeData> | null = null
  const sockets = new Map<string, ServerWebSocket<NativeData>>()

  hub.attach({
    deliver(event) {
      if (!server) return
      const t = topic(event.conversationId)
      const text = frame(event.name, event.data)
      const sender = event.except ? sockets.get(event.except) : undefined
      // ws.publish reaches every subscriber but the socket itself.
      if (sender?.isSubscribed(t)) sender.publish(t, text)
      else server.publish(t, text)
    },
  })

  const connection = (ws: ServerWebSocket<NativeData>): Connection => ({
    id: ws.data.id,
    transport: 'native',
    rooms: new Set(),
    closed: false,
    send: (name, data) => {
      ws.send(frame(name, data))
    },
    subscribe(conversationId) {
      if (!this.closed) ws.subscribe(topic(conversationId))
    },
    unsubscribe(conversationId) {
      if (!this.closed) ws.unsubscribe(topic(conversationId))
    },
  })

  return {
    /** Upgrades `GET /` or `/ws`; `?conversation_id=` joins that room on connect. */
    upgrade(request: Request, srv: Server<NativeData>): boolean {
      server = srv
      const url = new URL(request.url)
      const data: NativeData = {
        kind: 'native',
        id: Bun.randomUUIDv7(),
        autoJoin: url.searchParams.get('conversation_id') ?? url.searchParams.get('conversationId'),
      }
      return srv.upgrade(request, { data })
    },

    open(ws: ServerWebSocket<NativeData>) {
      const conn = connection(ws)
      ws.data.conn = conn
      sockets.set(conn.id, ws)
      log.debug('socket open', { transport: 'native', socket_id: conn.id })
      if (ws.data.autoJoin) void realtime.handle(conn, 'join_conversation', { conversationId: ws.data.autoJoin })
    },

    message(ws: ServerWebSocket<NativeData>, message: string | Buffer) {
      const conn = ws.data.conn as Connection
      if (typeof message !== 'string') return realtime.reject(conn, 'Binary frames are not supported; send JSON text')
      let parsed: unknown
      try {
        parsed = JSON.parse(message)
      } catch {
        return realtime.reject(conn, 'Frames must be JSON text: {"event": name, "data": payload}')
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !('event' in parsed)) {
        return realtime.reject(conn, 'Frames must be objects: {"event": name, "data": payload}')
      }
      const { event, data } = parsed as { event: unknown; data?: unknown }
      if (event === 'ping') return void ws.send(frame('pong', {}))
      void realtime.handle(conn, event, data)
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
      for (const ws of sockets.values()) ws.close(code, reason)
    },

    get size() {
      return sockets.size
    },
  }
}

export type NativeTransport = ReturnType<typeof createNativeTransport>
