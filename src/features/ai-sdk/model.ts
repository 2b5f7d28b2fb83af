import { t } from 'elysia'
import { OPEN } from '../messages/model'
import { ClientToolSchema, MAX_PARTS } from '../messages/parts'

/** Messages a request may carry: Parley reads only the last, but the SDK sends them all. */
export const MAX_UI_MESSAGES = 10_000

const Ref = (description: string) => t.String({ minLength: 1, maxLength: 128, description })

/** A part of a UIMessage as the AI SDK sends it; each kind is checked when it is read. */
export const UIPart = t.Object({ type: t.String({ minLength: 1, maxLength: 128 }) }, OPEN)

export const UIMessage = t.Object(
  {
    id: Ref("The message's id"),
    role: t.Union([t.Literal('user'), t.Literal('assistant'), t.Literal('system')]),
    metadata: t.Optional(t.Unknown()),
    parts: t.Array(UIPart, { maxItems: MAX_PARTS }),
  },
  OPEN,
)

/** The body `useChat`'s DefaultChatTransport posts (plus whatever its `body` option adds). */
export const ChatRequest = t.Object(
  {
    id: Ref('The chat id (chosen by the client, or a Parley conversation id)'),
    messages: t.Array(UIMessage, {
      maxItems: MAX_UI_MESSAGES,
      description: "The client's copy; only its last user message is read",
    }),
    trigger: t.Union([t.Literal('submit-message'), t.Literal('regenerate-message')]),
    messageId: t.Optional(Ref('submit: the user message being edited; regenerate: the reply being redone')),
    user_id: t.Optional(
      t.String({ minLength: 1, maxLength: 256, description: 'Open mode and API keys: whose chat it is' }),
    ),
    client_tools: t.Optional(
      t.Array(ClientToolSchema, {
        maxItems: 32,
        description: "Tools of this reply the client runs (useChat's onToolCall, then addToolResult)",
      }),
    ),
  },
  OPEN,
)
export type ChatRequest = typeof ChatRequest.static

export const ChatParams = t.Object({ id: Ref('The chat id') })
export const ChatQuery = t.Object(
  {
    user_id: t.Optional(
      t.String({ minLength: 1, maxLength: 256, description: 'Open mode and API keys: whose chat it is' }),
    ),
  },
  OPEN,
)

/** A stored message as a UIMessage (metadata: createdAt, parentId, siblings, and for a reply its model, finishReason, usage). */
export const UIMessageOut = t.Object({
  id: t.String(),
  role: t.Union([t.Literal('user'), t.Literal('assistant')]),
  metadata: t.Object({}, { additionalProperties: true }),
  parts: t.Array(t.Object({ type: t.String() }, { additionalProperties: true })),
})

/** assistant-ui's ExportedMessageRepository of UIMessages: every branch and the head. */
export const UIRepository = t.Object({
  headId: t.Union([t.String(), t.Null()]),
  messages: t.Array(t.Object({ message: UIMessageOut, parentId: t.Union([t.String(), t.Null()]) })),
})
