# PowerShell's own cmdlets that cutover's scripts call, shadowed by functions (a function wins
# over a cmdlet of the same name): Import-Module (the plan's Lync module path is recorded; the
# generated stub module is already loaded), Invoke-Command (records -ComputerName and runs
# cutover's own script block here, as "that computer"; an admin's custom script is recorded, not
# run; with -Session -FilePath, the remoting launcher's form, runs that file here), New-PSSession
# (recorded; returns a stand-in session, or fails when CUTOVER_STUB_NO_SESSION is set, as an
# unreachable server would), Remove-PSSession (recorded), Copy-Item, New-Item and Remove-Item
# (recorded; with a lab, emulated by it), Get-Item, Get-PSDrive and Test-WSMan (the readiness probes: recorded). Where pwsh has the cmdlet,
# the shim has its exact parameters (ProxyCommand); Get-/Stop-/Start-Service do not exist in pwsh
# on Linux, so those three are written out below with the parameters cutover uses, as on Windows.
$cutoverCommon = @([System.Management.Automation.PSCmdlet]::CommonParameters) + @([System.Management.Automation.PSCmdlet]::OptionalCommonParameters)

function Invoke-CutoverShim {
  param([string]$Cmdlet, [string]$ParameterSet, [System.Collections.IDictionary]$Bound)
  $names = @($Bound.Keys | Where-Object { $cutoverCommon -notcontains $_ })
  if ($Cmdlet -eq 'Invoke-Command') {
    $saved = $env:CUTOVER_STUB_LAB
    $env:CUTOVER_STUB_LAB = ''
    try { Invoke-CutoverStub -Cmdlet $Cmdlet -ParameterSet $ParameterSet -Bound $Bound -Names $names } finally { $env:CUTOVER_STUB_LAB = $saved }
    if ($Bound.ContainsKey('Session') -and $Bound.ContainsKey('FilePath')) { & $Bound['FilePath']; return }
    if ($Bound.ContainsKey('ComputerName') -and $Bound.ContainsKey('ScriptBlock')) {
      $global:CutoverStubComputer = [string]@($Bound['ComputerName'])[0]
      try { & $Bound['ScriptBlock'] @($Bound['ArgumentList']) } finally { $global:CutoverStubComputer = $null }
    }
    return
  }
  if ($Cmdlet -eq 'New-PSSession' -or $Cmdlet -eq 'Remove-PSSession') {
    $saved = $env:CUTOVER_STUB_LAB
    $env:CUTOVER_STUB_LAB = ''
    try { Invoke-CutoverStub -Cmdlet $Cmdlet -ParameterSet $ParameterSet -Bound $Bound -Names $names } finally { $env:CUTOVER_STUB_LAB = $saved }
    if ($Cmdlet -eq 'New-PSSession') {
      if ($env:CUTOVER_STUB_NO_SESSION) { throw "Connecting to remote server $(@($Bound['ComputerName'])[0]) failed: WinRM cannot complete the operation (stub)" }
      [pscustomobject]@{ ComputerName = [string]@($Bound['ComputerName'])[0]; State = 'Opened'; Stub = $true }
    }
    return
  }
  if ($Cmdlet -eq 'Import-Module') {
    $saved = $env:CUTOVER_STUB_LAB
    $env:CUTOVER_STUB_LAB = ''
    try { Invoke-CutoverStub -Cmdlet $Cmdlet -ParameterSet $ParameterSet -Bound $Bound -Names $names } finally { $env:CUTOVER_STUB_LAB = $saved }
    return
  }
  Invoke-CutoverStub -Cmdlet $Cmdlet -ParameterSet $ParameterSet -Bound $Bound -Names $names
}

# The service cmdlets exist only on Windows; asking for them elsewhere searches every module on
# PSModulePath (half a second each, at every script's start), so they are not asked for there.
$cutoverOnWindows = ($PSVersionTable.PSEdition -eq 'Desktop') -or ($IsWindows -eq $true)
$cutoverServices = @('Get-Service', 'Stop-Service', 'Start-Service')
foreach ($cutoverName in @('Import-Module', 'Invoke-Command', 'New-PSSession', 'Remove-PSSession', 'Copy-Item', 'New-Item', 'Remove-Item', 'Get-Item', 'Get-PSDrive') + $(if ($cutoverOnWindows) { $cutoverServices + @('Test-WSMan') } else { @() })) {
  $cutoverCmdlet = Get-Command -Name $cutoverName -CommandType Cmdlet -ErrorAction SilentlyContinue
  if ($null -eq $cutoverCmdlet) { continue }
  $cutoverMeta = New-Object System.Management.Automation.CommandMetadata $cutoverCmdlet
  $cutoverParams = [System.Management.Automation.ProxyCommand]::GetParamBlock($cutoverMeta)
  # pwsh cannot make a PSSession without a remote end, so -Session takes the stand-in: the one
  # type changed from the real cmdlet's metadata.
  $cutoverParams = $cutoverParams.Replace('[System.Management.Automation.Runspaces.PSSession[]]', '[object[]]').Replace('[System.Management.Automation.Runspaces.PSSession]', '[object]')
  $cutoverBody = [System.Management.Automation.ProxyCommand]::GetCmdletBindingAttribute($cutoverMeta) + "`nparam(" + $cutoverParams + ")`nInvoke-CutoverShim -Cmdlet '$cutoverName' -ParameterSet `$PSCmdlet.ParameterSetName -Bound `$PSBoundParameters"
  Set-Item -LiteralPath "function:global:$cutoverName" -Value ([scriptblock]::Create($cutoverBody))
}

# The preamble's group listing reads the Windows token, which pwsh on Linux has not: this stand-in
# (defined first, so the preamble keeps it) is recorded, and with a lab answered by its emulator.
function global:Get-CutoverGroupMembership {
  [CmdletBinding()]
  param()
  Invoke-CutoverShim -Cmdlet 'Get-CutoverGroupMembership' -ParameterSet $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

if (-not $cutoverOnWindows) {
  function global:Get-Service {
    [CmdletBinding(DefaultParameterSetName = 'Default')]
    param([Parameter(ParameterSetName = 'Default', Position = 0)][Alias('ServiceName')][string[]] $Name)
    Invoke-CutoverShim -Cmdlet 'Get-Service' -ParameterSet $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
  }
  function global:Stop-Service {
    [CmdletBinding(DefaultParameterSetName = 'InputObject')]
    param([Parameter(ParameterSetName = 'Default', Mandatory = $true, Position = 0)][Alias('ServiceName')][string[]] $Name, [switch] $Force, [switch] $NoWait, [switch] $PassThru)
    Invoke-CutoverShim -Cmdlet 'Stop-Service' -ParameterSet $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
  }
  # Test-WSMan (the readiness check's WinRM probe) exists only on Windows too.
  function global:Test-WSMan {
    [CmdletBinding(DefaultParameterSetName = 'ComputerName')]
    param([Parameter(ParameterSetName = 'ComputerName', Position = 0)][Alias('cn')][string] $ComputerName)
    Invoke-CutoverShim -Cmdlet 'Test-WSMan' -ParameterSet $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
  }
  function global:Start-Service {
    [CmdletBinding(DefaultParameterSetName = 'InputObject')]
    param([Parameter(ParameterSetName = 'Default', Mandatory = $true, Position = 0)][Alias('ServiceName')][string[]] $Name, [switch] $PassThru)
    Invoke-CutoverShim -Cmdlet 'Start-Service' -ParameterSet $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
  }
}
