import type { EngineEvent, EventListener } from '../../engine/events.js'
import type { Step } from '../../core/step.js'

/** Turns engine events into terminal output for one command run. */
export interface RunRenderer {
  readonly listener: EventListener
  /** Resolves when the renderer has shown everything (listr2 ends its last task). */
  finish(): Promise<void>
}

export type RenderMode = 'listr' | 'json' | 'quiet'

export function jsonRenderer(write: (line: string) => void): RunRenderer {
  return {
    listener: (e: EngineEvent) => write(JSON.stringify({ at: new Date().toISOString(), ...e })),
    finish: () => Promise.resolve(),
  }
}

export function quietRenderer(): RunRenderer {
  return { listener: () => undefined, finish: () => Promise.resolve() }
}

export type { Step }
