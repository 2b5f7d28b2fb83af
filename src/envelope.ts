import { ValueErrorType } from '@sinclair/typebox/errors'
import { Elysia, ElysiaCustomStatusResponse, ValidationError } from 'elysia'
import { AppError, type ValidationIssue } from './errors'
import type { Logger } from './log'
import type { Metrics } from './metrics/metrics'

// Kept on the request (the same object reaches every hook), not in a WeakMap keyed by it: weak
// maps cost the garbage collector on every short-lived request. Hooks destructure what they use
// and never pass Elysia's context on: when a hook hands the context to a function, Elysia
// assumes every request needs everything and copies the headers, parses cookies and defines a
// server getter for each one.
const TRACE = Symbol('trace')
type Trace = { id: string; start: number; recorded?: boolean }
type Traced = Request & { [TRACE]?: Trace }
const traceOf = (request: Request) => (request as Traced)[TRACE]
// Elysia cuts the path out of the URL before any hook (its pre-routing context lacks the type).
type Routed = { path: string; route?: string }

// Strict: invalid UTF-8 is a 400, not replacement characters stored. Stateless between calls.
const utf8 = new TextDecoder('utf-8', { fatal: true })

// A client-supplied request id is kept only when it is short and plain (it ends up in logs).
export const SAFE_ID = /^[\w.:-]{1,128}$/

// application/json, or any JSON-based type (application/problem+json…), with parameters.
export const JSON_TYPE = /^application\/([\w.+-]*\+)?json\s*(;|$)/i

// Methods outside this set share one label, so a client cannot grow the metrics without bound.
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

/**
 * What every request goes through, declared global: a request id, the body limit and JSON
 * parsing (415/413/400 before validation), the one error envelope, the access log and metrics.
 */
export const envelope = ({
  log,
  metrics,
  maxBodyBytes,
}: {
  log: Logger
  /** Null when METRICS is off: nothing is recorded that nobody can read. */
  metrics: Metrics | null
  maxBodyBytes: number
}) => {
  /** The access log line and the HTTP metrics of a request, once. */
  const record = (request: Request, { path, route }: Routed, status: number) => {
    const req = traceOf(request)
    if (!req || req.recorded) return
    req.recorded = true
    const ms = performance.now() - req.start
    if (log.enabled('info'))
      log.info('request', {
        request_id: req.id,
        method: request.method,
        path,
        status,
        duration_ms: Math.round(ms * 100) / 100,
      })
    if (!metrics) return
    // The route pattern (`/conversations/:id`), never the raw path: one series per route.
    const labels = { method: METHODS.has(request.method) ? request.method : 'OTHER', route: route || 'unmatched' }
    metrics.httpRequests.inc({ ...labels, status })
    metrics.httpDuration.observe(labels, ms / 1000)
  }
  return (
    new Elysia({ name: 'envelope' })
      .onRequest((ctx) => {
        const { request, set } = ctx
        const given = request.headers.get('x-request-id')
        const id = given && SAFE_ID.test(given) ? given : Bun.randomUUIDv7()
        ;(request as Traced)[TRACE] = { id, start: performance.now() }
        set.headers['x-request-id'] = id
        Object.assign(set.headers, securityHeaders)
        if ((ctx as unknown as Routed).path.startsWith('/docs')) set.headers['content-security-policy'] = DOCS_POLICY
      })
      // The body limit is checked here, before the body is read, not in onRequest: Elysia answers
      // an error thrown before routing without the error hook, so it went unlogged, uncounted
      // and without CORS headers.
      .onParse({ as: 'global' }, async ({ request }) => {
        if (!request.body) return null
        if (Number(request.headers.get('content-length') ?? 0) > maxBodyBytes) throw tooLarge(maxBodyBytes)
        const type = request.headers.get('content-type') ?? ''
        if (!JSON_TYPE.test(type)) throw new AppError('unsupported_media_type', 'Content-Type must be application/json')
        // With a Content-Length (already checked against the limit) the body is read at once;
        // a chunked body is measured as it arrives.
        const bytes = request.headers.has('content-length')
          ? new Uint8Array(await request.arrayBuffer())
          : await readLimited(request.body, maxBodyBytes)
        if (bytes.byteLength === 0) return null
        try {
          return JSON.parse(utf8.decode(bytes))
        } catch {
          throw new AppError('invalid_json', 'Request body is not valid JSON')
        }
      })
      .onError({ as: 'global' }, ({ code, error, request, set, path, route }) => {
        const id = traceOf(request)?.id
        const headers = { 'x-request-id': id ?? '', ...(set.headers as Record<string, string>) }
        const respond = (e: AppError) => {
          set.status = e.status
          record(request, { path, route }, e.status)
          return withHeaders(e.toResponse(id), headers)
        }
        if (error instanceof AppError) return respond(error)
        // Elysia wraps whatever the parse hook throws in a ParseError.
        if (code === 'PARSE' && error.cause instanceof AppError) return respond(error.cause)
        if (code === 'VALIDATION' && error instanceof ValidationError)
          return respond(new AppError('validation_error', issues(error, request)))
        if (code === 'PARSE') return respond(new AppError('invalid_json', 'Request body is not valid JSON'))
        if (code === 'NOT_FOUND') return respond(new AppError('not_found', 'Not Found'))
        log.error('request failed', { request_id: id, method: request.method, url: request.url, err: error })
        return respond(new AppError('internal_error', 'Internal Server Error'))
      })
      // Logged and counted once the handler has answered (or an error was mapped above), not in
      // an after-response hook: Elysia runs those on a setImmediate per request, which cost ~6 %
      // of GET throughput under load.
      .onAfterHandle({ as: 'global' }, ({ request, responseValue, set, path, route }) => {
        const status =
          responseValue instanceof Response
            ? responseValue.status
            : responseValue instanceof ElysiaCustomStatusResponse
              ? responseValue.code
              : Number(set.status ?? 200)
        record(request, { path, route }, status)
      })
      .as('global')
  )
}

