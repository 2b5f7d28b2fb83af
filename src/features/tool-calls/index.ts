import { Elysia, t } from 'elysia'
import type { Deps } from '../../deps'
import { API_ERRORS } from '../docs/errors'
import { operations } from '../docs/operation'
import { OPEN } from '../messages/model'

const detail = operations('conversations', API_ERRORS, { errors: [409] })
const Params = t.Object({ id: t.String(), call_id: t.String({ minLength: 1, maxLength: 256 }) })
const Accepted = t.Object({ accepted: t.Literal(true) }, { description: 'Handed to the paused call' })

export const ToolResultBody = t.Object(
  {
    output: t.Optional(t.Unknown({ description: "The client tool's output (JSON)" })),
    error: t.Optional(t.String({ maxLength: 4000, description: 'The tool failed: the model sees this' })),
  },
  OPEN,
)
export const ToolApprovalBody = t.Object(
  {
    approved: t.Boolean(),
    reason: t.Optional(t.String({ maxLength: 2000, description: 'Shown to the model when denied' })),
  },
  OPEN,
)

/** Answers to a reply's paused tool calls: a client tool's result, an approval. */
export const toolCallRoutes = ({ chat, requestAuth }: Pick<Deps, 'chat' | 'requestAuth'>) =>
  new Elysia({ name: 'tool-calls', prefix: '/conversations/:id/tool-calls/:call_id' })
    .derive(requestAuth.derive)
    .post(
      '/result',
      async ({ actor, params, body, status }) => {
        const reply = { kind: 'result' as const, toolCallId: params.call_id, ...body }
        return status(202, await chat.as(actor).answerToolCall(params.id, reply, ['body']))
      },
      {
        params: Params,
        body: ToolResultBody,
        detail: detail("Post a client tool's result (the reply waits for it, then goes on)", { 202: Accepted }),
      },
    )
    .post(
      '/approval',
      async ({ actor, params, body, status }) => {
        const reply = { kind: 'approval' as const, toolCallId: params.call_id, ...body }
        return status(202, await chat.as(actor).answerToolCall(params.id, reply, ['body']))
      },
      {
        params: Params,
        body: ToolApprovalBody,
        detail: detail('Approve or deny a tool call that waits for approval (a denial is a result the model sees)', {
          202: Accepted,
        }),
      },
    )
