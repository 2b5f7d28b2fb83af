import { t } from 'elysia'
import { NAME_PATTERN } from '../../config-file'
import type { Same } from '../../storage/schema'
import type { Conversation as StoredConversation } from '../../storage/store'
import { Integer, Message, Metadata, OPEN, Timestamp } from '../messages/model'

export const MAX_TITLE_LENGTH = 1000
const Title = t.Union([t.String({ maxLength: MAX_TITLE_LENGTH }), t.Null()])
const AssistantId = t.String({ pattern: NAME_PATTERN, description: 'An assistant of GET /assistants' })

export const Conversation = t.Object({
  id: t.String({ description: 'UUIDv7' }),
  user_id: t.String(),
  title: t.Union([t.String(), t.Null()]),
  metadata: Metadata,
  created_at: Timestamp,
  updated_at: Timestamp,
  message_count: Integer({ description: 'Messages on the active branch' }),
  head_id: t.Union([t.String(), t.Null()], { description: 'The last message of the active branch' }),
  usage: t.Object(
    { input_tokens: Integer(), output_tokens: Integer() },
    { description: "Tokens the conversation's replies used" },
  ),
  assistant_id: t.Union([AssistantId, t.Null()], { description: 'The assistant that answers it; null: the default' }),
})
export type Conversation = typeof Conversation.static

export const ConversationDetail = t.Composite([
  Conversation,
  t.Object({ messages: t.Array(Message, { description: 'The most recent messages, oldest first' }) }),
])
export type ConversationDetail = typeof ConversationDetail.static

export const ConversationCreate = t.Object(
  {
    user_id: t.Optional(
      t.String({
        minLength: 1,
        maxLength: 256,
        description: 'Required, except with a user token (then it is the token’s user)',
      }),
    ),
    title: t.Optional(Title),
    metadata: t.Optional(Metadata),
    assistant_id: t.Optional(AssistantId),
  },
  OPEN,
)
export type ConversationCreate = typeof ConversationCreate.static

export const ConversationPatch = t.Object(
  {
    title: t.Optional(Title),
    metadata: t.Optional(t.Union([Metadata], { description: 'Replaces the whole metadata object' })),
    assistant_id: t.Optional(t.Union([AssistantId, t.Null()], { description: 'null: the default assistant' })),
  },
  OPEN,
)
export type ConversationPatch = typeof ConversationPatch.static

export const ConversationListQuery = t.Object(
  {
    user_id: t.Optional(t.String({ minLength: 1, maxLength: 256, description: "Only this user's conversations" })),
    limit: t.Optional(Integer({ minimum: 1, maximum: 100, description: '1-100, default 20' })),
    before: t.Optional(t.String({ description: 'Conversation id: continue after it (next_cursor)' })),
  },
  OPEN,
)
export type ConversationListQuery = typeof ConversationListQuery.static

export const ConversationList = t.Object({
  conversations: t.Array(Conversation, { description: 'Most recently updated first' }),
  has_more: t.Boolean(),
  next_cursor: t.Union([t.String(), t.Null()]),
})
export type ConversationList = typeof ConversationList.static

export const IdParams = t.Object({ id: t.String() })

// Responses are documented, not checked at run time (see docs/operation.ts): the records the
// chat service returns must be exactly what the schemas describe.
export const _conversationMatchesStore: Same<Conversation, StoredConversation> = true
