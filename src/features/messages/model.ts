import { Type } from '@sinclair/typebox'
import { t } from 'elysia'
import type { Same } from '../../storage/schema'
import type { Message as StoredMessage } from '../../storage/store'
import { MaxCharacters } from '../docs/document'
import { ClientToolSchema, Generation, MAX_PARTS, Part } from './parts'

/**
 * Request bodies and queries accept unknown fields (FastAPI's default): they are ignored, as
 * handlers read only the fields they know, never stored.
 */
export const OPEN = { additionalProperties: true }

/**
 * TypeBox's plain integer. Elysia's `t.Integer` also accepts digit strings (a transform that
 * decodes them): queries convert their own numbers (features/query.ts), and responses hold
 * numbers only, so both document and check plain integers.
 */
export const Integer = Type.Integer

/** A free-form JSON object attached to a conversation or message. */
export const Metadata = t.Object({}, { additionalProperties: t.Unknown(), description: 'Free-form JSON object' })

export const Sender = t.Union([t.Literal('user'), t.Literal('ai')], {
  description: '"user" for the person, "ai" for the bot',
})

export const Timestamp = t.String({
  format: 'date-time',
  description: 'ISO-8601 UTC with milliseconds',
  examples: ['2026-11-24T10:00:00.123Z'],
})

export const Message = t.Object({
  id: t.String({ description: 'UUIDv7' }),
  conversation_id: t.String(),
  sender: Sender,
  content: t.String(),
  metadata: Metadata,
  reply_to: t.Union([t.String(), t.Null()], { description: 'For a bot reply: the user message it answers' }),
  parent_id: t.Union([t.String(), t.Null()], {
    description: 'The message before it in its branch; null for a first message',
  }),
  siblings: t.Array(t.String(), {
    description: 'Ids of the messages with the same parent (other versions), this one included, oldest first',
  }),
  parts: t.Array(Part, { description: 'Typed parts in order; `content` is their text parts concatenated' }),
  generation: t.Union([Generation, t.Null()], { description: 'For a bot reply: how it was made' }),
  created_at: Timestamp,
  updated_at: Timestamp,
})
export type Message = typeof Message.static

export const MessageCreate = (maxLength: number) =>
  t.Object(
    {
      sender: Sender,
      // maxLength counts UTF-16 units; the exact character limit is checked by the chat service.
      content: t.Optional(
        t.String({
          minLength: 1,
          maxLength: maxLength * 2,
          [MaxCharacters]: maxLength,
          description: `1 to ${maxLength} characters; required unless \`parts\` are given`,
        }),
      ),
      parts: t.Optional(
        t.Array(Part, {
          minItems: 1,
          maxItems: MAX_PARTS,
          description: 'Typed parts instead of `content` (which becomes their text, concatenated)',
        }),
      ),
      parent_id: t.Optional(
        t.Union([t.String(), t.Null()], {
          description:
            'Omitted: appended to the active branch. A message id: a new branch after that message ' +
            '(to edit a question, its parent_id), made active. null: a new first message.',
        }),
      ),
      metadata: t.Optional(Metadata),
      reply: t.Optional(
        t.Boolean({ description: 'Have the bot answer this user message (implied by Accept: text/event-stream)' }),
      ),
      client_tools: t.Optional(
        t.Array(ClientToolSchema, {
          maxItems: 32,
          description: 'Tools of this reply the client runs: it gets the call and posts the result (docs/tools.md)',
        }),
      ),
      client_id: t.Optional(
        t.String({
          minLength: 1,
          maxLength: 128,
          description: 'Idempotency key: a retry with the same key stores nothing new',
        }),
      ),
    },
    OPEN,
  )
export type MessageCreate = ReturnType<typeof MessageCreate>['static']

export const MessageEdit = (maxLength: number) =>
  t.Object(
    {
      content: t.String({
        minLength: 1,
        maxLength: maxLength * 2,
        [MaxCharacters]: maxLength,
        description: `1 to ${maxLength} characters`,
      }),
    },
    OPEN,
  )

export const RegenerateAccepted = t.Object({
  reply_to: t.String({ description: 'The user message being answered again' }),
  status: t.Literal('queued'),
})

export const MessageParams = t.Object({ id: t.String(), message_id: t.String() })

const PageSize = (description: string) => Integer({ minimum: 1, maximum: 100, description })

export const MessageListQuery = t.Object(
  {
    page: t.Optional(Integer({ minimum: 1, description: 'Page number, from 1 (page mode)' })),
    size: t.Optional(PageSize('Messages per page, 1-100, default 10 (page mode)')),
    before: t.Optional(t.String({ description: 'Message id: return messages older than it (cursor mode)' })),
    limit: t.Optional(PageSize('Messages per page, 1-100, default 10 (cursor mode)')),
  },
  OPEN,
)
export type MessageListQuery = typeof MessageListQuery.static

export const MessageDeleteQuery = t.Object(
  {
    subtree: t.Optional(
      t.Union([t.Literal('true'), t.Literal('false')], {
        description: 'true: delete the message and every message below it (a whole branch)',
      }),
    ),
  },
  OPEN,
)

export const MessagePage = t.Object({
  messages: t.Array(Message, { description: 'Newest first' }),
  total: Integer({ description: 'Messages in the conversation' }),
  has_more: t.Boolean({ description: 'Older messages exist beyond this page' }),
  next_cursor: t.Union([t.String(), t.Null()], { description: 'Pass as `before` to get the next (older) page' }),
  page: t.Optional(Integer()),
  size: t.Optional(Integer()),
  pages: t.Optional(Integer()),
})
export type MessagePage = typeof MessagePage.static

// Responses are documented, not checked at run time (see docs/operation.ts): the records the
// chat service returns must be exactly what the schemas describe.
export const _messageMatchesStore: Same<Message, StoredMessage> = true
