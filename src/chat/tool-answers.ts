import type { ToolAnswer } from '../hub/events'

type Waiter = { kind: ToolAnswer['kind']; resolve: (answer: ToolAnswer | null) => void }

/**
 * The tool calls of replies running here that wait for a user: a client tool's result or an
 * approval. An answer reaches them from any instance (the bus carries it to this one).
 */
export class ToolAnswers {
  private readonly waiting = new Map<string, Waiter>()

  /** Waits for the answer of that kind; null when `timeoutMs` passes or `signal` aborts first. */
  wait(
    conversationId: string,
    toolCallId: string,
    kind: ToolAnswer['kind'],
    timeoutMs: number,
    signal: AbortSignal,
  ): Promise<ToolAnswer | null> {
    const key = `${conversationId}\n${toolCallId}`
    return new Promise((resolve) => {
      const done = (answer: ToolAnswer | null) => {
        clearTimeout(timer)
        signal.removeEventListener('abort', abort)
        if (this.waiting.get(key)?.resolve === done) this.waiting.delete(key)
        resolve(answer)
      }
      const abort = () => done(null)
      const timer = setTimeout(abort, timeoutMs)
      signal.addEventListener('abort', abort, { once: true })
      this.waiting.set(key, { kind, resolve: done })
      if (signal.aborted) abort()
    })
  }

  /** Hands an answer to the call waiting for it here; false when none is (of that kind). */
  deliver(answer: ToolAnswer): boolean {
    const waiter = this.waiting.get(`${answer.conversationId}\n${answer.toolCallId}`)
    if (!waiter || waiter.kind !== answer.kind) return false
    waiter.resolve(answer)
    return true
  }
}
