import type { Server, ServerWebSocket } from 'bun'
import { createApp } from './app'
import type { Config } from './config'
import { createDeps, type Deps } from './deps'
import { createNativeTransport, type NativeData } from './features/realtime/native'
import { createRealtime } from './features/realtime/session'
import { createSocketIoTransport, type EngineSocket } from './features/realtime/socket-io'
import type { Logger } from './log'
import { openStorage } from './storage/connect'

/** Native sockets carry `kind: 'native'`; Socket.IO's engine sockets carry its own data. */
type SocketData = NativeData | EngineSocket['data']
const isNative = (data: SocketData): data is NativeData => (data as NativeData).kind === 'native'

export type Running = {
  url: URL
  deps: Deps
  server: Server<SocketData>
  /** Stops accepting, closes sockets (1001), finishes in-flight work, closes the database. */
  stop(): Promise<void>
}

/** The composition root: open storage → migrate → build deps → listen (REST + WebSockets on one port). */
export async function startServer(
  config: Config,
  log: Logger,
  deps: Deps = createDeps(config, openStorage(config), log),
): Promise<Running> {
  const app = createApp(deps)
  const realtime = createRealtime({ chat: deps.chat, hub: deps.hub, log, maxRooms: config.MAX_ROOMS_PER_SOCKET })
  const native = createNativeTransport({ realtime, hub: deps.hub })
  const socketIo = createSocketIoTransport({ realtime, hub: deps.hub, maxPayloadBytes: config.WS_MAX_PAYLOAD_BYTES })
  deps.metrics.registry.onCollect(() => {
    deps.metrics.websocketsOpen.set({ transport: 'native' }, native.size)
    deps.metrics.websocketsOpen.set({ transport: 'socket.io' }, socketIo.size)
  })

  const server: Server<SocketData> = Bun.serve<SocketData>({
    hostname: config.HOST,
    port: config.PORT,
    // The app answers over-limit bodies with a JSON 413 while reading them; Bun's own limit
    // (an empty 413) is only the backstop for bodies far past it.
    maxRequestBodySize: config.MAX_BODY_BYTES * 4,
    fetch(request, srv) {
      const path = request.url.slice(request.url.indexOf('/', 8)).split('?')[0] as string
      if (path.startsWith('/socket.io/')) {
        srv.timeout(request, 0) // long-polls are held up to the ping interval, past Bun's idle timeout
        return socketIo.handleRequest(request, srv as Server<EngineSocket['data']>)
      }
      if ((path === '/' || path === '/ws') && request.headers.get('upgrade')?.toLowerCase() === 'websocket') {
        if (native.upgrade(request, srv as Server<NativeData>)) return undefined
        return Response.json({ detail: 'WebSocket upgrade failed', code: 'bad_request' }, { status: 400 })
      }
      return app.handle(request)
    },
    websocket: {
      maxPayloadLength: config.WS_MAX_PAYLOAD_BYTES,
      idleTimeout: config.WS_IDLE_TIMEOUT_S,
      backpressureLimit: config.WS_BACKPRESSURE_LIMIT_BYTES,
      closeOnBackpressureLimit: true,
      sendPings: true,
      open(ws) {
        if (isNative(ws.data)) native.open(ws as ServerWebSocket<NativeData>)
        else socketIo.engine.onWebSocketOpen(ws as EngineSocket)
      },
      message(ws, message) {
        if (isNative(ws.data)) native.message(ws as ServerWebSocket<NativeData>, message)
        else socketIo.engine.onWebSocketMessage(ws as EngineSocket, message)
      },
      close(ws, code, reason) {
        if (isNative(ws.data)) native.close(ws as ServerWebSocket<NativeData>)
        else socketIo.engine.onWebSocketClose(ws as EngineSocket, code, reason)
      },
    },
  })
  const url = new URL(`http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${server.port}`)
  return {
    url,
    deps,
    server,
    async stop() {
      native.closeAll()
      await socketIo.closeAll()
      await server.stop()
      await deps.replies?.idle()
      await deps.store.close()
    },
  }
}
