# SYNTAX TEST "source.dockerfile" "Windows stages without SHELL run cmd: batch, with powershell -Command wrappers"
FROM mcr.microsoft.com/dotnet/framework/sdk:4.8.1 AS build
# <- meta.container-guard.stage.cmd keyword.other.special-method.dockerfile
#                                                 ^^ keyword.other.special-method.dockerfile
RUN mkdir C:\app && echo %PATH%
#   ^^^^^ meta.container-guard.run.cmd meta.embedded.block.batchfile source.batchfile keyword.command.batchfile
#                ^^ source.batchfile keyword.operator.conditional.batchfile
#                        ^ source.batchfile punctuation.definition.variable.begin.batchfile
RUN powershell -NoProfile -ExecutionPolicy Bypass -Command "Invoke-WebRequest -OutFile C:\x.zip https://example.com/x.zip; \
#   ^^^^^^^^^^ support.function.powershell-host.dockerfile
#              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ variable.parameter.option.dockerfile
#                                                 ^^^^^^^^ variable.parameter.option.dockerfile
#                                                          ^ punctuation.definition.string.begin.dockerfile
#                                                           ^^^^^^^^^^^^^^^^^ meta.embedded.block.powershell source.powershell support.function.powershell
#                                                                                                                          ^ constant.character.escape.line-continuation.dockerfile
    Expand-Archive C:\x.zip -DestinationPath C:\x; \
#   ^^^^^^^^^^^^^^ meta.container-guard.wrapper.powershell source.powershell support.function.powershell
    Remove-Item C:\x.zip"
#   ^^^^^^^^^^^ source.powershell support.function.powershell
#                       ^ punctuation.definition.string.end.dockerfile - source.powershell
RUN pwsh -c Get-Date && dir
#   ^^^^ support.function.powershell-host.dockerfile
#           ^^^^^^^^ source.powershell support.function.powershell
USER ContainerUser
# <- keyword.other.special-method.dockerfile
#^^^^^^^^^^^^^^^^^ - source.batchfile
FROM --platform=linux/amd64 alpine:3.20
# <- - meta.container-guard.stage
RUN apk add --no-cache curl
#   ^^^^^^^^^^^^^^^^^^^^^^^ - source.batchfile source.powershell
RUN pwsh -NoProfile -Command Get-Date
#   ^^^^ meta.container-guard.run.wrapped support.function.powershell-host.dockerfile
#                            ^^^^^^^^ source.powershell support.function.powershell
RUN cmd /S /C echo %PATH%
#   ^^^ support.function.cmd-host.dockerfile
#          ^^ variable.parameter.option.dockerfile
#             ^^^^ source.batchfile keyword.command.batchfile
FROM mcr.microsoft.com/windows/nanoserver:ltsc2025
RUN for %i in (a b) do echo %i
#   ^^^ source.batchfile keyword.control.repeat.batchfile
RUN echo next
# <- keyword.other.special-method.dockerfile
#   ^^^^ source.batchfile keyword.command.batchfile
