import { Elysia, t } from 'elysia'
import type { Actor } from '../../auth/actor'
import { AssistantSpec } from '../../config-file'
import type { Deps } from '../../deps'
import { API_ERRORS } from '../docs/errors'
import { operations } from '../docs/operation'
import { queryOf } from '../query'
import {
  AssistantList,
  AssistantParams,
  AssistantPatch,
  AssistantView,
  QuotaParams,
  QuotaState,
  UsageQuery,
  UsageReport,
  UserLimits,
} from './model'
import { assistantService, operatorsOnly } from './service'

// 409: an existing or a config-declared assistant.
const detail = operations('assistants', API_ERRORS, { errors: [409] })
const usage = operations('usage', API_ERRORS)
const usageQuery = queryOf(UsageQuery)
/** Operators' writes refuse end users before their body is validated: 403, not a 422 about it. */
const operators = ({ actor }: { actor: Actor }) => operatorsOnly(actor)

/**
 * /assistants (the model picker's source; managed by API-key callers), /usage (token totals by
 * user, assistant, model and day) and /quotas/{user_id} (a user's token limits).
 */
export const assistantRoutes = (deps: Pick<Deps, 'store' | 'assistants' | 'quotas' | 'config' | 'requestAuth'>) => {
  const s = assistantService(deps)
  return new Elysia({ name: 'assistants' })
    .derive(deps.requestAuth.derive)
    .get('/assistants', ({ actor }) => s.list(actor), {
      detail: detail('List the assistants a conversation may use (end users see the picker fields)', {
        200: AssistantList,
      }),
    })
    .get('/assistants/:id', ({ actor, params }) => s.get(actor, params.id), {
      params: AssistantParams,
      detail: detail('One assistant', { 200: AssistantView }),
    })
    .post('/assistants', async ({ actor, body, status }) => status(201, await s.create(actor, body)), {
      transform: operators,
      body: AssistantSpec,
      detail: detail('Create an assistant (API-key callers)', { 201: AssistantView }),
    })
    .patch('/assistants/:id', ({ actor, params, body }) => s.update(actor, params.id, body), {
      params: AssistantParams,
      transform: operators,
      body: AssistantPatch,
      detail: detail('Change an assistant (API-key callers); null removes a setting; applies from the next reply', {
        200: AssistantView,
      }),
    })
    .delete(
      '/assistants/:id',
      async ({ actor, params, status }) => {
        await s.remove(actor, params.id)
        return status(204, undefined)
      },
      {
        params: AssistantParams,
        detail: detail('Delete an assistant (API-key callers); its conversations go to the default one', {
          204: t.Void(),
        }),
      },
    )
    .get('/usage', ({ actor, query }) => s.usage(actor, usageQuery(query)), {
      detail: usage(
        'Token usage by user, assistant, model and UTC day (a user sees their own)',
        { 200: UsageReport },
        {
          query: UsageQuery,
        },
      ),
    })
    .get('/quotas/:user_id', ({ actor, params }) => s.quota(actor, params.user_id), {
      params: QuotaParams,
      detail: usage("A user's token limits and use (a user sees their own)", { 200: QuotaState }),
    })
    .put('/quotas/:user_id', ({ actor, params, body }) => s.setQuota(actor, params.user_id, body), {
      params: QuotaParams,
      transform: operators,
      body: UserLimits,
      detail: usage("Set a user's own token limits, replacing the global ones for them (API-key callers)", {
        200: QuotaState,
      }),
    })
    .delete(
      '/quotas/:user_id',
      async ({ actor, params, status }) => {
        await s.setQuota(actor, params.user_id, null)
        return status(204, undefined)
      },
      { params: QuotaParams, detail: usage("Remove a user's own limits (API-key callers)", { 204: t.Void() }) },
    )
}
