import { AppError } from '../errors'
import type { Actor } from './actor'
import { type Authenticator, bearer } from './authenticator'
import { addressOf } from './client-address'
import type { RateLimiter } from './rate-limit'

/**
 * Who a REST request is, and whether it is within its rate limit. Feature plugins derive
 * `actor` from it, so a route can only reach the chat service as someone.
 */
export function createRequestAuth(authenticator: Authenticator, limiter: RateLimiter) {
  const limited = (actor: Actor): { actor: Actor } => {
    const wait = limiter.take(actor.rateKey)
    if (wait > 0)
      throw new AppError('rate_limited', `Too many requests; try again in ${wait} s`, { 'retry-after': String(wait) })
    return { actor }
  }
  // Synchronous (no promise per request) unless a token must be verified.
  return (request: Request): { actor: Actor } | Promise<{ actor: Actor }> => {
    const actor = authenticator.authenticate({
      token: bearer(request.headers.get('authorization')),
      apiKey: request.headers.get('x-api-key'),
      address: () => addressOf(request),
    })
    return actor instanceof Promise ? actor.then(limited) : limited(actor)
  }
}

export type RequestAuth = ReturnType<typeof createRequestAuth>
