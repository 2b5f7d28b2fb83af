import { Registry } from './registry'

// Bucket bounds in seconds, spread over what each kind of work usually takes.
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
const DB_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1]
const BOT_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120]

/** How a bot reply ended. */
export type ReplyOutcome = 'completed' | 'stopped' | 'failed' | 'timeout'

/** Every metric Parley exposes at GET /metrics; one set per server, passed in through Deps. */
export function createMetrics(version: string) {
  const registry = new Registry()
  registry.gauge('parley_info', 'Parley build information', ['version']).set({ version }, 1)
  const rss = registry.gauge('process_resident_memory_bytes', 'Resident memory size in bytes')
  registry.onCollect(() => rss.set({}, process.memoryUsage.rss()))
  return {
    registry,
    httpRequests: registry.counter('parley_http_requests_total', 'HTTP requests answered, by route pattern', [
      'method',
      'route',
      'status',
    ]),
    httpDuration: registry.histogram(
      'parley_http_request_duration_seconds',
      'HTTP request latency, from arrival to the response being ready (streams: their first byte)',
      ['method', 'route'],
      HTTP_BUCKETS,
    ),
    websocketsOpen: registry.gauge('parley_websockets_open', 'Open realtime connections', ['transport']),
    messagesStored: registry.counter('parley_messages_stored_total', 'Messages stored (retries excluded)', ['sender']),
    botReplies: registry.counter(
      'parley_bot_replies_total',
      'Bot replies by provider, assistant, model asked for and outcome',
      ['provider', 'assistant', 'model', 'outcome'],
    ),
    botTokens: registry.counter(
      'parley_bot_tokens_total',
      'Tokens of bot replies as providers reported them, by provider, assistant, model asked for and direction',
      ['provider', 'assistant', 'model', 'direction'],
    ),
    botReplyDuration: registry.histogram(
      'parley_bot_reply_duration_seconds',
      'Time a bot took to stream its whole reply',
      ['provider', 'outcome'],
      BOT_BUCKETS,
    ),
    botRepliesQueued: registry.gauge(
      'parley_bot_replies_queued',
      'Bot replies queued or generating (at most BOT_QUEUE_MAX; past it messages asking for one get bot_busy)',
    ),
    toolCalls: registry.counter('parley_tool_calls_total', 'Tool calls by tool and outcome (ok, error)', [
      'tool',
      'outcome',
    ]),
    mcpServerUp: registry.gauge('parley_mcp_server_up', 'MCP servers: 1 connected, 0 not (connecting or down)', [
      'server',
    ]),
    dbQueryDuration: registry.histogram(
      'parley_db_query_duration_seconds',
      'Storage operation latency, by Store method',
      ['operation'],
      DB_BUCKETS,
    ),
  }
}

export type Metrics = ReturnType<typeof createMetrics>
