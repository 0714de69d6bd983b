import { resolve } from 'node:path'
import { UsageError } from '../../core/errors.js'
import { createLab } from '../../lab/index.js'
import { labExists } from '../../runtimes/lab/runtime.js'
import { parseCommandArgs } from '../args.js'
import { runChange } from '../lifecycle.js'
import { runLabCmdlet } from './lab-cmdlet.js'
import { plansOfLab, setPlanStateAside, withLabPlanLocks } from '../lab-state.js'
import { EXIT } from '../../core/errors.js'
import type { ExitCode } from '../../core/errors.js'
import type { Output } from '../output.js'

export const usage = `usage: cutover lab init [--dir D] [--rooms N] [--messages M] [--seed S] [--legacy-pools 2] [--yes]
       cutover lab cmdlet --dir D [--base B]   (one emulated cmdlet, JSON on stdin: for the Lync stub module)

Creates (or re-creates) the embedded lab: a lab emulator of the Lync side with a seeded,
deterministic Group Chat store and an empty Persistent Chat store (SQLite). Default folder:
plans/.cutover/lab, where plans/lab.yaml expects it; 40 rooms, 20,000 messages, seed 1.
--legacy-pools 2 adds a second legacy Group Chat pool (gcpool2.lab.cutover.test) whose category
and room names partly repeat the first's, to rehearse merging two pools into one.
Replacing an existing lab is asked on a terminal (--yes does not ask). The plans of the lab (the
plan files beside its .cutover/ folder with shell: lab and this lab as workDir, e.g.
plans/lab.yaml for plans/.cutover/lab) ran on the stores it replaces: lab init takes their lock
(refusing, exit 4, while an apply runs) and moves their state and journal aside into
.cutover/<name>.before-lab-init-<time>/, so they start afresh.`

function count(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`lab init: --${name} must be a whole number (got '${value}')`)
  return n
}

export async function run(argv: readonly string[], out: Output): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('lab', argv, {
    dir: { type: 'string' }, base: { type: 'string' }, rooms: { type: 'string' }, messages: { type: 'string' }, seed: { type: 'string' }, 'legacy-pools': { type: 'string' }, yes: { type: 'boolean' },
  })
  if (positionals[0] === 'cmdlet' && positionals.length === 1) return runLabCmdlet(values.dir, values.base, out)
  if (positionals[0] !== 'init' || positionals.length > 1) throw new UsageError('lab: the subcommands are init and cmdlet (cutover lab --help)')
  const dir = resolve(values.dir ?? 'plans/.cutover/lab')
  const rooms = count('rooms', values.rooms, 40)
  const messages = count('messages', values.messages, 20_000)
  const seed = count('seed', values.seed, 1)
  const legacyPools = count('legacy-pools', values['legacy-pools'], 1)
  if (legacyPools !== 1 && legacyPools !== 2) throw new UsageError(`lab init: --legacy-pools is 1 or 2 (got ${legacyPools})`)
  const replacing = labExists(dir)
  const plans = plansOfLab(dir)
  return runChange({
    name: 'lab init',
    out,
    // Re-creating a lab throws away what ran on it: asked on a terminal; scripts and CI, which
    // re-create labs all the time, are not stopped.
    ...(replacing || plans.length > 0 ? {
      confirm: {
        yes: values.yes === true,
        ...(plans.length === 0 ? {} : { preface: [`cutover: the state of ${plans.map((p) => `'${p.name}' (${p.file})`).join(', ')} is set aside: ${plans.length === 1 ? 'it starts' : 'they start'} afresh`] }),
        question: `Replace the lab emulator in ${dir} (its stores and whatever ran on them)?`,
        withoutTerminal: 'proceed' as const,
      },
    } : {}),
    async work() {
      const started = Date.now()
      // Under the lock of every plan that ran on this lab: never under a running apply.
      return await withLabPlanLocks(plans, `cutover lab init ${argv.join(' ')}`, async () => {
        // State first: a lab that fails half-made must not lie under a state that says done.
        const stamp = new Date().toISOString().replace(/[:.]/g, '-')
        for (const p of plans) {
          const aside = setPlanStateAside(p, dir, stamp)
          if (aside !== undefined) out.stdout(`cutover: the state and journal of plan '${p.name}' (run on the replaced lab) were moved to ${aside}; it starts afresh`)
        }
        const info = await createLab({ dir, replace: true, rooms, messages, seed, legacyPools })
        const c = info.counts
        const s = info.second?.counts
        const second = s === undefined ? '' : `; a second legacy pool: ${s.categories} categories, ${s.rooms} rooms, ${s.messages} messages`
        out.stdout(`cutover: lab emulator created in ${dir} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${c.categories} categories, ${c.rooms} rooms, ${c.messages} messages, ${c.principals} principals${second} (seed ${info.seed})`)
        return EXIT.ok
      })
    },
  })
}
