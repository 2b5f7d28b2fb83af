import { Elysia, t } from 'elysia'
import type { Deps } from '../../deps'
import { ErrorBody } from '../../errors'
import {
  Conversation,
  ConversationCreate,
  ConversationDetail,
  ConversationList,
  ConversationListQuery,
  ConversationPatch,
  IdParams,
} from './model'

const detail = (summary: string) => ({ summary, tags: ['conversations'] })
const errors = { 400: ErrorBody, 404: ErrorBody, 413: ErrorBody, 415: ErrorBody, 422: ErrorBody }

export const conversationRoutes = ({ chat, requestAuth }: Pick<Deps, 'chat' | 'requestAuth'>) =>
  new Elysia({ name: 'conversations', prefix: '/conversations' })
    .derive(({ request }) => requestAuth(request))
    .post('/', async ({ actor, body, status }) => status(201, await chat.as(actor).createConversation(body)), {
      body: ConversationCreate,
      response: { 201: ConversationDetail, ...errors },
      detail: detail('Create a conversation'),
    })
    .get('/', ({ actor, query }) => chat.as(actor).listConversations(query), {
      query: ConversationListQuery,
      response: { 200: ConversationList, ...errors },
      detail: detail('List conversations, most recently updated first (cursor pagination)'),
    })
    .get('/:id', ({ actor, params }) => chat.as(actor).getConversation(params.id), {
      params: IdParams,
      response: { 200: ConversationDetail, ...errors },
      detail: detail('Get a conversation with its 50 most recent messages'),
    })
    .patch('/:id', ({ actor, params, body }) => chat.as(actor).updateConversation(params.id, body), {
      params: IdParams,
      body: ConversationPatch,
      response: { 200: Conversation, ...errors },
      detail: detail('Update the title and/or metadata of a conversation'),
    })
    .post('/:id/stop', async ({ actor, params }) => ({ stopped: await chat.as(actor).stopGeneration(params.id) }), {
      params: IdParams,
      response: {
        200: t.Object({ stopped: t.Boolean({ description: 'A reply was in progress and is stopped' }) }),
        ...errors,
      },
      detail: detail('Stop the bot reply in progress; the part generated so far is stored, marked stopped'),
    })
    .delete(
      '/:id',
      async ({ actor, params, status }) => {
        await chat.as(actor).deleteConversation(params.id)
        return status(204, undefined)
      },
      {
        params: IdParams,
        response: { 204: t.Void({ description: 'Deleted' }), ...errors },
        detail: detail('Delete a conversation and its messages'),
      },
    )
