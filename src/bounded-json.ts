/**
 * JSON with a bounded nesting depth, for everything a client sends (REST bodies, socket frames).
 * A 100 KB frame of `[` is 50,000 levels deep: JSON.parse accepts it, but every recursive walk
 * afterwards (JSON.stringify, String(), a validator's error printer) overflows the stack or runs
 * for seconds. So depth is measured before the value exists, in one pass over the text.
 */

/** Thrown for JSON nested deeper than the limit. */
export class JsonTooDeep extends Error {
  constructor(readonly maxDepth: number) {
    super(`JSON must be nested at most ${maxDepth} levels deep`)
  }
}

const QUOTE = 0x22
const BACKSLASH = 0x5c
const OPEN_ARRAY = 0x5b
const OPEN_OBJECT = 0x7b
const CLOSE_ARRAY = 0x5d
const CLOSE_OBJECT = 0x7d

/**
 * Whether `text` opens more than `max` arrays/objects inside one another. Brackets inside
 * strings do not count. Invalid JSON is not judged here (JSON.parse does that).
 */
export function jsonTooDeep(text: string, max: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === BACKSLASH) i++
      else if (c === QUOTE) inString = false
    } else if (c === QUOTE) inString = true
    else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > max) return true
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) depth--
  }
  return false
}

/** JSON.parse, refusing text nested deeper than `maxDepth` (JsonTooDeep) before parsing it. */
export function parseJson(text: string, maxDepth: number): unknown {
  if (jsonTooDeep(text, maxDepth)) throw new JsonTooDeep(maxDepth)
  return JSON.parse(text)
}

/**
 * Whether an already parsed value (Socket.IO decodes its packets itself) nests deeper than
 * `max`. The walk stops at the limit, so it cannot overflow however deep the value is.
 */
export function valueTooDeep(value: unknown, max: number, depth = 0): boolean {
  if (typeof value !== 'object' || value === null) return false
  if (depth + 1 > max) return true
  if (Array.isArray(value)) {
    for (const item of value) if (valueTooDeep(item, max, depth + 1)) return true
    return false
  }
  for (const key in value) {
    if (Object.hasOwn(value, key) && valueTooDeep((value as Record<string, unknown>)[key], max, depth + 1)) return true
  }
  return false
}
