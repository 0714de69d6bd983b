import type { Rule } from './rule.js'

/** Shown in the message: enough of the valid ids to pick from, not the whole plan. */
const SHOWN = 8

/**
 * A checkpoint pauses right before the step it names, so that name must be a step the plan
 * compiles: a misspelt id would otherwise drop the go/no-go the admins asked for. The ids come
 * from compile (the caller passes them in: plan/ sits below compile/); without them the rule is
 * silent and compile itself refuses the name.
 */
export const checkpointBefore: Rule = {
  id: 'checkpoint-before',
  describe: 'each checkpoint names, in before, a step the plan compiles',
  check({ plan, report, stepIds }) {
    if (plan.checkpoints.length === 0 || stepIds === undefined) return
    const ids = stepIds()
    plan.checkpoints.forEach((c, i) => {
      if (ids.includes(c.before)) return
      // The steps of the phase it names first (`post.` ...), where a misspelling most likely is.
      const near = ids.filter((id) => id.split('.')[0] === c.before.split('.')[0])
      const shown = (near.length > 0 ? near : ids).slice(0, SHOWN)
      const more = (near.length > 0 ? near : ids).length - shown.length
      report({ path: ['checkpoints', i, 'before'], severity: 'error', message: `checkpoint ${i + 1} is before ${c.before}, which is no step of this plan; steps are e.g. ${shown.join(', ')}${more > 0 ? ` (and ${more} more: cutover plan lists them)` : ''}` })
    })
  },
}
