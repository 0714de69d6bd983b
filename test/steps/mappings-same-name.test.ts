/** mappings (issue 11 item 10): a rename to the name the item already has renders nothing. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compile } from '../../runner/compile/compile.js'
import type { Command } from '../../runner/core/command.js'
import type { Step } from '../../runner/core/step.js'
import { validatePlanText } from '../../runner/plan/load.js'
import { platformOf } from '../../runner/runtimes/index.js'
import { mappingsKind } from '../../runner/steps/kinds/mappings.js'
import type { MappingsInput } from '../../runner/steps/kinds/mappings.js'
import { ROOT } from '../helpers/cli.js'

function previewed(extra: string): Command[] {
  const text = readFileSync(join(ROOT, 'test/plans/minimal.yaml'), 'utf8') + extra
  const r = validatePlanText(text, 'same-name.yaml')
  if (r.plan === undefined) throw new Error(JSON.stringify(r.findings))
  const plan = r.plan
  const step = compile(plan, platformOf(plan)).find((s) => s.kind === 'mappings') as Step<'mappings', MappingsInput>
  return mappingsKind.preview(step, { inventory: () => undefined }, platformOf(plan)).flatMap((a) => (a.type === 'commands' ? a.commands : []))
}

describe('mappings: a rename to the same name', () => {
  it('renders no Set-CsPersistentChatCategory for a category mapped to its own flattened name, and still renders a real rename', () => {
    const rooms = (to: string) => `rooms:\n  categories:\n    - { source: gc, from: Engineering/Build, to: ${to} }\n`
    expect(previewed(rooms('Engineering Build'))).toEqual([])
    expect(previewed(rooms('Build'))).toEqual([{ cmdlet: 'Set-CsPersistentChatCategory', params: [['Identity', expect.stringMatching(/\\Engineering Build$/)], ['Name', 'Build']] }])
  })

  it('renders no -Name for a room renamed to its own flattened name', () => {
    const cmds = previewed('rooms:\n  map:\n    - { source: gc, room: Engineering/Nightly, rename: Engineering Nightly, privacy: open }\n')
    expect(cmds).toHaveLength(1)
    expect(cmds[0]?.params.map(([n]) => n)).toEqual(['Identity', 'Privacy'])
  })
})
