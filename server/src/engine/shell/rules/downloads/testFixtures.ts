// Dockerfile headers and helpers shared by the download rules' tests (imported by tests only).
import assert from 'node:assert/strict';
import { applyEdits } from '../../../text';
import type { Finding } from '../../../types';

/** A Windows stage whose RUNs are PowerShell, with the backtick escape (the common Windows setup). */
export const POWERSHELL = '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command", "$ErrorActionPreference = \'Stop\';"]\n';
/** A Windows stage with the default shell, cmd. */
export const CMD = 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\n';
/** A Linux stage: /bin/sh. */
export const SH = 'FROM alpine:3.20\n';
export const SHA256 = 'a'.repeat(64);

/** The text after applying a finding's first rule fix (not the suppression fix lint adds). */
export function withFirstFix(text: string, finding: Finding | undefined): string {
  assert.ok(finding, 'expected a finding');
  const fix = finding.fixes.find((f) => !f.title.startsWith('Ignore '));
  assert.ok(fix, 'expected a fix');
  return applyEdits(text, fix.edits);
}

/** Only the rule's own fixes (lint adds a suppression fix to every finding). */
export function ruleFixes(finding: Finding | undefined): Finding['fixes'] {
  assert.ok(finding, 'expected a finding');
  return finding.fixes.filter((f) => !f.title.startsWith('Ignore '));
}
