// Files that ship beside the code (schema.graphql, prisma/migrations), found from the project root,
// so that the same code runs from src/ (tests) and from dist/ (npm start).
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

function findProjectRoot(from: string): string {
  let dir = from
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('package.json not found above ' + from)
    dir = parent
  }
  return dir
}

export const PROJECT_ROOT = findProjectRoot(dirname(fileURLToPath(import.meta.url)))
export const projectPath = (...parts: string[]) => join(PROJECT_ROOT, ...parts)
