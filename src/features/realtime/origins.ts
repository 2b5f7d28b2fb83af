/**
 * Cross-site WebSocket hijacking guard: with ALLOWED_ORIGINS set, a browser page from any
 * other site cannot open a socket that rides on its visitor's credentials. Clients that send
 * no Origin (servers, wscat) are not browsers and are let through.
 */
export function originAllowed(origin: string | null, allowed: readonly string[]): boolean {
  if (allowed.length === 0 || allowed.includes('*') || origin === null) return true
  return allowed.includes(origin)
}
