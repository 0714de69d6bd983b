import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll } from 'vitest'
import { FileStateStore } from '../../runner/state/file-store.js'
import { MemoryStateStore } from '../../runner/state/memory-store.js'
import { describeStoreContract } from './contract.js'
import { tempDir } from './fixtures.js'
import { deadPid } from './processes.js'

let gone = 0
beforeAll(async () => {
  gone = await deadPid()
})

describeStoreContract('MemoryStateStore', async () => {
  const store = new MemoryStateStore()
  return {
    store,
    // One process, one memory: a second "process" sees the same store.
    reopen: () => store,
    abandonLock: async () => store.abandonLock(),
  }
})

describeStoreContract('FileStateStore', async () => {
  const dir = join(await tempDir(), '.cutover')
  const store = new FileStateStore(dir, 'contoso-groupchat')
  return {
    store,
    reopen: () => new FileStateStore(dir, 'contoso-groupchat'),
    // As if the holder had been killed: same lock file, but its pid no longer exists.
    abandonLock: async () => {
      const path = store.paths.lock
      const content = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>
      await writeFile(path, JSON.stringify({ ...content, pid: gone }))
    },
  }
})
