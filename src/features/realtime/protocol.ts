import { type Static, Type as T, type TSchema } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { AppError } from '../../errors'
import { ClientToolSchema } from '../messages/parts'

/**
 * Client → server events, the same on every transport. These are the original backend's names
 * and payloads; `conversation_id` is accepted for `conversationId` (and `client_id`,
 * `is_typing`, `user_id` likewise), and join/leave also take a bare id string.
 */
const Id = T.String({ minLength: 1, maxLength: 64 })
const Ref = T.Object({ conversationId: Id })

export const ClientEvents = {
  join_conversation: T.Object({
    conversationId: Id,
    since_seq: T.Optional(T.Integer({ minimum: 0 })),
    since: T.Optional(Id),
  }),
  leave_conversation: Ref,
  send_message: T.Object({
    conversationId: Id,
    content: T.String({ minLength: 1 }),
    clientId: T.Optional(T.String({ minLength: 1, maxLength: 128 })),
    // Omitted: at the head. A message id: a new branch after it. null: a new first message.
    parentId: T.Optional(T.Union([Id, T.Null()])),
    clientTools: T.Optional(T.Array(ClientToolSchema, { maxItems: 32 })),
  }),
  typing: T.Object({
    conversationId: Id,
    isTyping: T.Boolean(),
    // Accepted from the original widget, and ignored: the server names who is typing.
    userId: T.Optional(T.Unknown()),
  }),
  stop_generation: Ref,
  tool_result: T.Object({
    conversationId: Id,
    toolCallId: T.String({ minLength: 1, maxLength: 256 }),
    output: T.Optional(T.Unknown()),
    error: T.Optional(T.String({ maxLength: 4000 })),
  }),
  tool_approval: T.Object({
    conversationId: Id,
    toolCallId: T.String({ minLength: 1, maxLength: 256 }),
    approved: T.Boolean(),
    reason: T.Optional(T.String({ maxLength: 2000 })),
  }),
} satisfies Record<string, TSchema>

export type ClientEventName = keyof typeof ClientEvents
export type ClientPayload<N extends ClientEventName> = Static<(typeof ClientEvents)[N]>
export type ClientEvent = { [N in ClientEventName]: { name: N; data: ClientPayload<N> } }[ClientEventName]

// Compiled on first use, not at start-up: a server nobody opens a socket to never pays for it.
type Check<N extends ClientEventName> = ReturnType<typeof TypeCompiler.Compile<(typeof ClientEvents)[N]>>
const checks: { [N in ClientEventName]?: Check<N> } = {}
function checkOf<N extends ClientEventName>(event: N): Check<N> {
  checks[event] ??= TypeCompiler.Compile(ClientEvents[event]) as (typeof checks)[N]
  return checks[event] as Check<N>
}

const synonyms: Record<string, string> = {
  conversation_id: 'conversationId',
  client_id: 'clientId',
  parent_id: 'parentId',
  client_tools: 'clientTools',
  tool_call_id: 'toolCallId',
  is_typing: 'isTyping',
  user_id: 'userId',
  sinceSeq: 'since_seq',
}

/** A client event that could not be understood; the connection stays open. */
export class BadEvent extends Error {}

/**
 * An event name fit for a message or a log line. A client's value of unknown shape is never
 * stringified: a 50,000-deep array overflows JSON.stringify and String() alike.
 */
export const eventLabel = (name: unknown): string =>
  typeof name === 'string'
    ? JSON.stringify(name.slice(0, 64))
    : `of type ${Array.isArray(name) ? 'array' : typeof name}`

/** Validates one client event; throws BadEvent with a readable reason. */
export function parseClientEvent(name: unknown, data: unknown): ClientEvent {
  if (typeof name !== 'string' || !Object.hasOwn(ClientEvents, name)) {
    throw new BadEvent(`Unknown event ${eventLabel(name)}`)
  }
  const event = name as ClientEventName
  let payload = data
  if (typeof payload === 'string' && (event === 'join_conversation' || event === 'leave_conversation')) {
    payload = { conversationId: payload }
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new BadEvent(`${event} needs an object payload`)
  }
  const normalized: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(payload)) {
    if (key === '__proto__') continue
    const canonical = synonyms[key] ?? key
    if (!(canonical in normalized) || canonical === key) normalized[canonical] = value
  }
  const check = checkOf(event)
  if (!check.Check(normalized)) {
    const first = check.Errors(normalized).First()
    const where = first?.path ? first.path.slice(1) : 'payload'
    throw new BadEvent(`Invalid ${event}: ${where}: ${first?.message ?? 'invalid'}`)
  }
  return { name: event, data: check.Decode(normalized) } as ClientEvent
}

/** The `error` event's fields for a failed client event. */
export function describeError(error: unknown): { code: string; message: string; retryAfter?: number } {
  if (error instanceof BadEvent) return { code: 'bad_event', message: error.message }
  if (error instanceof AppError) {
    const detail = error.detail
    const message = typeof detail === 'string' ? detail : detail.map((d) => `${d.loc.join('.')}: ${d.msg}`).join('; ')
    const retry = Number(error.headers['retry-after'])
    return { code: error.code, message, ...(Number.isFinite(retry) && retry > 0 ? { retryAfter: retry } : {}) }
  }
  return { code: 'internal_error', message: 'Internal error' }
}
