import { UsageError } from '../../core/errors.js'
import { parseCommandArgs } from '../args.js'
import { EXIT } from '../../core/errors.js'
import type { ExitCode } from '../../core/errors.js'
import { runChange } from '../lifecycle.js'
import { openPlan } from '../open-plan.js'
import type { Output } from '../output.js'

export const usage = `usage: cutover unlock <plan.yaml> [--force]

Clears the lock a dead apply left behind. Refuses while the holder still runs on this machine;
--force only breaks a lock taken on another machine, whose process cannot be checked from here.`

export async function run(argv: readonly string[], out: Output): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('unlock', argv, { force: { type: 'boolean' } })
  const [file] = positionals
  if (file === undefined || positionals.length > 1) throw new UsageError('unlock: name one plan file')
  const open = await openPlan(file, out, 'unlock')
  return runChange({
    name: 'unlock',
    out,
    async work() {
      const holder = await open.store.breakLock({ force: values.force === true })
      out.stdout(holder === undefined ? `cutover: ${open.plan.name} was not locked` : `cutover: removed the lock of pid ${holder.pid} on ${holder.host} (since ${holder.startedAt})`)
      return EXIT.ok
    },
  })
}
