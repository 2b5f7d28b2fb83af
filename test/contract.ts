import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020'

/**
 * Checks real answers against the OpenAPI document of the server that gave them: the status is
 * one the operation declares, the content type one of its media types, the required headers are
 * there and the body validates against the schema. The test harness (helpers.ts, live.ts) runs it
 * on every response it returns, so the document cannot drift from the server unnoticed.
 */

// Served by the server but not API operations: the docs page, its script, the document itself,
// the realtime endpoints.
const UNDOCUMENTED = /^\/(docs(\/.*)?|openapi\.json|socket\.io\/.*|ws)$/

type Doc = { paths: Record<string, Record<string, Operation>>; components: { responses: Record<string, Response> } }
type Operation = { responses: Record<string, Response | { $ref: string }> }
type Response = { content?: Record<string, unknown>; headers?: Record<string, { required?: boolean }> }
type Answer = { status: number; headers: Headers; text: string }

const contracts = new Map<string, Contract>()

/** The contract of a document (one per distinct document text: a few configurations). */
export function contractOf(text: string): Contract {
  const known = contracts.get(text)
  if (known) return known
  const contract = new Contract(JSON.parse(text))
  contracts.set(text, contract)
  return contract
}

class Contract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, formats: { 'date-time': true } })
  private readonly validators = new Map<string, ValidateFunction>()
  private readonly routes: { pattern: RegExp; path: string }[]

  constructor(private readonly doc: Doc) {
    this.ajv.addSchema({ $id: 'doc', ...doc })
    this.routes = Object.keys(doc.paths)
      .sort((a, b) => a.split('{').length - b.split('{').length) // literal segments win
      .map((path) => ({ path, pattern: new RegExp(`^${path.replace(/\{\w+\}/g, '[^/]+')}$`) }))
  }

  /** Throws, naming the request and what differs, when the answer is not what the document says. */
  check(method: string, url: string, answer: Answer) {
    const where = `${method} ${url} → ${answer.status}`
    const pathname = new URL(url, 'http://x').pathname
    const path = pathname.length > 1 ? pathname.replace(/\/$/, '') : pathname
    if (method === 'OPTIONS' || UNDOCUMENTED.test(path)) return
    const template = this.routes.find((r) => r.pattern.test(path))?.path
    const operation = template && this.doc.paths[template]?.[method.toLowerCase()]
    if (!template || !operation) {
      // No such operation: the answer must be an error of the API's shape.
      if (answer.status < 400) throw new Error(`${where}: no operation in the document answers this`)
      return this.body(where, '#/components/responses/NotFound', answer)
    }
    const pointer = `#/paths/${pointerPart(template)}/${method.toLowerCase()}/responses/${answer.status}`
    if (!operation.responses[answer.status]) throw new Error(`${where}: status not declared for ${template}`)
    this.body(where, pointer, answer)
  }

  private body(where: string, pointer: string, answer: Answer) {
    let response = this.at(pointer) as Response | { $ref: string }
    if ('$ref' in response) {
      pointer = response.$ref
      response = this.at(pointer) as Response
    }
    for (const [name, header] of Object.entries(response.headers ?? {}))
      if (header.required && !answer.headers.has(name)) throw new Error(`${where}: no ${name} header`)
    const type = answer.headers.get('content-type')?.split(';')[0]?.trim()
    if (!response.content) {
      if (answer.text) throw new Error(`${where}: a body where the document declares none`)
      return
    }
    if (!type || !(type in response.content))
      throw new Error(`${where}: content type ${type} is not one of ${Object.keys(response.content).join(', ')}`)
    if (type !== 'application/json') return
    const schema = `${pointer}/content/${pointerPart(type)}/schema`
    const validate = this.validators.get(schema) ?? this.ajv.compile({ $ref: `doc${schema}` })
    this.validators.set(schema, validate)
    if (!validate(JSON.parse(answer.text)))
      throw new Error(
        `${where}: body does not match ${schema}: ${this.ajv.errorsText(validate.errors)}\n${answer.text.slice(0, 500)}`,
      )
  }

  private at(pointer: string): unknown {
    let node: unknown = this.doc
    for (const part of pointer.slice(2).split('/'))
      node = (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')]
    if (node === undefined) throw new Error(`the document has nothing at ${pointer}`)
    return node
  }
}

const pointerPart = (part: string) => part.replace(/~/g, '~0').replace(/\//g, '~1')
