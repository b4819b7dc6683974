// Diagnostic code links. The server gives each finding `codeDescription.href` = a file: URI of
// docs/rules/<id>.md, which any LSP client can open. VS Code would open that as raw Markdown in a text
// editor; the client rewrites it to a `command:` URI of containerGuard.openRuleDoc, which opens the
// page in the built-in Markdown preview. VS Code opens code links with `allowCommands: true` (hover,
// Problems panel and peek; verified in code-server 4.100.3 by the e2e suite). Free of the `vscode`
// module so it is unit-testable.

export const OPEN_RULE_DOC_COMMAND = 'containerGuard.openRuleDoc';

/** The rule id of a docs/rules/<id>.md link, or null for any other link. */
export function ruleIdOfDocLink(href: string): string | null {
  const match = /\/docs\/rules\/([a-z0-9-]+)\.md$/.exec(href);
  return match ? match[1]! : null;
}

/** `command:containerGuard.openRuleDoc?["<id>"]` (arguments as URI-encoded JSON, as VS Code expects). */
export function ruleDocCommandUri(ruleId: string): string {
  return `command:${OPEN_RULE_DOC_COMMAND}?${encodeURIComponent(JSON.stringify([ruleId]))}`;
}
