import type { Config } from '../../config'
import { AppError, type ErrorCode } from '../../errors'

/** What a stored file may be: FILES_MAX_BYTES and FILES_TYPES. */
export type FileRules = { maxBytes: number; types: readonly string[] }
type Loc = (string | number)[]

export const fileRulesOf = (config: Pick<Config, 'FILES_MAX_BYTES' | 'fileTypes'>): FileRules => ({
  maxBytes: config.FILES_MAX_BYTES,
  types: config.fileTypes,
})

/** A media type as stored and compared: lowercase, without parameters (`; charset=…`). */
export const essenceOf = (mediaType: string) => (mediaType.split(';')[0] ?? '').trim().toLowerCase()

const ascii = (bytes: Uint8Array, at: number, text: string) =>
  bytes.length >= at + text.length && [...text].every((c, i) => bytes[at + i] === c.charCodeAt(0))

// The types whose first bytes say what they are. A browser that gets one of these may decode or
// render it, so the bytes must be what the type claims; text types have no signature to check.
const SIGNATURES: Record<string, (bytes: Uint8Array) => boolean> = {
  'image/png': (b) => ascii(b, 0, '\x89PNG\r\n\x1a\n'),
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/gif': (b) => ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a'),
  'image/webp': (b) => ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP'),
  'application/pdf': (b) => ascii(b, 0, '%PDF-'),
}

/** An error at `loc` (a message part) or about the upload as a whole. */
const refuse = (code: ErrorCode, msg: string, type: string, loc?: Loc) =>
  new AppError(code, loc ? [{ loc, msg, type }] : msg)

/** 413 past FILES_MAX_BYTES: checked on sizes before any bytes are decoded. */
export function checkFileSize(size: number, rules: FileRules, loc?: Loc): void {
  if (size > rules.maxBytes) {
    throw refuse(
      'payload_too_large',
      `Files are limited to ${rules.maxBytes} bytes (FILES_MAX_BYTES)`,
      'file_too_large',
      loc,
    )
  }
}

/**
 * Whether bytes may be stored as `mediaType` (an essence): not empty (422), within
 * FILES_MAX_BYTES (413), of an allowed type whose signature, where it has one, the bytes carry (415).
 */
export function checkFile(mediaType: string, bytes: Uint8Array, rules: FileRules, loc?: Loc): void {
  if (bytes.byteLength === 0) throw refuse('validation_error', 'The file is empty', 'file_empty', loc)
  checkFileSize(bytes.byteLength, rules, loc)
  if (!rules.types.includes(mediaType)) {
    const allowed = rules.types.join(', ')
    throw refuse(
      'unsupported_media_type',
      `Files of type ${mediaType || '(none)'} are not accepted; allowed: ${allowed}`,
      'file_type',
      loc,
    )
  }
  const signature = SIGNATURES[mediaType]
  if (signature && !signature(bytes)) {
    throw refuse(
      'unsupported_media_type',
      `The bytes are not ${mediaType} (their signature differs)`,
      'file_content',
      loc,
    )
  }
}

/** A raster image a browser may show in place; anything else (SVG, which runs scripts, included) downloads. */
export const showsInline = (mediaType: string) => mediaType.startsWith('image/') && mediaType !== 'image/svg+xml'

/**
 * The Content-Disposition of a stored file: a plain-ASCII `filename` for old clients and the
 * exact name as RFC 8187 `filename*`, so no name can break out of the header.
 */
export function dispositionOf(mediaType: string, filename: string | null): string {
  const kind = showsInline(mediaType) ? 'inline' : 'attachment'
  if (!filename) return kind
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_')
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encodeRfc8187(filename)}`
}

// encodeURIComponent leaves !'()* as they are; RFC 8187's attr-char does not allow '()*.
const encodeRfc8187 = (text: string) =>
  encodeURIComponent(text).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

/**
 * A file name as stored: the last segment of what the client sent (browsers and tools send
 * paths such as `C:\fakepath\a.png`), at most 255 characters of printable text; null when empty.
 */
export function filenameOf(given: string | undefined | null, loc: Loc): string | null {
  if (!given) return null
  const name = given.split(/[\\/]/).at(-1)?.trim() ?? ''
  if (!name) return null
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(name) || !name.isWellFormed()) {
    throw refuse('validation_error', 'A file name must be printable text', 'filename', loc)
  }
  if ([...name].length > 255)
    throw refuse('validation_error', 'A file name has at most 255 characters', 'filename', loc)
  return name
}