/** Reads a body, giving up as soon as it passes `max` bytes (chunked bodies have no length). */
async function readLimited(body: ReadableStream<Uint8Array>, max: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let total = 0
  for await (const chunk of body) {
    total += chunk.byteLength
    if (total > max) throw tooLarge(max)
    chunks.push(chunk)
  }
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks)
}

/**
 * On every response. The API answers JSON only, so its CSP forbids everything; the docs page
 * gets its own policy where it is served.
 */
export const securityHeaders = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
}

// The docs page: its own script (served locally), inline styles (the UI's theme), nothing framed.
const DOCS_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

const tooLarge = (max: number) => new AppError('payload_too_large', `Request body exceeds ${max} bytes`)

function withHeaders(response: Response, headers: Record<string, string>): Response {
  for (const [k, v] of Object.entries(headers)) if (v && !response.headers.has(k)) response.headers.set(k, v)
  return response
}

// Stable names for the common validation failures, as FastAPI/pydantic clients know them.
const typeNames: Partial<Record<ValueErrorType, string>> = {
  [ValueErrorType.ObjectRequiredProperty]: 'missing',
  [ValueErrorType.Object]: 'dict_type',
  [ValueErrorType.ObjectAdditionalProperties]: 'extra_forbidden',
  [ValueErrorType.String]: 'string_type',
  [ValueErrorType.StringMinLength]: 'string_too_short',
  [ValueErrorType.StringMaxLength]: 'string_too_long',
  [ValueErrorType.StringPattern]: 'string_pattern_mismatch',
  [ValueErrorType.StringFormat]: 'string_format',
  [ValueErrorType.Integer]: 'int_type',
  [ValueErrorType.Number]: 'number_type',
  [ValueErrorType.NumberMinimum]: 'greater_than_equal',
  [ValueErrorType.NumberMaximum]: 'less_than_equal',
  [ValueErrorType.IntegerMinimum]: 'greater_than_equal',
  [ValueErrorType.IntegerMaximum]: 'less_than_equal',
  [ValueErrorType.Boolean]: 'bool_type',
  [ValueErrorType.Array]: 'list_type',
  [ValueErrorType.Literal]: 'literal_error',
  [ValueErrorType.Union]: 'union_error',
  [ValueErrorType.Null]: 'none_type',
}

/** TypeBox errors as FastAPI-style `{ loc, msg, type }`, one per location. */
function issues(error: ValidationError, request: Request): ValidationIssue[] {
  if (error.type === 'property') return [queryIssue(error, request)]
  const where = error.type === 'params' ? 'path' : error.type
  const seen = new Set<string>()
  const out: ValidationIssue[] = []
  for (const e of error.all) {
    if (!('path' in e)) continue
    if (e.type === ValueErrorType.ObjectRequiredProperty) {
      // "missing" says more than the type error TypeBox may have reported first for that path.
      const prior = out.find((o) => o.loc.slice(1).join('/') === e.path.split('/').filter(Boolean).join('/'))
      if (prior) Object.assign(prior, { msg: 'Field required', type: 'missing' })
    }
    if (seen.has(e.path)) continue
    seen.add(e.path)
    const loc = e.path
      .split('/')
      .filter(Boolean)
      .map((p: string) => (/^\d+$/.test(p) ? Number(p) : p.replaceAll('~1', '/').replaceAll('~0', '~')))
    const missing = e.type === ValueErrorType.ObjectRequiredProperty
    out.push({
      loc: [where, ...loc],
      msg: missing ? 'Field required' : e.message,
      type: typeNames[e.type as ValueErrorType] ?? 'value_error',
    })
  }
  if (out.length === 0) out.push({ loc: [where], msg: 'Invalid input', type: 'value_error' })
  return out
}

/**
 * Elysia converts query numbers in a transform that throws without the key's name: find the
 * query parameter holding the rejected value.
 */
function queryIssue(error: ValidationError, request: Request): ValidationIssue {
  const value = String(error.value)
  const url = new URL(request.url)
  const key = [...url.searchParams].find(([, v]) => v === value)?.[0]
  const first = error.all[0]
  return {
    loc: key ? ['query', key] : ['query'],
    msg: first?.message ?? 'Invalid value',
    type: (first && 'type' in first && typeNames[first.type as ValueErrorType]) || 'value_error',
  }
}
