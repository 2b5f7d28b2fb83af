import { Elysia, t } from 'elysia'
import type { Deps } from '../../deps'
import { ErrorBody } from '../../errors'
import { IdParams } from '../conversations/model'
import { Message, MessageCreate, MessageEdit, MessageListQuery, MessagePage, MessageParams } from './model'

const detail = (summary: string) => ({ summary, tags: ['messages'] })
const errors = { 400: ErrorBody, 404: ErrorBody, 413: ErrorBody, 415: ErrorBody, 422: ErrorBody }

export const messageRoutes = ({ chat, config }: Pick<Deps, 'chat' | 'config'>) =>
  new Elysia({ name: 'messages', prefix: '/conversations/:id/messages' })
    .get('/', ({ params, query }) => chat.listMessages(params.id, query), {
      params: IdParams,
      query: MessageListQuery,
      response: { 200: MessagePage, ...errors },
      detail: detail('List messages, newest first: page mode (page, size) or cursor mode (before, limit)'),
    })
    .post('/', async ({ params, body, status }) => status(201, await chat.postMessage(params.id, body)), {
      params: IdParams,
      body: MessageCreate(config.MAX_MESSAGE_LENGTH),
      response: { 201: Message, ...errors },
      detail: detail("Add a message (bumps the conversation's updated_at)"),
    })
    .put('/:message_id', ({ params, body }) => chat.editMessage(params.id, params.message_id, body.content), {
      params: MessageParams,
      body: MessageEdit(config.MAX_MESSAGE_LENGTH),
      response: { 200: Message, ...errors },
      detail: detail("Edit a user message's content"),
    })
    .delete(
      '/:message_id',
      async ({ params, status }) => {
        await chat.deleteMessage(params.id, params.message_id)
        return status(204, undefined)
      },
      {
        params: MessageParams,
        response: { 204: t.Void({ description: 'Deleted' }), ...errors },
        detail: detail('Delete a user message'),
      },
    )
