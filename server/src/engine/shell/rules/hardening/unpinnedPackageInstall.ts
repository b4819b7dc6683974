// unpinned-package-install: a RUN or pipeline step installs "whatever is newest" from a package registry (chocolatey,
// PowerShell Gallery, NuGet and .NET tools, pip, npm, winget), or switches the package manager's integrity check off.
import { excerpt } from '../../../excerpt';
import type { Stage } from '../../../dockerfile/model';
import type { RunAnalysis } from '../../runAnalysis';
import type { HostedCommand } from '../../scriptHost';
import type { ShellToken } from '../../types';
import type { Fix } from '../../../types';
import { SCRIPT_FILE_KINDS, type ScriptRule } from '../../../rules/rule';
import { bindCmdlet, type CmdletSpec } from '../../parameters';
import { runCommandChecks, type CommandCheck, type Detection } from './commandChecks';
import { parseCommandLine, type CommandLine } from '../../nativeOptions';
import { pipArguments } from './packageTools';
import { isDynamic, spanOf } from './tokens';

export const unpinnedPackageInstall: ScriptRule = {
  meta: {
    id: 'unpinned-package-install',
    title: 'Package installed without a pinned version, or without its integrity check',
    fileKind: 'dockerfile',
    fileKinds: SCRIPT_FILE_KINDS,
    defaultSeverity: 'warning',
    cwe: [829, 494],
    references: ['NIST SP 800-190 §4.1.3', 'NIST SP 800-190 §4.1.1', 'CIS Docker Benchmark 4.11'],
    ruleSets: ['recommended', 'strict'],
    hadolintIds: ['DL3013', 'DL3016'],
    securitySeverity: 5.3,
  },
  checkScripts(host, report) {
    runCommandChecks(host, report, CHECKS);
  },
};

/** "Newest at build time": two builds of one Dockerfile (two runs of a pipeline) can differ, and a hijacked release flows straight in. */
function unpinned(located: HostedCommand, token: ShellToken, what: string, pin: string): Detection {
  const when = located.run.host.kind === 'dockerfile' ? 'at build time' : 'when the job runs';
  return { token, message: `${what} installs whatever version is newest ${when}; pin it: ${pin}.` };
}

function integrityBypass(token: ShellToken, what: string): Detection {
  return { token, message: `${what}; remove it, and check a package without a checksum yourself with \`Get-FileHash\`.` };
}

/** Local files, folders and URLs: not resolved from a registry by version (URL downloads are another rule's concern). */
function isLocalOrUrl(value: string): boolean {
  return /^(\.|\/|\\|~|[A-Za-z]:)|:\/\//.test(value) || /\.(whl|tar\.gz|tgz|zip|nupkg|nuspec|config|msi|exe)$/i.test(value)
    // A glob (`pip install dist/*`: the wheels the job just built) names files; no registry has such a name.
    || /[*?]/.test(value);
}

/** Package operands worth judging: literal names, not variables (`$pkg` may carry its own pin) or files. */
function packageOperands(operands: readonly ShellToken[]): ShellToken[] {
  return operands.filter((t) => !isDynamic(t) && !isLocalOrUrl(t.value) && t.value !== '');
}

// ── chocolatey ──

/** chocolatey options that take a value (`-s x`, `--source x`, `-version 1.0`); `-v` is `--verbose`, not a version. */
const CHOCO_VALUE_OPTIONS = ['s', 'source', 'version', 'ia', 'installargs', 'installarguments', 'install-arguments', 'params', 'parameters',
  'pkgparameters', 'packageparameters', 'package-parameters', 'ua', 'uninstallargs', 'uninstallarguments', 'uninstall-arguments', 'u', 'user',
  'p', 'password', 'cert', 'cp', 'certpassword', 'checksum', 'downloadchecksum', 'download-checksum', 'checksum64', 'checksumx64',
  'downloadchecksumx64', 'download-checksum-x64', 'checksumtype', 'checksum-type', 'downloadchecksumtype', 'download-checksum-type',
  'checksumtype64', 'checksumtypex64', 'checksum-type-x64', 'downloadchecksumtypex64', 'download-checksum-type-x64', 'c', 'cache',
  'cachelocation', 'cache-location', 'timeout', 'execution-timeout', 'proxy', 'proxy-user', 'proxy-password', 'proxy-bypass-list',
  'log-file', 'installdir', 'installdirectory', 'install-directory', 'n', 'name', 'reason', 'pin-reason', 'install-arguments-sensitive',
  'package-parameters-sensitive'];
