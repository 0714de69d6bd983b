import { createRequire } from 'node:module'
import type * as YamlLib from 'yaml'

// `yaml` is loaded on first use: a plan the fast path reads (fast-yaml.ts) never needs it, and
// loading it is about a third of what validating a small plan costs. It is CommonJS, so require()
// loads it synchronously, the same module an import would give.
const require = createRequire(import.meta.url)
let lib: typeof YamlLib | undefined

export function yamlLib(): typeof YamlLib {
  lib ??= require('yaml') as typeof YamlLib
  return lib
}
