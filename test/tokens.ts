import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose'

export const SECRET = 'test-secret-0123456789-abcdefghijklmnop'
export const API_KEY = 'pk_test_0123456789abcdef'

/** An HS256 user token for `sub`, valid for `ttlS` seconds (negative: already expired). */
export function userToken(
  sub: string,
  options: { ttlS?: number; secret?: string; claims?: JWTPayload; nbf?: number } = {},
) {
  const now = Math.floor(Date.now() / 1000)
  const jwt = new SignJWT({ ...options.claims }).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuedAt(now)
  jwt.setExpirationTime(now + (options.ttlS ?? 3600))
  if (options.nbf !== undefined) jwt.setNotBefore(options.nbf)
  return jwt.sign(new TextEncoder().encode(options.secret ?? SECRET))
}

/** A JWKS endpoint on 127.0.0.1 serving one RS256 public key, and a signer with its private key. */
export async function jwksServer() {
  const { publicKey, privateKey } = await generateKeyPair('RS256')
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }
  let hits = 0
  let failing: number | null = null
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch: () => {
      hits++
      return failing ? new Response('unavailable', { status: failing }) : Response.json({ keys: [jwk] })
    },
  })
  return {
    url: `http://127.0.0.1:${server.port}/.well-known/jwks.json`,
    get hits() {
      return hits
    },
    sign: (sub: string, claims: JWTPayload = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setSubject(sub)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(privateKey),
    /** Answers every request with `status` from now on (null: serves the keys again). */
    fail: (status: number | null) => {
      failing = status
    },
    stop: () => server.stop(true),
  }
}
