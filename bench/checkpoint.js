// What one checkpoint costs with the file state store: the engine saves the state durably (write a
// temp file, fsync, rename, fsync the folder) and appends a journal line before and after every
// step. Measured on a state the size of a real run's (the 21 steps of plans/lab.yaml, with outputs).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FileStateStore } from '../dist/runner/state/file-store.js'

export async function checkpointCost(checkpoints = 200) {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-bench-cp-'))
  try {
    const store = new FileStateStore(dir, 'bench')
    const at = new Date().toISOString()
    const steps = {}
    for (let i = 0; i < 21; i++) {
      steps[`cutover.step-${i}`] = { id: `cutover.step-${i}`, status: 'done', fingerprint: 'f'.repeat(64), attempts: 1, startedAt: at, endedAt: at, outputs: { file: `D:\\cutover\\export-${i}.zip`, sha256: 'a'.repeat(64), messages: 100000, rooms: 1000 } }
    }
    let state = { formatVersion: 1, plan: { name: 'bench', hash: 'b'.repeat(64) }, steps, createdAt: at, updatedAt: at }
    const samples = []
    for (let i = 0; i < checkpoints; i++) {
      state = { ...state, updatedAt: new Date().toISOString() }
      const t = process.hrtime.bigint()
      await store.save(state)
      await store.append({ at: state.updatedAt, who: 'bench', host: 'bench', pid: process.pid, event: 'step-done', step: `cutover.step-${i % 21}`, outcome: 'done' })
      samples.push(Number(process.hrtime.bigint() - t) / 1e6)
    }
    samples.sort((a, b) => a - b)
    return { medianMs: samples[Math.floor(samples.length / 2)], minMs: samples[0], maxMs: samples.at(-1), runs: checkpoints }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
