import { DefaultRenderer, Listr, ListrLogger } from 'listr2'
import type { ListrDefaultRendererLogLevels, ListrDefaultRendererOptions, ListrDefaultRendererTask, ListrEventManager, ListrTaskWrapper, SimpleRenderer } from 'listr2'
import type { EngineEvent } from '../../engine/events.js'
import type { Step } from '../../core/step.js'
import { FrameWriter } from './frames.js'
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

/** How many wrapped lines the renderer keeps: a few frames of a long list, spinner frames included. */
export const FORMATTED_KEPT = 1_000

/**
 * listr2's default renderer redraws the whole list (wrapping every line to the terminal's width)
 * on each change of any task, synchronously, besides its spinner's 10 redraws a second: on a long
 * import that made `apply` on a terminal 2.5 times slower than `--quiet` (issue 14). This one
 * redraws at most once per REDRAW_MS: a change in between is drawn by one redraw at the end of
 * the interval, so nothing shown is lost and the spinner keeps its pace. Its frames go through a
 * FrameWriter, which wraps only the lines that changed, instead of listr2's log-update.
 */
export class ThrottledRenderer extends DefaultRenderer {
  private last = 0
  private timer: NodeJS.Timeout | undefined
  private readonly formatted = new Map<string, string[]>()
  private readonly frames: FrameWriter

  // listr2 passes no options when the Listr is given none for its renderer.
  constructor(tasks: ListrDefaultRendererTask[], options: ListrDefaultRendererOptions | undefined, events: ListrEventManager) {
    // The logger listr2 would make, made here to write the frames where listr2 writes its own:
    // past its hold on process.stdout, which keeps other writes for after the list.
    const logger = options?.logger ?? new ListrLogger<ListrDefaultRendererLogLevels>({ useIcons: true, toStderr: [] })
    super(tasks, { ...(options ?? {}), logger }, events)
    this.frames = new FrameWriter(() => logger.process.stdout)
  }

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
    // listr2 erases what its own updater drew (nothing here), then prints the list once more.
    this.frames.clear()
    super.end()
  }

  /**
   * listr2 wraps every line of every task to the terminal's width on each redraw (wrap-ansi
   * measures each line once per word, string-width segments it by graphemes): on the 300,000-
   * message lab that was half of the terminal's extra time (issue 14), while the lines of all but
   * the running task stay the same from one redraw to the next. The wrapped lines depend only on
   * the text, the icon, the level and the width, so they are kept, up to FORMATTED_KEPT of them.
   */
  protected override format(message: string, icon: string, level: number): string[] {
    const key = `${process.stdout.columns ?? 0}\u0000${level}\u0000${icon}\u0000${message}`
    const kept = this.formatted.get(key)
    if (kept !== undefined) return [...kept]
    const lines = super.format(message, icon, level)
    // Progress lines change all the time: past the bound, start again rather than grow.
    if (this.formatted.size >= FORMATTED_KEPT) this.formatted.clear()
    this.formatted.set(key, [...lines])
    return lines
  }

  private draw(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    this.last = Date.now()
    this.frames.draw(this.create())
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
