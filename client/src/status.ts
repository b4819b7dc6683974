// The language status items of served documents (the `{}` next to the language mode in the status bar):
// server state and rule set, the team file that applies, and registry lookups — each with its quick action.
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { DOCUMENT_SELECTOR } from './documentSelector';
import { STATUS_REQUEST, type StatusResult } from './protocol';

/** What the items show, for the e2e suite (the extension's exports) and the log. */
export interface StatusSnapshot {
  server: string;
  ruleSet: string;
  teamFile: string;
  lookups: string;
}

export class LanguageStatus implements vscode.Disposable {
  private readonly server: vscode.LanguageStatusItem;
  private readonly team: vscode.LanguageStatusItem;
  private readonly lookups: vscode.LanguageStatusItem;
  private readonly disposables: vscode.Disposable[] = [];
  private generation = 0;
  snapshot: StatusSnapshot = { server: 'starting', ruleSet: '', teamFile: '', lookups: '' };

  constructor(private readonly client: () => LanguageClient | undefined) {
    const selector = DOCUMENT_SELECTOR as vscode.DocumentSelector;
    this.server = vscode.languages.createLanguageStatusItem('containerGuard.server', selector);
    this.server.name = 'Container Guard';
    this.team = vscode.languages.createLanguageStatusItem('containerGuard.teamFile', selector);
    this.team.name = 'Container Guard team file';
    this.lookups = vscode.languages.createLanguageStatusItem('containerGuard.registryLookups', selector);
    this.lookups.name = 'Container Guard registry lookups';
    this.disposables.push(
      this.server, this.team, this.lookups,
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!event.affectsConfiguration('containerGuard')) return;
        this.refresh();
        // Again once the server has the new settings (the client forwards them after this event).
        setTimeout(() => this.refresh(), 500);
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.refresh()),
    );
    this.refresh();
  }

  /** Re-reads the state from the client and the server (for the active editor's document). */
  refresh(): void {
    void this.update(++this.generation);
  }

  private async update(generation: number): Promise<void> {
    const client = this.client();
    const state = client?.state;
    const running = state === State.Running;
    const serverText = running ? 'running' : state === State.Starting ? 'starting' : 'stopped';
    this.server.busy = state === State.Starting;
    this.server.severity = running || state === State.Starting ? vscode.LanguageStatusSeverity.Information : vscode.LanguageStatusSeverity.Error;
    const resource = vscode.window.activeTextEditor?.document.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
    let status: StatusResult | undefined;
    if (running && client && resource?.scheme === 'file') {
      try {
        status = await client.sendRequest<StatusResult>(STATUS_REQUEST, { uri: client.code2ProtocolConverter.asUri(resource) });
      } catch {
        status = undefined;
      }
    }
    if (generation !== this.generation) return;
    const configuration = vscode.workspace.getConfiguration('containerGuard', resource);
    const ruleSet = status?.ruleSet ?? configuration.get<string>('ruleSet') ?? 'recommended';
    this.server.text = `$(shield) Container Guard: ${ruleSet}`;
    this.server.detail = `server ${serverText}${status?.ignored ? ' · this file is ignored' : ''}`;
    this.server.command = running
      ? { title: 'Show Output', command: 'containerGuard.showOutput' }
      : { title: 'Restart', command: 'containerGuard.restartServer' };

    const teamFile = status?.teamFile ?? null;
    if (teamFile) {
      const problems = status?.teamFileProblems ?? 0;
      this.team.text = `$(file) ${vscode.workspace.asRelativePath(teamFile)}`;
      this.team.detail = status?.teamFileStale ? 'invalid YAML: its last valid settings apply' : problems > 0 ? `${problems} problem${problems === 1 ? '' : 's'}` : 'team file applies';
      this.team.severity = problems > 0 ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
      this.team.command = { title: 'Open', command: 'containerGuard.openTeamFile', arguments: [vscode.Uri.file(teamFile)] };
    } else {
      this.team.text = 'No team file';
      this.team.detail = 'editor settings apply';
      this.team.severity = vscode.LanguageStatusSeverity.Information;
      this.team.command = { title: 'Create', command: 'containerGuard.createTeamFile' };
    }

    const trusted = vscode.workspace.isTrusted;
    // VS Code's own settings are authoritative for the switch (the server may not have the change yet).
    const lookupsOn = configuration.get<boolean>('registry.lookups') === true;
    if (!trusted) {
      this.lookups.text = 'Registry lookups: off';
      this.lookups.detail = 'untrusted workspace';
      this.lookups.command = { title: 'Manage Trust', command: 'workbench.trust.manage' };
    } else {
      this.lookups.text = `Registry lookups: ${lookupsOn ? (configuration.get<boolean>('registry.offline') ? 'offline' : 'on') : 'off'}`;
      this.lookups.detail = undefined;
      this.lookups.command = { title: lookupsOn ? 'Turn Off' : 'Turn On', command: 'containerGuard.toggleRegistryLookups' };
    }
    this.snapshot = {
      server: `${this.server.text} (${this.server.detail})`,
      ruleSet,
      teamFile: `${this.team.text} (${this.team.detail})`,
      lookups: `${this.lookups.text}${!trusted ? ' (untrusted workspace)' : ''}`,
    };
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
