# Runs cutover's rendered scripts, one after another in this one pwsh (a process each would cost
# a second apiece), against the generated Lync stub module and shims.ps1. Prints one JSON line
# (ASCII) per script: its name and every line it printed.
param([string]$ModuleFile, [string]$ShimsFile, [string]$ListFile)
$ErrorActionPreference = 'Stop'
Import-Module -Name $ModuleFile -Global
. $ShimsFile
foreach ($cutoverScript in @(Get-Content -LiteralPath $ListFile -Encoding utf8)) {
  $env:CUTOVER_STUB_SCRIPT = [System.IO.Path]::GetFileName($cutoverScript)
  # A script that does not even parse stops here, not the whole list: its error is its last line.
  try { $cutoverLines = @(& $cutoverScript 2>&1 | ForEach-Object { [string]$_ }) } catch { $cutoverLines = @("driver: $_") }
  ConvertTo-CutoverStubJson -InputObject ([ordered]@{ script = $env:CUTOVER_STUB_SCRIPT; lines = $cutoverLines })
}
