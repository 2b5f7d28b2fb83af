import { io, type Socket } from 'socket.io-client'
import { Inbox } from './live'

/** A socket.io-client connection collecting every event it receives. */
export async function sioClient(
  base: string,
  options: {
    transports?: ('polling' | 'websocket')[]
    query?: Record<string, string>
    auth?: Record<string, string>
  } = {},
) {
  const socket: Socket = io(base, { reconnection: false, forceNew: true, ...options })
  const inbox = new Inbox()
  socket.onAny((event: string, data: unknown) => inbox.push({ event, data }))
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve())
    socket.once('connect_error', (e) => reject(e))
  })
  return {
    socket,
    inbox,
    next: inbox.next.bind(inbox),
    emit: (event: string, data?: unknown) => socket.emit(event, data),
    async join(conversationId: string, extra: Record<string, unknown> = {}) {
      socket.emit('join_conversation', { conversationId, ...extra })
      return inbox.next('joined', (d) => d.conversationId === conversationId)
    },
    close: () => socket.disconnect(),
    [Symbol.dispose]() {
      socket.disconnect()
    },
  }
}
