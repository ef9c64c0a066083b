// One rule at the edge for text PostgreSQL cannot store: a NUL or an unpaired UTF-16 surrogate in any
// input (REST body, query string, path, stored header, GraphQL variables and literals) is a 400.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { GraphQLError, type ValidationRule } from 'graphql'

// Code units, no `u` flag: a high surrogate not followed by a low one, a low one not preceded by a high one.
const UNSTORABLE = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/
// Most text has neither a NUL nor any surrogate: one cheap character-class test settles it.
const SUSPECT = /[\0\ud800-\udfff]/

/** Deeper than any input of the API (GraphQL variables with a deviceInfo are about 8); deeper is abuse. */
export const MAX_INPUT_DEPTH = 32

/** Whether PostgreSQL can store the text: no NUL, no unpaired surrogate. */
export function isStorableText(text: string): boolean {
  return !SUSPECT.test(text) || !UNSTORABLE.test(text)
}

export const unstorableMessage = (where: string) => `${where} contains a character that cannot be stored (a NUL or an unpaired surrogate)`

export type InputProblem = { kind: 'text'; path: string } | { kind: 'depth'; path: string }

interface Pending {
  value: object
  path: string
  depth: number
}

const join = (path: string, key: string | number) => (path === '' ? String(key) : `${path}.${key}`)

/**
 * The first string (value or key) of a JSON value that cannot be stored, or nesting deeper than `maxDepth`.
 * Iterative, so no stack to overflow; allocates nothing for a flat object (the hot path).
 */
export function inputProblem(value: unknown, maxDepth = MAX_INPUT_DEPTH, root = ''): InputProblem | null {
  if (typeof value === 'string') return isStorableText(value) ? null : { kind: 'text', path: root }
  if (typeof value !== 'object' || value === null) return null
  let pending: Pending[] | null = null
  let node: Pending | undefined = { value, path: root, depth: 0 }
  while (node !== undefined) {
    const { path, depth } = node
    if (depth >= maxDepth) return { kind: 'depth', path }
    const container = node.value as Record<string, unknown>
    const isArray = Array.isArray(container)
    for (const key in container) {
      if (!Object.hasOwn(container, key)) continue
      if (!isArray && !isStorableText(key)) return { kind: 'text', path: join(path, '(a key)') }
      const child = container[key]
      if (typeof child === 'string') {
        if (!isStorableText(child)) return { kind: 'text', path: join(path, key) }
      } else if (typeof child === 'object' && child !== null) {
        ;(pending ??= []).push({ value: child, path: join(path, key), depth: depth + 1 })
      }
    }
    node = pending?.pop()
  }
  return null
}

export function inputProblemMessage(problem: InputProblem, where: string): string {
  const name = problem.path === '' ? where : problem.path
  return problem.kind === 'text' ? unstorableMessage(name) : `${where} is nested too deeply (at most ${MAX_INPUT_DEPTH} levels)`
}

/** A request refused by the text rule: a 400 that the REST and GraphQL error handlers put in their envelopes. */
export class InputTextError extends Error {
  readonly statusCode = 400
  readonly code = 'GW_ERR_INPUT_TEXT'
  constructor(message: string) {
    super(message)
    this.name = 'InputTextError'
  }
}

/** Why the request's input cannot be taken, or null. Headers: only those that are stored (User-Agent). */
export function requestInputProblem(request: FastifyRequest): string | null {
  const agent = request.headers['user-agent']
  if (agent !== undefined && !isStorableText(agent)) return unstorableMessage('The User-Agent header')
  for (const [where, value] of [
    ['path', request.params],
    ['query string', request.query],
    ['body', request.body],
  ] as const) {
    if (value === undefined || value === null) continue
    const problem = inputProblem(value)
    if (problem) return inputProblemMessage(problem, `The ${where}`)
  }
  // GET /graphql carries its variables as a JSON text in the query string.
  const variables = (request.query as { variables?: unknown } | undefined)?.variables
  if (typeof variables === 'string' && variables.includes('\\u')) {
    try {
      const problem = inputProblem(JSON.parse(variables), MAX_INPUT_DEPTH, 'variables')
      if (problem) return inputProblemMessage(problem, 'The variables')
    } catch {
      // Not JSON: GraphQL refuses it itself.
    }
  }
  return null
}

/** GraphQL documents: a string literal that cannot be stored fails validation (BAD_USER_INPUT), before any execution. */
export const storableLiteralsRule: ValidationRule = (context) => ({
  StringValue(node) {
    if (!isStorableText(node.value)) context.reportError(new GraphQLError(unstorableMessage('A string literal'), { nodes: [node] }))
  },
})

async function inputText(app: FastifyInstance) {
  // preValidation: after the body is parsed, before schemas and handlers; callback style on the hot path.
  app.addHook('preValidation', (request, _reply, done) => {
    const problem = requestInputProblem(request)
    done(problem ? new InputTextError(problem) : undefined)
  })
}

export default fp(inputText, { name: 'input-text' })
