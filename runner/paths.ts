import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

let root: string | undefined

/** The package's root folder (where package.json, migration.schema.json and templates/ live),
 * found the same way from runner/ sources (tests) and from dist/ (the built CLI). */
export function packageRoot(): string {
  if (root !== undefined) return root
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'migration.schema.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('cutover: cannot find migration.schema.json above ' + fileURLToPath(import.meta.url))
    dir = parent
  }
  root = dir
  return dir
}
