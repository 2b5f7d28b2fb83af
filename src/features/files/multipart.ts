/**
 * A multipart/form-data body (RFC 7578), read here rather than by Bun's FormData: Bun 1.4's
 * parser stops reading a part's headers once Content-Disposition gave it a name and filename,
 * so the part's Content-Type (which comes after it from browsers, curl and Bun itself) is never
 * read, and File.type is guessed from the filename's extension (oven-sh/bun#39884) — and the
 * declared type is what the allow-list checks.
 */

/** One part of a form: its field name, filename (for a file), Content-Type and bytes. */
export type FormPart = { name: string; filename: string | null; type: string | null; data: Uint8Array }

/** A parsed form, as the upload route's body (a class: no JSON body can pass for one). */
export class Form {
  constructor(readonly parts: readonly FormPart[]) {}
  /** The parts named `name`. */
  all(name: string): FormPart[] {
    return this.parts.filter((p) => p.name === name)
  }
}

// Bounds that no real form comes near: a body past them is malformed, not merely large.
const MAX_PARTS = 64
const MAX_HEADER_BYTES = 16 * 1024

const CRLF = Buffer.from('\r\n')
const HEADERS_END = Buffer.from('\r\n\r\n')
const utf8 = new TextDecoder('utf-8', { fatal: true })

/** The boundary of a multipart/form-data Content-Type, or null. */
export function boundaryOf(contentType: string): string | null {
  const [type, ...params] = splitParams(contentType)
  if (type?.toLowerCase() !== 'multipart/form-data') return null
  const boundary = paramsOf(params).get('boundary')
  return boundary && /^[\x20-\x7e]{1,70}$/.test(boundary) && !boundary.endsWith(' ') ? boundary : null
}

/** The parts of a form, in order; null when the body is not a well-formed form. */
export function parseMultipart(body: Uint8Array, boundary: string): Form | null {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  const delimiter = Buffer.from(`\r\n--${boundary}`)
  // The first delimiter may open the body (no CRLF before it) or follow a preamble.
  let at = bytes.subarray(0, delimiter.length - 2).equals(delimiter.subarray(2)) ? delimiter.length - 2 : -1
  if (at === -1) {
    const first = bytes.indexOf(delimiter)
    if (first === -1) return null
    at = first + delimiter.length
  }
  const parts: FormPart[] = []
  for (;;) {
    if (bytes[at] === 0x2d && bytes[at + 1] === 0x2d) return new Form(parts) // "--": the closing delimiter
    // Transport padding (spaces, tabs) may follow a delimiter before its CRLF.
    while (bytes[at] === 0x20 || bytes[at] === 0x09) at++
    if (!bytes.subarray(at, at + 2).equals(CRLF) || parts.length === MAX_PARTS) return null
    // Its headers end at a blank line (at once, for a part without headers).
    const end = bytes.indexOf(HEADERS_END, at)
    if (end === -1 || end - at > MAX_HEADER_BYTES) return null
    const next = bytes.indexOf(delimiter, end + 4)
    if (next === -1) return null
    const part = partOf(bytes.subarray(at + 2, end), bytes.subarray(end + 4, next))
    if (!part) return null
    parts.push(part)
    at = next + delimiter.length
  }
}

function partOf(head: Uint8Array, data: Uint8Array): FormPart | null {
  let text: string
  try {
    text = utf8.decode(head)
  } catch {
    return null
  }
  const headers = new Map<string, string>()
  for (const line of text ? text.split('\r\n') : []) {
    const colon = line.indexOf(':')
    if (colon <= 0) return null
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
  }
  const [kind, ...rest] = splitParams(headers.get('content-disposition') ?? '')
  if (kind?.toLowerCase() !== 'form-data') return null
  const params = paramsOf(rest)
  const name = params.get('name')
  if (name === undefined) return null
  const filename = params.get('filename*') ?? params.get('filename') ?? null
  return { name, filename, type: headers.get('content-type') ?? null, data }
}

/** `a; b=1; c="x;y"` → ['a', 'b=1', 'c="x;y"'], splitting outside quoted strings only. */
function splitParams(value: string): string[] {
  return (value.match(/(?:[^;"]|"(?:[^"\\]|\\.)*")+/g) ?? []).map((s) => s.trim())
}

/**
 * Parameters by lowercase name. Quoted values lose their quotes; `\"` and `\\` are unescaped
 * (older curl), other backslashes kept (Windows paths). Browsers write `"`, CR and LF in a name
 * as %22, %0D, %0A (the HTML standard), which are decoded back.
 * `filename*` is RFC 8187's UTF-8''percent-encoded form.
 */
function paramsOf(params: string[]): Map<string, string> {
  const found = new Map<string, string>()
  for (const param of params) {
    const eq = param.indexOf('=')
    if (eq <= 0) continue
    const key = param.slice(0, eq).trim().toLowerCase()
    let value = param.slice(eq + 1).trim()
    if (key.endsWith('*')) {
      const encoded = /^utf-8'[^']*'(.*)$/i.exec(value)?.[1]
      if (encoded === undefined) continue
      try {
        value = decodeURIComponent(encoded)
      } catch {
        continue
      }
    } else if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) {
      value = value
        .slice(1, -1)
        .replace(/\\(["\\])/g, '$1')
        .replace(/%(22|0D|0A)/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    }
    found.set(key, value)
  }
  return found
}
