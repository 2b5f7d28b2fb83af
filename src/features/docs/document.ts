import type { TObject, TSchema } from '@sinclair/typebox'
import type { InternalRoute } from 'elysia'
import type { Config } from '../../config'
import { errorComponents } from './errors'

/**
 * On a string schema: the most characters (code points) it may hold, as JSON Schema counts
 * `maxLength`. TypeBox checks `maxLength` in UTF-16 units, so a route's runtime schema allows
 * twice that and the chat service checks the characters; the document says what is enforced.
 */
export const MaxCharacters = Symbol.for('parley.maxCharacters')

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const

type Detail = { hide?: boolean; parameters?: unknown[]; security?: unknown[]; [key: string]: unknown }
type Operation = Record<string, unknown>

/**
 * The OpenAPI 3.1 document of the app's routes, from their TypeBox schemas (bodies, path
 * parameters) and their `detail` (operations.ts). Paths are written without the trailing slash
 * (the server answers both). Security follows AUTH_MODE: with `none` no operation asks for any.
 */
export function openApiDocument(routes: readonly InternalRoute[], config: Config, version: string) {
  const secured = config.AUTH_MODE !== 'none'
  const paths: Record<string, Record<string, Operation>> = {}
  for (const route of routes) {
    const method = route.method.toLowerCase() as (typeof METHODS)[number]
    const hooks = route.hooks as { detail?: Detail; body?: TSchema; params?: TObject }
    if (!METHODS.includes(method) || !hooks.detail || hooks.detail.hide) continue
    const path = openApiPath(route.path)
    const { hide: _, ...detail } = hooks.detail
    paths[path] ??= {}
    paths[path][method] = {
      operationId: operationId(method, path),
      ...detail,
      ...(!detail.parameters && hooks.params && { parameters: pathParameters(hooks.params) }),
      ...(hooks.body && {
        requestBody: { required: true, content: { 'application/json': { schema: documented(hooks.body) } } },
      }),
      ...(!secured && { security: [] }),
    }
  }
  const { schemas, responses } = errorComponents()
  return {
    openapi: '3.1.0',
    info: {
      title: 'Parley',
      version,
      description:
        'Self-hosted chat backend: conversations, messages, bot replies. Realtime events (WebSocket on `/` ' +
        'and `/ws`, Socket.IO on `/socket.io/`) are described in docs/realtime.md.',
    },
    servers: [{ url: '/', description: 'This server' }],
    ...(secured && { security: [{ bearer: [] }, { apiKey: [] }] }),
    tags: [
      { name: 'conversations', description: 'Conversations of a user' },
      { name: 'messages', description: 'Messages of a conversation' },
      { name: 'files', description: 'Files stored for message parts (docs/files.md)' },
      { name: 'health', description: 'Liveness, readiness and service information' },
    ],
    paths,
    components: {
      schemas: documented(schemas),
      responses,
      ...(secured && {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'A user token (JWT) or an API key' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        },
      }),
    },
  }
}

/** `/conversations/:id/messages/` → `/conversations/{id}/messages`. */
export const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}').replace(/(.)\/$/, '$1')

const operationId = (method: string, path: string) =>
  method +
  (path === '/' ? 'Root' : '') +
  path
    .split('/')
    .filter(Boolean)
    .map((part) => (part.startsWith('{') ? `By${capital(part.slice(1, -1))}` : capital(part)))
    .join('')

const capital = (s: string) => s.replace(/(^|_)(\w)/g, (_, __, c: string) => c.toUpperCase())

const pathParameters = (params: TObject) =>
  Object.entries(params.properties).map(([name, schema]) => ({
    name,
    in: 'path',
    required: true,
    schema: documented(schema),
  }))

/** A schema as plain JSON (TypeBox's symbols dropped), with character limits as `maxLength`. */
function documented<T>(schema: T): T {
  return JSON.parse(
    JSON.stringify(schema, (_, value) =>
      value && typeof value === 'object' && MaxCharacters in value
        ? { ...value, maxLength: value[MaxCharacters] }
        : value,
    ),
  )
}
