import { t } from 'elysia'
import { AssistantSpec, Limits, NAME_PATTERN } from '../../config-file'
import { Integer, Timestamp } from '../messages/model'

const { id: _id, ...specFields } = AssistantSpec.properties

/** An assistant as GET /assistants shows it: end users get the picker fields only. */
export const AssistantView = t.Object({
  ...Object.fromEntries(Object.entries(specFields).map(([k, v]) => [k, t.Optional(v)])),
  id: AssistantSpec.properties.id,
  name: AssistantSpec.properties.name,
  default: t.Boolean({ description: 'Answers conversations without an assistant_id' }),
  source: t.Optional(t.Union([t.Literal('config'), t.Literal('api')], { description: 'Operators only' })),
  created_at: t.Optional(Timestamp),
  updated_at: t.Optional(Timestamp),
})

export const AssistantList = t.Object({
  assistants: t.Array(AssistantView, { description: 'Declared in the config first, then created over the API' }),
  default_id: t.Union([t.String(), t.Null()]),
})

/** PATCH body: any spec field; null removes an optional one. */
export const AssistantPatch = t.Object(
  Object.fromEntries(Object.entries(specFields).map(([k, v]) => [k, t.Optional(t.Union([v, t.Null()]))])),
  { additionalProperties: false },
)

export const AssistantParams = t.Object({ id: t.String({ pattern: NAME_PATTERN }) })

const Tokens = Integer({ minimum: 0 })

export const UsageQuery = t.Object({
  user_id: t.Optional(t.String({ minLength: 1, maxLength: 256, description: 'A user sees only their own' })),
  assistant_id: t.Optional(t.String({ maxLength: 64 })),
  model: t.Optional(t.String({ maxLength: 200 })),
  from: t.Optional(t.String({ format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'First UTC day' })),
  to: t.Optional(t.String({ format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Last UTC day' })),
  limit: t.Optional(Integer({ minimum: 1, maximum: 1000, description: 'Rows, 1-1000, default 100' })),
})

export const UsageReport = t.Object({
  rows: t.Array(
    t.Object({
      user_id: t.String(),
      day: t.String({ description: 'UTC day, YYYY-MM-DD' }),
      assistant_id: t.String({ description: "'' for replies made before assistants" }),
      model: t.String(),
      input_tokens: Tokens,
      output_tokens: Tokens,
      replies: Tokens,
    }),
    { description: 'Newest day first; at most `limit`' },
  ),
  totals: t.Object(
    { input_tokens: Tokens, output_tokens: Tokens, replies: Tokens },
    { description: 'Over every matching row' },
  ),
})

export const UserLimits = t.Composite(
  [
    Limits,
    t.Object({ assistants: t.Optional(t.Record(t.String({ pattern: NAME_PATTERN }), Limits, { maxProperties: 100 })) }),
  ],
  { additionalProperties: false },
)

export const QuotaParams = t.Object({ user_id: t.String({ minLength: 1, maxLength: 256 }) })

export const QuotaState = t.Object({
  user_id: t.String(),
  limits: t.Union([UserLimits, t.Null()], { description: "The user's own limits (null: the global ones apply)" }),
  global: t.Object({ tokens_per_day: Tokens, tokens_per_month: Tokens }, { description: '0: no limit' }),
  used: t.Object({ today: Tokens, this_month: Tokens }, { description: 'Tokens over all assistants' }),
  resets: t.Object({ day: Timestamp, month: Timestamp }),
})
