# A stand-in for Microsoft's Import-CsPersistentChatData, as its page documents it: -DBInstance,
# -FileName or -ByteInput, -Report, -WhatIf/-Confirm. Like a compiled cmdlet it writes each finding
# of a test run as a NON-TERMINATING error (Write-Error) and each warning with Write-Warning, and
# writes the -Report HTML log with the same findings. CUTOVER_STANDIN_FINDINGS picks them:
# 'errors' (two errors and a warning, the default), 'warnings' (one warning), 'report' (a warning
# only the -Report HTML lists), 'none'.
function Import-CsPersistentChatData {
  [CmdletBinding(SupportsShouldProcess = $true, DefaultParameterSetName = 'FileName')]
  param(
    [Parameter(Mandatory = $true)][string] $DBInstance,
    [Parameter(Mandatory = $true, ParameterSetName = 'FileName')][string] $FileName,
    [Parameter(Mandatory = $true, ParameterSetName = 'ByteInput')][byte[]] $ByteInput,
    [string] $Report
  )
  $mode = $(if ($env:CUTOVER_STANDIN_FINDINGS) { $env:CUTOVER_STANDIN_FINDINGS } else { 'errors' })
  $errors = @()
  $warnings = @()
  if ($mode -eq 'errors') {
    $errors = @("Room 'Sales/Old deals': principal not provisioned: sip:gone@contoso.com", "Category 'Archive': room name longer than 256 characters")
    $warnings = @("Room 'Ops': invitations turned off because its category has them off")
  }
  if ($mode -eq 'warnings') { $warnings = @("Room 'Ops': invitations turned off because its category has them off") }
  foreach ($w in $warnings) { Write-Warning $w }
  if ($mode -eq 'report') { $warnings = @("Category 'Sales': 3 members not provisioned, dropped") }
  foreach ($e in $errors) { Write-Error -Message $e -Category InvalidData }
  if ($Report) {
    $esc = { param($t) [System.Net.WebUtility]::HtmlEncode($t) }
    $items = { param($list) if ($list.Count -eq 0) { '<p>None.</p>' } else { '<ul>' + (($list | ForEach-Object { '<li>' + (& $esc $_) + '</li>' }) -join '') + '</ul>' } }
    $html = '<html><body><h1>Import report</h1><h2>Errors</h2>' + (& $items $errors) + '<h2>Warnings</h2>' + (& $items $warnings) + '</body></html>'
    [System.IO.File]::WriteAllText($Report, $html)
  }
  if ($PSCmdlet.ShouldProcess($DBInstance, 'Import')) { 'imported' }
}
