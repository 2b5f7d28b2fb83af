/**
 * Where JSON text stops being JSON, for the config file's error message (JSON.parse does not
 * say): the line, the column (in characters, from 1), what was expected and what was found.
 * Iterative, so a deeply nested file cannot overflow the stack.
 */
export function jsonSyntaxError(text: string): string | null {
  let i = 0
  const stack: string[] = [] // '}' or ']': the closer of each open container
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++
  }
  const fail = (expected: string) => `at ${position(text, i)}: expected ${expected}, found ${found(text, i)}`
  /** Moves past a string at i, or returns the error. */
  const string = (): string | null => {
    i++
    for (;;) {
      const c = text[i]
      if (c === undefined || c < ' ') return fail('a closing "')
      if (c === '"') {
        i++
        return null
      }
      if (c === '\\') {
        i++
        if (text[i] === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) i += 5
        else if (text[i] !== undefined && '"\\/bfnrt'.includes(text[i] as string)) i++
        else return fail('an escape (one of "\\/bfnrt, or u and 4 hex digits)')
      } else i++
    }
  }
  const scalar = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y
  let state: 'value' | 'key' | 'after' = 'value'
  for (;;) {
    ws()
    if (state === 'value') {
      const c = text[i]
      if (c === '{' || c === '[') {
        i++
        ws()
        if (text[i] === (c === '{' ? '}' : ']')) {
          i++
          state = 'after'
        } else {
          stack.push(c === '{' ? '}' : ']')
          state = c === '{' ? 'key' : 'value'
        }
      } else if (c === '"') {
        const error = string()
        if (error) return error
        state = 'after'
      } else {
        scalar.lastIndex = i
        if (!scalar.test(text)) return fail('a value')
        i = scalar.lastIndex
        state = 'after'
      }
    } else if (state === 'key') {
      if (text[i] !== '"') return fail('a "quoted" key')
      const error = string()
      if (error) return error
      ws()
      if (text[i] !== ':') return fail('":"')
      i++
      state = 'value'
    } else {
      const closer = stack.at(-1)
      if (closer === undefined) return i === text.length ? null : fail('the end of the file')
      if (text[i] === ',') {
        i++
        state = closer === '}' ? 'key' : 'value'
      } else if (text[i] === closer) {
        i++
        stack.pop()
      } else return fail(`"," or "${closer}"`)
    }
  }
}

function position(text: string, offset: number): string {
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  const column = [...before.slice(before.lastIndexOf('\n') + 1)].length + 1
  return `line ${line}, column ${column}`
}

function found(text: string, offset: number): string {
  if (offset >= text.length) return 'the end of the file'
  const c = String.fromCodePoint(text.codePointAt(offset) as number)
  return c === '\n' || c === '\r' ? 'a line break' : JSON.stringify(c)
}
