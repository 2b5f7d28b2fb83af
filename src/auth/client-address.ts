/**
 * The client's network address for a request, recorded by the server before the app sees it
 * (the app's `handle` has no socket). With TRUST_PROXY, the first X-Forwarded-For entry.
 * Looked up when first asked for: reading the socket's address is a system call
 * (getpeername), and only anonymous callers, keyed by address, need it; with API keys or
 * tokens a request never pays for it. Kept on the request itself rather than in a WeakMap:
 * weak maps cost the garbage collector on every short-lived request.
 */
const ADDRESS = Symbol('client address')
type Addressed = Request & { [ADDRESS]?: string | (() => string | undefined) }

export function recordAddress(request: Request, socketAddress: () => string | undefined, trustProxy: boolean): void {
  const forwarded = trustProxy ? request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() : undefined
  ;(request as Addressed)[ADDRESS] = forwarded || socketAddress
}

export const addressOf = (request: Request): string => {
  const recorded = (request as Addressed)[ADDRESS]
  if (typeof recorded !== 'function') return recorded ?? 'unknown'
  const address = recorded() || 'unknown'
  ;(request as Addressed)[ADDRESS] = address
  return address
}
