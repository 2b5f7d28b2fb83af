import type { Config } from '../../config'

/**
 * `parley healthcheck`: whether the server at HOST:PORT answers 200 on /health/ready. Lets a
 * container image without curl declare a HEALTHCHECK.
 */
export async function probeReady(
  { HOST, PORT }: Pick<Config, 'HOST' | 'PORT'>,
  timeoutMs = 3000,
): Promise<{ ok: boolean; detail: string }> {
  if (PORT === 0) return { ok: false, detail: 'PORT is 0 (a random port): set the port the server listens on' }
  // A server bound to every interface is reached through loopback.
  const host = HOST === '0.0.0.0' ? '127.0.0.1' : HOST === '::' ? '::1' : HOST
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${PORT}/health/ready`
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) })
    await res.body?.cancel()
    return { ok: res.status === 200, detail: `${url} answered ${res.status}` }
  } catch (error) {
    return { ok: false, detail: `${url}: ${error instanceof Error ? error.message : String(error)}` }
  }
}
