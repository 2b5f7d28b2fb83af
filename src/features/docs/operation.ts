import { Kind, type TObject, type TSchema } from '@sinclair/typebox'

const reasons: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  400: 'Bad request (malformed JSON, bad cursor)',
  404: 'Not found',
  409: 'Conflict',
  413: 'Body too large',
  415: 'Body is not JSON',
  422: 'Validation failed',
  503: 'Not ready',
}

/**
 * A route's OpenAPI entry: summary, tag and its responses by status. Response schemas are
 * documented here rather than declared as Elysia `response` hooks, which would check every
 * response at run time (about a fifth of a page request's cost) for shapes the compiler already
 * checks: each model file asserts that its schemas match the types the chat service returns.
 */
function operation(tag: string, summary: string, responses: Record<number, TSchema>, { stream, path, query }: Options) {
  return {
    summary,
    tags: [tag],
    ...(query && { parameters: [...parameters('path', path), ...parameters('query', query)] }),
    responses: Object.fromEntries(
      Object.entries(responses).map(([status, schema]) => {
        const description = schema.description ?? reasons[Number(status)] ?? 'Response'
        if (schema[Kind] === 'Void') return [status, { description }]
        const content: Record<string, { schema: unknown }> = { 'application/json': { schema } }
        // Routes that can answer as a Server-Sent Events stream instead.
        if (stream === Number(status)) content['text/event-stream'] = { schema: { type: 'string' } }
        return [status, { description, content }]
      }),
    ),
  }
}

type Options = {
  /** The status that is answered as a Server-Sent Events stream when the client asks for one. */
  stream?: number
  /**
   * The query of a route that checks it itself (features/query.ts), with the route's path
   * parameters: given here, they replace the parameters the docs would take from Elysia's hooks.
   */
  query?: TObject
  path?: TObject
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

/** The `detail` of each route under one tag; `common` responses (the API's errors) go on every route. */
export const operations =
  (tag: string, common: Record<number, TSchema> = {}) =>
  (summary: string, responses: Record<number, TSchema>, options: Options = {}) =>
    operation(tag, summary, { ...responses, ...common }, options)
