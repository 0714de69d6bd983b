import type { Path } from '../yaml.js'
import type { Rule, RuleContext } from './rule.js'

const LABEL = '(?!-)[a-z0-9-]{1,63}(?<!-)'
const FQDN = new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})+$`, 'i')
const SQL_INSTANCE_NAME = /^[a-z_][a-z0-9_$#]{0,15}$/i
/** A SIP address as Lync writes one: sip:user@domain. */
export const SIP_URI = /^sip:[^@\s:;]+@[a-z0-9.-]+\.[a-z]{2,}$/i

export function isFqdn(text: string): boolean {
  return FQDN.test(text)
}

/** A SQL Server instance as Export/Import -DBInstance takes it: FQDN, or FQDN\instance. */
export function isSqlInstance(text: string): boolean {
  const [host = '', name, ...rest] = text.split('\\')
  return isFqdn(host) && rest.length === 0 && (name === undefined || SQL_INSTANCE_NAME.test(name))
}

function fqdnPlaces(ctx: RuleContext): { path: Path; value: string; what: string }[] {
  const { plan } = ctx
  const out: { path: Path; value: string; what: string }[] = []
  const server = 'a server is named like gc01.contoso.com'
  const pool = 'a pool is named like gcpool.contoso.com'
  if (plan.environment.remote !== undefined) out.push({ path: ['environment', 'remote'], value: plan.environment.remote, what: 'the remote Lync server is named like lyncfe01.contoso.com' })
  plan.sources.forEach((s, i) => {
    out.push({ path: ['sources', i, 'pool'], value: s.pool, what: pool })
    s.servers.forEach((srv, k) => out.push({ path: ['sources', i, 'servers', k], value: srv, what: server }))
  })
  out.push({ path: ['target', 'pool'], value: plan.target.pool, what: 'a pool is named like pchat.contoso.com' })
  plan.target.servers.forEach((srv, k) => out.push({ path: ['target', 'servers', k], value: srv, what: 'a server is named like pc01.contoso.com' }))
  plan.decommission.forEach((step, i) => {
    if ('uninstall-groupchat' in step) step['uninstall-groupchat'].servers.forEach((srv, k) => out.push({ path: ['decommission', i, 'uninstall-groupchat', 'servers', k], value: srv, what: server }))
    if ('remove-trusted-application' in step) out.push({ path: ['decommission', i, 'remove-trusted-application', 'pool'], value: step['remove-trusted-application'].pool, what: pool })
  })
  return out
}

export const fqdn: Rule = {
  id: 'fqdn',
  describe: 'pools and servers are fully qualified domain names',
  check(ctx) {
    for (const p of fqdnPlaces(ctx)) {
      if (isFqdn(p.value)) continue
      const hint = /:\d+$/.test(p.value) && isFqdn(p.value.replace(/:\d+$/, '')) ? 'write the name without a port' : p.what
      ctx.report({ path: p.path, severity: 'error', message: `'${p.value}' is not a fully qualified domain name; ${hint}` })
    }
  },
}

export const sqlInstance: Rule = {
  id: 'sql-instance',
  describe: 'database instances are FQDN or FQDN\\instance',
  check(ctx) {
    const places: { path: Path; value: string }[] = ctx.plan.sources.map((s, i) => ({ path: ['sources', i, 'database', 'instance'], value: s.database.instance }))
    places.push({ path: ['target', 'database', 'instance'], value: ctx.plan.target.database.instance })
    for (const p of places) {
      if (!isSqlInstance(p.value)) ctx.report({ path: p.path, severity: 'error', message: `'${p.value}' is not a SQL Server instance; write the server's FQDN, then \\ and the instance name if it is not the default one (e.g. sql01.contoso.com\\GC)` })
    }
  },
}

export const sipUri: Rule = {
  id: 'sip-uri',
  describe: 'SIP addresses are written sip:user@domain',
  check(ctx) {
    const places: { path: Path; value: string }[] = ctx.plan.sources.map((s, i) => ({ path: ['sources', i, 'lookupAccount'], value: s.lookupAccount }))
    if (ctx.plan.legacyClients !== undefined) places.push({ path: ['legacyClients', 'endpoint'], value: ctx.plan.legacyClients.endpoint })
    for (const p of places) {
      if (SIP_URI.test(p.value)) continue
      const fix = /^[^:\s]+@[^@\s]+$/.test(p.value) ? `write sip:${p.value} (the SIP address includes sip:)` : 'write it as sip:user@domain, e.g. sip:ocschat@contoso.com'
      ctx.report({ path: p.path, severity: 'error', message: `'${p.value}' is not a SIP address; ${fix}` })
    }
  },
}

export const endpointMatchesLookup: Rule = {
  id: 'endpoint-lookup-mismatch',
  describe: "the legacy endpoint is the legacy Lookup Server account's SIP URI",
  check({ plan, report }) {
    const endpoint = plan.legacyClients?.endpoint
    if (endpoint === undefined) return
    const lookups = plan.sources.map((s) => s.lookupAccount)
    if (lookups.some((l) => l.toLowerCase() === endpoint.toLowerCase())) return
    report({ path: ['legacyClients', 'endpoint'], severity: 'warning', message: `legacyClients.endpoint ${endpoint} differs from the Lookup Server account (${lookups.join(', ')}); Microsoft says it must be identical, or legacy clients will not find the new pool` })
  },
}
