// Test helpers for the hardening rules (imported by the tests only): Dockerfile headers for each shell,
// and what each finding underlines, so a test reads as "this text, these exact tokens".
import { findingsOf, textAt } from '../../../testing';
import type { Finding } from '../../../types';

/** PowerShell stage as most Windows Dockerfiles write it: backtick escape, a SHELL with a preamble. */
export const POWERSHELL = '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2025\nSHELL ["powershell", "-Command", "$ErrorActionPreference = \'Stop\'; $ProgressPreference = \'SilentlyContinue\';"]\n';
/** Windows stage without SHELL: RUN goes to `cmd /S /C`. */
export const CMD = 'FROM mcr.microsoft.com/windows/servercore:ltsc2025\n';
/** Linux stage: RUN goes to `/bin/sh -c`. */
export const SH = 'FROM alpine:3.20\n';

/** The text under each finding of the rule, in document order. */
export function underlined(ruleId: string, text: string): string[] {
  return findingsOf(ruleId, text).map((finding) => textAt(text, finding.range));
}

export function findings(ruleId: string, text: string): Finding[] {
  return findingsOf(ruleId, text);
}
