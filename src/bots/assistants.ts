import { Value } from '@sinclair/typebox/value'
import { type Limits as Bounds, checkMetadata, checkText } from '../chat/checks'
import type { Config } from '../config'
import { AssistantSpec, type Limits, type Provider } from '../config-file'
import { AppError, invalid } from '../errors'
import type { Metadata, Store, StoredAssistant } from '../storage/store'
import type { ReplySettings } from './bot'

/** An assistant as its operator sees it: where it was declared, and when an API one changed. */
export type Assistant = AssistantSpec & {
  source: 'config' | 'api'
  default: boolean
  created_at?: string
  updated_at?: string
}

/** What a reply needs of its assistant, fixed when the reply starts. */
export type ReplyPlan = {
  settings: ReplySettings
  provider: string
  history: { messages: number; chars: number }
  quota: Limits | undefined
  /** Its `tools` entries (resolved when the reply starts) and the most model calls of one reply. */
  tools: readonly string[]
  maxSteps: number
}

/** Model calls of one reply (tool rounds included) when the assistant does not say. */
export const DEFAULT_MAX_STEPS = 8

/** The fields end users see: enough for a model picker, no instructions or provider. */
const PUBLIC = ['id', 'name', 'description', 'model', 'greeting', 'suggestions', 'metadata', 'default'] as const
export type PublicAssistant = Pick<Assistant, (typeof PUBLIC)[number]>
export const publicView = (a: Assistant): PublicAssistant =>
  Object.fromEntries(PUBLIC.filter((k) => a[k] !== undefined).map((k) => [k, a[k]])) as PublicAssistant

/**
 * The assistants: the ones the config declares (read-only over the API) and the ones created over
 * the API (in the database, so every instance sees them). One of the declared ones is the
 * default, answering conversations without an `assistant_id` (or whose assistant was deleted).
 */
export class Assistants {
  private readonly declared: Map<string, AssistantSpec>
  private readonly providers: Map<string, Provider>

  constructor(
    private readonly store: Store,
    private readonly config: Pick<
      Config,
      | 'assistants'
      | 'defaultAssistant'
      | 'providers'
      | 'BOT_SYSTEM_PROMPT'
      | 'BOT_HISTORY_MESSAGES'
      | 'BOT_HISTORY_CHARS'
    >,
    private readonly bounds: Bounds,
  ) {
    this.declared = new Map(config.assistants.map((a) => [a.id, a]))
    this.providers = new Map(config.providers.map((p) => [p.name, p]))
  }

  get defaultId(): string | null {
    return this.config.defaultAssistant
  }

  async list(): Promise<Assistant[]> {
    const stored = await this.store.listAssistants()
    return [...[...this.declared.values()].map((a) => this.view(a)), ...stored.map((s) => this.fromStore(s))]
  }

  /** The assistant with that id, or null. */
  async get(id: string): Promise<Assistant | null> {
    const declared = this.declared.get(id)
    if (declared) return this.view(declared)
    const stored = await this.store.getAssistant(id)
    return stored ? this.fromStore(stored) : null
  }

  /** Throws the 422 of an `assistant_id` that names no assistant. */
  async check(id: string | null | undefined, loc: (string | number)[]): Promise<void> {
    if (id == null) return
    if (!(await this.get(id))) throw invalid(loc, `No assistant has the id "${id}"`, 'unknown_assistant')
  }

  async create(spec: AssistantSpec): Promise<Assistant> {
    this.validate(spec)
    if (this.declared.has(spec.id)) throw readOnly(spec.id)
    const stored = await this.store.createAssistant(spec.id, spec as Metadata)
    if (!stored) throw new AppError('assistant_exists', `An assistant with the id "${spec.id}" exists`)
    return this.fromStore(stored)
  }

