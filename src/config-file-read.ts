import { readFileSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { Type as T, type TSchema } from '@sinclair/typebox'
import { Value, type ValueError, ValueErrorType } from '@sinclair/typebox/value'
import { NAME_PATTERN, ParleyFile } from './config-file'
import { jsonSyntaxError } from './config-json'
import { ConfigError, Settings } from './config-settings'

/**
 * Reads and checks the config file named by PARLEY_CONFIG (relative to cwd): everything that
 * needs no other setting. Each error is one line, `<file as given>: <where>: <problem>`, the
 * place written like `assistants[1].provider`; values are never shown (they may be secrets).
 */
export const MAX_FILE_BYTES = 1_048_576
export const MAX_ASSISTANT_METADATA_BYTES = 16_384

export function readParleyFile(given: string, cwd: string): ParleyFile {
  const fail = (problem: string): never => {
    throw new ConfigError(`${given}: ${problem}`)
  }
  const path = resolve(cwd, given)
  let bytes: Buffer
  try {
    const stat = statSync(path)
    if (!stat.isFile()) return fail(`not a file (${path})`)
    if (stat.size > MAX_FILE_BYTES) return fail(`larger than 1 MiB (${stat.size} bytes)`)
    bytes = readFileSync(path)
  } catch (error) {
    if (error instanceof ConfigError) throw error
    const code = (error as { code?: string }).code
    return fail(code === 'ENOENT' ? `no such file (${path})` : `cannot read it (${code ?? String(error)})`)
  }
  if (bytes.length > MAX_FILE_BYTES) fail(`larger than 1 MiB (${bytes.length} bytes)`)
  let text = ''
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes) // a byte order mark is dropped
  } catch {
    fail('not UTF-8 text')
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    fail(`not JSON ${jsonSyntaxError(text) ?? `(${(error as Error).message})`}`)
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    fail(`expected a JSON object at the top level, found ${Array.isArray(data) ? 'an array' : kindOf(data)}`)
  }
  const problem = firstProblem(ParleyFile, data, '')
  if (problem) fail(`${where(problem.at, data)}: ${problem.message}`)
  const file = data as ParleyFile
  for (const key of Object.keys(file.settings ?? {})) {
    if (key === 'PARLEY_CONFIG') fail('settings.PARLEY_CONFIG: read only from --parley-config or the environment')
    if (!Object.hasOwn(Settings.properties, key)) fail(`${placeOf(['settings', key])}: unknown setting (see --help)`)
  }
  for (const [name, p] of Object.entries(file.providers ?? {})) {
    const at = (key: string) => placeOf(['providers', name, key])
    const url = p.type === 'openai' ? p.base_url : p.type === 'webhook' ? p.url : undefined
    if (url !== undefined && !/^https?:$/.test(URL.parse(url)?.protocol ?? '')) {
      fail(`${at(p.type === 'openai' ? 'base_url' : 'url')}: expected an http:// or https:// URL`)
    }
    if (p.type === 'openai' && p.api_key !== undefined && p.api_key_env !== undefined)
      fail(`${placeOf(['providers', name])}: give api_key or api_key_env, not both`)
    if (p.type === 'webhook' && p.secret !== undefined && p.secret_env !== undefined)
      fail(`${placeOf(['providers', name])}: give secret or secret_env, not both`)
  }
  for (const [i, a] of (file.assistants ?? []).entries()) {
    const size = a.metadata === undefined ? 0 : Buffer.byteLength(JSON.stringify(a.metadata))
    if (size > MAX_ASSISTANT_METADATA_BYTES)
      fail(`${placeOf(['assistants', i, 'metadata'])}: larger than 16 KiB of JSON (${size} bytes)`)
  }
  return file
}

/** `assistants[1].provider`, `providers["gpt-4.1"].model` */
export function placeOf(parts: readonly (string | number)[]): string {
  return parts
    .map((p, i) =>
      typeof p === 'number'
        ? `[${p}]`
        : /^[A-Za-z_][A-Za-z0-9_-]*$/.test(p)
          ? `${i ? '.' : ''}${p}`
          : `[${JSON.stringify(p)}]`,
    )
    .join('')
}

/** A JSON pointer as path_ writes it: a segment is an index when the value there is an array. */
function where(pointer: string, root: unknown): string {
  const parts: (string | number)[] = []
  let value = root
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~')
    parts.push(Array.isArray(value) ? Number(key) : key)
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined
  }
  return placeOf(parts)
}

type Problem = { at: string; message: string }

/** The first schema error in words; an unknown key (a typo, most often) before any other. */
function firstProblem(schema: TSchema, value: unknown, base: string): Problem | null {
  const errors: ValueError[] = []
  for (const error of Value.Errors(schema, value)) if (errors.push(error) >= 100) break
  const error = errors.find((e) => e.type === ValueErrorType.ObjectAdditionalProperties) ?? errors[0]
  if (!error) return null
  const at = base + error.path
  if (error.type === ValueErrorType.Union) return unionProblem(error.schema, error.value, at)
  if (error.type === ValueErrorType.ObjectRequiredProperty) return { at, message: 'missing (required)' }
  if (error.type === ValueErrorType.ObjectAdditionalProperties) {
    if (error.schema.patternProperties) return { at, message: `not a valid name: expected ${nounOf(NAME)}` }
    return { at, message: `unknown key (expected ${orList(Object.keys(error.schema.properties ?? {}))})` }
  }
  return { at, message: `expected ${nounOf(error.schema)}` }
}

/** A union tagged by `type` (the providers) is checked against the branch that `type` selects. */
function unionProblem(schema: TSchema, value: unknown, at: string): Problem | null {
  const branches = schema.anyOf as TSchema[]
  const tags = branches.map((b) => b.properties?.type?.const)
  if (tags.some((t) => typeof t !== 'string')) return { at, message: `expected ${nounOf(schema)}` }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { at, message: 'expected an object' }
  const branch = branches[tags.indexOf((value as { type?: unknown }).type)]
  if (!branch) return { at: `${at}/type`, message: `expected type ${orList(tags)}` }
  return firstProblem(branch, value, at)
}

const NAME = T.String({ pattern: NAME_PATTERN })
const ENV_NAME = '^[A-Za-z_][A-Za-z0-9_]*$'

/** What a schema accepts, in words. */
function nounOf(s: TSchema): string {
  if (s.const !== undefined) return JSON.stringify(s.const)
  if (s.anyOf) return orList(s.anyOf.map(nounOf))
  const range = (what: string) =>
    s.minimum !== undefined && s.maximum !== undefined ? `${what} from ${s.minimum} to ${s.maximum}` : what
  switch (s.type) {
    case 'string':
      if (s.pattern === NAME_PATTERN)
        return "a name of 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"
      if (s.pattern === ENV_NAME) return "an environment variable name (letters, digits and '_')"
      if (s.minLength && s.maxLength) return `a string of ${s.minLength} to ${s.maxLength} characters`
      if (s.maxLength) return `a string of at most ${s.maxLength} characters`
      return 'a string'
    case 'integer':
      return range('an integer')
    case 'number':
      return range('a number')
    case 'boolean':
      return 'a boolean'
    case 'null':
      return 'null'
    case 'array':
      return s.maxItems === undefined ? 'an array' : `an array of at most ${s.maxItems} items`
    case 'object':
      return 'an object'
    default:
      return 'a valid value'
  }
}

const orList = (words: readonly string[]) =>
  words.length < 2 ? (words[0] ?? 'nothing') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`

function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'string') return 'a string'
  if (typeof value === 'number') return 'a number'
  return typeof value === 'boolean' ? 'a boolean' : typeof value
}
