import type { Server, ServerWebSocket } from 'bun'
import { createApp } from './app'
import { addressOf, recordAddress } from './auth/client-address'
import type { Replies } from './chat/replies'
import type { Config } from './config'
import { createDeps, type Deps } from './deps'
import { withEnvelopeHeaders } from './envelope'
import { createNativeTransport, type NativeData } from './features/realtime/native'
import { createRealtime } from './features/realtime/session'
import type { EngineSocket, SocketIoTransport } from './features/realtime/socket-io'
import { recordHoldOpen } from './hold-open'
import { createBus } from './hub/bus/connect'
import type { Logger } from './log'
import { openStorage } from './storage/connect'

/** Native sockets carry `kind: 'native'`; Socket.IO's engine sockets carry its own data. */
type SocketData = NativeData | EngineSocket['data']
const isNative = (data: SocketData): data is NativeData => (data as NativeData).kind === 'native'

export type Running = {
  url: URL
  deps: Deps
  server: Server<SocketData>
  /**
   * Stops accepting, closes sockets (1001), lets requests and bot replies finish within
   * SHUTDOWN_TIMEOUT_MS (replies still running near the end are stopped and stored as such),
   * then closes the database. Safe to call twice.
   */
  stop(): Promise<void>
}

/** The composition root: open storage → migrate → build deps → listen (REST + WebSockets on one port). */
export async function startServer(config: Config, log: Logger, given?: Deps): Promise<Running> {
  const deps = given ?? createDeps(config, await openStorage(config, log), log, { bus: createBus(config, log) })
  await deps.hub.start()
  const app = createApp(deps)
  const realtime = createRealtime({
    chat: deps.chat,
    hub: deps.hub,
    log,
    maxRooms: config.MAX_ROOMS_PER_SOCKET,
    maxSocketsPerUser: config.MAX_SOCKETS_PER_USER,
    budgets: {
      events: config.RATE_LIMIT_SOCKET_EVENTS,
      eventsPerUser: config.RATE_LIMIT_SOCKET_EVENTS_PER_USER,
      joins: config.RATE_LIMIT_JOINS,
    },
    typingIntervalMs: config.TYPING_INTERVAL_MS,
  })
  const sockets = {
    realtime,
    hub: deps.hub,
    log,
    authenticator: deps.authenticator,
    allowedOrigins: config.allowedOrigins,
  }
  const native = createNativeTransport({
    ...sockets,
    backpressureLimit: config.WS_BACKPRESSURE_LIMIT_BYTES,
    maxJsonDepth: config.MAX_JSON_DEPTH,
  })
  // Socket.IO is set up with its first request: a server only native clients use never loads
  // it (about 45 ms of start-up and several MB). Its sockets exist only after that.
  let socketIo: SocketIoTransport | null = null
  let loadingSocketIo: Promise<SocketIoTransport> | null = null
  const loadSocketIo = () =>
    (loadingSocketIo ??= import('./features/realtime/socket-io').then(
      (m) =>
        (socketIo = m.createSocketIoTransport({
          ...sockets,
          maxPayloadBytes: config.WS_MAX_PAYLOAD_BYTES,
          maxJsonDepth: config.MAX_JSON_DEPTH,
          maxPendingPerAddress: config.MAX_PENDING_SOCKETS_PER_ADDRESS,
        })),
    ))
  deps.metrics.registry.onCollect(() => {
    deps.metrics.websocketsOpen.set({ transport: 'native' }, native.size)
    deps.metrics.websocketsOpen.set({ transport: 'socket.io' }, socketIo?.size ?? 0)
  })

  const trustedHops = config.TRUST_PROXY ? config.TRUST_PROXY_HOPS : 0
  const server: Server<SocketData> = Bun.serve<SocketData>({
    hostname: config.HOST,
    port: config.PORT,
    // The app answers over-limit bodies with a JSON 413 before reading them (by Content-Length)
    // or while reading them (chunked, then cancelled): Bun's own limit would answer an empty 413.
    maxRequestBodySize: Number.MAX_SAFE_INTEGER,
    // Also bounds how long a client may take between bytes of its headers or body; streams of
    // authenticated callers lift it (holdOpen), and a body must arrive within BODY_TIMEOUT_MS.
    idleTimeout: config.HTTP_IDLE_TIMEOUT_S,
    fetch(request, srv) {
      recordAddress(request, () => srv.requestIP(request)?.address, trustedHops)
      const path = pathOf(request.url)
      if (path.startsWith('/socket.io/')) {
        addressOf(request) // now: the engine reads it later, when the socket may be gone
        // The transport decides which requests may outlive the idle timeout (authenticated long-polls).
        const engineServer = srv as Server<EngineSocket['data']>
        // The engine's answers get the security headers and a request id like every other.
        const io = socketIo ? Promise.resolve(socketIo) : loadSocketIo()
        return io.then(async (t) => {
          const answer = await t.handleRequest(request, engineServer)
          return answer && withEnvelopeHeaders(answer)
        })
      }
      if ((path === '/' || path === '/ws') && request.headers.get('upgrade')?.toLowerCase() === 'websocket') {
        return native
          .upgrade(request, srv as Server<NativeData>)
          .then((refused) => refused && withEnvelopeHeaders(refused))
      }
      recordHoldOpen(request, srv)
      // fetch, not handle: handle only wraps it in one more async function.
      return app.fetch(request)
    },
    websocket: {
      maxPayloadLength: config.WS_MAX_PAYLOAD_BYTES,
      idleTimeout: config.WS_IDLE_TIMEOUT_S,
      backpressureLimit: config.WS_BACKPRESSURE_LIMIT_BYTES,
      closeOnBackpressureLimit: false,
      sendPings: true,
      open(ws) {
        if (isNative(ws.data)) native.open(ws as ServerWebSocket<NativeData>)
        else socketIo?.open(ws as EngineSocket)
      },
      message(ws, message) {
        if (isNative(ws.data)) native.message(ws as ServerWebSocket<NativeData>, message)
        else socketIo?.message(ws as EngineSocket, message)
      },
      close(ws, code, reason) {
        if (isNative(ws.data)) native.close(ws as ServerWebSocket<NativeData>, code)
        else socketIo?.close(ws as EngineSocket, code, reason)
      },
    },
  })
  // Start-up leaves garbage (module evaluation, migrations, route compilation): collect it
  // once the server is up, off the first request's path, so idle memory is what serving needs.
  setTimeout(() => Bun.gc(true), 200).unref()
  const url = new URL(`http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${server.port}`)

  async function shutdown(timeoutMs: number): Promise<void> {
    const started = performance.now()
    const left = () => timeoutMs - (performance.now() - started)
    // Stop listening first: Bun's graceful stop resolves once requests are answered and every
    // WebSocket is closed (it never does while one is open), so close those next.
    const requestsDone = server.stop()
    native.closeAll(1001, 'server shutting down')
    await socketIo?.closeAll()
    // Replies get most of the time to finish; what runs past 80 % of it is stopped and stored.
    const idle = Promise.all([requestsDone, deps.replies?.idle()])
    if (!(await settlesWithin(idle, left() - timeoutMs * 0.2))) {
      log.warn('shutdown: stopping bot replies still running', { timeout_ms: timeoutMs })
      if (deps.replies) await stopReplies(deps.replies, left())
      if (!(await settlesWithin(requestsDone, left()))) {
        log.warn('shutdown: closing requests still open', { timeout_ms: timeoutMs })
        await server.stop(true)
      }
    }
    await deps.hub.close()
    await deps.toolbox?.close() // MCP server processes end with Parley
    await deps.store.close() // checkpoints the WAL into the database file
    log.info('stopped', { duration_ms: Math.round(performance.now() - started) })
  }

  let stopping: Promise<void> | null = null
  return {
    url,
    deps,
    server,
    stop: () => {
      stopping ??= shutdown(config.SHUTDOWN_TIMEOUT_MS)
      return stopping
    },
  }
}

/** Whether `promise` settles within `ms`. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: Timer | undefined
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(resolve, Math.max(0, ms), false)))
  try {
    return await Promise.race([promise.then(() => true), timeout])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Stops replies until none is left (each keeps what it generated, marked stopped). Queued replies
 * start as running ones end, so this repeats; bounded by `ms` in case storage hangs.
 */
async function stopReplies(replies: Replies, ms: number): Promise<void> {
  const deadline = performance.now() + ms
  do replies.stopAll()
  while (
    !(await settlesWithin(replies.idle(), Math.min(50, deadline - performance.now()))) &&
    performance.now() < deadline
  )
}

/** The path of an absolute request URL, without parsing all of it (it runs on every request). */
function pathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2)
  const end = url.indexOf('?', start)
  return start === -1 ? '/' : url.slice(start, end === -1 ? undefined : end)
}
