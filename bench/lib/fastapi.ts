/**
 * The original FastAPI backend's throughput on this project's machine, from the run documented
 * in docs/performance.md (its steps there; its code is not part of this project): 32
 * connections, one 10 s window per route after 3 s of warm-up. Requests per second by the route
 * names bench/rest.ts uses. Its PUT is the run with a different text each time: with the same
 * text, SQLAlchemy writes nothing after the first.
 */
export const FASTAPI: { run: string; rps: Record<string, number> } = {
  run: '2026-12-04, FastAPI 0.92, uvicorn 0.17, SQLAlchemy 1.4',
  rps: {
    'POST /conversations/{id}/messages': 231,
    'POST /conversations/': 187,
    'PUT /conversations/{id}/messages/{id}': 294,
    'DELETE /conversations/{id}/messages/{id}': 194,
    'GET /conversations/{id}/messages?page=1&size=10 (1,000 messages)': 491,
  },
}
