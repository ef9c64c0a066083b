// Persisted operations on /graphql: trusted documents (a build-time map sha256 → document, the REST
// routes' fixed operations always among them) and automatic persisted queries (Apollo Client, urql),
// both resolved by graphqlHttp.ts to the document's text before it runs, so the engine's document
// cache (mercurius') is keyed by that text as for any request that sent it.
import { readFileSync } from 'node:fs'
import {
  Kind,
  Source,
  parse,
  print,
  specifiedRules,
  validate,
  visit,
  type ASTNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql'
import type { FastifyBaseLogger } from 'fastify'
import type { Config } from '../config.js'
import { sha256 } from '../crypto/digest.js'
import { costRefusal } from './cost.js'
import type { AutomaticDocumentStore } from './apqStore.js'
import { PERSISTED_ONLY_MESSAGE } from './reasons.js'

const SHA256_HEX = /^[0-9a-f]{64}$/

/** The REST routes' fixed operations (src/rest/plugin.ts), by hash: part of every trusted set. */
export function restDocuments(restOperations: string[]): Map<string, string> {
  return new Map(restOperations.map((operation) => [sha256(operation), operation]))
}

/**
 * Reads a trusted-documents file: a JSON object of sha256 → document (what `npm run persisted-documents`
 * writes), or an Apollo persisted-query manifest ({ format: "apollo-persisted-query-manifest", operations }).
 */
export function readTrustedDocuments(file: string): Map<string, string> {
  const problems: string[] = []
  let json: unknown
  try {
    json = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    throw new Error(`GRAPHQL_PERSISTED_DOCUMENTS: ${file} is not readable JSON (${(err as Error).message})`, { cause: err })
  }
  const entries: [string, unknown][] =
    (json as { format?: unknown })?.format === 'apollo-persisted-query-manifest'
      ? ((json as { operations?: { id: string; body: unknown }[] }).operations ?? []).map((o) => [o.id, o.body])
      : json && typeof json === 'object' && !Array.isArray(json)
        ? Object.entries(json)
        : []
  if (entries.length === 0 && !(json && typeof json === 'object' && !Array.isArray(json))) {
    problems.push('expected an object of sha256 → document')
  }
  const documents = new Map<string, string>()
  for (const [hash, document] of entries) {
    if (typeof document !== 'string') problems.push(`${hash}: the document is not a string`)
    else if (sha256(document) !== hash) problems.push(`${hash}: not the sha256 of its document`)
    else documents.set(hash, document)
  }
  if (problems.length > 0) throw new Error(`GRAPHQL_PERSISTED_DOCUMENTS: ${file}:\n  ${problems.join('\n  ')}`)
  return documents
}

/** Why each document could never run here (unparseable, invalid, over the limits), by hash. */
export function documentProblems(documents: Map<string, string>, schema: GraphQLSchema, config: Config): string[] {
  const problems: string[] = []
  for (const [hash, text] of documents) {
    try {
      const limits = config.costLimits
      const document = parse(text, limits ? { maxTokens: limits.maxTokens } : {})
      const invalid = validate(schema, document, specifiedRules)[0]
      const refusal = invalid ? invalid.message : limits && costRefusal(schema, document, limits, config.bodyLimit)
      if (refusal) problems.push(`${hash}: ${refusal}`)
    } catch (err) {
      problems.push(`${hash}: ${(err as Error).message}`)
    }
  }
  return problems
}

/**
 * The trusted set: the REST routes' operations and the file's documents. A file document that could
 * never run stops the start; a REST operation over lowered limits is only logged (its route answers 400).
 */
export function trustedDocuments(
  config: Config,
  schema: GraphQLSchema,
  log: FastifyBaseLogger,
  restOperations: string[],
): Map<string, string> {
  const documents = restDocuments(restOperations)
  for (const problem of documentProblems(documents, schema, config))
    log.warn(`a REST route's operation is over the GraphQL limits: ${problem}`)
  const file = config.persistedOperations.documentsFile
  if (file) {
    const fromFile = readTrustedDocuments(file)
    const problems = documentProblems(fromFile, schema, config)
    if (problems.length > 0) throw new Error(`GRAPHQL_PERSISTED_DOCUMENTS: documents that cannot run here:\n  ${problems.join('\n  ')}`)
    for (const [hash, text] of fromFile) documents.set(hash, text)
  }
  return documents
}

/** The names of the documents' operations (anonymous ones have none); a document that does not parse names none. */
export function operationNames(documents: Map<string, string>): Set<string> {
  const names = new Set<string>()
  for (const text of documents.values()) {
    try {
      for (const definition of parse(text).definitions)
        if (definition.kind === Kind.OPERATION_DEFINITION && definition.name) names.add(definition.name.value)
    } catch {
      // documentProblems reports it
    }
  }
  return names
}

/**
 * The map for a frontend's .graphql files: each operation becomes one document with the fragments it
 * uses (from any of the files), printed by graphql; the REST routes' operations are added as they are.
 */
export function buildDocumentMap(sources: { name: string; text: string }[], restOperations: string[]): Record<string, string> {
  const operations: OperationDefinitionNode[] = []
  const fragments = new Map<string, FragmentDefinitionNode>()
  for (const source of sources) {
    for (const definition of parse(new Source(source.text, source.name)).definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION) operations.push(definition)
      else if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition)
      else throw new Error(`${source.name}: only operations and fragments belong in a frontend's documents`)
    }
  }
  const map: Record<string, string> = Object.fromEntries(restDocuments(restOperations))
  for (const operation of operations) {
    const used = new Map<string, FragmentDefinitionNode>()
    const collect = (node: ASTNode) =>
      visit(node, {
        FragmentSpread(spread) {
          const fragment = fragments.get(spread.name.value)
          if (!fragment) throw new Error(`unknown fragment ${spread.name.value} in ${operation.name?.value ?? 'an anonymous operation'}`)
          if (!used.has(fragment.name.value)) {
            used.set(fragment.name.value, fragment)
            collect(fragment)
          }
        },
      })
    collect(operation)
    const text = print({ kind: Kind.DOCUMENT, definitions: [operation, ...used.values()] })
    map[sha256(text)] = text
  }
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => a.localeCompare(b)))
}

