import { swagger } from '@elysiajs/swagger'
import { Elysia } from 'elysia'
// The Scalar UI as one browser script, embedded in the compiled binary. Imported by relative
// path: the package's `exports` do not list its browser bundle.
import scalarScript from '../../../node_modules/@scalar/api-reference/dist/browser/standalone.js' with { type: 'file' }
import type { Deps } from '../../deps'

const SCRIPT_PATH = '/docs/scalar.js'

/**
 * The OpenAPI document (`/openapi.json`) and the docs page (`/docs`). The page loads Scalar from
 * this server rather than a CDN, so the docs work offline and behind strict firewalls.
 */
export const docsRoutes = ({ version }: Pick<Deps, 'version'>) => {
  let gzipped: Uint8Array | null = null // compressed on first use: 4.3 MB → ~1.1 MB
  return new Elysia({ name: 'docs' })
    .use(
      swagger({
        path: '/docs',
        specPath: '/openapi.json',
        scalarCDN: SCRIPT_PATH,
        // Nothing that reaches Scalar's servers: their fonts (system fonts do), AI agent and MCP
        // generator. The typings (@scalar/types 0.0.12, via the plugin) predate these options.
        scalarConfig: {
          withDefaultFonts: false,
          ...({ showDeveloperTools: 'never', agent: { disabled: true }, mcp: { disabled: true } } as object),
        },
        documentation: {
          info: {
            title: 'Parley',
            version,
            description: 'Self-hosted chatbot API: conversations, messages and realtime chat.',
          },
          components: {
            securitySchemes: {
              bearer: { type: 'http', scheme: 'bearer', description: 'A user token (JWT) or an API key' },
              apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
            },
          },
          // Only with AUTH_MODE=apikey or jwt; the health and docs paths never need it.
          security: [{ bearer: [] }, { apiKey: [] }],
          tags: [
            { name: 'conversations', description: 'Conversations of a user' },
            { name: 'messages', description: 'Messages of a conversation' },
            { name: 'health', description: 'Liveness and readiness' },
          ],
        },
      }),
    )
    .get(
      SCRIPT_PATH,
      async ({ request }) => {
        const headers = {
          'content-type': 'text/javascript; charset=utf-8',
          'cache-control': 'public, max-age=86400',
          vary: 'accept-encoding',
        }
        if (!/\bgzip\b/.test(request.headers.get('accept-encoding') ?? ''))
          return new Response(Bun.file(scalarScript), { headers })
        gzipped ??= Bun.gzipSync(await Bun.file(scalarScript).bytes())
        return new Response(gzipped, { headers: { ...headers, 'content-encoding': 'gzip' } })
      },
      { detail: { hide: true } },
    )
}
