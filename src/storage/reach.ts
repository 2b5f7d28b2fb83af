import { redactUrl } from '../log'
import type { Driver } from './driver'
import { databaseNames, rootCause } from './outage'

export type Target = { dialect: Driver['dialect']; url: string; timeoutMs: number }

/**
 * The first connection to a network database at start-up, bounded by CONNECT_TIMEOUT_MS: a
 * server that does not answer (a filtered port, a host that accepts and stays silent) would
 * otherwise hold the start for the drivers' own timeouts or forever. Any failure becomes one
 * error naming the database and its URL (password hidden), which main prints before exit 1.
 */
export async function reach<T>(connect: Promise<T>, { dialect, url, timeoutMs }: Target): Promise<T> {
  let timer: Timer | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms (CONNECT_TIMEOUT_MS)`)), timeoutMs)
  })
  try {
    return await Promise.race([connect, deadline])
  } catch (error) {
    const { code, message } = rootCause(error)
    const reason = code ? `${code}: ${message}` : message
    throw new Error(`cannot connect to ${databaseNames[dialect]} at ${redactUrl(url)}: ${reason}`, { cause: error })
  } finally {
    clearTimeout(timer)
  }
}
