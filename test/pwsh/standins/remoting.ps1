# Stand-ins for New-PSSession, Invoke-Command -Session -FilePath and Remove-PSSession, put before
# the remoting launcher (templates/remote.ps1.hbs): pwsh here has no remote end. Invoke-Command
# runs the file in a runspace of its own, as the remote session would, and hands its streams to
# the caller as real remoting does: each remote error record is written with WriteError, so the
# launcher's $ErrorActionPreference decides what it does (with 'Stop' the first one stops it),
# warnings with WriteWarning, then the output objects (the result line).
function New-PSSession {
  [CmdletBinding()] param([string[]] $ComputerName)
  [pscustomobject]@{ ComputerName = [string]$ComputerName[0]; State = 'Opened' }
}
function Remove-PSSession { [CmdletBinding()] param([object] $Session) }
function Invoke-Command {
  [CmdletBinding()] param([object] $Session, [string] $FilePath)
  $remote = [powershell]::Create()
  try {
    [void]$remote.AddScript([System.IO.File]::ReadAllText($FilePath))
    $output = $remote.Invoke()
    foreach ($record in $remote.Streams.Error) { $PSCmdlet.WriteError($record) }
    foreach ($record in $remote.Streams.Warning) { $PSCmdlet.WriteWarning($record.Message) }
    foreach ($item in $output) { $item }
  } finally {
    $remote.Dispose()
  }
}
