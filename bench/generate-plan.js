// A valid plan of any size, for benchmarks: `rooms` room mappings over `categories` category mappings,
// and `leftOut` more categories with export: false that hold none of the mapped rooms (what made the
// not-exported rule quadratic, issue 14).
export function generatePlan({ rooms, categories, leftOut = 0 }) {
  const lines = [
    'version: 1',
    'name: bench',
    'environment: { shell: powershell, workDir: D:\\cutover }',
    'sources:',
    '  - id: gc',
    '    product: lync2010-groupchat',
    '    pool: gcpool.contoso.com',
    '    servers: [gc01.contoso.com]',
    '    services: [GroupChatChannel]',
    "    database: { instance: 'sql01.contoso.com\\GC', name: GroupChat, backupDirectory: 'E:\\SQLBackup' }",
    '    connection: ${env:GC_SQL}',
    '    lookupAccount: sip:ocschat@contoso.com',
    'target:',
    '  pool: pchat.contoso.com',
    '  servers: [pc01.contoso.com]',
    '  services: [RTCCHAT]',
    "  database: { instance: 'sql02.contoso.com\\PCHAT', name: mgc, backupDirectory: 'E:\\SQLBackup' }",
    '  connection: ${env:PCHAT_SQL}',
    'downtime: { start: 2026-12-05T22:00, end: 2026-12-06T06:00, timezone: America/New_York }',
    'rooms:',
    '  cutoff: 2019-01-01',
    '  categories:',
  ]
  for (let c = 0; c < categories; c++) lines.push(`    - { source: gc, from: Division ${c % 50}/Team ${c}, to: Team ${c} }`)
  for (let c = 0; c < leftOut; c++) lines.push(`    - { source: gc, from: Left out ${c}, export: false }`)
  lines.push('  map:')
  for (let r = 0; r < rooms; r++) {
    const c = r % categories
    lines.push(`    - { source: gc, room: Division ${c % 50}/Team ${c}/Room ${r}, rename: room-${r}, privacy: ${['open', 'closed', 'secret'][r % 3]} }`)
  }
  return lines.join('\n') + '\n'
}
