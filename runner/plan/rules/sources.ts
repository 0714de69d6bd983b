import { DEFAULT_LEGACY_SERVICES, DEFAULT_TARGET_SERVICES } from '../defaults.js'
import type { Rule } from './rule.js'

export const duplicateSourceId: Rule = {
  id: 'duplicate-source-id',
  describe: 'every source has its own id',
  check({ plan, report, lineOf }) {
    const first = new Map<string, number>()
    plan.sources.forEach((s, i) => {
      const prev = first.get(s.id)
      if (prev === undefined) first.set(s.id, i)
      else report({ path: ['sources', i, 'id'], severity: 'error', message: `source id '${s.id}' is already used by sources[${prev}] (line ${lineOf(['sources', prev, 'id'])}); give each source its own id` })
    })
  },
}

export const unknownSource: Rule = {
  id: 'unknown-source',
  describe: 'mappings name a source that the plan declares',
  check({ plan, report }) {
    const ids = plan.sources.map((s) => s.id)
    const known = `declared sources: ${ids.join(', ')}`
    plan.rooms.categories.forEach((c, i) => {
      if (!ids.includes(c.source)) report({ path: ['rooms', 'categories', i, 'source'], severity: 'error', message: `category mapping names source '${c.source}', which the plan does not declare (${known})` })
    })
    plan.rooms.map.forEach((r, i) => {
      if (!ids.includes(r.source)) report({ path: ['rooms', 'map', i, 'source'], severity: 'error', message: `room mapping names source '${r.source}', which the plan does not declare (${known})` })
    })
  },
}

export const samePool: Rule = {
  id: 'same-pool',
  describe: 'the target pool is not one of the legacy pools',
  check({ plan, report }) {
    plan.sources.forEach((s, i) => {
      if (s.pool.toLowerCase() === plan.target.pool.toLowerCase()) report({ path: ['sources', i, 'pool'], severity: 'error', message: `source pool ${s.pool} is also the target pool; Persistent Chat needs its own pool` })
    })
  },
}

export const missingConnection: Rule = {
  id: 'no-connection',
  describe: 'cutover can read the stores it must inventory and verify',
  check({ plan, report }) {
    if (plan.environment.shell === 'lab') return
    plan.sources.forEach((s, i) => {
      if (s.connection === undefined) report({ path: ['sources', i], severity: 'warning', message: `sources[${i}] (${s.id}) has no connection: cutover cannot take its inventory or verify what was migrated; add connection: \${env:NAME}` })
    })
    if (plan.target.connection === undefined) report({ path: ['target'], severity: 'warning', message: 'target has no connection: cutover cannot verify the import; add connection: ${env:NAME}' })
  },
}

export const unconfirmedServices: Rule = {
  id: 'unconfirmed-services',
  describe: 'service names are written in the plan, not guessed',
  check({ plan, report }) {
    if (plan.environment.shell === 'lab') return
    plan.sources.forEach((s, i) => {
      if (s.services === undefined) report({ path: ['sources', i], severity: 'warning', message: `sources[${i}] (${s.id}) lists no services; cutover will stop ${DEFAULT_LEGACY_SERVICES[s.product].join(', ')}, names Microsoft does not document: confirm them with Get-Service on ${s.servers[0] ?? 'the servers'} and write them under services` })
    })
    if (plan.target.services === undefined) report({ path: ['target'], severity: 'warning', message: `target lists no services; cutover will stop and start ${DEFAULT_TARGET_SERVICES.join(', ')}, a name Microsoft does not document: confirm it with Get-CsWindowsService and write it under services` })
  },
}
