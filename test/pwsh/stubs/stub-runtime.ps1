# The shared part of the generated Lync stub module (generate.ts puts it before the functions).
# Each stub is an advanced function with the page's parameter sets, so pwsh's binder has already
# accepted the call when this runs. It then records what each parameter received (for the
# hostile-values test) and hands the bound values to the lab emulator (`cutover lab cmdlet`).
# Environment: CUTOVER_STUB_RECORD (NDJSON file to append to; optional), CUTOVER_STUB_NODE and
# CUTOVER_STUB_CLI (node and bin/cutover.js), CUTOVER_STUB_LAB (the lab folder; without it the
# stub only records and returns nothing).

# cutover's Command ParamValue (runner/core/command.ts) for one bound value.
function ConvertTo-CutoverStubValue {
  param($Value)
  if ($Value -is [System.Management.Automation.SwitchParameter]) {
    if ($Value.IsPresent) { return [ordered]@{ switch = $true } }
    return [ordered]@{ bool = $false }
  }
  if ($Value -is [bool]) { return [ordered]@{ bool = $Value } }
  # 'o' keeps the Kind: a UTC instant ends in Z, a local one has its offset, an unspecified one neither.
  if ($Value -is [datetime]) { return [ordered]@{ date = $Value.ToString('o', [Globalization.CultureInfo]::InvariantCulture) } }
  if ($Value -is [System.Management.Automation.PSListModifier]) {
    $change = [ordered]@{}
    if ($Value.Add.Count -gt 0) { $change.add = [string[]]@($Value.Add | ForEach-Object { [string]$_ }) }
    if ($Value.Remove.Count -gt 0) { $change.remove = [string[]]@($Value.Remove | ForEach-Object { [string]$_ }) }
    return [ordered]@{ addRemove = $change }
  }
  if ($Value -is [scriptblock]) { return [ordered]@{ scriptBlock = $Value.ToString() } }
  if ($Value -is [string]) { return $Value }
  if ($Value -is [int] -or $Value -is [long] -or $Value -is [double]) { return $Value }
  if ($Value -is [System.Collections.IEnumerable]) { return ,[string[]]@($Value | ForEach-Object { [string]$_ }) }
  return [string]$Value
}

# JSON with every character outside printable ASCII as \uXXXX: byte-exact through any pipe.
function ConvertTo-CutoverStubJson {
  param($InputObject)
  $json = ConvertTo-Json -InputObject $InputObject -Depth 10 -Compress
  [regex]::Replace($json, '[^\u0020-\u007E]', { param($m) '\u{0:x4}' -f [int][char]$m.Value })
}

function Invoke-CutoverStub {
  param([string]$Cmdlet, [string]$ParameterSet, [System.Collections.IDictionary]$Bound, [string[]]$Names)
  $params = [System.Collections.ArrayList]@()
  $recorded = [ordered]@{}
  foreach ($name in $Names) {
    if (-not $Bound.ContainsKey($name)) { continue }
    $raw = $Bound[$name]
    $value = ConvertTo-CutoverStubValue -Value $raw
    [void]$params.Add([ordered]@{ name = $name; value = $value })
    $recorded[$name] = [ordered]@{ type = $(if ($null -eq $raw) { 'null' } else { $raw.GetType().FullName }); value = $value }
  }
  if ($env:CUTOVER_STUB_RECORD) {
    $line = ConvertTo-CutoverStubJson -InputObject ([ordered]@{ script = [string]$env:CUTOVER_STUB_SCRIPT; computer = $global:CutoverStubComputer; cmdlet = $Cmdlet; set = $ParameterSet; params = $recorded })
    [System.IO.File]::AppendAllText($env:CUTOVER_STUB_RECORD, $line + "`n", (New-Object System.Text.UTF8Encoding $false))
  }
  if (-not $env:CUTOVER_STUB_LAB) { return }
  $request = [ordered]@{ cmdlet = $Cmdlet; params = @($params) }
  # Inside Invoke-Command -ComputerName (shims.ps1): the lab runs it on that server.
  if ($null -ne $global:CutoverStubComputer) { $request.computer = [string]$global:CutoverStubComputer }
  $request = ConvertTo-CutoverStubJson -InputObject $request
  # Relative paths (the lab plan's workDir) are the plan folder's, as the lab host reads them.
  $base = $(if ($env:CUTOVER_STUB_BASE) { $env:CUTOVER_STUB_BASE } else { (Get-Location).ProviderPath })
  $answer = @($request | & $env:CUTOVER_STUB_NODE $env:CUTOVER_STUB_CLI lab cmdlet --dir $env:CUTOVER_STUB_LAB --base $base) -join "`n"
  $result = $null
  try { $result = ConvertFrom-Json -InputObject $answer } catch { throw "lab emulator (cutover lab cmdlet) answered no JSON for ${Cmdlet}: $answer" }
  if (-not $result.ok) { throw [string]$result.error }
  foreach ($warning in @($result.warnings)) { if ($null -ne $warning) { Write-Warning ([string]$warning) } }
  # Import -WhatIf's findings: non-terminating errors, as the real cmdlet reports them.
  foreach ($finding in @($result.data.errors)) { if ($null -ne $finding -and $finding -is [string]) { Write-Error -Message $finding } }
  # The objects the scripts read properties of (preamble: Get-CutoverUserData, Get-CutoverEndpointData, Get-CutoverPolicyData, Get-CutoverServiceData).
  if ($Cmdlet -eq 'Get-CsUser' -and $null -ne $result.data -and $null -ne $result.data.SipAddress) { $result.data }
  if ($Cmdlet -eq 'Get-CsPersistentChatEndpoint') { foreach ($endpoint in @($result.data.endpoints)) { if ($null -ne $endpoint) { $endpoint } } }
  if ($Cmdlet -eq 'Get-CsPersistentChatPolicy') { foreach ($policy in @($result.data.policies)) { if ($null -ne $policy) { $policy } } }
  if ($Cmdlet -eq 'Get-CsWindowsService') { foreach ($service in @($result.data.services)) { if ($null -ne $service) { $service } } }
  foreach ($line in @($result.output)) { if ($null -ne $line) { [string]$line } }
}
