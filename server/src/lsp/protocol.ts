// Conversions between engine values and LSP values. The only place that knows both vocabularies.
import {
  CodeAction, CodeActionKind, CompletionItemKind, MarkupKind, type CompletionItem, Diagnostic, DiagnosticSeverity, TextDocumentEdit, type OptionalVersionedTextDocumentIdentifier,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { Finding, Fix, Severity, TextEdit } from '../engine/types';
import type { CompletionItem as ImageCompletionItem } from '../engine/dockerfile/features/imageCompletion';
import { ruleDocUri } from '../node/ruleDocs';
import type { ImageStatus } from '../supplyChain/imageStatus';

export const SOURCE = 'container-guard';
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.containerGuard`;

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(finding: Finding): Diagnostic {
  const href = ruleDocUri(finding.ruleId);
  return {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    code: finding.ruleId,
    ...(href ? { codeDescription: { href } } : {}),
    source: SOURCE,
    message: finding.message,
  };
}

export function workspaceEdit(uri: string, version: number | null, edits: TextEdit[], documentChanges: boolean): WorkspaceEdit {
  if (documentChanges) {
    const identifier: OptionalVersionedTextDocumentIdentifier = { uri, version };
    return { documentChanges: [TextDocumentEdit.create(identifier, edits)] };
  }
  return { changes: { [uri]: edits } };
}

export function quickFix(fix: Fix, diagnostic: Diagnostic, edit: WorkspaceEdit): CodeAction {
  const action = CodeAction.create(fix.title, edit, CodeActionKind.QuickFix);
  action.diagnostics = [diagnostic];
  if (fix.preferred) action.isPreferred = true;
  return action;
}

export function toCompletionItem(item: ImageCompletionItem): CompletionItem {
  return {
    label: item.label,
    kind: item.kind === 'repository' ? CompletionItemKind.Module : CompletionItemKind.Value,
    detail: item.detail,
    ...(item.documentation ? { documentation: { kind: MarkupKind.Markdown, value: item.documentation } } : {}),
    sortText: item.sortText,
    // The typed prefix (e.g. `mcr.microsoft.com/win`) is what clients filter on.
    filterText: item.insertText,
    textEdit: { range: item.range, newText: item.insertText },
    ...(item.preselect ? { preselect: true } : {}),
  };
}

/** Client → server notification: `{ trusted: boolean }`, sent when the user trusts the workspace. */
export const WORKSPACE_TRUST_NOTIFICATION = 'containerGuard/workspaceTrust';
export const PIN_DIGEST_TITLE = 'Pin to digest';
/** Diagnostic code of the opt-in signature diagnostic (`containerGuard.registry.signatureDiagnostics`). */
export const SIGNATURE_CODE = 'image-signature';

/** A diagnostic for an image whose signature status calls for attention; null when verified, unverifiable or failed. */
export function signatureDiagnostic(range: TextEdit['range'], reference: string, status: ImageStatus): Diagnostic | null {
  const messages: Partial<Record<ImageStatus['verdict'], [DiagnosticSeverity, string]>> = {
    unsigned: [DiagnosticSeverity.Warning, `${reference} has no Notation or cosign signature in its registry`],
    invalid: [DiagnosticSeverity.Error, `${reference} has an invalid signature`],
    untrusted: [DiagnosticSeverity.Warning, `${reference} is signed, but not by a signer your trust configuration accepts`],
  };
  const entry = messages[status.verdict];
  if (!entry) return null;
  return { range, severity: entry[0], code: SIGNATURE_CODE, source: SOURCE, message: `${entry[1]} (${status.summary})` };
}
