import { Kind, type TObject, type TSchema } from '@sinclair/typebox'
import { type ErrorStatus, errorResponseRef } from './errors'

const reasons: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
}

/** The SSE answer of a route that streams the bot's reply when asked with `Accept: text/event-stream`. */
const eventStream = {
  description:
    'With `Accept: text/event-stream`: Server-Sent Events `message` (the stored message), `delta`…, ' +
    '`message` (the stored reply), `done`, or `error` before `done`',
  content: { 'text/event-stream': { schema: { type: 'string' as const } } },
}

/**
 * A route's OpenAPI entry: summary, tag, its responses by status and the errors it can answer.
 * Response schemas are documented here rather than declared as Elysia `response` hooks, which
 * would check every response at run time (about a fifth of a page request's cost) for shapes the
 * compiler already checks: each model file asserts that its schemas match the types the chat
 * service returns. The test harness checks every response the tests see against this document.
 */
function operation(
  tag: string,
  summary: string,
  responses: Record<number, TSchema>,
  errors: readonly ErrorStatus[],
  { stream, path, query, open, errors: extra = [], media = 'application/json', form, headers }: Options,
) {
  const types = typeof media === 'string' ? [media] : media
  return {
    summary,
    tags: [tag],
    ...(open && { security: [] }),
    ...(query && { parameters: [...parameters('path', path), ...parameters('query', query)] }),
    ...(form && {
      requestBody: {
        required: true,
        content: {
          'multipart/form-data': { schema: form.schema as TSchema, ...(form.encoding && { encoding: form.encoding }) },
        },
      },
    }),
    responses: {
      ...Object.fromEntries(
        Object.entries(responses).map(([status, schema]) => {
          const description = schema.description ?? reasons[Number(status)] ?? 'Response'
          if (schema[Kind] === 'Void') return [status, { description }]
          const content = Object.fromEntries(types.map((type) => [type, { schema }]))
          return [status, { description, ...(headers && { headers }), content }]
        }),
      ),
      ...(stream && { 200: eventStream }),
      ...Object.fromEntries([...errors, ...extra].map((status) => [status, errorResponseRef(status)])),
    },
  }
}

type Options = {
  /** The route answers with a Server-Sent Events stream (200) when the client asks for one. */
  stream?: boolean
  /**
   * The query of a route that checks it itself (features/query.ts), with the route's path
   * parameters: given here, they replace the parameters the docs would take from Elysia's hooks.
   */
  query?: TObject
  path?: TObject
  /** Needs no credentials, whatever AUTH_MODE is. */
  open?: boolean
  /** The media type(s) of its results (JSON unless said). */
  media?: string | readonly string[]
  /** Headers its results carry. */
  headers?: Record<string, { description: string; required?: boolean; schema: { type: string } }>
  /**
   * A multipart/form-data request body, which the route reads itself (Elysia's body hook
   * describes JSON bodies only), with the `encoding` of its fields (their content types).
   */
  form?: { schema: TObject; encoding?: Record<string, { contentType: string }> }
  /** Errors this route answers besides its tag's. */
  errors?: readonly ErrorStatus[]
}

function parameters(where: 'path' | 'query', schema: TObject | undefined) {
  return Object.entries(schema?.properties ?? {}).map(([name, { description, ...property }]) => ({
    name,
    in: where,
    required: where === 'path' || (schema?.required?.includes(name) ?? false),
    ...(description !== undefined && { description }),
    schema: property,
  }))
}

/** The `detail` of each route under one tag; `errors` (statuses) go on every route of it. */
export const operations =
  (tag: string, errors: readonly ErrorStatus[], defaults: Options = {}) =>
  (summary: string, responses: Record<number, TSchema>, options: Options = {}) =>
    operation(tag, summary, responses, errors, { ...defaults, ...options })
