import { io, type Socket } from 'socket.io-client'
import { Inbox } from './live'

/** socket.io-client's two ways to connect, for tests that must hold for both. */
export const SIO_MODES = [
  ['websocket only', { transports: ['websocket'] as ('websocket' | 'polling')[] }],
  ['polling then upgrade', {}],
] as const

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

/**
 * A Socket.IO client speaking the wire protocol itself over a WebSocket, for packets
 * socket.io-client cannot build: its encoder walks every payload (a 50,000-deep array
 * overflows it before anything is sent). `packet` sends a raw Socket.IO EVENT body.
 */
export async function rawSioClient(base: string, query = '') {
  const socket = new WebSocket(`${base.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket${query}`)
  const inbox = new Inbox()
  const closed = new Promise<void>((resolve) => socket.addEventListener('close', () => resolve()))
  let connected: () => void = () => {}
  const ready = new Promise<void>((resolve) => (connected = resolve))
  socket.addEventListener('message', (e) => {
    const text = String(e.data)
    if (text === '2') return socket.send('3') // engine ping → pong
    if (text.startsWith('0')) return socket.send('40') // engine open → namespace CONNECT
    if (text.startsWith('40')) return connected()
    if (text.startsWith('44')) return inbox.push({ event: 'connect_error', data: JSON.parse(text.slice(2)) })
    if (text === '41') return inbox.push({ event: 'disconnect', data: null })
    const ack = /^43(\d+)(.*)$/s.exec(text)
    if (ack) return inbox.push({ event: `ack:${ack[1]}`, data: JSON.parse(ack[2] as string)[0] })
    if (text.startsWith('42')) {
      const [event, data] = JSON.parse(text.slice(2))
      inbox.push({ event, data })
    }
  })
  await Promise.race([ready, closed.then(() => Promise.reject(new Error('closed before connecting')))])
  let acks = 0
  return {
    socket,
    inbox,
    closed,
    next: inbox.next.bind(inbox),
    /** Sends `42<body>` (body: the JSON array text); with `ack`, `42<id><body>` and returns the id. */
    packet(body: string, ack = false): number | undefined {
      if (!ack) return void socket.send(`42${body}`)
      socket.send(`42${++acks}${body}`)
      return acks
    },
    emit(event: string, data?: unknown) {
      socket.send(`42${JSON.stringify(data === undefined ? [event] : [event, data])}`)
    },
    close: () => socket.close(),
    [Symbol.dispose]() {
      socket.close()
    },
  }
}