const CHOCO_CHECKSUM_BYPASS = new Set(['ignorechecksum', 'ignorechecksums', 'allowemptychecksum', 'allowemptychecksums', 'allowemptychecksumsecure', 'allowemptychecksumssecure']);

const chocolatey: CommandCheck = {
  names: ['choco', 'cinst'],
  detect(located) {
    const { command, name } = located;
    const line = parseCommandLine(command.args, { singleDashLong: true, valueOptions: CHOCO_VALUE_OPTIONS });
    const words = line.words();
    const verb = name === 'cinst' ? 'install' : words[0];
    if (verb === 'feature') return chocolateyFeature(line);
    if (verb !== 'install' && verb !== 'upgrade') return [];
    const detections = line.options
      .filter((o) => CHOCO_CHECKSUM_BYPASS.has(o.name.replace(/-/g, '')))
      .map((o) => integrityBypass(o.token, `\`${o.token.value}\` lets chocolatey run package downloads whose checksum is missing or wrong`));
    if (!line.find('version')) {
      const packages = packageOperands(line.operands.slice(name === 'cinst' ? 0 : 1)).filter((t) => t.value.toLowerCase() !== 'all');
      detections.push(...packages.map((t) => unpinned(located, t, `\`choco ${verb} ${t.value}\``, '`--version <x.y.z>`')));
    }
    return detections;
  },
};

/** `choco feature enable -n allowEmptyChecksums`, `choco feature disable -n checksumFiles`: checksums off for every later install. */
function chocolateyFeature(line: CommandLine): Detection[] {
  const action = line.words()[1];
  const feature = line.find('n', 'name')?.value;
  const featureName = feature?.value.toLowerCase();
  if (!feature) return [];
  if ((action === 'enable' && featureName === 'allowemptychecksums') || (action === 'disable' && featureName === 'checksumfiles')) {
    return [integrityBypass(feature, `\`choco feature ${action} ${feature.value}\` lets every later chocolatey install run downloads without a valid checksum`)];
  }
  return [];
}

// ── PowerShell Gallery and PackageManagement ──

const GALLERY_CMDLETS: ReadonlyMap<string, { spec: CmdletSpec; pin: string }> = new Map([
  ['install-module', { spec: galleryInstall('RequiredVersion'), pin: '`-RequiredVersion <x.y.z>`' }],
  ['install-script', { spec: galleryInstall('RequiredVersion'), pin: '`-RequiredVersion <x.y.z>`' }],
  ['install-package', { spec: galleryInstall('RequiredVersion', ['ProviderName', 'Source', 'Destination', 'ConfigFile', 'Type'], { Provider: 'ProviderName' }), pin: '`-RequiredVersion <x.y.z>`' }],
  ['install-psresource', { spec: galleryInstall('Version', ['TemporaryPath', 'RequiredResource', 'RequiredResourceFile']), pin: '`-Version <x.y.z>`' }],
]);

function galleryInstall(versionParameter: string, extraValues: string[] = [], aliases: Record<string, string> = {}): CmdletSpec {
  return {
    values: ['Name', versionParameter, 'MinimumVersion', 'MaximumVersion', 'Repository', 'Credential', 'Scope', 'Proxy', 'ProxyCredential', 'InputObject', ...extraValues],
    switches: ['AllowClobber', 'SkipPublisherCheck', 'AllowPrerelease', 'AcceptLicense', 'NoClobber', 'TrustRepository', 'Reinstall', 'Quiet',
      'SkipDependencyCheck', 'AuthenticodeCheck', 'Prerelease', 'ForceBootstrap', 'SkipDependencies', 'ExcludeVersion', 'AllVersions'],
    aliases,
    positional: ['Name'],
  };
}

