import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Command } from '../../core/command.js'
import type { CommandResult } from '../../core/host.js'
import type { JsonObject } from '../../core/json.js'
import { stepId } from '../../core/step.js'
import type { Step, StepId } from '../../core/step.js'
import { targetServices } from '../../plan/defaults.js'
import { outputsOf } from '../../state/records.js'
import { writeArtifact } from '../artifacts.js'
import { defineStep, makeStep } from '../define.js'
import type { RunContext } from '../define.js'
import { fixedMinutes } from '../forecasts.js'
import { runCommands } from '../run-commands.js'

/** `stopStep`: for a start, the stop whose recorded `stopped` services it starts again. */
export type TargetServicesInput = { readonly action: 'stop' | 'start'; readonly servers: readonly string[]; readonly services: readonly string[]; readonly stopStep?: StepId<'target-services'> }

/** The step that stops Persistent Chat before the first import; with `source`, before that
 * (later) source's import. */
export function stopTargetId(source?: string): StepId<'target-services'> {
  return stepId('target-services', source === undefined ? 'cutover.stop-target' : `cutover.stop-target.${source}`)
}

/** The step that starts Persistent Chat again: where the downtime ends. With `source`, the start
 * after that source's import, for its mappings, when another source is imported after it. */
export function startTargetId(source?: string): StepId<'target-services'> {
  return stepId('target-services', source === undefined ? 'cutover.start-target' : `cutover.start-target.${source}`)
}

/** A service on a server, as a stop records it. */
type Stopped = { readonly server: string; readonly name: string }

const csCommand = (verb: 'Stop' | 'Start', server: string, name: string): Command =>
  ({ cmdlet: `${verb}-CsWindowsService`, params: [['Name', name], ['ComputerName', server]] })
const statusCommand = (server: string): Command => ({ cmdlet: 'Get-CsWindowsService', params: [['ComputerName', server]] })

// Stop-/Start-CsWindowsService take one service name and one computer at a time.
const namedCommands = (i: TargetServicesInput, verb: 'Stop' | 'Start'): Command[] =>
  i.servers.flatMap((server) => i.services.map((name) => csCommand(verb, server, name)))

/** A stop, with each server's Lync services read before and after: Stop-CsWindowsService also
 * stops the services that depend on the named ones, and the start must know which. */
const stopCommands = (i: TargetServicesInput): Command[] =>
  i.servers.flatMap((server) => [...i.services.map((name) => csCommand('Stop', server, name)), statusCommand(server)])
const statusCommands = (i: TargetServicesInput): Command[] => i.servers.map(statusCommand)

const runningArtifact = (id: StepId) => `services/${id}.json`

function statuses(r: CommandResult | undefined): Map<string, { name: string; status: string }> {
  const list = Array.isArray(r?.data?.services) ? (r.data.services as unknown[]) : []
  const out = new Map<string, { name: string; status: string }>()
  for (const s of list) {
    if (typeof s !== 'object' || s === null) continue
    const { Name, Status } = s as { Name?: unknown; Status?: unknown }
    if (typeof Name === 'string' && typeof Status === 'string') out.set(Name.toLowerCase(), { name: Name, status: Status })
  }
  return out
}

/** The services running on each server, from statusCommands' results. */
function runningOn(i: TargetServicesInput, results: readonly CommandResult[]): Stopped[] {
  return i.servers.flatMap((server, n) => [...statuses(results[n]).values()].filter((s) => s.status === 'Running').map((s) => ({ server, name: s.name })))
}

/** The services running before that are stopped after, from stopCommands' results. */
function stoppedBy(i: TargetServicesInput, before: readonly Stopped[], results: readonly CommandResult[]): Stopped[] {
  return i.servers.flatMap((server, n) => {
    const after = statuses(results[(n + 1) * (i.services.length + 1) - 1])
    return before.filter((b) => b.server === server && after.get(b.name.toLowerCase())?.status === 'Stopped')
  })
}

function recordedStops(outputs: JsonObject | undefined): Stopped[] | undefined {
  const list = outputs?.stopped
  if (!Array.isArray(list)) return undefined
  return list.flatMap((s) => (typeof s === 'object' && s !== null && !Array.isArray(s) && typeof s.server === 'string' && typeof s.name === 'string' ? [{ server: s.server, name: s.name }] : []))
}

/** The named services, then the others a stop stopped (its dependents), which
 * Start-CsWindowsService does not start by itself: each server's named ones first. */
function startCommands(i: TargetServicesInput, stopped: readonly Stopped[] | undefined): Command[] {
  const named = namedCommands(i, 'Start')
  const isNamed = (s: Stopped) => i.servers.some((v) => v.toLowerCase() === s.server.toLowerCase()) && i.services.some((n) => n.toLowerCase() === s.name.toLowerCase())
  return [...named, ...(stopped ?? []).filter((s) => !isNamed(s)).map((s) => csCommand('Start', s.server, s.name))]
}

