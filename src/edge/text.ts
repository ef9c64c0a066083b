// One rule at the edge for text PostgreSQL cannot store: a NUL or an unpaired UTF-16 surrogate in any
// input (REST body, query string, path, stored header, GraphQL variables and literals) is a 400.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { GraphQLError, type ValidationRule } from 'graphql'

// Code units, no `u` flag: a high surrogate not followed by a low one, a low one not preceded by a high one.
const UNSTORABLE = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/** Deeper than any input of the API (GraphQL variables with a deviceInfo are about 8); deeper is abuse. */
export const MAX_INPUT_DEPTH = 32

/** Whether PostgreSQL can store the text: no NUL, no unpaired surrogate. */
export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text)
}

export const unstorableMessage = (where: string) => `${where} contains a character that cannot be stored (a NUL or an unpaired surrogate)`

export type InputProblem = { kind: 'text'; path: string } | { kind: 'depth'; path: string }

/** The first string (value or key) of a JSON value that cannot be stored, or nesting deeper than `maxDepth`. Iterative: no stack to overflow. */
export function inputProblem(value: unknown, maxDepth = MAX_INPUT_DEPTH, root = ''): InputProblem | null {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value, path: root, depth: 0 }]
  while (pending.length > 0) {
    const { value, path, depth } = pending.pop()!
    if (typeof value === 'string') {
      if (!isStorableText(value)) return { kind: 'text', path }
      continue
    }
    if (typeof value !== 'object' || value === null) continue
    if (depth >= maxDepth) return { kind: 'depth', path }
    const at = (key: string | number) => (path === '' ? String(key) : `${path}.${key}`)
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) pending.push({ value: value[i], path: at(i), depth: depth + 1 })
      continue
    }
    const keys = Object.keys(value)
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!
      if (!isStorableText(key)) return { kind: 'text', path: at('(a key)') }
      pending.push({ value: (value as Record<string, unknown>)[key], path: at(key), depth: depth + 1 })
    }
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
