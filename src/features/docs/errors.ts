import { ErrorBody } from '../../errors'

/** Every error status the API answers with JSON, its name in the document and what it means. */
const errorResponses = {
  400: [
    'BadRequest',
    'Malformed JSON (`invalid_json`), nested too deep (`json_too_deep`), a bad cursor (`invalid_cursor`) or a malformed multipart form (`bad_request`)',
  ],
  401: ['Unauthorized', 'Missing or bad credentials (`unauthorized`)'],
  403: ['Forbidden', "Another user's data or a refused origin (`forbidden`)"],
  404: [
    'NotFound',
    'Unknown conversation, message, assistant or route (`conversation_not_found`, `message_not_found`, `assistant_not_found`, `not_found`)',
  ],
  408: ['RequestTimeout', 'The body did not arrive in time (`request_timeout`)'],
  409: [
    'Conflict',
    'Not possible in the current state (`bot_disabled`, `assistant_exists`, `assistant_read_only` for one the config declares, `tool_call_not_pending`)',
  ],
  413: ['PayloadTooLarge', 'Body over MAX_BODY_BYTES, or a file over FILES_MAX_BYTES (`payload_too_large`)'],
  415: [
    'UnsupportedMediaType',
    'A body that is not `application/json` (`multipart/form-data` for POST /files), or a file of a type FILES_TYPES does not allow (`unsupported_media_type`)',
  ],
  422: ['ValidationError', 'Invalid fields (`validation_error`); `detail` lists them as `{loc, msg, type}`'],
  429: [
    'RateLimited',
    'Over a rate limit (`rate_limited`) or a token quota (`quota_exceeded`, with `resets_at`); `Retry-After` says when to try again',
  ],
  500: ['InternalError', 'Unexpected failure (`internal_error`); the body carries `request_id`'],
  503: [
    'Unavailable',
    'A service it depends on is down (`not_ready`, `service_unavailable`), or the bot has BOT_QUEUE_MAX replies waiting (`bot_busy`); `Retry-After` says when to try again',
  ],
} as const

export type ErrorStatus = keyof typeof errorResponses

const retryAfter = (required: boolean) => ({
  'Retry-After': {
    description: 'Seconds to wait before trying again',
    required,
    schema: { type: 'integer', minimum: 0 },
  },
})

/** The `components` the error references point to: one Error schema, one response per status. */
export function errorComponents() {
  const responses = Object.fromEntries(
    Object.entries(errorResponses).map(([status, [name, description]]) => [
      name,
      {
        description,
        ...(status === '429' && { headers: retryAfter(true) }),
        ...(status === '503' && { headers: retryAfter(false) }),
        ...(status === '401' && {
          headers: {
            'WWW-Authenticate': { description: 'The scheme to use', required: true, schema: { type: 'string' } },
          },
        }),
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      },
    ]),
  )
  return { schemas: { Error: ErrorBody }, responses }
}

export const errorResponseRef = (status: ErrorStatus) => ({
  $ref: `#/components/responses/${errorResponses[status][0]}`,
})

/** What an API route can answer besides its own results. */
export const API_ERRORS: readonly ErrorStatus[] = [400, 401, 403, 404, 408, 413, 415, 422, 429, 500, 503]

/** What a route that reads no body and needs no credentials can answer besides its results. */
export const OPEN_ERRORS: readonly ErrorStatus[] = [429, 500]
