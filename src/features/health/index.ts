import { Elysia, t } from 'elysia'
import type { Deps } from '../../deps'
import { AppError } from '../../errors'
import { OPEN_ERRORS } from '../docs/errors'
import { operations } from '../docs/operation'
import { Integer } from '../messages/model'

const Health = t.Object({
  status: t.Literal('ok'),
  version: t.String(),
  uptime_s: t.Number({ description: 'Seconds since start' }),
})

const detail = operations('health', OPEN_ERRORS, { open: true })

const Service = t.Object({
  name: t.Literal('parley'),
  version: t.String(),
  docs: t.String(),
  openapi: t.String(),
  websocket: t.Array(t.String()),
  socket_io: t.String(),
})

/** `GET /` without an Upgrade header: what this server is and where things are. */
export const rootRoute = ({ version }: Pick<Deps, 'version'>) =>
  new Elysia({ name: 'root' }).get(
    '/',
    () => ({
      name: 'parley' as const,
      version,
      docs: '/docs',
      openapi: '/openapi.json',
      websocket: ['/', '/ws'],
      socket_io: '/socket.io/',
    }),
    { detail: detail('Service information', { 200: Service }) },
  )

/**
 * Liveness (`/health/`, `/health/check`: the process serves) and readiness (`/health/ready`: the
 * database answers and the bus, when there is one, is connected — an instance that misses other
 * instances' events should get no new clients until its bus is back).
 */
export const healthRoutes = ({
  store,
  hub,
  version,
  startedAt,
  toolbox,
}: Pick<Deps, 'store' | 'hub' | 'version' | 'startedAt' | 'toolbox'>) => {
  const live = () => ({
    status: 'ok' as const,
    version,
    uptime_s: Math.round((performance.now() - startedAt) / 10) / 100,
  })
  return new Elysia({ name: 'health', prefix: '/health' })
    .get('/', live, { detail: detail('Liveness', { 200: Health }) })
    .get('/check', live, { detail: detail('Liveness (alias)', { 200: Health }) })
    .get(
      '/ready',
      async () => {
        const bus = hub.busDown()
        if (bus) throw new AppError('not_ready', `Bus unavailable (BUS=${bus}): reconnecting`)
        try {
          await store.ping()
        } catch {
          throw new AppError('not_ready', 'Database unavailable')
        }
        // MCP servers are details: a server that is down fails only its tools, not the instance.
        return { status: 'ok' as const, ...(toolbox && { mcp_servers: toolbox.states() }) }
      },
      {
        detail: detail(
          'Readiness: 200 when the database answers and the bus is connected, else 503',
          {
            200: t.Object({
              status: t.Literal('ok'),
              mcp_servers: t.Optional(
                t.Record(t.String(), t.Object({ state: t.String(), tools: Integer() }), {
                  description: 'Each MCP server: connecting, ready or down, and its tools (not part of readiness)',
                }),
              ),
            }),
          },
          { errors: [503] },
        ),
      },
    )
}
