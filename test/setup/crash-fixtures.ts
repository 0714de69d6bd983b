/**
 * Global setup of the crash project: what every crash test file used to build for itself, built
 * once per run. The labs (one per size, generated once and copied per case) and the reference
 * runs (an uninterrupted run of each lab: step ids, traits, the digest every resumed run must
 * end with) are deterministic, so sharing them changes nothing a case checks; it saves a lab
 * generation per file and an uninterrupted run per file that used to repeat the same one.
 */
import { rmSync } from 'node:fs'
import type { TestProject } from 'vitest/node'
import { buildReference, MATRIX_LAB, MID_LAB } from '../helpers/crash-reference.js'
import type { CrashFixtures } from '../helpers/crash-reference.js'
import { labTemplate } from '../helpers/lab.js'

declare module 'vitest' {
  export interface ProvidedContext {
    crashFixtures: CrashFixtures
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const labs = [MATRIX_LAB, MID_LAB]
  const fixtures: CrashFixtures = { labs: [], references: [] }
  for (const lab of labs) {
    const template = await labTemplate(lab.rooms, lab.messages)
    fixtures.labs.push({ ...lab, template })
    fixtures.references.push(await buildReference(lab, template))
  }
  project.provide('crashFixtures', fixtures)
  return () => {
    for (const l of fixtures.labs) rmSync(l.template, { recursive: true, force: true })
  }
}
