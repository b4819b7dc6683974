// `--format github`: GitHub Actions workflow commands, one annotation per finding
// (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`), shown on the pull request's
// diff and the run's summary without uploading SARIF.
//
// Escaping follows GitHub's own toolkit (actions/toolkit packages/core/src/command.ts, escapeData and
// escapeProperty): in the message `%` -> %25, CR -> %0D, LF -> %0A; in properties also `:` -> %3A and
// `,` -> %2C. The runner decodes exactly these. Anything else a repository could use to forge output
// (other control characters, bidirectional overrides, Azure's `##vso[`) then goes through safeText,
// which writes it as a visible escape; the result is always one line.
import type { Finding, Severity } from '../engine/types';
import type { FileOutcome, Reporter, RunSummary } from './report';
import { safeText } from './safeText';
import { errorSummary } from './sarif';

const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' };

/** A workflow command's message (everything after `::`). */
export function escapeGithubData(text: string): string {
  return safeText(text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

/** A workflow command property value (`file=`, `title=`). */
export function escapeGithubProperty(text: string): string {
  return safeText(text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/:/g, '%3A').replace(/,/g, '%2C'));
}

export function githubAnnotation(file: string, finding: Finding): string {
  const { start, end } = finding.range;
  const properties = [
    `file=${escapeGithubProperty(file)}`,
    `line=${start.line + 1}`,
    `col=${start.character + 1}`,
    `endLine=${end.line + 1}`,
    `endColumn=${end.character + 1}`,
    `title=${escapeGithubProperty(`container-guard ${finding.ruleId}`)}`,
  ];
  return `::${COMMAND[finding.severity]} ${properties.join(',')}::${escapeGithubData(finding.message)}`;
}

export class GithubReporter implements Reporter {
  private findings = 0;

  begin(): string {
    return '';
  }

  file(outcome: FileOutcome): string {
    let text = '';
    for (const finding of outcome.findings) {
      this.findings++;
      text += `${githubAnnotation(outcome.relativePath, finding)}\n`;
    }
    for (const { ruleId, error } of outcome.ruleErrors) {
      text += `::warning file=${escapeGithubProperty(outcome.relativePath)},title=${escapeGithubProperty(`container-guard ${ruleId}`)}::${escapeGithubData(`rule error [${ruleId}] the rule failed, so its findings for this file are missing: ${errorSummary(error)}`)}\n`;
    }
    return text;
  }

  end(summary: RunSummary): string {
    const unlinted = summary.ruleFailures.filter((failure) => failure.ruleId === undefined && failure.level !== 'warning');
    let text = '';
    for (const failure of unlinted) text += `::error file=${escapeGithubProperty(failure.relativePath)},title=container-guard::${escapeGithubData(`not linted: ${errorSummary(failure.error)}`)}\n`;
    return `${text}container-guard: ${this.findings} finding${this.findings === 1 ? '' : 's'} in ${summary.files} file${summary.files === 1 ? '' : 's'}\n`;
  }
}
