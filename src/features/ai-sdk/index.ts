import { Elysia, t } from 'elysia'
import type { ChatService } from '../../chat/service'
import type { Deps } from '../../deps'
import { AppError, invalid } from '../../errors'
import { holdOpen } from '../../hold-open'
import type { Conversation } from '../../storage/store'
import { API_ERRORS } from '../docs/errors'
import { operations } from '../docs/operation'
import { followReply } from './follow'
import { ChatParams, ChatQuery, ChatRequest, UIMessageOut, UIRepository } from './model'
import { replayReply } from './replay'
import { answerFromUI } from './tool-answers'
import { partsFromUI, toUIMessage } from './ui-message'
import { uiMessageStream } from './ui-stream'

const detail = operations('ai-sdk', API_ERRORS)
/** The most messages GET …/messages returns: the newest of the active branch. */
export const HISTORY_LIMIT = 1000
/** The most messages GET …/tree returns: the oldest (every branch, parents first). */
export const TREE_LIMIT = 10_000

type Session = ReturnType<ChatService['as']>

/** The chat a GET names, without making one: null when this user has none by that id. */
const existingChat = (session: Session, id: string, userId: string | undefined) => session.openChat(id, userId, false)

/**
 * The AI SDK's chat protocol: `useChat` (DefaultChatTransport) posts here and reads the UI
 * message stream; `resume: true` reconnects to `{id}/stream`. Parley keeps the history: of the
 * posted messages only the last user message is read (its id is its client id).
 */
export const aiSdkRoutes = ({ chat, config, requestAuth, hub, progress, replies }: Deps) =>
  new Elysia({ name: 'ai-sdk', prefix: config.AI_SDK_PATH })
    .derive(requestAuth.derive)
    .post(
      '/',
      async ({ actor, body, request }) => {
        if (!replies)
          throw new AppError('bot_disabled', 'No assistant is configured (BOT_PROVIDER=none and no config file)')
        const session = chat.as(actor)
        const conversation = (await session.openChat(body.id, body.user_id)) as Conversation
        if (body.trigger === 'regenerate-message') {
          const question = await session.questionOf(conversation.id, body.messageId, ['body', 'messageId'])
          const { reply } = await session.regenerate(conversation.id, question)
          holdOpen(request)
          return uiMessageStream(reply.events())
        }
        const at = body.messages.length - 1
        const last = body.messages[at]
        if (last?.role === 'assistant') {
          // Answers to the reply's paused tool calls (addToolResult, addToolApprovalResponse):
          // the reply goes on, and this response follows it from here.
          await answerFromUI(session, conversation.id, last.parts, ['body', 'messages', at, 'parts'])
          // Attached after the answers: what it misses is their own results, which the client has.
          const following = followReply(hub, progress, conversation.id, { fromNow: true })
          holdOpen(request)
          return uiMessageStream(following ?? replayReply(null))
        }
        if (last?.role !== 'user') {
          throw invalid(
            ['body', 'messages', Math.max(at, 0)],
            'The last message must be the new user message',
            'value_error',
          )
        }
        const parts = partsFromUI(last.parts, ['body', 'messages', at, 'parts'])
        // An edit is a new version beside the edited message; else it follows what the client shows.
        const shown = body.messages[at - 1]?.id
        const parentId = await session.parentFor(conversation.id, body.messageId, shown, ['body', 'messageId'])
        const sent = await session.postMessage(conversation.id, {
          sender: 'user',
          parts,
          parentId,
          clientId: body.messageId === undefined ? last.id : undefined,
          clientTools: body.client_tools,
          reply: true,
        })
        holdOpen(request)
        if (sent.reply) return uiMessageStream(sent.reply.events())
        // A retry of a stored message: the reply it started, in progress or stored.
        const following = followReply(hub, progress, conversation.id)
        if (following) return uiMessageStream(following)
        const recent = (await session.listMessages(conversation.id, { page: 1, size: 20 })).messages
        return uiMessageStream(replayReply(recent.find((m) => m.reply_to === sent.message.id) ?? null))
      },
      {
        body: ChatRequest,
        detail: detail(
          "useChat's request: store the new user message (or an edit, or regenerate a reply) and stream the reply as the AI SDK's UI message stream",
          {},
          { stream: true, errors: [409] },
        ),
      },
    )
    .get(
      '/:id/stream',
      async ({ actor, params, query, status, request }) => {
        const session = chat.as(actor)
        const conversation = await existingChat(session, params.id, query.user_id)
        const following = conversation && followReply(hub, progress, conversation.id)
        if (!following) return status(204, undefined)
        holdOpen(request)
        return uiMessageStream(following)
      },
      {
        params: ChatParams,
        query: ChatQuery,
        detail: detail(
          'The reply generating now, from its start, then live (204 when none is)',
          { 204: t.Void({ description: 'No reply is generating' }) },
          { stream: true, path: ChatParams, query: ChatQuery },
        ),
      },
    )
    .get(
      '/:id/messages',
      async ({ actor, params, query }) => {
        const session = chat.as(actor)
        const conversation = await existingChat(session, params.id, query.user_id)
        return conversation ? (await session.branch(conversation.id, HISTORY_LIMIT)).map(toUIMessage) : []
      },
      {
        params: ChatParams,
        query: ChatQuery,
        detail: detail(
          'The active branch as UIMessage[] (for useChat({ messages }))',
          { 200: t.Array(UIMessageOut) },
          { path: ChatParams, query: ChatQuery },
        ),
      },
    )
    .get(
      '/:id/tree',
      async ({ actor, params, query }) => {
        const session = chat.as(actor)
        const conversation = await existingChat(session, params.id, query.user_id)
        if (!conversation) return { headId: null, messages: [] }
        const tree = await session.wholeTree(conversation.id, TREE_LIMIT)
        return {
          headId: tree.head_id,
          messages: tree.messages.map((m) => ({ message: toUIMessage(m), parentId: m.parent_id })),
        }
      },
      {
        params: ChatParams,
        query: ChatQuery,
        detail: detail(
          "Every branch as UIMessages with their parents and the head: assistant-ui's message repository (useChatRuntime's messageRepository)",
          { 200: UIRepository },
          { path: ChatParams, query: ChatQuery },
        ),
      },
    )
    .post(
      '/:id/stop',
      async ({ actor, params, query }) => {
        const session = chat.as(actor)
        const conversation = await existingChat(session, params.id, query.user_id)
        return { stopped: conversation ? await session.stopGeneration(conversation.id) : false }
      },
      {
        params: ChatParams,
        query: ChatQuery,
        detail: detail(
          'Stop the reply generating now; what it said so far is stored, marked stopped',
          { 200: t.Object({ stopped: t.Boolean({ description: 'A reply was generating and is stopped' }) }) },
          { path: ChatParams, query: ChatQuery },
        ),
      },
    )
