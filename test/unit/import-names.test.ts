import { describe, expect, it } from 'vitest'
import { importClashes } from '../../runner/plan/import-names.js'
import type { IncomingItem } from '../../runner/plan/import-names.js'

/** Source after source, each import meets what the earlier sources' mappings left (plan/import-names.ts). */
const room = (ref: string, imported: string, final: string | null = imported): IncomingItem<string> => ({ kind: 'room', imported, final, ref })
const category = (ref: string, imported: string, final: string | null = imported): IncomingItem<string> => ({ kind: 'category', imported, final, ref })
const clashes = (...args: Parameters<typeof importClashes<string>>) => importClashes(...args).map((c) => `${c.type} ${c.item}<-${c.holder.ref}@${c.holder.source} '${c.name}'`)

describe('importClashes', () => {
  it('a name the first source still holds is overwritten by the second import; renaming the second afterwards is too late', () => {
    expect(clashes([[room('hq', 'General Announcements')], [room('emea', 'General Announcements', 'EMEA Announcements')]])).toEqual(["overwrites emea<-hq@0 'General Announcements'"])
  })

  it('the earlier source renamed away before the next import: no clash, the same imported name arrives beside it', () => {
    expect(clashes([[room('hq', 'General Announcements', 'HQ Announcements'), category('hq-general', 'General', 'HQ General')], [room('emea', 'General Announcements'), category('emea-general', 'General')]])).toEqual([])
  })

  it('a room removed by its mappings (skip) frees its name for the next source, but its own import still overwrites', () => {
    expect(clashes([[room('hq', 'Sales Pipeline', null)], [room('emea', 'Sales Pipeline')]])).toEqual([])
    expect(clashes([[room('hq', 'Sales Pipeline')], [room('emea', 'Sales Pipeline', null)]])).toEqual(["overwrites emea<-hq@0 'Sales Pipeline'"])
  })

  it('a rename to the name a later source imports is an overwrite of the renamed item', () => {
    expect(clashes([[room('hq', 'Sales Pipeline', 'EMEA Pipeline')], [room('emea', 'EMEA Pipeline')]])).toEqual(["overwrites emea<-hq@0 'EMEA Pipeline'"])
  })

  it('two items of one import under one name, and renames to taken names (chains too), are clashes; rooms and categories do not meet', () => {
    expect(clashes([[room('a', 'Engineering Build'), room('b', 'Engineering Build'), category('c', 'Engineering Build')]])).toEqual(["same-import b<-a@0 'Engineering Build'"])
    expect(clashes([[room('a', 'Sales Leads', 'Sales Pipeline'), room('b', 'Sales Pipeline', 'Sales 2019')]])).toEqual(["rename-taken a<-b@0 'Sales Pipeline'"])
    expect(clashes([[room('a', 'A', 'X'), room('b', 'B', 'x')]])).toEqual(["rename-taken b<-a@0 'x'"])
  })

  it('names compare as SQL Server does: case-insensitively; items in the target from before are overwritten too', () => {
    expect(clashes([[category('gc', 'GENERAL')]], [{ kind: 'category', name: 'General', ref: 'old' }])).toEqual(["overwrites gc<-old@target 'GENERAL'"])
  })
})
