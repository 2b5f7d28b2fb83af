import type { Config } from '../../config'
import type { Logger } from '../../log'
import type { Bus } from './bus'
import { postgresBus } from './postgres'
import { redisBus } from './redis'

/** The configured bus, or undefined for a single instance (`BUS=local`). */
export function createBus(
  config: Pick<Config, 'BUS' | 'DATABASE_URL' | 'REDIS_URL' | 'CONNECT_TIMEOUT_MS'>,
  log: Logger,
): Bus | undefined {
  switch (config.BUS) {
    case 'local':
      return undefined
    case 'postgres':
      return postgresBus(config.DATABASE_URL, log, config.CONNECT_TIMEOUT_MS)
    case 'redis':
      return redisBus(config.REDIS_URL, log, config.CONNECT_TIMEOUT_MS)
  }
}
