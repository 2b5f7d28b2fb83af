import type { JWTVerifyOptions } from 'jose'
import type { Config } from '../config'
import { AppError } from '../errors'
import { type Logger, redactUrl } from '../log'
import type { Actor } from './actor'

/**
 * Credentials as a transport found them: a bearer token (or API key), and the client's address
 * (looked up only if the mode keys callers by address).
 */
export type Credentials = {
  token?: string | null | undefined
  apiKey?: string | null | undefined
  address: () => string
}

const unauthorized = (message: string) => new AppError('unauthorized', message, { 'www-authenticate': 'Bearer' })

// A subject is a user id in every store and log line: printable text, no NUL or control characters.
const USABLE_SUB = /^[^\p{Cc}]{1,256}$/u

// Bun's native hasher, not node:crypto: loading that module cost ~12 ms of start-up.
const digest = (text: string) => new Bun.CryptoHasher('sha256').update(text).digest()

/** Whether two SHA-256 digests are equal, in time that does not depend on where they differ. */
function sameDigest(a: Uint8Array, b: Uint8Array): boolean {
  let diff = 0
  for (let i = 0; i < 32; i++) diff |= (a[i] as number) ^ (b[i] as number)
  return diff === 0
}

/**
 * Decides who a request or socket is, per AUTH_MODE. API keys are compared in constant time
 * (as fixed-length digests, so not even their length leaks) and never logged; user tokens are
 * verified with jose against JWT_SECRET (HS256) or JWT_JWKS_URL, with exp/nbf/iss/aud checked.
 */
export function createAuthenticator(config: Config, log?: Logger) {
  const keys = config.apiKeys.map(digest)
  // jose is loaded with the first user token: other modes never load it.
  let jose:
    | Promise<{
        verify(token: string): ReturnType<typeof import('jose').jwtVerify>
        expired: typeof import('jose').errors.JWTExpired
        keysUnavailable(error: unknown): boolean
      }>
    | undefined
  const loadJose = () =>
    (jose ??= import('jose').then((j) => {
      const jwks = config.JWT_JWKS_URL ? j.createRemoteJWKSet(new URL(config.JWT_JWKS_URL)) : null
      return {
        verify: (token: string) =>
          jwks ? j.jwtVerify(token, jwks, verifyOptions) : j.jwtVerify(token, secret as Uint8Array, verifyOptions),
        expired: j.errors.JWTExpired,
        // The key set could not be fetched or read (network, timeout, a non-200 answer, not a
        // key set): the server's problem, not the token's. A token naming an unknown key, or
        // failing its signature or claims, is a JOSE error of its own kind.
        keysUnavailable: (error: unknown) =>
          jwks !== null &&
          (!(error instanceof j.errors.JOSEError) ||
            error instanceof j.errors.JWKSTimeout ||
            error instanceof j.errors.JWKSInvalid ||
            error.code === 'ERR_JOSE_GENERIC'),
      }
    }))
  // One log line per outage (at most every 30 s), not one per request.
  let outageLoggedAt = 0
  const keysDown = (error: unknown) => {
    if (Date.now() - outageLoggedAt > 30_000) {
      outageLoggedAt = Date.now()
      log?.error('JWKS unavailable: user tokens cannot be verified', {
        service: 'jwks',
        url: redactUrl(config.JWT_JWKS_URL),
        err: error instanceof Error ? error.message : String(error),
      })
    }
    return new AppError('service_unavailable', 'Token keys are unavailable; try again shortly', { 'retry-after': '5' })
  }
  const secret = config.JWT_SECRET ? new TextEncoder().encode(config.JWT_SECRET) : null
  const verifyOptions: JWTVerifyOptions = {
    algorithms: config.JWT_JWKS_URL ? ['RS256', 'ES256', 'PS256', 'EdDSA'] : ['HS256'],
    ...(config.JWT_ISSUER ? { issuer: config.JWT_ISSUER } : {}),
    ...(config.JWT_AUDIENCE ? { audience: config.JWT_AUDIENCE } : {}),
  }

  const matchKey = (candidate: string): number => {
    const d = digest(candidate)
    let found = -1
    for (let i = 0; i < keys.length; i++) if (sameDigest(d, keys[i] as Uint8Array) && found === -1) found = i
    return found
  }

  async function verifyUser(token: string): Promise<Actor> {
    const j = await loadJose()
    try {
      const { payload } = await j.verify(token)
      if (typeof payload.sub !== 'string' || !USABLE_SUB.test(payload.sub))
        throw unauthorized('The token has no usable subject (sub)')
      return {
        kind: 'user',
        userId: payload.sub,
        rateKey: `user:${payload.sub}`,
        ...(payload.exp ? { expiresAt: payload.exp * 1000 } : {}),
      }
    } catch (error) {
      if (error instanceof AppError) throw error
      if (error instanceof j.expired) throw unauthorized('The token has expired')
      if (j.keysUnavailable(error)) throw keysDown(error)
      throw unauthorized('Invalid token')
    }
  }

  return {
    mode: config.AUTH_MODE,
    /** Synchronous unless a user token has to be verified (JWKS may be fetched). */
    authenticate({ token, apiKey, address }: Credentials): Actor | Promise<Actor> {
      if (config.AUTH_MODE === 'none') return { kind: 'service', rateKey: `ip:${address()}` }
      for (const candidate of [apiKey, token]) {
        if (!candidate) continue
        const index = matchKey(candidate)
        if (index !== -1) return { kind: 'service', rateKey: `key:${index}` }
      }
      if (config.AUTH_MODE === 'jwt' && token) return verifyUser(token)
      throw unauthorized(token || apiKey ? 'Invalid credentials' : 'Authentication required')
    },
  }
}

export type Authenticator = ReturnType<typeof createAuthenticator>

/** The bearer token of an Authorization header. */
export const bearer = (header: string | null): string | null => {
  const match = header?.match(/^Bearer\s+(.+)$/i)
  return match ? (match[1] as string).trim() : null
}
