import { EXIT, UsageError } from '../../core/errors.js'
import type { ExitCode } from '../../core/errors.js'
import type { Runtime } from '../../core/runtime.js'
import { planRollback } from '../../engine/guards.js'
import { Secrets } from '../../plan/secrets.js'
import { kindNamed } from '../../steps/registry.js'
import { parseCommandArgs } from '../args.js'
import { runChange } from '../lifecycle.js'
import { openPlan } from '../open-plan.js'
import type { Output } from '../output.js'
import { jsonRenderer, quietRenderer } from '../render/renderer.js'
import { writeReports } from '../report-file.js'
import { clockFor, engineFor, runtimeFor } from '../run-setup.js'

export const usage = `usage: cutover rollback <plan.yaml> [--yes] [--json]

Undoes the finished cutover steps, newest first: starts the legacy services again, removes the
new endpoint, re-enables the lookup account, restores the Persistent Chat backup. Every cutover
step is then pending again. Refused once decommissioning has begun (read from the state, even
for steps the plan no longer lists). On a terminal it lists what it will undo and asks; without
a terminal it needs --yes. Ctrl-C stops after the undo that is running and exits 130.`

export async function run(argv: readonly string[], out: Output): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('rollback', argv, { yes: { type: 'boolean' }, json: { type: 'boolean' } })
  const [file] = positionals
  if (file === undefined || positionals.length > 1) throw new UsageError('rollback: name one plan file')
  if (values.yes !== true && process.stdin.isTTY !== true) throw new UsageError('rollback: no terminal to ask for confirmation; pass --yes')
  const open = await openPlan(file, out, 'rollback')
  // Read-only, before asking: what would be undone, or why rollback refuses.
  const toUndo = planRollback(await open.store.load(), open.steps, kindNamed)
  let runtime: Runtime | undefined
  return runChange({
    name: 'rollback',
    out,
    confirm: {
      yes: values.yes === true,
      preface: toUndo.length === 0 ? ['cutover: nothing to undo; every cutover step would be set pending again'] : ['cutover rollback will undo, newest first:', ...toUndo.map((s) => `  ${s.id}  ${s.title}`)],
      question: `Roll back '${open.plan.name}'?`,
      withoutTerminal: 'refuse',
    },
    async work(signal) {
      const secrets = new Secrets(process.env)
      runtime = await runtimeFor(open, out, secrets)
      const renderer = values.json === true ? jsonRenderer(out.stdout) : quietRenderer()
      const engine = await engineFor(open, runtime, renderer.listener, `cutover rollback ${argv.join(' ')}`, secrets)
      const result = await engine.rollback({ signal })
      if (values.json !== true) for (const id of result.undone) out.stdout(`undone: ${id}`)
      if (result.outcome === 'interrupted') {
        out.stderr(`cutover: rollback interrupted after undoing ${result.undone.length} step(s); run rollback again to continue`)
        return EXIT.interrupted
      }
      if (values.json !== true) out.stdout(`cutover: rolled back ${result.undone.length} step(s); ${result.reset.length} cutover and post step(s) are pending again`)
      return EXIT.ok
    },
    async after() {
      await runtime?.close()
      await writeReports(open, await clockFor(open))
    },
  })
}
