import { ValueErrorType } from '@sinclair/typebox/errors'
import type { ValidationError } from 'elysia'
import type { ValidationIssue } from './errors'

// Stable names for the common validation failures, as FastAPI/pydantic clients know them.
const typeNames: Partial<Record<ValueErrorType, string>> = {
  [ValueErrorType.ObjectRequiredProperty]: 'missing',
  [ValueErrorType.Object]: 'dict_type',
  [ValueErrorType.ObjectAdditionalProperties]: 'extra_forbidden',
  [ValueErrorType.String]: 'string_type',
  [ValueErrorType.StringMinLength]: 'string_too_short',
  [ValueErrorType.StringMaxLength]: 'string_too_long',
  [ValueErrorType.StringPattern]: 'string_pattern_mismatch',
  [ValueErrorType.StringFormat]: 'string_format',
  [ValueErrorType.Integer]: 'int_type',
  [ValueErrorType.Number]: 'number_type',
  [ValueErrorType.NumberMinimum]: 'greater_than_equal',
  [ValueErrorType.NumberMaximum]: 'less_than_equal',
  [ValueErrorType.IntegerMinimum]: 'greater_than_equal',
  [ValueErrorType.IntegerMaximum]: 'less_than_equal',
  [ValueErrorType.Boolean]: 'bool_type',
  [ValueErrorType.Array]: 'list_type',
  [ValueErrorType.Literal]: 'literal_error',
  [ValueErrorType.Union]: 'union_error',
  [ValueErrorType.Null]: 'none_type',
}

// A validation answer stays small whatever the input: at most this many issues, each location
// and message cut short (a key or a value may be a megabyte long).
const MAX_ISSUES = 20
const MAX_TEXT = 200
const cut = (text: string) => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text)

/** TypeBox errors as FastAPI-style `{ loc, msg, type }`, one per location, bounded in number and size. */
export function validationIssues(error: ValidationError, request: Request): ValidationIssue[] {
  if (error.type === 'property') return [queryIssue(error, request)]
  const where = error.type === 'params' ? 'path' : error.type
  const seen = new Set<string>()
  const out: ValidationIssue[] = []
  for (const e of error.all) {
    if (out.length >= MAX_ISSUES) break
    if (!('path' in e)) continue
    if (e.type === ValueErrorType.ObjectRequiredProperty) {
      // "missing" says more than the type error TypeBox may have reported first for that path.
      const prior = out.find((o) => o.loc.slice(1).join('/') === e.path.split('/').filter(Boolean).join('/'))
      if (prior) Object.assign(prior, { msg: 'Field required', type: 'missing' })
    }
    if (seen.has(e.path)) continue
    seen.add(e.path)
    const loc = e.path
      .split('/')
      .filter(Boolean)
      .map((p: string) => (/^\d+$/.test(p) ? Number(p) : cut(p.replaceAll('~1', '/').replaceAll('~0', '~'))))
    const missing = e.type === ValueErrorType.ObjectRequiredProperty
    out.push({
      loc: [where, ...loc],
      msg: missing ? 'Field required' : cut(e.message),
      type: typeNames[e.type as ValueErrorType] ?? 'value_error',
    })
  }
  if (out.length === 0) out.push({ loc: [where], msg: 'Invalid input', type: 'value_error' })
  return out
}

/**
 * Elysia converts query numbers in a transform that throws without the key's name: find the
 * query parameter holding the rejected value.
 */
function queryIssue(error: ValidationError, request: Request): ValidationIssue {
  const value = String(error.value)
  const url = new URL(request.url)
  const key = [...url.searchParams].find(([, v]) => v === value)?.[0]
  const first = error.all[0]
  return {
    loc: key ? ['query', key] : ['query'],
    msg: first?.message ?? 'Invalid value',
    type: (first && 'type' in first && typeNames[first.type as ValueErrorType]) || 'value_error',
  }
}
