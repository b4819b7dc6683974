# SYNTAX TEST "source.dockerfile" "suppression pragmas in comments"
# container-guard ignore=privileged-user,base-image-latest
# <- comment.line.number-sign.dockerfile punctuation.definition.comment.dockerfile
# ^^^^^^^^^^^^^^^ comment.line.number-sign.dockerfile meta.pragma.container-guard keyword.control.directive.container-guard
#                 ^^^^^^ keyword.control.directive.container-guard
#                       ^ keyword.operator.assignment.container-guard
#                        ^^^^^^^^^^^^^^^ constant.other.rule-id.container-guard
#                                       ^ punctuation.separator.comma.container-guard
#                                        ^^^^^^^^^^^^^^^^^ constant.other.rule-id.container-guard
#container-guard global ignore=download-and-execute
#^^^^^^^^^^^^^^^ keyword.control.directive.container-guard
#                ^^^^^^ storage.modifier.container-guard
#                       ^^^^^^ keyword.control.directive.container-guard
#                              ^^^^^^^^^^^^^^^^^^^^ constant.other.rule-id.container-guard
  # hadolint ignore=DL3006
# ^ comment.line.number-sign.dockerfile punctuation.definition.comment.dockerfile
#   ^^^^^^^^ keyword.control.directive.container-guard
#                   ^^^^^^ constant.other.rule-id.container-guard
# an ordinary comment mentioning container-guard ignore=x
# ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.number-sign.dockerfile - keyword.control.directive.container-guard constant.other.rule-id.container-guard
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command"]
# container-guard ignore=download-and-execute
# ^^^^^^^^^^^^^^^ meta.container-guard.stage.powershell keyword.control.directive.container-guard
RUN Invoke-WebRequest https://example.com/i.ps1 | Invoke-Expression
ENV NOTE="# container-guard ignore=x"
#          ^^^^^^^^^^^^^^^ string.quoted.double.dockerfile - keyword.control.directive.container-guard
