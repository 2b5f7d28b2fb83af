import { Elysia } from 'elysia'

const METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS'
export const EXPOSE = 'x-request-id, retry-after'

/**
 * CORS per CORS_ORIGINS, answered without per-request work beyond one lookup: `*` allows any
 * origin without credentials; a list allows those origins with credentials (and says
 * `Vary: Origin`). Preflights are answered 204 here, before routing.
 */
export const cors = (origins: readonly string[]) => {
  const any = origins.includes('*')
  const allowed = new Set(origins)
  return new Elysia({ name: 'cors' })
    .onRequest(({ request, set }) => {
      const origin = request.headers.get('origin')
      const headers = set.headers as Record<string, string>
      if (any) headers['access-control-allow-origin'] = '*'
      else {
        headers.vary = 'Origin'
        if (!origin || !allowed.has(origin)) return
        headers['access-control-allow-origin'] = origin
        headers['access-control-allow-credentials'] = 'true'
      }
      headers['access-control-expose-headers'] = EXPOSE
      if (request.method === 'OPTIONS' && request.headers.has('access-control-request-method')) {
        headers['access-control-allow-methods'] = METHODS
        headers['access-control-allow-headers'] = request.headers.get('access-control-request-headers') ?? '*'
        headers['access-control-max-age'] = '600'
        return new Response(null, { status: 204, headers })
      }
    })
    .as('global')
}