const powershellGet: CommandCheck = {
  names: [...GALLERY_CMDLETS.keys()],
  detect(located) {
    const { command, name } = located;
    const cmdlet = GALLERY_CMDLETS.get(name)!;
    const bound = bindCmdlet(command, cmdlet.spec);
    const detections: Detection[] = [];
    const skip = bound.switchOn('SkipPublisherCheck');
    if (skip) detections.push(integrityBypass(skip, '`-SkipPublisherCheck` installs the module even when its Authenticode publisher does not match the installed one'));
    const version = bound.values(name === 'install-psresource' ? 'Version' : 'RequiredVersion')[0];
    if (version && !isVersionRange(version)) return detections;
    const names = packageOperands(bound.values('Name'));
    detections.push(...names.map((t) => unpinned(located, t, `\`${command.name.value} ${t.value}\``, cmdlet.pin)));
    return detections;
  },
};

/** NuGet range syntax (`[1.0,2.0)`, `1.*`): allowed by Install-PSResource -Version, but not a pin. */
function isVersionRange(token: ShellToken): boolean {
  return /[,*()]/.test(token.value);
}

// ── NuGet ──

const NUGET_VALUE_OPTIONS = ['outputdirectory', 'o', 'version', 'source', 'fallbacksource', 'configfile', 'packagesavemode', 'solutiondirectory',
  'dependencyversion', 'framework', 'verbosity', 'apikey', 'msbuildversion', 'msbuildpath', 'packagesdirectory'];

const nugetExe: CommandCheck = {
  names: ['nuget'],
  detect(located) {
    const { command } = located;
    const line = parseCommandLine(command.args, { singleDashLong: true, valueOptions: NUGET_VALUE_OPTIONS });
    const [verb, target] = line.operands;
    if (verb?.value.toLowerCase() === 'install') {
      if (!target || line.find('version') || packageOperands([target]).length === 0) return [];
      return [unpinned(located, target, `\`nuget install ${target.value}\``, '`-Version <x.y.z>`')];
    }
    // packages.config lists exact versions; lock files apply to PackageReference projects only.
    if (verb?.value.toLowerCase() !== 'restore' || line.find('lockedmode') || /packages\.config$/i.test(target?.value ?? '')) return [];
    if (copiesPackagesConfig(located)) return [];
    return [restoreAdvice(spanOf(command.name, verb), 'nuget restore', '`-LockedMode`')];
  },
};

/**
 * The Dockerfile copies a `packages.config` (or a glob that matches one, `*.config`) into the stage before
 * the RUN: the solution it restores has packages.config projects, whose versions are exact already.
 * Only a hint — the build context cannot be read, and one solution can mix both project styles — but
 * copying project files alone before a restore is the layer-caching idiom, so what is copied is what is
 * restored. Pipeline steps have no such hint.
 */
