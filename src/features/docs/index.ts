import { Elysia, type InternalRoute } from 'elysia'
// The Scalar UI as one browser script, embedded in the compiled binary. Imported by relative
// path: the package's `exports` do not list its browser bundle.
import scalarScript from '../../../node_modules/@scalar/api-reference/dist/browser/standalone.js' with { type: 'file' }
import type { Deps } from '../../deps'
import { openApiDocument } from './document'

const SCRIPT_PATH = '/docs/scalar.js'

// Nothing that reaches Scalar's servers: their fonts (system fonts do), AI agent and MCP
// generator. The document's URL is absolute, so `/docs` and `/docs/` both find it.
const scalarConfig = {
  url: '/openapi.json',
  withDefaultFonts: false,
  showDeveloperTools: 'never',
  agent: { disabled: true },
  mcp: { disabled: true },
}

const page = (title: string) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title}</title>
  </head>
  <body>
    <script id="api-reference" data-url="${scalarConfig.url}" data-configuration='${JSON.stringify(scalarConfig)}'></script>
    <script src="${SCRIPT_PATH}"></script>
  </body>
</html>`

/**
 * The OpenAPI document (`/openapi.json`, built from the app's routes on first request) and the
 * docs page (`/docs`). The page loads Scalar from this server rather than a CDN, so the docs
 * work offline and behind strict firewalls.
 */
export const docsRoutes = (
  { config, version }: Pick<Deps, 'config' | 'version'>,
  routes: () => readonly InternalRoute[],
) => {
  let gzipped: Uint8Array | null = null // compressed on first use: 4.3 MB → ~1.1 MB
  let document: string | null = null
  const html = page('Parley API')
  const hide = { detail: { hide: true } }
  return new Elysia({ name: 'docs' })
    .get(
      '/openapi.json',
      () => {
        document ??= JSON.stringify(openApiDocument(routes(), config, version))
        return new Response(document, { headers: { 'content-type': 'application/json' } })
      },
      hide,
    )
    .get('/docs', () => new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } }), hide)
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
      hide,
    )
}
