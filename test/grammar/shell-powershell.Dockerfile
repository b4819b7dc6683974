# SYNTAX TEST "source.dockerfile" "SHELL powershell: RUN is PowerShell until the next SHELL or FROM"
FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS build
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]
# <- meta.container-guard.stage.powershell keyword.other.special-method.dockerfile
RUN Write-Host $env:PATH; \
# <- keyword.other.special-method.dockerfile
#   ^^^^^^^^^^ meta.embedded.block.powershell source.powershell support.function.powershell
#              ^ punctuation.definition.variable.powershell
#               ^^^^ support.variable.drive.powershell
#                         ^ constant.character.escape.line-continuation.dockerfile
    # Docker drops this line
#   ^ comment.line.number-sign.dockerfile punctuation.definition.comment.dockerfile
    Get-ChildItem C:\ # trailing comment
#   ^^^^^^^^^^^^^ meta.container-guard.run.powershell source.powershell support.function.powershell
#                     ^ comment.line.powershell punctuation.definition.comment.powershell
COPY app.zip C:\
# <- keyword.other.special-method.dockerfile - meta.container-guard.run
#^^^^^^^^^^^^^^^ - source.powershell
RUN --mount=type=secret,id=token Invoke-WebRequest -Uri $u
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ variable.parameter.flag.dockerfile
#                                ^^^^^^^^^^^^^^^^^ source.powershell support.function.powershell
RUN ["cmd", "/S", "/C", "dir"]
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^ - source.powershell source.batchfile
SHELL ["C:\\Program Files\\PowerShell\\pwsh.exe", "-NoLogo", "-Command"]
RUN $x = 1
#   ^ source.powershell punctuation.definition.variable.powershell
#      ^ source.powershell keyword.operator.assignment.powershell
SHELL ["cmd", "/S", "/C"]
RUN echo %PATH%
#   ^^^^ meta.container-guard.stage.cmd source.batchfile keyword.command.batchfile
#        ^ source.batchfile punctuation.definition.variable.begin.batchfile
FROM build AS final
# <- keyword.other.special-method.dockerfile - meta.container-guard.stage
RUN Write-Host no
#   ^^^^^^^^^^^^^ - source.powershell source.batchfile