function copiesPackagesConfig(located: HostedCommand): boolean {
  if (located.run.host.kind !== 'dockerfile') return false;
  const run = located.run as RunAnalysis;
  for (let stage: Stage | null = run.stage; stage; stage = stage.parentStage) {
    const before = stage === run.stage ? stage.instructions.slice(0, stage.instructions.indexOf(run.instruction)) : stage.instructions;
    for (const instruction of before) {
      const keyword = instruction.getKeyword();
      if (keyword !== 'COPY' && keyword !== 'ADD') continue;
      const sources = instruction.getArguments().slice(0, -1).map((arg) => arg.getValue().replace(/^\[|[",\]]/g, ''));
      if (sources.some((source) => matchesPackagesConfig(source.split(/[\\/]/).pop() ?? ''))) return true;
    }
  }
  return false;
}

/** A file name or glob (`*`, `?`) that names `packages.config`. */
function matchesPackagesConfig(name: string): boolean {
  if (!/[*?]/.test(name)) return name.toLowerCase() === 'packages.config';
  const pattern = name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${pattern}$`, 'i').test('packages.config');
}

/** `dotnet tool install|update` options that take a value. */
const DOTNET_TOOL_VALUE_OPTIONS = ['tool-path', 'version', 'configfile', 'add-source', 'source', 'framework', 'a', 'arch', 'tool-manifest', 'v', 'verbosity'];

/** `dotnet tool install -g dotnet-ef` / `dotnet tool update …` without `--version`: the newest tool from NuGet. */
function dotnetToolDetections(located: HostedCommand, args: readonly ShellToken[]): Detection[] {
  const line = parseCommandLine(args, { valueOptions: DOTNET_TOOL_VALUE_OPTIONS });
  const [verb, target] = line.operands;
  const action = verb?.value.toLowerCase();
  if ((action !== 'install' && action !== 'update') || !target || line.find('version') || packageOperands([target]).length === 0) return [];
  return [unpinned(located, target, `\`dotnet tool ${action} ${target.value}\``, '`--version <x.y.z>`')];
}

/** The dotnet CLI: `dotnet tool install|update`, and restores (`dotnet restore`, `dotnet msbuild -t:restore`) without locked mode. */
const dotnetCli: CommandCheck = {
  names: ['dotnet'],
  detect(located) {
    const { command } = located;
    const line = parseCommandLine(command.args, { valueOptions: ['s', 'source', 'r', 'runtime', 'packages', 'configfile', 'v', 'verbosity', 'lock-file-path'] });
    const verb = line.operands[0];
    if (verb?.value.toLowerCase() === 'tool') return dotnetToolDetections(located, command.args.slice(command.args.indexOf(verb) + 1));
    if (verb?.value.toLowerCase() === 'msbuild') return msbuildRestoreDetections(command.args.slice(command.args.indexOf(verb) + 1), 'dotnet msbuild');
    if (verb?.value.toLowerCase() !== 'restore' || line.find('locked-mode') || restoreLockedModeProperty(command.args)) return [];
    return [restoreAdvice(spanOf(command.name, verb), 'dotnet restore', '`--locked-mode`')];
  },
};

const msbuildRestore: CommandCheck = {
  names: ['msbuild'],
  detect({ command }) {
    return msbuildRestoreDetections(command.args, 'msbuild');
  },
};

/** `/t:Restore`, `-target:Restore;Build`, `-restore`, `-r`: a restore, unless `/p:RestoreLockedMode=true`. */
function msbuildRestoreDetections(args: readonly ShellToken[], what: string): Detection[] {
  const restore = args.find((a) => {
    const match = /^(?:-|--|\/)(?:t|target):(.*)$/i.exec(a.value);
    return match ? match[1]!.split(/[;,]/).some((t) => t.trim().toLowerCase() === 'restore') : /^(?:-|--|\/)(restore|r)(:true)?$/i.test(a.value);
  });
  if (!restore || restoreLockedModeProperty(args)) return [];
  return [restoreAdvice(restore, `${what} ${restore.value}`, '`/p:RestoreLockedMode=true`')];
}

/** `-p:RestoreLockedMode=true`, `/p:A=1;RestoreLockedMode=true`, `--property:RestoreLockedMode=true` */
function restoreLockedModeProperty(args: readonly ShellToken[]): boolean {
  return args.some((a) => {
    const match = /^(?:-|--|\/)(?:p|property):(.*)$/i.exec(a.value);
    return match !== null && match[1]!.split(/[;,]/).some((p) => /^\s*RestoreLockedMode\s*=\s*true\s*$/i.test(p));
  });
}

function restoreAdvice(token: ShellToken, what: string, flag: string): Detection {
  return {
    token,
    severity: 'info',
    message: `\`${what}\` may resolve different versions on each restore; commit \`packages.lock.json\` and restore with ${flag}.`,
  };
}

// ── pip ──

const PIP_VALUE_OPTIONS = ['r', 'c', 'e', 't', 'i', 'f', 'requirement', 'constraint', 'editable', 'target', 'prefix', 'root', 'index-url',
  'extra-index-url', 'find-links', 'trusted-host', 'platform', 'python-version', 'implementation', 'abi', 'src', 'upgrade-strategy',
  'progress-bar', 'global-option', 'install-option', 'config-settings', 'C', 'cache-dir', 'log', 'timeout', 'retries', 'proxy', 'cert',
  'client-cert', 'exists-action', 'no-binary', 'only-binary', 'report', 'python', 'use-feature', 'use-deprecated'];

const pip: CommandCheck = {
  detect(located: HostedCommand) {
    const args = pipArguments(located);
    if (!args) return [];
    const line = parseCommandLine(args, { valueOptions: PIP_VALUE_OPTIONS });
    if (line.words()[0] !== 'install') return [];
    const detections: Detection[] = [];
    if (!line.find('require-hashes')) {
      for (const requirement of line.findAll('r', 'requirement')) {
        const file = requirement.value ?? requirement.token;
        detections.push({ token: file, severity: 'info', message: `\`pip install -r ${excerpt(file.value)}\` floats unless every line is pinned; pin with \`==\` and hashes and add \`--require-hashes\`.` });
      }
    }
    // A constraints file pins versions; `--no-index` installs only from local folders.
    if (line.find('c', 'constraint') || line.find('no-index')) return detections;
    for (const operand of line.operands.slice(1)) {
      const vcs = isDynamic(operand) ? null : vcsReference(operand.value);
      if (!vcs || /^[0-9a-f]{40}$/i.test(vcs.ref ?? '')) continue;
      const when = located.run.host.kind === 'dockerfile' ? 'at build time' : 'when the job runs';
      const moving = vcs.ref ? `whatever commit \`${excerpt(vcs.ref)}\` points to` : 'whatever the default branch holds';
      detections.push({ token: operand, message: `\`pip install ${excerpt(operand.value)}\` installs ${moving} ${when}; pin it to a full commit: \`@<40-hex SHA>\`.` });
    }
    const packages = packageOperands(line.operands.slice(1)).filter((t) => !/===?/.test(t.value) && !/\s@\s/.test(t.value));
    detections.push(...packages.map((t) => unpinned(located, t, `\`pip install ${t.value}\``, `\`${t.value.replace(/[<>=~!].*$/, '')}==<x.y.z>\``)));
    return detections;
  },
};

/**
 * A VCS requirement (`git+https://host/repo@ref#egg=x`, also PEP 508's `name @ git+…`): the ref after the
 * repository path, or null when none is written (the default branch). Null for anything else.
 */
function vcsReference(value: string): { ref: string | null } | null {
  const match = /^(?:[A-Za-z0-9._-]+\s*@\s*)?(?:git|hg|svn|bzr)\+[a-z+]+:\/\/(.*)$/i.exec(value);
  if (!match) return null;
  const location = match[1]!.split('#')[0]!;
  // The ref is the last `@…` after the path's first slash (`git@host` before it is a user name).
  const slash = location.indexOf('/');
  const at = location.lastIndexOf('@');
  return { ref: slash >= 0 && at > slash ? location.slice(at + 1) : null };
}

// ── pipx ──

const PIPX_VALUE_OPTIONS = ['python', 'pip-args', 'index-url', 'i', 'suffix', 'preinstall', 'spec', 'editable', 'e', 'global-option'];

/** `pipx install tox`: an application from PyPI at whatever version is newest; `tox==4.11.4` pins it. */
const pipx: CommandCheck = {
  names: ['pipx'],
  detect(located) {
    const line = parseCommandLine(located.command.args, { valueOptions: PIPX_VALUE_OPTIONS });
    if (line.words()[0] !== 'install') return [];
    return packageOperands(line.operands.slice(1))
      .filter((t) => !/===?/.test(t.value) && !/\s@\s/.test(t.value) && !vcsReference(t.value))
      .map((t) => unpinned(located, t, `\`pipx install ${t.value}\``, `\`${t.value.replace(/[<>=~!].*$/, '')}==<x.y.z>\``));
  },
};

// ── npm ──

const NPM_INSTALL = new Set(['install', 'i', 'in', 'ins', 'inst', 'insta', 'instal', 'isnt', 'isnta', 'isntal', 'isntall', 'add']);
const NPM_VALUE_OPTIONS = ['prefix', 'registry', 'cache', 'loglevel', 'userconfig', 'globalconfig', 'workspace', 'w', 'omit', 'include',
  'install-strategy', 'tag', 'before', 'cafile', 'ca', 'proxy', 'https-proxy', 'save-prefix', 'fetch-retries', 'fetch-timeout', 'location',
  'otp', 'auth-type', 'node-options', 'script-shell', 'C'];

const npm: CommandCheck = {
  names: ['npm'],
  detect(located) {
    const line = parseCommandLine(located.command.args, { valueOptions: NPM_VALUE_OPTIONS });
    const verb = line.operands[0];
    if (!verb || !NPM_INSTALL.has(verb.value.toLowerCase())) return [];
    const packages = line.operands.slice(1);
    if (packages.length === 0) return [npmInstallWithoutPackages(located, verb, line)];
    return packageOperands(packages)
      .filter((t) => !isPinnedNpmSpec(t.value))
      .map((t) => unpinned(located, t, `\`npm ${verb.value} ${t.value}\``, `\`${npmPackageName(t.value)}@<x.y.z>\``));
  },
};

/** `npm install` with no package: resolves package.json ranges and may rewrite the lock file. `npm ci` installs exactly the lock file. */
function npmInstallWithoutPackages(located: HostedCommand, verb: ShellToken, line: CommandLine): Detection {
  const global = line.find('g', 'global');
  const fixes: Fix[] = global ? [] : [{
    title: 'Use `npm ci` (installs exactly package-lock.json)',
    edits: [{ range: located.rangeOf(verb), newText: 'ci' }],
    // Without a package-lock.json `npm ci` fails: the user must check there is one.
    safeForFixAll: false,
  }];
  return {
    token: spanOf(located.command.name, verb),
    message: `\`npm ${verb.value}\` without a package resolves package.json's version ranges anew${global ? '.' : '; use `npm ci`, which installs what package-lock.json pins.'}`,
    fixes,
  };
}

/** `pkg@1.2.3`, `@scope/pkg@1.2.3-beta.1`, `pkg@$VERSION`: an exact version. Tags (`@latest`) and ranges (`@^1`) are not. */
function isPinnedNpmSpec(spec: string): boolean {
  const at = spec.lastIndexOf('@');
  if (at <= 0) return /#/.test(spec); // `user/repo#<commit>` pins a git dependency
  const version = spec.slice(at + 1);
  return /^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(version) || /^(\$|%)/.test(version);
}

function npmPackageName(spec: string): string {
  const at = spec.lastIndexOf('@');
  return at > 0 ? spec.slice(0, at) : spec;
}

// ── winget ──

const WINGET_VALUE_OPTIONS = ['id', 'name', 'moniker', 'q', 'query', 'v', 'version', 's', 'source', 'scope', 'a', 'architecture', 'installer-type',
  'l', 'location', 'locale', 'o', 'log', 'custom', 'override', 'header', 'authentication-mode', 'authentication-account', 'm', 'manifest', 'rename'];

const winget: CommandCheck = {
  names: ['winget'],
  detect(located) {
    const { command } = located;
    const line = parseCommandLine(command.args, { valueOptions: WINGET_VALUE_OPTIONS });
    const words = line.words();
    if (words[0] !== 'install' && words[0] !== 'add') return [];
    const detections: Detection[] = line.findAll('ignore-security-hash')
      .map((o) => integrityBypass(o.token, '`--ignore-security-hash` runs the installer even when its hash does not match the manifest'));
    // A local manifest (`-m file.yaml`) names one exact installer and hash.
    if (line.find('v', 'version') || line.find('m', 'manifest')) return detections;
    const target = line.find('id', 'name', 'moniker', 'q', 'query')?.value ?? line.operands[1];
    if (target && packageOperands([target]).length > 0) detections.push(unpinned(located, target, `\`winget install ${target.value}\``, '`--version <x.y.z>`'));
    return detections;
  },
};

/** The checks in reporting order: one list for the life of the process (runCommandChecks indexes it by command name once). */
const CHECKS: readonly CommandCheck[] = [chocolatey, powershellGet, nugetExe, dotnetCli, msbuildRestore, pip, pipx, npm, winget];
