import { Elysia, ElysiaCustomStatusResponse, ValidationError } from 'elysia'
import { JsonTooDeep, parseJson } from './bounded-json'
import { AppError } from './errors'
import type { Logger } from './log'
import type { Metrics } from './metrics/metrics'
import { readBody, tooLarge } from './request-body'
import { validationIssues } from './validation-issues'

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
 * What every request goes through, declared global: a request id, the caller's credentials and
 * rate limit before a body is read, the body's size, time and depth limits and JSON parsing
 * (401/429/415/413/408/400 before validation), the one error envelope, the access log and metrics.
 */
export const envelope = ({
  log,
  metrics,
  maxBodyBytes,
  maxJsonDepth,
  bodyTimeoutMs,
  admit,
}: {
  log: Logger
  /** Null when METRICS is off: nothing is recorded that nobody can read. */
  metrics: Metrics | null
  maxBodyBytes: number
  maxJsonDepth: number
  bodyTimeoutMs: number
  /** Authenticates and rate-limits a request that carries a body, before it is read (throws 401/429). */
  admit: (request: Request) => unknown
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
        // Who asks is known before their body costs anything: a stranger gets 401 (and a flood
        // 429) without the server reading or parsing what they sent.
        const admitted = admit(request)
        if (admitted instanceof Promise) await admitted
        if (Number(request.headers.get('content-length') ?? 0) > maxBodyBytes) throw tooLarge(maxBodyBytes)
        const type = request.headers.get('content-type') ?? ''
        if (!JSON_TYPE.test(type)) throw new AppError('unsupported_media_type', 'Content-Type must be application/json')
        const bytes = await readBody(request, request.body, maxBodyBytes, bodyTimeoutMs)
        if (bytes.byteLength === 0) return null
        try {
          return parseJson(utf8.decode(bytes), maxJsonDepth)
        } catch (error) {
          if (error instanceof JsonTooDeep) throw new AppError('json_too_deep', error.message)
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
          return respond(new AppError('validation_error', validationIssues(error, request)))
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

/**
 * The security headers and a request id on an answer made outside the app (a refused WebSocket
 * upgrade, Socket.IO's engine), so every answer the server controls carries them.
 */
export function withEnvelopeHeaders(response: Response): Response {
  return withHeaders(response, { ...securityHeaders, 'x-request-id': Bun.randomUUIDv7() })
}

function withHeaders(response: Response, headers: Record<string, string>): Response {
  for (const [k, v] of Object.entries(headers)) if (v && !response.headers.has(k)) response.headers.set(k, v)
  return response
}
