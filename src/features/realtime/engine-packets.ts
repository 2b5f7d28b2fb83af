import type { Server as Engine } from '@socket.io/bun-engine'

type EngineSocket = Parameters<Engine['onWebSocketMessage']>[0]
type RawFrame = Parameters<Engine['onWebSocketMessage']>[1]

/**
 * The engine's `onWebSocketMessage`, minus the packets it would wrongly treat as fatal.
 *
 * Works around @socket.io/bun-engine 0.1.2: once a WebSocket carries a session (opened on it,
 * or upgraded to it), `Socket.onPacket` closes the session ("parse error") on any packet but
 * pong and message, so a noop (`6…`) or a repeated upgrade (`5…`) disconnects the client. The
 * reference engine.io server ignores both. Such frames are dropped here, and only on a
 * WebSocket the session is bound to: during an upgrade from polling the probe and the one
 * `5` that completes it still reach the engine (it binds the WebSocket on that `5`, emitting
 * `upgrade`). Dropping is safe: the engine would only have emitted its `packet` event for
 * them, which neither Socket.IO nor Parley listens to.
 *
 * Remove once bun-engine's `Socket.onPacket` stops closing on unknown types (its
 * `case "error": default:` reduced to `case "error":`, as in engine.io's lib/socket.ts).
 */
export function ignoringStrayPackets(engine: Engine): (ws: EngineSocket, message: RawFrame) => void {
  const bound = new WeakSet<object>() // WebSocket transports a session reads its packets from
  engine.on('connection', (conn) => {
    if (conn.transport.name === 'websocket') bound.add(conn.transport)
    conn.on('upgrade', (transport) => bound.add(transport))
  })
  return (ws, message) => {
    if (typeof message === 'string' && (message[0] === '5' || message[0] === '6') && bound.has(ws.data.transport))
      return
    engine.onWebSocketMessage(ws, message)
  }
}
