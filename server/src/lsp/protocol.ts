// Conversions between engine values and LSP values. The only place that knows both vocabularies.
import {
  CodeAction, CodeActionKind, CompletionItemKind, MarkupKind, type CompletionItem, Diagnostic, DiagnosticSeverity, TextDocumentEdit, type OptionalVersionedTextDocumentIdentifier,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { Finding, Fix, Severity, TextEdit } from '../engine/types';
import type { CompletionItem as ImageCompletionItem } from '../engine/features/imageCompletion';
import { ruleDocUri } from '../node/ruleDocs';

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
