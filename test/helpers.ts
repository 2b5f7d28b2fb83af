import { createApp } from '../src/app'
import { loadConfig } from '../src/config'
import { createDeps } from '../src/deps'
import { createLogger, type Logger } from '../src/log'
import { openSqliteStorage } from '../src/storage/connect'
import type { Message } from '../src/storage/store'
import { contractOf } from './contract'

/** A logger that keeps its lines, for assertions (and silence). */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  return Object.assign(createLogger({ level: 'debug', format: 'json', write: (l) => lines.push(l) }), { lines })
}

/** The whole app on an in-memory SQLite database, in one line; dispose it with `using`/`await using`. */
export function testApp(env: Record<string, string> = {}) {
  const config = loadConfig({}, { DATABASE_URL: 'sqlite::memory:', ...env })
  const store = openSqliteStorage(config)
  const log = memoryLogger()
  const deps = createDeps(config, store, log)
  const app = createApp(deps)
  let contract: ReturnType<typeof contractOf> | undefined
  return {
    app,
    deps,
    store,
    log,
    /** Sends a request and parses the JSON answer (null for empty bodies). */
    async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
      const init: RequestInit = { method, headers: { ...headers } }
      if (body !== undefined) {
        init.body = typeof body === 'string' ? body : JSON.stringify(body)
        ;(init.headers as Record<string, string>)['content-type'] ??= 'application/json'
      }
      const res = await app.handle(new Request(`http://localhost${path}`, init))
      const text = await res.text()
      contract ??= contractOf(await (await app.handle(new Request('http://localhost/openapi.json'))).text())
      contract.check(method, path, { status: res.status, headers: res.headers, text })
      const json: any = text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null
      return { status: res.status, headers: res.headers, body: json, text }
    },
    async [Symbol.asyncDispose]() {
      await store.close().catch(() => {})
    },
  }
}

export type TestApp = ReturnType<typeof testApp>

/** Creates a conversation and returns its id. */
export async function newConversation(t: TestApp, userId = 'u1', title?: string): Promise<string> {
  const res = await t.call('POST', '/conversations/', { user_id: userId, ...(title ? { title } : {}) })
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${res.text}`)
  return res.body.id
}

/** Posts a message and returns it. */
export async function post(t: TestApp, conversationId: string, content: string, sender: 'user' | 'ai' = 'user') {
  const res = await t.call('POST', `/conversations/${conversationId}/messages`, { sender, content })
  if (res.status !== 201) throw new Error(`post failed: ${res.status} ${res.text}`)
  return res.body
}

export const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
export const UUID7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/** A message record for unit tests of code that takes messages. */
export const messageOf = (content: string, id = content): Message => ({
  id,
  conversation_id: 'c',
  sender: 'user',
  content,
  metadata: {},
  reply_to: null,
  parent_id: null,
  siblings: [id],
  parts: [{ type: 'text', text: content }],
  generation: null,
  created_at: '',
  updated_at: '',
})