/** A persisted-operation refusal as graphqlHttp.ts sends it: a request error, BAD_USER_INPUT with its reason. */
export interface PersistedRefusal {
  message: string
  extensions: { code: 'BAD_USER_INPUT'; reason: string }
}

const refusal = (message: string, reason: string): PersistedRefusal => ({ message, extensions: { code: 'BAD_USER_INPUT', reason } })
const NOT_FOUND = refusal('PersistedQueryNotFound', 'PERSISTED_QUERY_NOT_FOUND')
const NOT_SUPPORTED = refusal('PersistedQueryNotSupported', 'PERSISTED_QUERY_NOT_SUPPORTED')
const MISMATCH = refusal('provided sha does not match query', 'PERSISTED_QUERY_MISMATCH')
const ONLY = refusal(PERSISTED_ONLY_MESSAGE, 'PERSISTED_ONLY')

/** What a request asks for: the text to run, and the hash to keep it under once it proved runnable (an APQ registration). */
export type PersistedResolution = { ok: true; query: string; register?: string } | { ok: false; error: PersistedRefusal }

/**
 * Persisted operations for /graphql (GET and POST alike): a hash (extensions.persistedQuery) names a
 * trusted or an automatically persisted document, resolved to its text before anything else, so the
 * engine's cache is keyed by that text as for any request. An unknown hash answers PersistedQueryNotFound;
 * an APQ client then sends the text with its hash once, which registers it when it runs. With `only`,
 * the text of a trusted document is accepted as well, and nothing else.
 */
export class PersistedOperations {
  private readonly automatic: AutomaticDocumentStore | undefined
  /** `store`: where automatic persisted queries are kept; unused (and closed) when they are off. */
  private readonly trusted: Map<string, string>
  private readonly options: Config['persistedOperations']

  constructor(trusted: Map<string, string>, options: Config['persistedOperations'], store: AutomaticDocumentStore) {
    this.trusted = trusted
    this.options = options
    this.automatic = options.automatic && !options.only ? store : undefined
  }

  async resolve(query: string | undefined, extensions: Record<string, unknown> | undefined): Promise<PersistedResolution | undefined> {
    const pq = extensions?.persistedQuery
    const persistedQuery =
      pq && typeof pq === 'object' && !Array.isArray(pq) ? (pq as { version?: unknown; sha256Hash?: unknown }) : undefined
    const only = this.options.only
    if (!persistedQuery) {
      if (!only || query === undefined) return query === undefined ? undefined : { ok: true, query }
      // Only trusted documents: one sent as text is known by its hash; any other text is refused.
      return this.trusted.has(sha256(query)) ? { ok: true, query } : { ok: false, error: ONLY }
    }
    const hash =
      persistedQuery.version === 1 && typeof persistedQuery.sha256Hash === 'string' ? persistedQuery.sha256Hash.toLowerCase() : undefined
    if (!hash) return { ok: false, error: only ? ONLY : NOT_SUPPORTED }
    if (query === undefined) {
      // Only a sha256 can name a document: anything else is looked up nowhere.
      if (!SHA256_HEX.test(hash)) return { ok: false, error: NOT_FOUND }
      const text = this.trusted.get(hash) ?? (await this.automatic?.get(hash))
      return text === undefined ? { ok: false, error: NOT_FOUND } : { ok: true, query: text }
    }
    // Persisted-only: a text that is not trusted is refused as such, not asked for again.
    if (only) return this.trusted.has(hash) && sha256(query) === hash ? { ok: true, query } : { ok: false, error: ONLY }
    if (!this.automatic) return { ok: true, query }
    // The text with its hash (the APQ retry): checked against the hash, kept once it proves runnable.
    if (sha256(query) !== hash) return { ok: false, error: MISMATCH }
    return this.trusted.has(hash) ? { ok: true, query } : { ok: true, query, register: hash }
  }

  /** Keeps an automatically persisted document, after the edge accepted its text; never throws. */
  async register(hash: string, query: string) {
    await this.automatic?.set(hash, query)
  }
}
