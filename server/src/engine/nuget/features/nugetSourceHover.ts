// Hover on a package source in nuget.config: where it points and over what, which package ids the source
// mapping sends to it, whether its credentials are safe, and which trusted signers cover its packages.
// Everything comes from the file itself; inherited configs are unknown here and the text says so.
import { activeSources, isVariableReference, mappingFor, type NuGetConfigModel, type NuGetSource } from '../model';
import { classifySource, describeOwner, isNuGetOrg } from '../sourceUrl';
import { inlineCode as code } from '../../excerpt';
import { rangeContains } from '../../text';
import type { Position } from '../../types';
import type { Hover } from '../../kinds/documentKind';


export function nugetSourceHover(model: NuGetConfigModel, position: Position): Hover | null {
  const cancelled = [...model.packageSources.cancelled, ...model.auditSources.cancelled].find((s) => rangeContains(s.element.range, { start: position, end: position }));
  if (cancelled) {
    return { range: cancelled.element.range, markdown: `**${cancelled.section === 'auditSources' ? 'Audit source' : 'Package source'} ${code(cancelled.key || '(no key)')}** — not used: a \`<clear />\` after it drops it.` };
  }
  const source = [...model.packageSources.sources, ...model.auditSources.sources].find((s) => rangeContains(s.element.range, { start: position, end: position }));
  if (!source) return null;
  const lines: string[] = [];
  const kind = source.section === 'auditSources' ? 'Audit source' : 'Package source';
  lines.push(`**${kind} ${code(source.key || '(no key)')}**${source.disabled ? ' — disabled in <disabledPackageSources>' : ''}`);
  lines.push('', transportLine(source));
  if (source.section === 'auditSources') {
    lines.push('', 'Used for vulnerability data only (NuGetAudit); no packages are downloaded from it.');
    return { range: source.element.range, markdown: lines.join('\n') };
  }
  lines.push('', mappingLine(model, source));
  const credentials = credentialsLine(model, source);
  if (credentials) lines.push('', credentials);
  lines.push('', signersLine(model, source));
  if (!model.packageSources.clear) lines.push('', '_No `<clear />`: sources from user and machine configs are used beside this one._');
  return { range: source.element.range, markdown: lines.join('\n') };
}

/** The value as shown: a password or token written into the URL is masked, never displayed. */
function displayValue(source: NuGetSource): string {
  const userInfo = source.location.credentialsInUrl;
  if (!userInfo) return source.value;
  const trimmed = source.value.trim();
  return `${trimmed.slice(0, userInfo.start)}***@${trimmed.slice(userInfo.end)}`;
}

function transportLine(source: NuGetSource): string {
  const location = source.location;
  const value = displayValue(source);
  const owner = location.owner ? ` — ${describeOwner(location.owner)}` : '';
  const variables = location.usesVariables ? ' The value uses `%VARIABLE%` references, resolved at restore time.' : '';
  switch (location.scheme) {
    case 'https':
      return `✅ HTTPS${source.disableTlsValidation ? ' — **but certificate validation is disabled**' : ''}${owner}: ${code(value)}.${variables}`;
    case 'http':
      return `⚠️ **Plain HTTP**${source.allowInsecureConnections ? ' (allowed by `allowInsecureConnections`)' : ' (NuGet: NU1803 warning, NU1302 error on .NET 9+)'}${owner}: ${code(value)}.${variables}`;
    case 'local':
      return `📁 Local folder ${code(value)}: packages are whatever files are in it.${variables}`;
    case 'share':
      return `📁 File share${owner}: ${code(value)}; anyone who can write to the share can add packages.${variables}`;
    default:
      return `${code(value)}: the target is only known at restore time.${variables}`;
  }
}

function mappingLine(model: NuGetConfigModel, source: NuGetSource): string {
  // As in NuGet, mapping is in force only once some source has patterns; an empty section maps nothing.
  if (model.mapping.entries.length === 0) {
    const others = activeSources(model).filter((s) => s !== source && s.location.owner && s.location.owner !== source.location.owner);
    const risk = others.length > 0 ? ` — as can ${others.length} source${others.length === 1 ? '' : 's'} of other owners${others.some((s) => isNuGetOrg(s.location)) ? ', nuget.org among them' : ''}` : '';
    return `**Source mapping:** none — any package id can be restored from this source${risk}.`;
  }
  const patterns = mappingFor(model, source.key).flatMap((entry) => entry.patterns.map((p) => p.pattern)).filter(Boolean);
  if (patterns.length === 0) return '**Source mapping:** no entry for this source — with mapping in force, restore never downloads from it.';
  const shown = patterns.slice(0, 12).map(code).join(', ');
  const more = patterns.length > 12 ? ` and ${patterns.length - 12} more` : '';
  const catchAll = patterns.includes('*') ? ' (`*`: every id no more specific pattern claims)' : '';
  return `**Source mapping:** ${shown}${more}${catchAll}.`;
}

function credentialsLine(model: NuGetConfigModel, source: NuGetSource): string | undefined {
  // NuGet finds a source's credentials by its exact name (ordinal comparison).
  const entry = model.credentials.find((c) => c.sourceKey === source.key);
  if (source.location.credentialsInUrl) return '🔑 **Credentials are written in the URL.**';
  if (!entry) return undefined;
  const user = entry.username?.value ? ` for user ${code(entry.username.value)}` : '';
  const clear = entry.clearTextPassword?.value.trim();
  if (clear) {
    return isVariableReference(clear)
      ? `🔑 Credentials${user}: password from the environment variable ${code(clear)}.`
      : `🔑 **Credentials${user}: the password is written in clear text in this file.**`;
  }
  if (entry.password?.value) return `🔑 Credentials${user}: DPAPI-encrypted password (works only for the same Windows user on the same machine).`;
  return `🔑 Credentials${user}, without a password in this file.`;
}

function signersLine(model: NuGetConfigModel, source: NuGetSource): string {
  const mode = model.config.get('signaturevalidationmode')?.value.trim().toLowerCase();
  // NuGet matches a package's signatures by certificate fingerprint (and, for repository signers, owners),
  // whichever source served it: a feed that mirrors nuget.org delivers nuget.org's repository signature too.
  // So every signer is listed; the one whose service index is this source is marked.
  const sourceUrl = source.value.trim().toLowerCase().replace(/\/+$/, '');
  const parts = model.trustedSigners.signers.map((signer) => {
    const certificates = `${signer.certificates.length} certificate${signer.certificates.length === 1 ? '' : 's'}`;
    if (signer.kind === 'author') return `author ${code(signer.name)} (${certificates})`;
    const owners = signer.ownerNames.length ? `owners ${signer.ownerNames.map(code).join(', ')}` : 'any owner';
    const index = signer.serviceIndex?.value.trim().toLowerCase().replace(/\/+$/, '') ?? '';
    const here = index !== '' && (index === sourceUrl || (isNuGetOrg(source.location) && isNuGetOrg(classifySource(index)))) ? ', this source\'s service index' : '';
    return `repository ${code(signer.name)} (${certificates}, ${owners}${here})`;
  });
  const signers = parts.length ? `trusted signers, for packages from any source: ${parts.join('; ')}` : 'no trusted signers are listed in this file';
  if (mode === 'require') return `**Signatures:** required — ${signers}.`;
  return `**Signatures:** not required (\`signatureValidationMode\` ${mode ? code(mode) : 'not set: accept'}) — ${signers}.`;
}
