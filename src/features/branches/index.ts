import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { IdParams } from '../conversations/model'
import { API_ERRORS } from '../docs/errors'
import { operations } from '../docs/operation'
import { queryOf } from '../query'
import { Head, HeadChange, Tree, TreeQuery } from './model'

const detail = operations('conversations', API_ERRORS)
const treeQuery = queryOf(TreeQuery)

/** A conversation's tree of messages: reading all of it, switching the active branch. */
export const branchRoutes = ({ chat, requestAuth }: Pick<Deps, 'chat' | 'requestAuth'>) =>
  new Elysia({ name: 'branches', prefix: '/conversations/:id' })
    .derive(requestAuth.derive)
    .get('/tree', ({ actor, params, query }) => chat.as(actor).tree(params.id, treeQuery(query)), {
      params: IdParams,
      detail: detail(
        'Every message of the conversation with its parent, and the head (all branches, parents first)',
        { 200: Tree },
        { path: IdParams, query: TreeQuery },
      ),
    })
    .put('/head', ({ actor, params, body }) => chat.as(actor).setHead(params.id, body.message_id), {
      params: IdParams,
      body: HeadChange,
      detail: detail('Switch branch: make the newest leaf below a message the head', { 200: Head }),
    })
