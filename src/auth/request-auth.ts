import { rateLimited } from '../errors'
import type { Actor } from './actor'
import { type Authenticator, bearer } from './authenticator'
import { addressOf } from './client-address'
import type { RateLimiter } from './rate-limit'

/**
 * Who a REST request is, and whether it is within its rate limit. Feature plugins derive
 * `actor` from it, so a route can only reach the chat service as someone.
 */
export function createRequestAuth(authenticator: Authenticator, limiter: RateLimiter) {
  const limited = (actor: Actor): Found => {
    const wait = limiter.take(actor.rateKey)
    if (wait > 0) throw rateLimited(`Too many requests; try again in ${wait} s`, wait)
    return { actor }
  }
  // Synchronous (no promise per request) unless a token must be verified. Kept on the request:
  // a request with a body is admitted before it is read, and the route's derive hook asks again.
  const requestAuth = (request: Request): Found | Promise<Found> => {
    const known = (request as Admitted)[ADMITTED]
    if (known) return known
    const actor = authenticator.authenticate({
      token: bearer(request.headers.get('authorization')),
      apiKey: request.headers.get('x-api-key'),
      address: () => addressOf(request),
    })
    const found = actor instanceof Promise ? actor.then(limited) : limited(actor)
    ;(request as Admitted)[ADMITTED] = found
    return found
  }
  return Object.assign(requestAuth, { derive: deriveHook(requestAuth, authenticator.mode !== 'jwt') })
}

type Found = { actor: Actor }
const ADMITTED = Symbol('admitted')
type Admitted = Request & { [ADMITTED]?: Found | Promise<Found> }

/**
 * The Elysia `derive` hook that gives route plugins `actor`. Elysia decides whether to await a
 * hook by reading its source (a hook that returns a call is assumed async), so a hook written
 * as `({ request }) => requestAuth(request)` costs every request a promise turn. Where no
 * caller can need one (every AUTH_MODE but jwt), the hook is a bound function, whose source is
 * `[native code]` (also once minified): Elysia calls it without await. It reads only
 * `request`, as Elysia's inference assumes of a hook with no parameter it can see.
 */
function deriveHook(
  requestAuth: (request: Request) => Found | Promise<Found>,
  sync: boolean,
): (context: { request: Request }) => Found | Promise<Found> {
  const hook = ({ request }: { request: Request }) => requestAuth(request)
  return sync ? hook.bind(undefined) : hook
}

export type RequestAuth = ReturnType<typeof createRequestAuth>
