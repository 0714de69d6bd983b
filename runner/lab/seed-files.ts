/** The lab emulator's legacy file store: a folder per room (named by its GUID) with a few files. */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Random } from './random.js'
import type { SeedNode } from './seed-model.js'
import { FILE_NAMES } from './seed-names.js'

const MAX_ROOMS_WITH_FILES = 200

/** Writes the files and returns how many; rooms flagged `hasFiles` always get some. */
export function writeFileStore(folder: string, rooms: readonly SeedNode[], seed: number): number {
  const r = new Random(seed, 3)
  mkdirSync(folder, { recursive: true })
  let files = 0
  let roomsWithFiles = 0
  for (const room of rooms) {
    const wanted = room.hasFiles || r.chance(0.15)
    if (!wanted || (roomsWithFiles >= MAX_ROOMS_WITH_FILES && !room.hasFiles)) continue
    roomsWithFiles++
    const dir = join(folder, room.guid)
    mkdirSync(dir, { recursive: true })
    for (const name of r.sample(FILE_NAMES, r.between(1, 3))) {
      const lines = Array.from({ length: r.between(3, 30) }, (_, i) => `line ${i + 1} of ${name}: ${r.uint32().toString(16)}`)
      writeFileSync(join(dir, name), `lab emulator file store: ${name} posted in room ${room.name}\n${lines.join('\n')}\n`)
      files++
    }
  }
  return files
}
