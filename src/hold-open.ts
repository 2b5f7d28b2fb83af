/**
 * Bun closes a connection that sends and receives nothing for HTTP_IDLE_TIMEOUT_S. A streamed
 * reply may be quiet longer than that, so its route lifts the timeout — but only once the caller
 * is authenticated and the stream is established: lifted earlier (on `Accept:
 * text/event-stream` alone), anyone could hold idle connections open forever. The server
 * records how to lift it for each request; the app (and `app.handle` in tests) only asks.
 */
const HOLD = Symbol('hold open')
type TimeoutSetter = { timeout(request: Request, seconds: number): void }
type Holdable = Request & { [HOLD]?: TimeoutSetter }

// The server itself, not a closure per request: this runs on every request.
export function recordHoldOpen(request: Request, server: TimeoutSetter): void {
  ;(request as Holdable)[HOLD] = server
}

/** Lifts the idle timeout of an authenticated request whose answer is a long stream. */
export function holdOpen(request: Request): void {
  ;(request as Holdable)[HOLD]?.timeout(request, 0)
}
