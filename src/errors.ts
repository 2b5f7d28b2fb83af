import { t } from 'elysia'

const statusOf = {
  bad_request: 400,
  invalid_json: 400,
  json_too_deep: 400,
  invalid_cursor: 400,
  unauthorized: 401,
  forbidden: 403,
  origin_not_allowed: 403,
  not_found: 404,
  conversation_not_found: 404,
  message_not_found: 404,
  assistant_not_found: 404,
  assistant_exists: 409,
  assistant_read_only: 409,
  bot_disabled: 409,
  tool_call_not_pending: 409,
  resync_required: 410,
  request_timeout: 408,
  payload_too_large: 413,
  headers_too_large: 431,
  unsupported_media_type: 415,
  validation_error: 422,
  internal_error: 500,
  not_ready: 503,
  service_unavailable: 503,
  bad_event: 400,
  rate_limited: 429,
  quota_exceeded: 429,
  too_many_sockets: 429,
  bot_busy: 503,
  bot_failed: 502,
  bot_timeout: 504,
} as const

export type ErrorCode = keyof typeof statusOf

/** One FastAPI-style validation issue: where, what, and a stable type name. */
export const ValidationIssue = t.Object({
  loc: t.Array(t.Union([t.String(), t.Number()])),
  msg: t.String(),
  type: t.String(),
})
export type ValidationIssue = typeof ValidationIssue.static

/** The body of every error response. */
export const ErrorBody = t.Object(
  {
    detail: t.Union([t.String(), t.Array(ValidationIssue)]),
    code: t.String(),
    request_id: t.Optional(t.String()),
    resets_at: t.Optional(t.String({ description: 'quota_exceeded: when the exhausted quota resets (ISO-8601 UTC)' })),
  },
  { description: 'Error', examples: [{ detail: 'Conversation not found', code: 'conversation_not_found' }] },
)
export type ErrorBody = typeof ErrorBody.static

/** The one error class: a closed set of codes, each with its status; it renders itself. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string | ValidationIssue[],
    readonly headers: Record<string, string> = {},
    /** More fields of the body (as declared in ErrorBody). */
    readonly extra: Partial<ErrorBody> = {},
  ) {
    super(typeof detail === 'string' ? detail : 'Validation failed')
  }
  get status(): number {
    return statusOf[this.code]
  }
  toResponse(requestId?: string): Response {
    const body: ErrorBody = { ...this.extra, detail: this.detail, code: this.code }
    if (requestId && this.status >= 500) body.request_id = requestId
    return Response.json(body, { status: this.status, headers: this.headers })
  }
}

export const notFound = (what: 'conversation' | 'message'): never => {
  throw new AppError(`${what}_not_found`, what === 'conversation' ? 'Conversation not found' : 'Message not found')
}

/** Over a rate limit: 429 with the seconds to wait, as `Retry-After` (REST) or `retry_after` (sockets). */
export const rateLimited = (message: string, waitS: number): AppError =>
  new AppError('rate_limited', message, { 'retry-after': String(waitS) })

export const invalid = (loc: (string | number)[], msg: string, type: string): AppError =>
  new AppError('validation_error', [{ loc, msg, type }])
