/**
 * The client's network address for a request, recorded by the server before the app sees it
 * (the app's `handle` has no socket). With TRUST_PROXY, the first X-Forwarded-For entry.
 * Kept on the request itself rather than in a WeakMap: weak maps cost the garbage collector on
 * every short-lived request.
 */
const ADDRESS = Symbol('client address')
type Addressed = Request & { [ADDRESS]?: string }

export function recordAddress(request: Request, socketAddress: string | undefined, trustProxy: boolean): void {
  const forwarded = trustProxy ? request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() : undefined
  ;(request as Addressed)[ADDRESS] = forwarded || socketAddress || 'unknown'
}

export const addressOf = (request: Request): string => (request as Addressed)[ADDRESS] ?? 'unknown'
