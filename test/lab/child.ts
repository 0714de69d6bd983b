/** Runs the lab emulator in a child Node process, as a real cutover run would, so a crash fault
 * (SIGKILL) kills that process and not the test. The TypeScript sources are transpiled once into a
 * temp folder (no type check: tsc covers that), next to a link to node_modules. */
import { spawn } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import type { Command } from '../../runner/core/command.js'
import { tempDir } from './fixture.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
let built: string | undefined

function transpile(from: string, to: string): void {
  for (const e of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, e.name)
    if (e.isDirectory()) transpile(source, join(to, e.name))
    else if (e.name.endsWith('.ts')) {
      mkdirSync(to, { recursive: true })
      const out = ts.transpileModule(readFileSync(source, 'utf8'), { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true }, fileName: source })
      writeFileSync(join(to, e.name.replace(/\.ts$/, '.js')), out.outputText)
    }
  }
}

function build(): string {
  if (built !== undefined) return built
  const dir = tempDir()
  transpile(join(root, 'runner'), join(dir, 'runner'))
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n')
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir')
  writeFileSync(
    join(dir, 'run-command.js'),
    `import { LabEmulator } from './runner/lab/emulator.js'
const [labDir, command] = process.argv.slice(2)
const result = await new LabEmulator(labDir).run(JSON.parse(command))
process.stdout.write(JSON.stringify(result) + '\\n')
`,
  )
  built = dir
  return dir
}

export interface ChildOutcome {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs one command in a child process with the given fault list. */
export function runInChild(labDir: string, command: Command, faults: string): Promise<ChildOutcome> {
  const dir = build()
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(dir, 'run-command.js'), labDir, JSON.stringify(command)], {
      cwd: dir,
      env: { ...process.env, CUTOVER_LAB_FAULTS: faults },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
}
