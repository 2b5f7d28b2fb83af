import { Elysia, t } from 'elysia'
import type { Deps } from '../../deps'
import { API_ERRORS } from '../docs/errors'
import { operations } from '../docs/operation'
import { queryOf } from '../query'
import {
  Conversation,
  ConversationCreate,
  ConversationDetail,
  ConversationList,
  ConversationListQuery,
  ConversationPatch,
  IdParams,
} from './model'

const detail = operations('conversations', API_ERRORS)
const listQuery = queryOf(ConversationListQuery)

export const conversationRoutes = ({ chat, requestAuth }: Pick<Deps, 'chat' | 'requestAuth'>) =>
  new Elysia({ name: 'conversations', prefix: '/conversations' })
    .derive(requestAuth.derive)
    .post('/', async ({ actor, body, status }) => status(201, await chat.as(actor).createConversation(body)), {
      body: ConversationCreate,
      detail: detail('Create a conversation', { 201: ConversationDetail }),
    })
    .get('/', ({ actor, query }) => chat.as(actor).listConversations(listQuery(query)), {
      detail: detail(
        'List conversations, most recently updated first (cursor pagination)',
        { 200: ConversationList },
        { query: ConversationListQuery },
      ),
    })
    .get('/:id', ({ actor, params }) => chat.as(actor).getConversation(params.id), {
      params: IdParams,
      detail: detail('Get a conversation with its 50 most recent messages', { 200: ConversationDetail }),
    })
    .patch('/:id', ({ actor, params, body }) => chat.as(actor).updateConversation(params.id, body), {
      params: IdParams,
      body: ConversationPatch,
      detail: detail('Update the title and/or metadata of a conversation', { 200: Conversation }),
    })
    .post('/:id/stop', async ({ actor, params }) => ({ stopped: await chat.as(actor).stopGeneration(params.id) }), {
      params: IdParams,
      detail: detail('Stop the bot reply in progress; the part generated so far is stored, marked stopped', {
        200: t.Object({ stopped: t.Boolean({ description: 'A reply was in progress and is stopped' }) }),
      }),
    })
    .delete(
      '/:id',
      async ({ actor, params, status }) => {
        await chat.as(actor).deleteConversation(params.id)
        return status(204, undefined)
      },
      {
        params: IdParams,
        detail: detail('Delete a conversation and its messages', { 204: t.Void({ description: 'Deleted' }) }),
      },
    )
