import { Type } from '@sinclair/typebox'
import { t } from 'elysia'
import type { Same } from '../../storage/schema'
import type { Generation as StoredGeneration, Part as StoredPart } from '../../storage/store'

/** Parts a posted message may carry (each is checked further by the chat service). */
export const MAX_PARTS = 64
/** The longest URL of a file part, other than a data: URL. */
export const MAX_URL_LENGTH = 8192

const Id = (description: string) => t.String({ minLength: 1, maxLength: 256, description })
const Json = t.Unknown({ description: 'Any JSON value' })

export const ToolState = t.Union(
  [
    t.Literal('input-streaming'),
    t.Literal('input-available'),
    t.Literal('approval-requested'),
    t.Literal('approval-responded'),
    t.Literal('output-available'),
    t.Literal('output-error'),
    t.Literal('output-denied'),
  ],
  { description: "Where the call stands (the AI SDK's tool states)" },
)

/**
 * A message's typed parts, in order (the AI SDK's UIMessage parts, with `tool-call` for every
 * tool). `content` is always the concatenation of the text parts.
 */
export const Part = t.Union([
  t.Object({ type: t.Literal('text'), text: t.String() }),
  t.Object({ type: t.Literal('reasoning'), text: t.String() }),
  t.Object({
    type: t.Literal('tool-call'),
    toolCallId: Id('The call id, unique in the message'),
    toolName: Id('The tool called'),
    input: Json,
    state: ToolState,
    output: t.Optional(Json),
    errorText: t.Optional(t.String({ maxLength: 32_768 })),
    durationMs: t.Optional(Type.Integer({ minimum: 0, description: 'How long the call took' })),
    approval: t.Optional(
      t.Object(
        {
          id: Id('The approval request'),
          approved: t.Optional(t.Boolean()),
          reason: t.Optional(t.String({ maxLength: 2000 })),
        },
        { description: 'A tool that needs approval: the request and the answer' },
      ),
    ),
  }),
  t.Object({
    type: t.Literal('file'),
    mediaType: t.String({ minLength: 1, maxLength: 255, description: 'IANA media type' }),
    // A posted data: URL is bounded by MAX_BODY_BYTES and FILES_MAX_BYTES; any other URL by
    // MAX_URL_LENGTH (checked by the chat service).
    url: t.String({
      minLength: 1,
      description: `A stored file (\`/files/{id}\`) or an http(s) URL of at most ${MAX_URL_LENGTH} characters; a posted base64 data: URL is stored and replaced by its /files URL`,
    }),
    filename: t.Optional(t.String({ maxLength: 255 })),
  }),
  t.Object({
    type: t.Literal('source-url'),
    sourceId: Id('The source id'),
    url: t.String({ minLength: 1, maxLength: 8192 }),
    title: t.Optional(t.String({ maxLength: 1000 })),
  }),
  t.Object({ type: t.Literal('data'), name: Id('What the data is, e.g. "weather"'), data: Json }),
])
export type Part = typeof Part.static

export const Generation = t.Object({
  assistant_id: t.Optional(
    t.Union([t.String(), t.Null()], {
      description: 'The assistant that replied (absent on replies made before assistants)',
    }),
  ),
  model: t.Union([t.String(), t.Null()], { description: 'The model the provider reported (or was asked for)' }),
  finish_reason: t.Union([t.String(), t.Null()], { description: 'stop, length, content_filter, tool_calls, stopped…' }),
  usage: t.Union([
    t.Object({
      input_tokens: Type.Integer(),
      output_tokens: Type.Integer(),
      estimated: t.Boolean({ description: 'Counted by Parley (about 4 characters a token), not reported' }),
    }),
    t.Null(),
  ]),
  duration_ms: Type.Integer({ description: 'From the start of generation to the stored reply' }),
})

export const _partMatchesStore: Same<Part, StoredPart> = true
export const _generationMatchesStore: Same<typeof Generation.static, StoredGeneration> = true

/** A tool the client declares for the reply (it runs it and posts the result: REST, `tool_result`, or the AI SDK's next request). */
export const ClientToolSchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 64 }),
  description: Type.Optional(Type.String({ maxLength: 4096 })),
  parameters: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
})
