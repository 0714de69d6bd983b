import { join } from 'node:path'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../helpers/cli.js'

/** The rule ids ESLint reports for `code` as if it were the file `file` of the repository. */
async function rulesBroken(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: ROOT })
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, file) })
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message)
}

describe('the layer rules of eslint.config.js', () => {
  it('reject an import of the lab runtime, the emulator or the CLI from the engine', async () => {
    for (const from of ['../runtimes/lab/runtime.js', '../lab/index.js', '../cli/output.js']) {
      expect(await rulesBroken('runner/engine/x.ts', `import { a } from '${from}'\nexport const b = a\n`), from).toContain('no-restricted-imports')
    }
  })

  it('reject an import of compile from a step kind, and of the PowerShell runtime from the lab one', async () => {
    expect(await rulesBroken('runner/steps/kinds/x.ts', "import { compile } from '../../compile/compile.js'\nexport const b = compile\n")).toContain('no-restricted-imports')
    expect(await rulesBroken('runner/runtimes/lab/x.ts', "import { a } from '../powershell/host.js'\nexport const b = a\n")).toContain('no-restricted-imports')
  })

  it('accept the imports the layers allow', async () => {
    expect(await rulesBroken('runner/engine/x.ts', "import { a } from '../steps/registry.js'\nexport const b = a\n")).toEqual([])
    expect(await rulesBroken('runner/steps/kinds/x.ts', "import { a } from '../../core/step.js'\nexport const b = a\n")).toEqual([])
  })
})
