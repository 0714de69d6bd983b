import { UsageError } from '../../core/errors.js'
import { parseCommandArgs } from '../args.js'
import { EXIT } from '../../core/errors.js'
import type { ExitCode } from '../../core/errors.js'
import { openPlan } from '../open-plan.js'
import type { Output } from '../output.js'
import { jsonRenderer } from '../render/renderer.js'
import { engineFor, runtimeFor } from '../run-setup.js'
import { Secrets } from '../../plan/secrets.js'

export const usage = `usage: cutover rollback <plan.yaml> [--yes] [--json]

Undoes the finished cutover steps, newest first: starts the legacy services again, removes the
new endpoint, re-enables the lookup account, restores the Persistent Chat backup. Every cutover
step is then pending again. Refused once decommissioning has begun.`

export async function run(argv: readonly string[], out: Output): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('rollback', argv, { yes: { type: 'boolean' }, json: { type: 'boolean' } })
  const [file] = positionals
  if (file === undefined || positionals.length > 1) throw new UsageError('rollback: name one plan file')
  if (values.yes !== true && !process.stdin.isTTY) throw new UsageError('rollback: no terminal to ask for confirmation; pass --yes')
  const open = await openPlan(file, out, 'rollback')
  const secrets = new Secrets(process.env)
  const runtime = await runtimeFor(open, out, secrets)
  const renderer = values.json === true ? jsonRenderer(out.stdout) : { listener: () => undefined, finish: () => Promise.resolve() }
  try {
    const { undone, reset } = await (await engineFor(open, runtime, renderer.listener, `cutover rollback ${argv.join(' ')}`, secrets)).rollback()
    if (values.json !== true) {
      for (const id of undone) out.stdout(`undone: ${id}`)
      out.stdout(`cutover: rolled back ${undone.length} step(s); ${reset.length} cutover step(s) are pending again`)
    }
    return EXIT.ok
  } finally {
    await runtime.close()
  }
}
