import { DefaultRenderer, Listr } from 'listr2'
import type { ListrTaskWrapper, SimpleRenderer } from 'listr2'
import type { EngineEvent } from '../../engine/events.js'
import type { Step } from '../../core/step.js'
import type { RunRenderer } from './renderer.js'

type Settled = { readonly kind: 'done' } | { readonly kind: 'skip'; readonly reason: string } | { readonly kind: 'failed'; readonly error: string }

interface Slot {
  readonly settled: Promise<Settled>
  settle(s: Settled): void
  task?: ListrTaskWrapper<unknown, typeof ThrottledRenderer, typeof SimpleRenderer>
  /** Output that arrived before listr started this task. */
  pending?: string
  lastProgressAt: number
}

function slot(): Slot {
  let settle!: (s: Settled) => void
  const settled = new Promise<Settled>((resolve) => (settle = resolve))
  return { settled, settle, lastProgressAt: 0 }
}

/** The least time between two redraws of the task list on a terminal. */
export const REDRAW_MS = 100

/**
 * listr2's default renderer redraws the whole list (wrapping every line to the terminal's width)
 * on each change of any task, synchronously, besides its spinner's 10 redraws a second: on a long
 * import that made `apply` on a terminal 2.5 times slower than `--quiet` (issue 14). This one
 * redraws at most once per REDRAW_MS: a change in between is drawn by one redraw at the end of
 * the interval, so nothing shown is lost and the spinner keeps its pace.
 */
export class ThrottledRenderer extends DefaultRenderer {
  private last = 0
  private timer: NodeJS.Timeout | undefined

  override update(): void {
    const wait = this.last + REDRAW_MS - Date.now()
    if (wait <= 0) {
      this.draw()
      return
    }
    this.timer ??= setTimeout(() => this.draw(), wait)
  }

  override end(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    super.end()
  }

  private draw(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    this.last = Date.now()
    super.update()
  }
}

/**
 * listr2 rendering of a run: one task per step, in order. The engine runs on its own and its
 * events settle the tasks; listr2 picks its default renderer on a terminal and the simple one
 * otherwise (its own fallback rule), so logs and CI get plain lines.
 */
export function listrRenderer(steps: readonly Step[]): RunRenderer {
  const slots = new Map<string, ReturnType<typeof slot>>(steps.map((s) => [s.id, slot()]))
  const show = (s: Slot, text: string) => {
    if (s.task === undefined) s.pending = text
    else s.task.output = text
  }
  const listr = new Listr(
    steps.map((step) => ({
      title: `${step.id}  ${step.title}`,
      task: async (_ctx: unknown, task: ListrTaskWrapper<unknown, typeof ThrottledRenderer, typeof SimpleRenderer>) => {
        const s = slots.get(step.id)
        if (s === undefined) return
        s.task = task
        if (s.pending !== undefined) task.output = s.pending
        const outcome = await s.settled
        if (outcome.kind === 'skip') task.skip(outcome.reason)
        else if (outcome.kind === 'failed') throw new Error(outcome.error)
      },
    })),
    // Ctrl-C is the command lifecycle's (cli/lifecycle.ts): listr2's own handler would exit 127
    // in the middle of a step, leaving the lock and journaling nothing.
    // On a terminal, the default renderer with redraws throttled; elsewhere listr2's own fallback.
    { concurrent: false, exitOnError: true, registerSignalListeners: false, renderer: ThrottledRenderer, fallbackRenderer: 'simple' },
  )
  const done = listr.run().catch(() => undefined)

  const listener = (e: EngineEvent): void => {
    switch (e.type) {
      case 'step-skip':
        slots.get(e.id)?.settle({ kind: 'skip', reason: e.reason })
        break
      case 'step-done':
        slots.get(e.id)?.settle({ kind: 'done' })
        break
      case 'step-failed':
        slots.get(e.id)?.settle({ kind: 'failed', error: e.error })
        break
      case 'step-progress': {
        const s = slots.get(e.id)
        const now = Date.now()
        // A line per progress report would flood logs; twice a second is enough to see it move.
        if (s === undefined || (now - s.lastProgressAt < 500 && e.done < e.total)) break
        s.lastProgressAt = now
        show(s, `${e.done.toLocaleString('en-US')} / ${e.total.toLocaleString('en-US')} ${e.unit} (${e.total === 0 ? 100 : Math.floor((e.done / e.total) * 100)}%)`)
        break
      }
      case 'step-log': {
        // The latest line of a running script, at most twice a second (progress wins when both come).
        const s = slots.get(e.id)
        const now = Date.now()
        if (s === undefined || now - s.lastProgressAt < 500) break
        s.lastProgressAt = now
        show(s, e.line.length > 200 ? `${e.line.slice(0, 197)}...` : e.line)
        break
      }
      case 'step-warning': {
        const s = slots.get(e.id)
        if (s !== undefined) show(s, `warning: ${e.message}`)
        break
      }
      case 'step-recover': {
        const s = slots.get(e.id)
        if (s !== undefined) show(s, `recovering: ${e.how}`)
        break
      }
      case 'run-end':
        for (const s of slots.values()) s.settle({ kind: 'skip', reason: 'not run' })
        break
      default:
        break
    }
  }
  return {
    listener,
    async finish() {
      for (const s of slots.values()) s.settle({ kind: 'skip', reason: 'not run' })
      await done
    },
  }
}