async function startAgain(step: Step<'target-services', TargetServicesInput>, ctx: RunContext, stopped: Stopped[] | undefined): Promise<void> {
  if (stopped === undefined) ctx.log('no record of what the stop stopped: starting the services the plan names only; start their dependents by hand (Get-CsWindowsService)')
  await runCommands(ctx, step.id, startCommands(step.input, stopped))
}

/** Stops (before an import) or starts (after one) the Persistent Chat services. A stop records
 * every service it stopped, dependents included; the start starts them all again. */
export const targetServicesKind = defineStep<'target-services', TargetServicesInput>({
  kind: 'target-services',
  traits: { idempotent: true },
  fromPlan(plan) {
    const last = plan.sources.length - 1
    // The stop of a lane: the first source's is cutover.stop-target, each later one its own.
    const stopOf = (lane: number): StepId<'target-services'> => {
      const id = plan.sources[lane]?.id
      return lane === 0 || id === undefined ? stopTargetId() : stopTargetId(id)
    }
    // A start reads what the stop just before it stopped, so it starts those dependents again.
    const input = (action: 'stop' | 'start', lane = 0): TargetServicesInput => ({ action, servers: [...plan.target.servers], services: [...targetServices(plan.target)], ...(action === 'start' ? { stopStep: stopOf(lane) } : {}) })
    const on = plan.target.servers.join(', ')
    return [
      // Stopped after the first source's export, before anything is imported. With several
      // sources, started again after each import but the last, for that source's mappings
      // (steps/order.ts), and stopped before the next import.
      ...plan.sources.map((s, lane) => lane === 0
        ? { slot: 'stop-target' as const, lane, step: makeStep('target-services', stopTargetId(), 'cutover', `Stop Persistent Chat on ${on}`, input('stop')) }
        : { slot: 'stop-target' as const, lane, step: makeStep('target-services', stopTargetId(s.id), 'cutover', `Stop Persistent Chat on ${on} before importing ${s.id}`, input('stop')) }),
      ...plan.sources.slice(0, last).map((s, lane) => ({
        slot: 'start-target' as const, lane, step: makeStep('target-services', startTargetId(s.id), 'cutover', `Start Persistent Chat on ${on} for the mappings of ${s.id}`, input('start', lane)),
      })),
      { slot: 'start-target', step: makeStep('target-services', startTargetId(), 'cutover', `Start Persistent Chat on ${on}`, input('start', Math.max(last, 0))) },
    ]
  },
  forecast: () => fixedMinutes(2),
  preview(step) {
    if (step.input.action === 'stop') return [{ type: 'commands', commands: [...statusCommands(step.input), ...stopCommands(step.input)] }]
    return [
      { type: 'note', text: `then Start-CsWindowsService for each other service ${step.input.stopStep ?? 'the stop'} stopped (its dependents: Stop-CsWindowsService stops them, Start-CsWindowsService does not start them)` },
      { type: 'commands', commands: namedCommands(step.input, 'Start') },
    ]
  },
  async run(step, ctx) {
    const i = step.input
    if (i.action === 'start') {
      await startAgain(step, ctx, i.stopStep === undefined ? undefined : recordedStops(outputsOf(ctx.record(i.stopStep))))
      return {}
    }
    // What ran before the first attempt: a stop that runs again after a crash finds them stopped.
    const saved = recordedStops(await readArtifactIfAny(ctx, runningArtifact(step.id)))
    const before = saved ?? runningOn(i, await runCommands(ctx, step.id, statusCommands(i)))
    if (saved === undefined) await writeArtifact(ctx, runningArtifact(step.id), { stopped: before })
    const stopped = stoppedBy(i, before, await runCommands(ctx, step.id, stopCommands(i)))
    const extra = stopped.filter((s) => !i.services.some((n) => n.toLowerCase() === s.name.toLowerCase()))
    if (extra.length > 0) ctx.log(`also stopped (they depend on ${i.services.join(', ')}): ${extra.map((s) => `${s.name} on ${s.server}`).join(', ')}; the start starts them again`)
    return { outputs: { stopped } }
  },
  async undo(step, ctx, outputs) {
    if (step.input.action === 'stop') {
      await startAgain(step, ctx, recordedStops(outputs) ?? recordedStops(await readArtifactIfAny(ctx, runningArtifact(step.id))))
      // Started again: a later apply reads afresh what runs.
      await rm(join(ctx.artifactsDir, runningArtifact(step.id)), { force: true })
      return
    }
    await runCommands(ctx, step.id, namedCommands(step.input, 'Stop'))
  },
})

async function readArtifactIfAny(ctx: RunContext, name: string): Promise<JsonObject | undefined> {
  try {
    return JSON.parse(await readFile(join(ctx.artifactsDir, name), 'utf8')) as JsonObject
  } catch {
    return undefined
  }
}
