import { isAbsolute, resolve } from 'node:path'
import type { TSchema } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { ConfigError, type Settings } from './config-settings'
import { redactUrl } from './log'

/** How loadConfig checks and converts setting values, alone and together. */

export type DatabaseTarget =
  | { kind: 'sqlite'; path: string; url: string } // path ':memory:' or absolute
  | { kind: 'postgres' | 'mysql'; url: string }

/** A value from a flag, the environment (strings) or the file (strings, numbers, booleans). */
export function parseSetting(key: string, schema: TSchema, given: unknown, source: string): unknown {
  let value = given
  let ok: boolean
  if (typeof given === 'string') {
    // TypeBox's Convert would truncate "8.5" to 8: integers must be written as integers.
    const wellFormed = schema.type !== 'integer' || /^-?\d+$/.test(given)
    value = Value.Convert(schema, given)
    ok = wellFormed && Value.Check(schema, value)
  } else ok = Value.Check(schema, given)
  if (ok) return value
  const shown = /(_KEY|_KEYS|SECRET)$/.test(key) ? '' : `=${JSON.stringify(given)}` // never print a secret
  throw new ConfigError(`invalid ${source}${shown}: ${describe(schema)}`)
}

/** Settings that only make sense with others. */
export function requireTogether(s: Settings, sourceOf: (key: string) => string) {
  if (s.BOT_PROVIDER === 'openai' && !s.OPENAI_MODEL) throw new ConfigError('BOT_PROVIDER=openai needs OPENAI_MODEL')
  if (s.BOT_PROVIDER === 'webhook' && !s.WEBHOOK_URL) throw new ConfigError('BOT_PROVIDER=webhook needs WEBHOOK_URL')
  if (s.AUTH_MODE === 'apikey' && !s.API_KEYS && !s.API_KEYS_FILE) {
    throw new ConfigError('AUTH_MODE=apikey needs API_KEYS or API_KEYS_FILE')
  }
  if (s.AUTH_MODE === 'jwt' && !s.JWT_SECRET && !s.JWT_JWKS_URL) {
    throw new ConfigError('AUTH_MODE=jwt needs JWT_SECRET or JWT_JWKS_URL')
  }
  if (s.BUS === 'postgres' && !/^postgres(ql)?:\/\//.test(s.DATABASE_URL)) {
    throw new ConfigError('BUS=postgres needs a postgres:// DATABASE_URL (it uses the same database)')
  }
  for (const key of ['OPENAI_BASE_URL', 'WEBHOOK_URL', 'REDIS_URL', 'JWT_JWKS_URL'] as const) {
    if (s[key] && !URL.canParse(s[key]))
      throw new ConfigError(`invalid ${sourceOf(key)}=${JSON.stringify(s[key])}: expected a URL`)
  }
}

function describe(schema: TSchema): string {
  if (schema.anyOf) return `expected one of ${schema.anyOf.map((s: TSchema) => s.const).join(', ')}`
  if (schema.type === 'integer') return `expected an integer from ${schema.minimum} to ${schema.maximum}`
  if (schema.type === 'boolean') return 'expected true or false'
  if (schema.type === 'number') return `expected a number from ${schema.minimum} to ${schema.maximum}`
  if (schema.pattern) return `expected: ${schema.description}`
  if (schema.type === 'string') return 'expected a string'
  return 'invalid value'
}

/** Accepts the SQLAlchemy-style SQLite URLs the original backend used. */
export function parseDatabaseUrl(url: string, cwd: string, source = 'DATABASE_URL'): DatabaseTarget {
  if (url === 'sqlite::memory:' || url === 'sqlite:///:memory:' || url === 'sqlite://')
    return { kind: 'sqlite', path: ':memory:', url }
  if (url.startsWith('sqlite:///')) {
    const rest = url.slice('sqlite:///'.length) // "relative.db" or "/absolute.db"
    if (rest && !rest.endsWith('/')) {
      return { kind: 'sqlite', path: isAbsolute(rest) ? rest : resolve(cwd, rest), url }
    }
  }
  const scheme = url.slice(0, url.indexOf('://'))
  if (URL.canParse(url) && ['postgres', 'postgresql', 'mysql', 'mariadb'].includes(scheme)) {
    return { kind: scheme.startsWith('postgres') ? 'postgres' : 'mysql', url }
  }
  throw new ConfigError(
    `invalid ${source}=${JSON.stringify(redactUrl(url))}: expected sqlite:///relative/path.db, sqlite:////absolute/path.db, sqlite::memory:, postgres://user:pass@host/db or mysql://user:pass@host/db`,
  )
}
