import { Elysia, t } from 'elysia'
import type { Deps } from '../../deps'
import { AppError } from '../../errors'
import { CONTENT_TYPE } from '../../metrics/registry'
import { operations } from '../docs/operation'

/**
 * `GET /metrics` in the Prometheus text format, only with METRICS=true: otherwise it answers
 * the same 404 as any unknown path, so nothing tells a scanner that metrics exist. With
 * authentication on, only API key holders (operators' scrapers) may read it.
 */
export const metricsRoute = ({ config, metrics, requestAuth }: Pick<Deps, 'config' | 'metrics' | 'requestAuth'>) =>
  new Elysia({ name: 'metrics' }).get(
    '/metrics',
    async ({ request }) => {
      if (!config.METRICS) throw new AppError('not_found', 'Not Found')
      const { actor } = await requestAuth(request)
      if (actor.kind !== 'service') throw new AppError('forbidden', 'Metrics need an API key')
      return new Response(metrics.registry.expose(), { headers: { 'content-type': CONTENT_TYPE } })
    },
    {
      // Documented only where it exists.
      detail: config.METRICS
        ? operations('health', [401, 403, 429, 500])(
            'Metrics in the Prometheus text format (API key holders)',
            {
              200: t.String({ description: 'Prometheus text format' }),
            },
            { media: 'text/plain' },
          )
        : { hide: true },
    },
  )
