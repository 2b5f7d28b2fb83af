/**
 * The client's network address for a request, recorded by the server before the app sees it
 * (the app's `handle` has no socket). With TRUST_PROXY, the first X-Forwarded-For entry.
 */
const addresses = new WeakMap<Request, string>()

export function recordAddress(request: Request, socketAddress: string | undefined, trustProxy: boolean): void {
  const forwarded = trustProxy ? request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() : undefined
  addresses.set(request, forwarded || socketAddress || 'unknown')
}

export const addressOf = (request: Request): string => addresses.get(request) ?? 'unknown'
