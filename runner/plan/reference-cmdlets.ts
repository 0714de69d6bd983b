/**
 * What each plan key becomes on the Lync side: the cmdlet and parameter a value is passed to, or,
 * for keys that are not cmdlet parameters, what cutover does with them. Hand-written (the schema
 * says what a key is, the step kinds what it becomes); test/unit/reference-doc.test.ts checks every
 * cmdlet and parameter named here against the scripts the example plans render.
 */
export interface Becomes {
  /** `Cmdlet -Parameter` pairs the value is passed to, as the rendered scripts write them. */
  readonly params?: readonly (readonly [cmdlet: string, parameter: string])[]
  /** What else the value does, in words. */
  readonly note?: string
}

export const BECOMES: Readonly<Record<string, Becomes>> = {
  'environment.shell': { note: 'how each script runs: `powershell.exe` (Windows PowerShell) or `pwsh` (PowerShell 7) with `-NoProfile -NonInteractive -ExecutionPolicy Bypass -File <script>`; `lab` runs the same commands on the embedded lab emulator' },
  'environment.lyncModule': { params: [['Import-Module', 'Name']], note: 'the first command of every script' },
  'environment.workDir': { params: [['New-Item', 'Path'], ['Export-CsPersistentChatData', 'FileName'], ['Import-CsPersistentChatData', 'FileName']], note: 'export files (`export-<source>.zip`) and Import/Export reports go here' },
  'environment.scriptTimeout': { note: 'a script still running after this long is stopped with every process it started, and its step fails (retried, or recovered for the import, on the next apply)' },
  'environment.remote': { note: 'every script runs there: `New-PSSession -ComputerName <remote>`, then `Invoke-Command -Session -FilePath <script>`' },
  'environment.remoting.authentication': { note: '`credssp`: `New-PSSession -Authentication Credssp -Credential <credential>`, so commands there may reach a third machine (the second hop); `default` opens a Kerberos session and the preview marks every command Windows would refuse' },
  'environment.remoting.credential.password': { note: 'read by the launcher from the environment when it runs (`[Environment]::GetEnvironmentVariable`); never written in a script' },
  'sources[].id': { note: 'names the steps (`cutover.export.<id>`; with several sources, `cutover.mappings.<id>` for each but the last) and the export file' },
  'sources[].product': { note: 'recorded for the inventory and the report; the cmdlets are the same for both products' },
  'sources[].pool': { note: 'names the source in titles; its decommissioning is `remove-trusted-application`' },
  'sources[].servers': { params: [['Invoke-Command', 'ComputerName']], note: 'the legacy services are stopped on each (`Stop-Service` inside `Invoke-Command -ComputerName`)' },
  'sources[].services': { params: [['Stop-Service', 'Name']], note: 'rollback starts them again (`Start-Service -Name`)' },
  'sources[].database.instance': { params: [['Export-CsPersistentChatData', 'DBInstance']] },
  'sources[].database.name': { params: [['Export-CsPersistentChatData', 'DBName']] },
  'sources[].connection': { note: 'cutover\'s own read-only SQL connection (inventory, lint, verification) and the backups; resolved at run time, never shown' },
  'sources[].lookupAccount': { params: [['Get-CsUser', 'Identity'], ['Disable-CsUser', 'Identity']], note: 'saved first (DN and pool), so rollback can `Enable-CsUser` it again' },
  'sources[].fileStore': { params: [['Copy-Item', 'Path']], note: 'files are not part of the export: the folder\'s contents are copied' },
  'target.pool': { params: [['New-CsPersistentChatEndpoint', 'PersistentChatPoolFqdn']], note: 'also the `<pool>\\<name>` identity of every `Set-CsPersistentChatRoom` and `Set-CsPersistentChatCategory`' },
  'target.servers': { params: [['Get-CsWindowsService', 'ComputerName'], ['Stop-CsWindowsService', 'ComputerName'], ['Start-CsWindowsService', 'ComputerName']], note: 'the services a stop stopped (dependents included) are read around it and started again' },
  'target.services': { params: [['Stop-CsWindowsService', 'Name'], ['Start-CsWindowsService', 'Name']] },
  'target.database.instance': { params: [['Import-CsPersistentChatData', 'DBInstance']] },
  'target.database.name': { note: 'the database cutover reads to verify the import and backs up before it (Import takes only -DBInstance)' },
  'target.connection': { note: 'cutover\'s own read-only SQL connection to verify the import, and the pre-import backup; resolved at run time, never shown' },
  'target.fileStore': { params: [['Copy-Item', 'Destination']] },
  'rooms.cutoff': { params: [['Export-CsPersistentChatData', 'StartDate']], note: 'the date at 00:00 in `downtime.timezone`, written as a UTC instant `[datetime]::Parse(\'YYYY-MM-DDTHH:MM:SSZ\', [Globalization.CultureInfo]::InvariantCulture, [Globalization.DateTimeStyles]::RoundtripKind)`; the inventory counts messages from the same instant' },
  'rooms.importWarnings': { params: [['Import-CsPersistentChatData', 'WhatIf']], note: '`stop` pauses on `cutover.import-whatif.<source>` until `cutover approve`; `accept` records the warnings and goes on' },
  'rooms.unmapped': { note: '`skip` removes unmapped rooms after the import (`Remove-CsPersistentChatRoom -Force`); `error` stops at the preflight lint' },
  'rooms.categories[].from': { params: [['Set-CsPersistentChatCategory', 'Identity']], note: 'as `<pool>\\<name>`: the name Import gave it, read back from the store (cutover expects the flattened name and stops before any change when the store has no such item)' },
  'rooms.categories[].to': { params: [['Set-CsPersistentChatCategory', 'Name']], note: 'applied after its source\'s import, before the next source is imported' },
  'rooms.categories[].export': { params: [['Export-CsPersistentChatData', 'Scope']], note: '`false` exports only the other categories, listed in -Scope' },
  'rooms.map[].room': { params: [['Set-CsPersistentChatRoom', 'Identity']], note: 'as `<pool>\\<name>`: the name Import gave the room, read back from the store (cutover expects the flattened name, category path prefixed, and stops before any change when the store has no such room)' },
  'rooms.map[].action': { note: '`skip` imports the room, then removes it (`Remove-CsPersistentChatRoom -Force`)' },
  'rooms.map[].rename': { params: [['Set-CsPersistentChatRoom', 'Name']], note: 'applied after its source\'s import, before the next source is imported' },
  'rooms.map[].category': { params: [['Set-CsPersistentChatRoom', 'Category']] },
  'rooms.map[].privacy': { params: [['Set-CsPersistentChatRoom', 'Privacy']], note: 'written `Open`, `Closed` or `Secret`' },
  'rooms.map[].disabled': { params: [['Set-CsPersistentChatRoom', 'Disabled']] },
  'rooms.map[].description': { params: [['Set-CsPersistentChatRoom', 'Description']] },
  'downtime.start': { note: 'no cutover step (stop legacy services … verify) starts before it' },
  'downtime.margin': { note: 'no cutover step starts later than end − margin, and the cutover starts only when its forecast ends before it' },
  'legacyClients.endpoint': { params: [['New-CsPersistentChatEndpoint', 'SipAddress']] },
  'legacyClients.displayName': { params: [['New-CsPersistentChatEndpoint', 'DisplayName']] },
  'clients.enablePolicy': { params: [['Get-CsPersistentChatPolicy', 'Identity'], ['Set-CsPersistentChatPolicy', 'Identity']], note: 'with `-EnablePersistentChat $true`, after the last decommission entry; the value read first is what rollback puts back' },
  'decommission[].uninstall-groupchat.servers': { note: 'a manual step per plan: Group Chat is uninstalled on each server by a person, then `cutover approve`' },
  'decommission[].remove-trusted-application.pool': { params: [['Remove-CsTrustedApplicationPool', 'Identity']], note: 'then `Enable-CsTopology` publishes the topology' },
  'decommission[].manual.instructions': { note: 'shown when the run pauses; `cutover approve` records who did it' },
  'decommission[].powershell.script': { params: [['Invoke-Command', 'ScriptBlock']], note: 'as `([scriptblock]::Create(\'<script>\'))`, with the Lync module loaded' },
  'state.backend': { note: '`file`: `.cutover/` beside the plan; `mssql`: tables in a SQL Server database, locked with `sp_getapplock`' },
}
