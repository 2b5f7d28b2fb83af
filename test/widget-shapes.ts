import { expect } from 'bun:test'
import { type TSchema, Type } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'

/**
 * What the original chat widget reads from its backend, in the types it reads them: the
 * original FastAPI backend's shapes. Parley's answers may carry more fields (the schemas are
 * open), but every field here must be present with this type.
 */
const Text = Type.String()
const Time = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$' })

/** Quick replies: an object of button labels (`Object.values(actions)`), or null/absent. */
export const Actions = Type.Union([Type.Record(Type.String(), Type.String()), Type.Null()])

export const Message = Type.Object({
  id: Text,
  conversation_id: Text,
  content: Text,
  sender: Type.Union([Type.Literal('user'), Type.Literal('ai')]),
  created_at: Time,
  updated_at: Time,
  actions: Type.Optional(Actions),
})

export const Conversation = Type.Object({
  id: Text,
  user_id: Text,
  created_at: Time,
  updated_at: Time,
  messages: Type.Array(Message),
})

export const Page = Type.Object({
  messages: Type.Array(Message),
  total: Type.Integer({ minimum: 0 }),
  page: Type.Integer({ minimum: 1 }),
  size: Type.Integer({ minimum: 1 }),
})

/** `new_message`: the message, with the conversation it belongs to. */
export const NewMessage = Type.Intersect([Message, Type.Object({ conversationId: Text })])

export const Typing = Type.Object({ conversationId: Text, userId: Text, isTyping: Type.Boolean() })

export const MessageUpdated = Type.Object({ conversationId: Text, messageId: Text, message: Message })

export const MessageDeleted = Type.Object({ conversationId: Text, messageId: Text })

/** Fails with every mismatch listed when `value` is not of the widget's shape. */
export function expectShape(schema: TSchema, value: unknown, what: string) {
  const errors = [...Value.Errors(schema, value)].map((e) => `${e.path || '/'}: ${e.message}`)
  expect(errors, `${what}: ${JSON.stringify(value)}`).toEqual([])
}
