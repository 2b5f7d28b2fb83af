import type { Actor } from '../src/auth/actor'
import type { Bot } from '../src/bots/bot'
import { loadConfig } from '../src/config'
import { createDeps } from '../src/deps'
import { startServer } from '../src/server'
import { openStorage } from '../src/storage/connect'
import { contractOf } from './contract'
import { memoryLogger } from './helpers'

/** `call(method, path, body?)` against a live server: JSON in, `{ status, body }` out. */
export function httpCaller(base: string) {
  let contract: ReturnType<typeof contractOf> | undefined
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(base + path, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    })
    const text = await res.text()
    contract ??= contractOf(await (await fetch(`${base}/openapi.json`)).text())
    contract.check(method, path, { status: res.status, headers: res.headers, text })
    const json: any = text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null
    return { status: res.status, body: json }
  }
}

/** Calls into the chat service as a trusted back-end would. */
export const SERVICE: Actor = { kind: 'service', rateKey: 'test' }

/** A real server on 127.0.0.1 and a free port; stop it with `await using`. */
export async function liveServer(env: Record<string, string> = {}, bot?: Bot | null) {
  const config = loadConfig({}, { DATABASE_URL: 'sqlite::memory:', PORT: '0', BUILTIN_BOT_DELAY_MS: '1', ...env })
  const log = memoryLogger()
  const deps = createDeps(config, await openStorage(config), log, bot === undefined ? {} : { bot })
  const running = await startServer(config, log, deps)
  const base = running.url.origin
  let stopped = false
  return {
    ...running,
    log,
    base,
    ws: base.replace('http', 'ws'),
    call: httpCaller(base),
    async stop() {
      if (stopped) return
      stopped = true
      await running.stop()
    },
    async [Symbol.asyncDispose]() {
      await this.stop()
    },
  }
}
export type Live = Awaited<ReturnType<typeof liveServer>>

export type Received = { event: string; data: any }

/** Collects what a client receives and lets a test wait for the next matching event. */
export class Inbox {
  /** Everything received, in arrival order. */
  readonly arrived: Received[] = []
  /** The same, with taken events moved before the cursor. */
  readonly all: Received[] = []
  private cursor = 0
  private waiters: (() => void)[] = []

  push(r: Received) {
    this.arrived.push(r)
    this.all.push(r)
    for (const w of this.waiters.splice(0)) w()
  }

  /** The next not-yet-taken event named `event` (and matching `where`), in arrival order. */
  async next(event: string, where: (data: any) => boolean = () => true, timeoutMs = 3000): Promise<any> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      for (let i = this.cursor; i < this.all.length; i++) {
        const r = this.all[i] as Received
        if (r.event === event && where(r.data)) {
          this.all.splice(i, 1)
          this.all.splice(this.cursor, 0, r)
          this.cursor++
          return r.data
        }
      }
      const left = deadline - Date.now()
      if (left <= 0)
        throw new Error(
          `timed out waiting for ${event}; got ${JSON.stringify(this.all.slice(this.cursor).map((r) => r.event))}`,
        )
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }

  /** Events named `event` received so far (taken or not), in arrival order. */
  named(event: string): any[] {
    return this.arrived.filter((r) => r.event === event).map((r) => r.data)
  }

  /** Waits `ms` and returns what arrived meanwhile that was not taken. */
  async quiet(ms = 100): Promise<Received[]> {
    await Bun.sleep(ms)
    return this.all.slice(this.cursor)
  }
}

/** A native WebSocket client speaking `{event, data}` frames. */
export async function wsClient(url: string) {
  const socket = new WebSocket(url)
  const inbox = new Inbox()
  let closeInfo: { code: number; reason: string } | null = null
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.addEventListener('close', (e) => {
      closeInfo = { code: e.code, reason: e.reason }
      resolve(closeInfo)
    })
  })
  socket.addEventListener('message', (e) => {
    const parsed = JSON.parse(String(e.data))
    inbox.push({ event: parsed.event, data: parsed.data })
  })
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true })
    socket.addEventListener('error', () => reject(new Error(`cannot connect to ${url}`)), { once: true })
  })
  return {
    socket,
    inbox,
    closed,
    get closeInfo() {
      return closeInfo
    },
    emit(event: string, data?: unknown) {
      socket.send(JSON.stringify(data === undefined ? { event } : { event, data }))
    },
    raw(frame: string | Uint8Array) {
      socket.send(frame)
    },
    next: inbox.next.bind(inbox),
    async join(conversationId: string, extra: Record<string, unknown> = {}) {
      this.emit('join_conversation', { conversationId, ...extra })
      return inbox.next('joined', (d) => d.conversationId === conversationId)
    },
    close() {
      socket.close()
    },
    [Symbol.dispose]() {
      if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) socket.close()
    },
  }
}
export type WsClient = Awaited<ReturnType<typeof wsClient>>
