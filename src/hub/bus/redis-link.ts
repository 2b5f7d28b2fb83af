import { RedisClient } from 'bun'
import { backoff, retryWithin, within } from './bus'

export type RedisLinkOptions = {
  url: string
  connectTimeoutMs: number
  /** Runs on every new connection before it counts as up: subscribing goes here. */
  prepare?: (client: RedisClient) => Promise<unknown>
  /** The connection dropped (once per outage): it is being re-established meanwhile. */
  onDown: (error: Error) => void
  /** The connection is up again after an outage. */
  onUp: () => void
}

/**
 * One Redis connection kept up forever. Bun's client gives up after `maxRetries` and, when it
 * does reconnect, does not subscribe again; so its own reconnection is off, and each attempt is
 * a fresh client whose `prepare` subscribes anew (a reused client would also keep, and call
 * twice, the listener of its earlier subscription).
 */
export class RedisLink {
  client: RedisClient | null = null
  private closed = false
  private timer: Timer | undefined

  constructor(private readonly options: RedisLinkOptions) {}

  get up(): boolean {
    return this.client !== null
  }

  /** The first connection: retried until `connectTimeoutMs`, then rejected with the last error. */
  open(): Promise<void> {
    return retryWithin(this.options.connectTimeoutMs, (left) => {
      if (this.closed) throw new Error('closed')
      return this.connect(left)
    })
  }

  close(): void {
    this.closed = true
    clearTimeout(this.timer)
    const client = this.client
    this.client = null
    client?.close()
  }

  private async connect(ms: number): Promise<void> {
    const client = new RedisClient(this.options.url, {
      autoReconnect: false,
      // Commands sent while down fail at once instead of queueing without bound.
      enableOfflineQueue: false,
      connectionTimeout: Math.max(1, Math.round(ms)),
    })
    client.onclose = (error) => {
      if (this.client === client) this.lost(error)
    }
    try {
      await within(
        client.connect().then(() => this.options.prepare?.(client)),
        ms,
        () => new Error(`no answer within ${Math.round(ms)} ms`),
      )
      if (!client.connected) throw new Error('Connection closed')
    } catch (error) {
      client.close()
      throw error
    }
    if (this.closed) return client.close()
    this.client = client
  }

  private lost(error: Error) {
    this.client = null
    if (this.closed) return
    this.options.onDown(error)
    this.retry(0)
  }

  private retry(attempt: number) {
    this.timer = setTimeout(() => {
      this.connect(this.options.connectTimeoutMs).then(
        () => !this.closed && this.options.onUp(),
        () => !this.closed && this.retry(attempt + 1),
      )
    }, backoff(attempt))
  }
}
