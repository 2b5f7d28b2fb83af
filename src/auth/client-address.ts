/**
 * The client's network address for a request, recorded by the server before the app sees it
 * (the app's `handle` has no socket). Behind proxies (TRUST_PROXY), an X-Forwarded-For entry:
 * each proxy appends the address it saw, so only the last `hops` entries were written by
 * proxies we run; everything before them is whatever the client sent, and taking the first
 * entry let a client pick its own address (and its own rate-limit bucket) on every request.
 * Looked up when first asked for: reading the socket's address is a system call
 * (getpeername), and only anonymous callers, keyed by address, need it; with API keys or
 * tokens a request never pays for it. Kept on the request itself rather than in a WeakMap:
 * weak maps cost the garbage collector on every short-lived request.
 */
const ADDRESS = Symbol('client address')
type Addressed = Request & { [ADDRESS]?: string | (() => string | undefined) }

/** `trustedHops`: how many proxies we run in front (0: none, X-Forwarded-For is ignored). */
export function recordAddress(request: Request, socketAddress: () => string | undefined, trustedHops: number): void {
  const forwarded = trustedHops > 0 ? forwardedFor(request.headers.get('x-forwarded-for'), trustedHops) : undefined
  ;(request as Addressed)[ADDRESS] = forwarded || socketAddress
}

/**
 * The entry `hops` from the end: the address our outermost proxy saw. With fewer entries, the
 * first one (the outermost proxy was reached directly). Cut short: it becomes a rate-limit key.
 */
export function forwardedFor(header: string | null, hops: number): string | undefined {
  if (!header) return undefined
  const entries = header.split(',')
  return entries[Math.max(0, entries.length - hops)]?.trim().slice(0, 64) || undefined
}

export const addressOf = (request: Request): string => {
  const recorded = (request as Addressed)[ADDRESS]
  if (typeof recorded !== 'function') return recorded ?? 'unknown'
  const address = recorded() || 'unknown'
  ;(request as Addressed)[ADDRESS] = address
  return address
}
