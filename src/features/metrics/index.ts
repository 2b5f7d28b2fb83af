import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { AppError } from '../../errors'
import { CONTENT_TYPE } from '../../metrics/registry'

/**
 * `GET /metrics` in the Prometheus text format, only with METRICS=true: otherwise it answers
 * the same 404 as any unknown path, so nothing tells a scanner that metrics exist.
 */
export const metricsRoute = ({ config, metrics }: Pick<Deps, 'config' | 'metrics'>) =>
  new Elysia({ name: 'metrics' }).get(
    '/metrics',
    () => {
      if (!config.METRICS) throw new AppError('not_found', 'Not Found')
      return new Response(metrics.registry.expose(), { headers: { 'content-type': CONTENT_TYPE } })
    },
    { detail: { hide: true } },
  )
