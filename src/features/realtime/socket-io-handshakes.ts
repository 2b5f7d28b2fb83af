import type { Server as Engine } from '@socket.io/bun-engine'
import type { Actor } from '../../auth/actor'
import { type Authenticator, bearer } from '../../auth/authenticator'
import { addressOf } from '../../auth/client-address'
import { AppError } from '../../errors'
import { EngineSessions } from './engine-sessions'
import { originAllowed } from './origins'
import type { Realtime } from './session'

export type EngineServer = Parameters<Engine['handleRequest']>[1]

/** What a handshake request carried: its address slot, and who it is when it had credentials. */
type Handshake = { address: string; actor?: Actor; claimed: boolean }

export type HandshakeDeps = {
  engine: Engine
  realtime: Realtime
  authenticator: Authenticator
  allowedOrigins: readonly string[]
  /** MAX_PENDING_SOCKETS_PER_ADDRESS. */
  maxPendingPerAddress: number
}

/**
 * Engine.IO handshakes and the sessions they open, before Socket.IO's namespace sees them. A
 * handshake takes one of its address's pending slots, and with credentials in the URL or an
 * Authorization header it is authenticated (and the socket limit applied) right here.
 * `auth: { token }` only arrives with the namespace CONNECT, so such sessions stay pending
 * until then, at most PENDING_CONNECT_TIMEOUT_MS.
 */
export function createHandshakes({
  engine,
  realtime,
  authenticator,
  allowedOrigins,
  maxPendingPerAddress,
}: HandshakeDeps) {
  const sessions = new EngineSessions(maxPendingPerAddress)
  const handshakes = new WeakMap<Request, Handshake>()
  // Keyed by the engine's session object (Socket.IO's types hide its id): the sid, and who its
  // handshake authenticated.
  const opened = new WeakMap<object, { sid: string; actor: Actor | undefined }>()

  engine.on('connection', (conn, request) => {
    // The engine leaves the client address unset; the server recorded it for the request.
    ;(conn as unknown as { remoteAddress?: string }).remoteAddress = addressOf(request)
    const handshake = handshakes.get(request)
    if (handshake) {
      handshake.claimed = true
      sessions.opened(conn.id, handshake.address)
    }
    opened.set(conn, { sid: conn.id, actor: handshake?.actor })
    conn.once('close', () => sessions.closed(conn.id))
  })

  return {
    /** Answers a request without a sid: a new session, or the error that refuses it. */
    async handshake(request: Request, url: URL, server: EngineServer): Promise<Response> {
      if (!originAllowed(request.headers.get('origin'), allowedOrigins)) {
        return new AppError('origin_not_allowed', 'This Origin may not open sockets').toResponse()
      }
      const address = addressOf(request)
      if (!sessions.reserve(address)) {
        const message = `At most ${maxPendingPerAddress} Socket.IO sessions per address may wait to connect`
        return new AppError('too_many_sockets', message, { 'retry-after': '10' }).toResponse()
      }
      const pending: Handshake = { address, claimed: false }
      try {
        const token = url.searchParams.get('token') ?? bearer(request.headers.get('authorization'))
        if (token) {
          pending.actor = await authenticator.authenticate({ token, address: () => address })
          const refused = realtime.refusal(pending.actor)
          if (refused) throw refused
        }
        handshakes.set(request, pending)
        return await engine.handleRequest(request, server)
      } catch (error) {
        if (error instanceof AppError) return error.toResponse()
        throw error
      } finally {
        handshakes.delete(request)
        if (!pending.claimed) sessions.release(address)
      }
    },

    /** Who the engine session's handshake authenticated, if it carried credentials. */
    actorOf: (conn: object): Actor | undefined => opened.get(conn)?.actor,

    /** The engine session reached the namespace, authenticated: it no longer holds a pending slot. */
    connected(conn: object): void {
      const sid = opened.get(conn)?.sid
      if (sid) sessions.connect(sid)
    },

    holdsLongPoll: (method: string, url: URL): boolean => sessions.holdsLongPoll(method, url),
  }
}
