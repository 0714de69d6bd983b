import type { Command, ParamValue } from '../hosts/command.js'
import { flattenedName, nameKey, splitPath } from '../plan/names.js'
import type { Plan, Privacy } from '../plan/types.js'
import { NODES } from '../sql/queries.js'
import { inventories } from './artifacts.js'
import { expectation } from './expectations.js'
import type { ExpectedRoom } from './expectations.js'
import { inputOf } from './kind.js'
import type { RunContext, Step, StepKind } from './kind.js'
import { runCommands } from './run-commands.js'

interface Input { readonly pool: string; readonly inventorySteps: readonly string[] }

const PRIVACY: Readonly<Record<Privacy, string>> = { open: 'Open', closed: 'Closed', secret: 'Secret' }
const identity = (pool: string, name: string) => `${pool}\\${name}`

function roomCommand(pool: string, current: string, r: { name?: string; category?: string; privacy?: Privacy; disabled?: boolean; description?: string }): Command | undefined {
  const params: [string, ParamValue][] = [['Identity', identity(pool, current)]]
  if (r.name !== undefined && r.name !== current) params.push(['Name', r.name])
  if (r.category !== undefined) params.push(['Category', r.category])
  if (r.privacy !== undefined) params.push(['Privacy', PRIVACY[r.privacy]])
  if (r.disabled !== undefined) params.push(['Disabled', { bool: r.disabled }])
  if (r.description !== undefined) params.push(['Description', r.description])
  return params.length > 1 ? { cmdlet: 'Set-CsPersistentChatRoom', params } : undefined
}

/** The commands the preview can show before any inventory exists: one per mapping of the plan. */
function planCommands(step: Step, plan: Plan): Command[] {
  const pool = inputOf<Input>(step).pool
  const out: Command[] = []
  for (const c of plan.rooms.categories) {
    if (c.export && c.to !== undefined) out.push({ cmdlet: 'Set-CsPersistentChatCategory', params: [['Identity', identity(pool, flattenedName(splitPath(c.from) ?? [c.from]))], ['Name', c.to]] })
  }
  for (const m of plan.rooms.map) {
    const leaf = flattenedName(splitPath(m.room) ?? [m.room])
    if (m.action === 'skip') out.push({ cmdlet: 'Remove-CsPersistentChatRoom', params: [['Identity', identity(pool, leaf)], ['Force', { switch: true }]] })
    else {
      const cmd = roomCommand(pool, leaf, { ...(m.rename === undefined ? {} : { name: m.rename }), ...(m.category === undefined ? {} : { category: m.category }), ...(m.privacy === undefined ? {} : { privacy: m.privacy }), ...(m.disabled === undefined ? {} : { disabled: m.disabled }), ...(m.description === undefined ? {} : { description: m.description }) })
      if (cmd !== undefined) out.push(cmd)
    }
  }
  return out
}

/** What must still change, given what the target holds now: a re-run after a crash skips what
 * is already in place, so the step is idempotent. */
async function pendingCommands(ctx: RunContext): Promise<Command[]> {
  const { pool, inventorySteps } = inputOf<Input>(ctx.step)
  const expected = expectation(ctx.plan, await inventories(ctx, inventorySteps))
  const rows = await (await ctx.sql({ kind: 'target' })).query<{ nodeType: number; nodeName: string }>(NODES)
  const rooms = new Set(rows.filter((r) => Number(r.nodeType) === 0).map((r) => nameKey(r.nodeName)))
  const categories = new Set(rows.filter((r) => Number(r.nodeType) === 1).map((r) => nameKey(r.nodeName)))
  const out: Command[] = []
  for (const c of expected.categories) {
    if (c.name !== c.importedName && categories.has(nameKey(c.importedName)) && !categories.has(nameKey(c.name))) {
      out.push({ cmdlet: 'Set-CsPersistentChatCategory', params: [['Identity', identity(pool, c.importedName)], ['Name', c.name]] })
    }
  }
  for (const r of expected.removed) {
    if (rooms.has(nameKey(r.name))) out.push({ cmdlet: 'Remove-CsPersistentChatRoom', params: [['Identity', identity(pool, r.name)], ['Force', { switch: true }]] })
  }
  for (const r of expected.rooms) {
    const cmd = changeRoom(pool, r, rooms)
    if (cmd !== undefined) out.push(cmd)
  }
  return out
}

function changeRoom(pool: string, r: ExpectedRoom, rooms: ReadonlySet<string>): Command | undefined {
  const changes = r.name !== r.importedName || r.category !== r.importedCategory || r.privacy !== undefined || r.disabled !== undefined || r.description !== undefined
  if (!changes) return undefined
  const current = rooms.has(nameKey(r.importedName)) ? r.importedName : r.name
  return roomCommand(pool, current, {
    name: r.name,
    ...(r.category !== r.importedCategory ? { category: r.category } : {}),
    ...(r.privacy === undefined ? {} : { privacy: r.privacy }),
    ...(r.disabled === undefined ? {} : { disabled: r.disabled }),
    ...(r.description === undefined ? {} : { description: r.description }),
  })
}

/** Category renames, room renames, moves, privacy and skips, applied after the import. */
export const mappingsKind: StepKind = {
  kind: 'mappings',
  idempotent: true,
  render: (step, plan) => [{ type: 'commands', commands: planCommands(step, plan) }],
  async run(ctx) {
    const commands = await pendingCommands(ctx)
    // Batches keep one host start per batch on a real server while progress still moves.
    const BATCH = 50
    for (let i = 0; i < commands.length; i += BATCH) {
      await runCommands(ctx, commands.slice(i, i + BATCH))
      ctx.progress(Math.min(i + BATCH, commands.length), commands.length, 'changes')
    }
    return { outputs: { changes: commands.length } }
  },
}
