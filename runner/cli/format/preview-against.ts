import type { InputChange } from '../../compile/input-diff.js'
import type { AgainstRef, StepChange } from '../../compile/step-changes.js'
import { escapeLineBreaks } from '../../core/line-breaks.js'
import { markdownCell } from '../../report/markdown.js'

/** Changed inputs shown per step; `--format json` has every one (against.steps[].inputs). */
const INPUTS_SHOWN = 50

const WORD: Readonly<Record<StepChange['change'], string>> = { added: 'new', removed: 'removed', changed: 'changed' }

/** The counts, in words: `2 changed, 1 new, 0 removed, 20 the same`. */
function tally(a: AgainstRef): string {
  const n = (change: StepChange['change']) => a.steps.filter((s) => s.change === change).length
  return `${n('changed')} changed, ${n('added')} new, ${n('removed')} removed, ${a.unchanged} the same`
}

/** Why there is nothing to list step by step, or undefined when there is a list. */
function instead(a: AgainstRef): string | undefined {
  if (a.planAtRef === 'absent') return `${a.path} is not in that commit: every step is new (${a.steps.length} steps)`
  if (a.planAtRef === 'invalid') return `the plan there does not validate, so its steps are not known (${a.invalid ?? ''})`
  if (a.steps.length === 0) return `no step changed (${a.unchanged} the same)`
  return undefined
}

function inputsOf(s: StepChange): { readonly shown: readonly InputChange[]; readonly more: number } {
  const all = s.change === 'changed' ? s.inputs : []
  return { shown: all.slice(0, INPUTS_SHOWN), more: Math.max(0, all.length - INPUTS_SHOWN) }
}

const MORE = (n: number) => `… and ${n} more: cutover plan --format json lists every one (against.steps)`

/** The plan against a git ref, as lines of the text preview. */
export function againstText(a: AgainstRef | undefined): string[] {
  if (a === undefined) return []
  const head = `changes against ${a.ref} (commit ${a.commit.slice(0, 12)}, ${a.path})`
  const why = instead(a)
  if (why !== undefined) return [escapeLineBreaks(`${head}: ${why}`), '']
  const lines = [escapeLineBreaks(`${head}: ${tally(a)}`)]
  for (const s of a.steps) {
    lines.push(escapeLineBreaks(`  ${WORD[s.change]} ${s.id}  ${s.title}`))
    const { shown, more } = inputsOf(s)
    lines.push(...shown.map((c) => escapeLineBreaks(`    ${c.path === '' ? '(input)' : c.path}: ${c.ran ?? '(absent)'} -> ${c.now ?? '(absent)'}`)))
    if (more > 0) lines.push(`    ${MORE(more)}`)
  }
  return [...lines, '']
}

/** The plan against a git ref, as a section of the pull-request comment ("Changes against
 * origin/main"): each step that is new, removed or changed, with the inputs that changed. */
export function againstMarkdown(a: AgainstRef | undefined): string[] {
  if (a === undefined) return []
  const cell = markdownCell
  const lines = [`### Changes against ${cell(a.ref)}`, '']
  const where = `Against commit \`${a.commit.slice(0, 12)}\` (${cell(a.path)})`
  const why = instead(a)
  if (why !== undefined) return [...lines, `${where}: ${cell(why)}.`, '']
  lines.push(`${where}: ${tally(a)}.`, '')
  for (const s of a.steps) {
    lines.push(`- \`${s.id}\` (${WORD[s.change]}): ${cell(s.title)}`)
    const { shown, more } = inputsOf(s)
    lines.push(...shown.map((c) => `  - ${cell(c.path === '' ? '(input)' : c.path)}: ${cell(c.ran ?? '(absent)')} → ${cell(c.now ?? '(absent)')}`))
    if (more > 0) lines.push(`  - ${cell(MORE(more))}`)
  }
  return [...lines, '']
}
