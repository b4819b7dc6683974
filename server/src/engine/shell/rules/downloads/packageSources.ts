// Recognising package-source configuration in RUN commands: the feed URLs handed to Chocolatey, NuGet,
// PowerShellGet, pip, npm/yarn and gem. Every package installed later comes from these URLs.
import { bindCmdlet, type CmdletSpec } from '../../parameters';
import type { ShellCommand, ShellToken } from '../../types';
import type { PlacedCommand } from './commandTree';
import { plainValue } from './tokens';
import { optionValues, parseArguments } from './nativeOptions';
import { mayBeUrl } from './urls';
import { PYTHON_INTERPRETER } from '../hardening/packageTools';

export interface PackageSource {
  placed: PlacedCommand;
  /** The package manager as written: `choco`, `nuget`, `Register-PSRepository`, `pip`. */
  tool: string;
  /** The source: a URL, or a variable that holds one. */
  url: ShellToken;
}

/** PowerShell cmdlets that register a repository, and their parameters that hold its URLs. */
const REPOSITORY_CMDLETS: ReadonlyMap<string, readonly string[]> = new Map([
  ['register-psrepository', ['SourceLocation', 'PublishLocation', 'ScriptSourceLocation', 'ScriptPublishLocation']],
  ['set-psrepository', ['SourceLocation', 'PublishLocation', 'ScriptSourceLocation', 'ScriptPublishLocation']],
  ['register-packagesource', ['Location']],
  ['set-packagesource', ['NewLocation', 'Location']],
  ['register-psresourcerepository', ['Uri']],
  ['set-psresourcerepository', ['Uri']],
  ['install-package', ['Source']],
]);

const REPOSITORY_SPECS: ReadonlyMap<string, CmdletSpec> = new Map([...REPOSITORY_CMDLETS].map(([name, values]) => [name, { values }]));

export function packageSourcesOf(placed: PlacedCommand): PackageSource[] {
  const { command, name } = placed.located;
  const tool = command.name.value;
  const urls = sourceUrlTokens(command, name).filter((token) => mayBeUrl(plainValue(token)));
  return urls.map((url) => ({ placed, tool, url }));
}

function sourceUrlTokens(command: ShellCommand, name: string): ShellToken[] {
  const cmdletParameters = REPOSITORY_CMDLETS.get(name);
  if (cmdletParameters) {
    const bound = bindCmdlet(command, REPOSITORY_SPECS.get(name)!);
    return cmdletParameters.map((p) => bound.value(p)).filter((t): t is ShellToken => t !== undefined);
  }
  // `python -m pip`, `py -3 -m pip`, `pypy3 -m pip`: the interpreters pip's own rule knows.
  if (PYTHON_INTERPRETER.test(name)) return pythonModulePipSources(command);
  switch (name) {
    case 'choco':
    case 'cinst':
    case 'chocolatey':
      // `choco source add -n=x -s=http://…`, `choco install x --source http://…`
      return optionValues(parseArguments(command, { singleDashLong: true, longWithValue: ['s', 'source', 'n', 'name'] }), 's', 'source');
    case 'nuget':
      return optionValues(parseArguments(command, { singleDashLong: true, longWithValue: ['source', 'fallbacksource', 'name', 'configfile'] }), 'source', 'fallbacksource');
    case 'dotnet':
      return dotnetSources(command);
    case 'pip':
    case 'pip2':
    case 'pip3':
      return pipSources(command);
    case 'npm':
    case 'yarn':
    case 'pnpm':
      return npmSources(command);
    case 'gem':
      return optionValues(parseArguments(command, { shortWithValue: 'as', longWithValue: ['add', 'source'] }), 'a', 'add', 's', 'source');
    default:
      return [];
  }
}

/** `dotnet nuget add source <url>`, `dotnet restore --source <url>`, `dotnet add package x -s <url>`. */
function dotnetSources(command: ShellCommand): ShellToken[] {
  const parsed = parseArguments(command, { shortWithValue: 'sncfvor', longWithValue: ['source', 'add-source', 'name', 'configfile', 'framework', 'version', 'output', 'runtime', 'username', 'password', 'verbosity'] });
  const [first, second, third, fourth] = parsed.positionals.map((t) => t.value.toLowerCase());
  const added = first === 'nuget' && second === 'add' && third === 'source' && fourth !== undefined ? [parsed.positionals[3]!] : [];
  return [...added, ...optionValues(parsed, 's', 'source', 'add-source')];
}

const PIP_OPTIONS = {
  shortWithValue: 'irfcte',
  longWithValue: [
    'index-url', 'extra-index-url', 'find-links', 'trusted-host', 'requirement', 'constraint', 'target', 'prefix', 'root',
    'src', 'upgrade-strategy', 'platform', 'python-version', 'implementation', 'abi', 'progress-bar', 'log', 'proxy',
    'retries', 'timeout', 'exists-action', 'cert', 'client-cert', 'cache-dir', 'editable', 'no-binary', 'only-binary',
  ],
};
const PIP_SOURCE_KEYS = /(^|\.)(index-url|extra-index-url|find-links)$/i;

/** `pip install -i/--index-url/--extra-index-url/-f <url>`, `pip install http://…/pkg.whl`, `pip config set global.index-url <url>`. */
function pipSources(command: ShellCommand): ShellToken[] {
  const parsed = parseArguments(command, PIP_OPTIONS);
  const [verb, action, key] = parsed.positionals;
  const configured = verb?.value === 'config' && action?.value === 'set' && key && PIP_SOURCE_KEYS.test(key.value) && parsed.positionals[3] ? [parsed.positionals[3]] : [];
  const directUrls = verb?.value === 'install' ? parsed.positionals.slice(1) : [];
  return [...configured, ...directUrls, ...optionValues(parsed, 'i', 'index-url', 'extra-index-url', 'f', 'find-links')];
}

/** `python -m pip …`: the arguments after `pip` are pip's. */
function pythonModulePipSources(command: ShellCommand): ShellToken[] {
  const index = command.args.findIndex((arg, i) => arg.value === 'pip' && command.args[i - 1]?.value === '-m');
  return index < 0 ? [] : pipSources({ ...command, args: command.args.slice(index + 1) });
}

/** `npm config set registry <url>`, `npm set @scope:registry=<url>`, `npm install --registry <url>`, `yarn config set registry <url>`. */
function npmSources(command: ShellCommand): ShellToken[] {
  const parsed = parseArguments(command, { longWithValue: ['registry'] });
  const positional = parsed.positionals;
  const setAt = positional.findIndex((t) => t.value === 'set');
  const configured: ShellToken[] = [];
  const key = setAt >= 0 ? positional[setAt + 1] : undefined;
  if (key && /(^|:)registry(=|$)/i.test(key.value)) {
    const attached = key.value.indexOf('=');
    const value = attached >= 0 ? { ...key, value: key.value.slice(attached + 1) } : positional[setAt + 2];
    if (value) configured.push(value);
  }
  return [...configured, ...optionValues(parsed, 'registry')];
}
