import { invalid } from '../errors'

export type Limits = { maxMessageLength: number; maxMetadataBytes: number; maxMetadataDepth: number }
type Loc = (string | number)[]

/**
 * Text every database stores the same way: no NUL (PostgreSQL's text cannot hold it) and no
 * lone surrogate halves (not valid Unicode, so not representable in UTF-8).
 */
export function checkText(value: string | null | undefined, loc: Loc): void {
  if (value == null) return
  if (value.includes('\u0000')) throw invalid(loc, 'String must not contain NUL characters', 'string_nul')
  if (!value.isWellFormed()) throw invalid(loc, 'String must be valid Unicode (no lone surrogates)', 'string_unicode')
}

/** Message content: valid text of 1..maxMessageLength characters (code points, not UTF-16 units). */
export function checkContent(content: string, loc: Loc, max: number): void {
  checkText(content, loc)
  if (content.length <= max) return // never more code points than UTF-16 units
  let chars = 0
  for (const _ of content) if (++chars > max) break
  if (chars > max) throw invalid(loc, `String should have at most ${max} characters`, 'string_too_long')
}

/**
 * Metadata within the depth and size caps, with valid text in every key and string. Depth is
 * checked first, by a walk that stops at the cap: JSON.stringify of a value nested thousands
 * deep overflows the stack.
 */
export function checkMetadata(metadata: unknown, loc: Loc, limits: Limits): void {
  if (metadata === undefined) return
  const walk = (value: unknown, depth: number, at: Loc): void => {
    if (typeof value === 'string') checkText(value, at)
    if (typeof value !== 'object' || value === null) return
    if (depth > limits.maxMetadataDepth) {
      throw invalid(loc, `Metadata must be nested at most ${limits.maxMetadataDepth} levels deep`, 'metadata_too_deep')
    }
    for (const [key, inner] of Object.entries(value)) {
      checkText(key, [...at, key])
      walk(inner, depth + 1, [...at, key])
    }
  }
  walk(metadata, 1, loc)
  const bytes = Buffer.byteLength(JSON.stringify(metadata))
  if (bytes > limits.maxMetadataBytes) {
    throw invalid(
      loc,
      `Metadata must be at most ${limits.maxMetadataBytes} bytes of JSON (got ${bytes})`,
      'metadata_too_large',
    )
  }
}
