/** Exit codes of DESIGN.md; scripts and CI depend on them, so they never change meaning. */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  paused: 3,
  locked: 4,
  stepsRemain: 10,
} as const
export type ExitCode = (typeof EXIT)[keyof typeof EXIT]
