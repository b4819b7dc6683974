// Hover on a package source in nuget.config: where it points and over what, which package ids the source
// mapping sends to it, whether its credentials are safe, and which trusted signers cover its packages.
// Everything comes from the file itself; inherited configs are unknown here and the text says so.
import { activeSources, isVariableReference, mappingFor, type NuGetConfigModel, type NuGetSource } from '../nuget/model';
import { classifySource, describeOwner, isNuGetOrg } from '../nuget/sourceUrl';
import { comparePositions } from '../text';
import type { Position } from '../types';
import type { Hover } from './imageHover';

function contains(range: { start: Position; end: Position }, position: Position): boolean {
  return comparePositions(range.start, position) <= 0 && comparePositions(position, range.end) <= 0;
}

/** Markdown inline code that survives backticks in the value. */
function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${text.replace(/\s+/g, ' ')}${fence}`;
}

export function nugetSourceHover(model: NuGetConfigModel, position: Position): Hover | null {
  const source = [...model.packageSources.sources, ...model.auditSources.sources].find((s) => contains(s.element.range, position));
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

function transportLine(source: NuGetSource): string {
  const location = source.location;
  const owner = location.owner ? ` — ${describeOwner(location.owner)}` : '';
  const variables = location.usesVariables ? ' The value uses `%VARIABLE%` references, resolved at restore time.' : '';
  switch (location.scheme) {
    case 'https':
      return `✅ HTTPS${source.disableTlsValidation ? ' — **but certificate validation is disabled**' : ''}${owner}: ${code(source.value)}.${variables}`;
    case 'http':
      return `⚠️ **Plain HTTP**${source.allowInsecureConnections ? ' (allowed by `allowInsecureConnections`)' : ' (NuGet: NU1803 warning, NU1302 error on .NET 9+)'}${owner}: ${code(source.value)}.${variables}`;
    case 'local':
      return `📁 Local folder ${code(source.value)}: packages are whatever files are in it.${variables}`;
    case 'share':
      return `📁 File share${owner}: ${code(source.value)}; anyone who can write to the share can add packages.${variables}`;
    default:
      return `${code(source.value)}: the target is only known at restore time.${variables}`;
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
  const entry = model.credentials.find((c) => c.sourceKey.toLowerCase() === source.key.toLowerCase());
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
  const sourceUrl = source.value.trim().toLowerCase().replace(/\/+$/, '');
  const repository = model.trustedSigners.signers.filter((s) => {
    if (s.kind !== 'repository' || !s.serviceIndex) return false;
    const index = s.serviceIndex.value.trim().toLowerCase().replace(/\/+$/, '');
    return index === sourceUrl || (isNuGetOrg(source.location) && isNuGetOrg(classifySource(index)));
  });
  const authors = model.trustedSigners.signers.filter((s) => s.kind === 'author');
  const parts: string[] = [];
  for (const signer of repository) {
    const owners = signer.ownerNames.length ? `owners ${signer.ownerNames.map(code).join(', ')}` : 'any owner';
    parts.push(`repository signer ${code(signer.name)} (${signer.certificates.length} certificate${signer.certificates.length === 1 ? '' : 's'}, ${owners})`);
  }
  if (authors.length) parts.push(`author signer${authors.length === 1 ? '' : 's'} ${authors.map((a) => code(a.name)).join(', ')} (any source)`);
  const covered = parts.length ? parts.join('; ') : 'no trusted signer covers packages from this source';
  if (mode === 'require') return `**Signatures:** required — ${covered}.`;
  return `**Signatures:** not required (\`signatureValidationMode\` ${mode ? code(mode) : 'not set: accept'}) — ${covered}.`;
}
