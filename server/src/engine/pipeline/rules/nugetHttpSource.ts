import type { PipelineRule } from '../../rules/rule';
import type { PipelineDocument } from '../document';
import type { MappedText } from '../../shell/runScript';
import { classifySource, isNuGetOrg, servesHttps } from '../../nuget/sourceUrl';
import { isLoopbackHost } from '../../nuget/rules/sourceAttributes';
import { excerpt } from '../../excerpt';
import type { Fix } from '../../types';
import { scalarText, valueOf } from '../yamlDocument';
import { azureTasksOf, taskInputText } from './azureTasks';
import { githubSteps, rangeInMapped, rootMaps, usesOf } from './pipelineNodes';

// NuGet warns on http sources (NU1803) and the .NET 9 SDK fails restore on them (NU1302): anyone on the
// network path can replace the packages, and feed credentials or API keys travel in clear text.
//
// Scripts (`dotnet restore -s http://…`, `nuget push -Source http://…`, `dotnet nuget add source http://…`)
// are `cleartext-download`'s, which follows URLs through variables in every script of every kind. This rule
// reads the places no script rule sees: the `arguments`/`restoreArguments` inputs of `DotNetCoreCLI@2`
// and `NuGetCommand@2`, and `actions/setup-dotnet`'s `source-url:`. `NuGetCommand@2` `feedsToUse`,
// `vstsFeed` and `externalFeedCredentials` name feeds and service connections, never URLs: nothing to read.

/** A source option and an http URL as its value, in free argument text (`--source http://…`, `-Source:http://…`). */
const SOURCE_ARGUMENT = /(?:^|[\s"'])(?:-s|--source|-source|--add-source|-fallbacksource)(?:[=:]|\s+)["']?(http:\/\/[^\s"';]+)/gi;
/** `dotnet nuget add source http://…` / `nuget sources add … -Source` in custom arguments. */
const ADDED_SOURCE = /(?:^|\s)(?:nuget\s+)?add\s+source\s+["']?(http:\/\/[^\s"';]+)/gi;

interface Found {
  mapped: MappedText;
  start: number;
  end: number;
  what: string;
}

export const nugetHttpSource: PipelineRule = {
  meta: {
    id: 'pipeline-nuget-http-source',
    title: 'A pipeline task or action uses a NuGet source over plain http',
    fileKind: 'pipeline',
    defaultSeverity: 'warning',
    cwe: [319],
    references: ['NIST SP 800-190 §4.1.3', 'NIST SP 800-190 §4.2.1', 'NuGet NU1803/NU1302'],
    ruleSets: ['recommended', 'strict'],
    securitySeverity: 6.5,
  },
  check(model, report) {
    if (!model.model) return;
    for (const found of sourcesOf(model)) {
      const url = found.mapped.text.slice(found.start, found.end);
      const location = classifySource(url);
      if (location.scheme !== 'http' || isLoopbackHost(location.host) || location.usesVariables) continue;
      // A host written as a variable (`http://$(feedHost)/…`) is decided at run time.
      if (!location.host || /[$%{(]/.test(location.host)) continue;
      const range = rangeInMapped(model.document, found.mapped, found.start, found.end);
      const fixes: Fix[] = [];
      if (servesHttps(location.host)) {
        // `http` → `https` is a plain word in any scalar style: the YAML around it reads the same.
        const schemeRange = rangeInMapped(model.document, found.mapped, found.start, found.start + 4);
        fixes.push({ title: 'Use https://', edits: [{ range: schemeRange, newText: 'https' }], safeForFixAll: false, preferred: true });
      }
      const nugetOrg = isNuGetOrg(location) ? ' nuget.org serves the same feed at https://api.nuget.org/v3/index.json.' : '';
      const check = fixes.length > 0 ? '' : ` (check that ${excerpt(location.host)} serves it over https)`;
      report({
        range,
        message: `${found.what} uses the NuGet source \`${excerpt(url)}\` over http: packages and feed credentials can be read and replaced on the way (NuGet warns NU1803; .NET 9+ fails restore, NU1302). Use https://${check}.${nugetOrg}`,
        fixes,
      });
    }
  },
};

function sourcesOf(model: PipelineDocument): Found[] {
  const found: Found[] = [];
  const inText = (mapped: MappedText | null, what: string) => {
    if (!mapped || mapped.opaqueSpan) return;
    for (const pattern of [SOURCE_ARGUMENT, ADDED_SOURCE]) {
      for (const match of mapped.text.matchAll(pattern)) {
        const start = match.index! + match[0].length - match[1]!.length;
        if (!found.some((f) => f.mapped === mapped && f.start === start)) found.push({ mapped, start, end: start + match[1]!.length, what });
      }
    }
  };
  for (const task of azureTasksOf(model)) {
    if (task.name !== 'dotnetcorecli@2' && task.name !== 'nugetcommand@2') continue;
    for (const input of ['arguments', 'restoreArguments']) inText(taskInputText(model, task, input), `\`${task.written}\` (\`${input}\`)`);
  }
  if (model.kind === 'github-workflow' || model.kind === 'github-action') {
    for (const { yaml, root } of rootMaps(model.parsed.documents)) {
      for (const { step } of githubSteps(yaml, root)) {
        if (usesOf(yaml, step) !== 'actions/setup-dotnet') continue;
        const mapped = scalarText(model.document, valueOf(yaml, valueOf(yaml, step, 'with'), 'source-url'));
        const start = mapped ? mapped.text.search(/\S/) : -1;
        if (!mapped || start < 0 || !/^http:\/\//i.test(mapped.text.slice(start))) continue;
        found.push({ mapped, start, end: mapped.text.trimEnd().length, what: '`actions/setup-dotnet` (`source-url`)' });
      }
    }
  }
  return found;
}
