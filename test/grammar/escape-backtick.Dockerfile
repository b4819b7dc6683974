# SYNTAX TEST "source.dockerfile" "escape=` : backtick continuations; every stage without SHELL is cmd"
# escape=`
# <- comment.line.number-sign.dockerfile punctuation.definition.comment.dockerfile
# ^^^^^^ keyword.control.directive.dockerfile
#        ^ constant.character.escape.dockerfile
FROM ${BASE_IMAGE}
# <- meta.container-guard.escape-backtick meta.container-guard.stage.cmd keyword.other.special-method.dockerfile
RUN dir C:\ && `
#   ^^^ source.batchfile keyword.command.batchfile
#              ^ constant.character.escape.line-continuation.dockerfile
    echo done
#   ^^^^ meta.container-guard.run.cmd source.batchfile keyword.command.batchfile
SHELL ["powershell", "-Command"]
RUN $ErrorActionPreference = 'Stop'; `
#   ^ source.powershell punctuation.definition.variable.powershell
#                                    ^ constant.character.escape.line-continuation.dockerfile
    Invoke-WebRequest https://example.com/a.msi -OutFile C:\a.msi; `
#   ^^^^^^^^^^^^^^^^^ meta.container-guard.run.powershell source.powershell support.function.powershell
    Start-Process msiexec -Wait
#   ^^^^^^^^^^^^^ source.powershell support.function.powershell
WORKDIR C:\app
# <- keyword.other.special-method.dockerfile - meta.container-guard.run
#^^^^^^^^^^^^^ - source.powershell
RUN Write-Output \
#   ^^^^^^^^^^^^ source.powershell support.function.powershell
#                ^ - constant.character.escape.line-continuation.dockerfile
EXPOSE 80
# <- keyword.other.special-method.dockerfile - source.powershell
