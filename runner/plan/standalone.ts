import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import standalone from 'ajv/dist/standalone/index.js'
import { packageRoot } from '../paths.js'
import { buildAjv, readPlanSchema } from './schema.js'

/** Where the build puts the plan validator precompiled from migration.schema.json. */
export function precompiledValidatorPath(): string {
  return join(packageRoot(), 'dist', 'plan-validator.cjs')
}

/** Compiles the schema once at build time into plain JavaScript: compiling it at every start
 * would cost more than the rest of `cutover validate` on a small plan. */
export function writePrecompiledValidator(): string {
  const ajv = buildAjv({ code: { source: true } })
  const validate = ajv.compile(readPlanSchema())
  const file = precompiledValidatorPath()
  writeFileSync(file, standalone.default(ajv, validate))
  return file
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`wrote ${writePrecompiledValidator()}\n`)
}