  /** Applies a partial change: a key set to null removes that setting. */
  async update(id: string, patch: Record<string, unknown>): Promise<Assistant> {
    if (this.declared.has(id)) throw readOnly(id)
    const current = await this.store.getAssistant(id)
    if (!current) throw new AppError('assistant_not_found', 'Assistant not found')
    const merged: Record<string, unknown> = { ...current.spec, ...patch, id }
    for (const [key, value] of Object.entries(merged)) if (value === null) delete merged[key]
    if (!Value.Check(AssistantSpec, merged)) {
      const error = Value.Errors(AssistantSpec, merged).First()
      const loc = ['body', ...(error?.path.split('/').filter(Boolean) ?? [])]
      throw invalid(loc, error?.message ?? 'Invalid assistant', 'assistant_invalid')
    }
    this.validate(merged)
    const stored = await this.store.updateAssistant(id, merged)
    if (!stored) throw new AppError('assistant_not_found', 'Assistant not found')
    return this.fromStore(stored)
  }

  /** Its conversations fall back to the default assistant. */
  async delete(id: string): Promise<void> {
    if (this.declared.has(id)) throw readOnly(id)
    if (!(await this.store.deleteAssistant(id))) throw new AppError('assistant_not_found', 'Assistant not found')
  }

  /**
   * The settings a reply of a conversation on `id` uses: its assistant's, or the default's when
   * it has none or it was deleted. Null when there is no default and no such assistant.
   */
  async plan(id: string | null): Promise<ReplyPlan | null> {
    const found = id === null ? null : await this.get(id)
    const fallback = this.defaultId === null ? null : this.declared.get(this.defaultId)
    const a = found ?? fallback
    if (!a) return null
    const provider = this.providers.get(a.provider)
    const settings: ReplySettings = {
      id: a.id,
      name: a.name,
      model: a.model ?? (provider?.type === 'openai' ? provider.model : ''),
      systemPrompt: a.system_prompt ?? this.config.BOT_SYSTEM_PROMPT,
      temperature: a.temperature,
      maxTokens: a.max_tokens,
      metadata: a.metadata,
    }
    return {
      settings,
      provider: a.provider,
      history: {
        messages: a.history_messages ?? this.config.BOT_HISTORY_MESSAGES,
        chars: a.history_chars ?? this.config.BOT_HISTORY_CHARS,
      },
      quota: a.quota,
      tools: a.tools ?? [],
      maxSteps: a.max_steps ?? DEFAULT_MAX_STEPS,
    }
  }

  /** The checks past the schema: a known provider, a model an OpenAI-compatible one can use, bounded text. */
  private validate(spec: AssistantSpec): void {
    const provider = this.providers.get(spec.provider)
    if (!provider) {
      const known = [...this.providers.keys()].join(', ') || 'none'
      throw invalid(
        ['body', 'provider'],
        `No provider is named "${spec.provider}" (known: ${known})`,
        'unknown_provider',
      )
    }
    if (provider.type === 'openai' && !spec.model && !provider.model) {
      throw invalid(['body', 'model'], `Provider "${provider.name}" has no default model: name one`, 'model_required')
    }
    for (const key of ['name', 'description', 'model', 'system_prompt', 'greeting'] as const) {
      checkText(spec[key], ['body', key])
    }
    for (const [i, s] of (spec.suggestions ?? []).entries()) checkText(s, ['body', 'suggestions', i])
    checkMetadata(spec.metadata, ['body', 'metadata'], this.bounds)
  }

  /** The model it uses: its own, or its OpenAI-compatible provider's. */
  private modelOf(spec: AssistantSpec): string | undefined {
    const provider = this.providers.get(spec.provider)
    return spec.model ?? (provider?.type === 'openai' && provider.model ? provider.model : undefined)
  }

  private view(spec: AssistantSpec): Assistant {
    const model = this.modelOf(spec)
    return { ...spec, ...(model && { model }), source: 'config', default: spec.id === this.defaultId }
  }

  private fromStore(s: StoredAssistant): Assistant {
    const spec = s.spec as AssistantSpec
    const model = this.modelOf(spec)
    const at = { created_at: s.created_at, updated_at: s.updated_at }
    return { ...spec, ...(model && { model }), id: s.id, source: 'api', default: false, ...at }
  }
}

const readOnly = (id: string) =>
  new AppError('assistant_read_only', `Assistant "${id}" is declared in the config: change it there`)
