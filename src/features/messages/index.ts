import { Elysia, t } from 'elysia'
import type { Deps } from '../../deps'
import { holdOpen } from '../../hold-open'
import { IdParams } from '../conversations/model'
import { API_ERRORS } from '../docs/errors'
import { operations } from '../docs/operation'
import { queryOf } from '../query'
import {
  Message,
  MessageCreate,
  MessageDeleteQuery,
  MessageEdit,
  MessageListQuery,
  MessagePage,
  MessageParams,
  RegenerateAccepted,
} from './model'
import { pageJson } from './page-json'
import { replyEventStream, wantsEventStream } from './sse'

const detail = operations('messages', API_ERRORS)
const listQuery = queryOf(MessageListQuery)
const deleteQuery = queryOf(MessageDeleteQuery)

export const messageRoutes = ({ chat, config, requestAuth }: Pick<Deps, 'chat' | 'config' | 'requestAuth'>) =>
  new Elysia({ name: 'messages', prefix: '/conversations/:id/messages' })
    .derive(requestAuth.derive)
    .get(
      '/',
      async ({ actor, params, query, set }) => {
        const page = await chat.as(actor).listMessages(params.id, listQuery(query))
        set.headers['content-type'] = 'application/json;charset=utf-8'
        return pageJson(page)
      },
      {
        params: IdParams,
        detail: detail(
          'List messages, newest first: page mode (page, size) or cursor mode (before, limit)',
          { 200: MessagePage },
          { path: IdParams, query: MessageListQuery },
        ),
      },
    )
    .post(
      '/',
      async ({ actor, params, body, status, request }) => {
        const stream = wantsEventStream(request)
        const sent = await chat.as(actor).postMessage(params.id, {
          sender: body.sender,
          content: body.content,
          parts: body.parts,
          parentId: body.parent_id,
          metadata: body.metadata,
          clientId: body.client_id,
          clientTools: body.client_tools,
          reply: body.reply ?? (stream && body.sender === 'user'),
        })
        if (!stream) {
          sent.reply?.ignore() // the room has it
          return status(201, sent.message)
        }
        holdOpen(request) // authenticated, and the message is stored: the reply may be slow to start
        return replyEventStream(sent.message, sent.reply)
      },
      {
        params: IdParams,
        body: MessageCreate(config.MAX_MESSAGE_LENGTH),
        detail: detail(
          "Add a message (bumps the conversation's updated_at). With `reply: true` the bot answers; " +
            'with `Accept: text/event-stream` the answer is streamed as Server-Sent Events ' +
            '(`message`, `delta`…, `message`, `done`, or `error`).',
          { 201: Message },
          { stream: true },
        ),
      },
    )
    .post(
      '/:message_id/regenerate',
      async ({ actor, params, status, request }) => {
        const { reply } = await chat.as(actor).regenerate(params.id, params.message_id)
        if (wantsEventStream(request)) {
          holdOpen(request)
          return replyEventStream(null, reply)
        }
        reply.ignore() // the room has it
        return status(202, { reply_to: params.message_id, status: 'queued' as const })
      },
      {
        params: MessageParams,
        detail: detail(
          'Another reply to a user message, kept beside the earlier ones and made the active branch ' +
            '(202; or streamed with Accept: text/event-stream)',
          { 202: RegenerateAccepted },
          { stream: true, errors: [409] },
        ),
      },
    )
    .put(
      '/:message_id',
      ({ actor, params, body }) => chat.as(actor).editMessage(params.id, params.message_id, body.content),
      {
        params: MessageParams,
        body: MessageEdit(config.MAX_MESSAGE_LENGTH),
        detail: detail("Edit a user message's content", { 200: Message }),
      },
    )
    .delete(
      '/:message_id',
      async ({ actor, params, query, status }) => {
        const { subtree } = deleteQuery(query)
        await chat.as(actor).deleteMessage(params.id, params.message_id, subtree === 'true')
        return status(204, undefined)
      },
      {
        params: MessageParams,
        detail: detail(
          'Delete a user message (the messages after it stay, re-attached to its parent), or with ' +
            '`subtree=true` any message and every message below it',
          { 204: t.Void({ description: 'Deleted' }) },
          { path: MessageParams, query: MessageDeleteQuery },
        ),
      },
    )
