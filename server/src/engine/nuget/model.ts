// The NuGet meaning of a nuget.config: sources, credentials, signers, source mapping and settings, each with
// the XML nodes it came from so that rules can point at them and fixes can edit them in place. Follows
// NuGet's reading (docs/reference/nuget-config-file.md): element and key names are case-insensitive,
// source names are compared case-insensitively, credential elements encode the source name with
// XmlConvert (`_x0020_` for a space), `%VAR%` is expanded at restore time and `$VAR` never is.
import type { TextDocument } from '../text';
import { parseXml, attribute, childrenNamed, type XmlAttribute, type XmlDocument, type XmlElement } from './xml';
import { classifySource, VARIABLE_REFERENCE, type SourceLocation } from './sourceUrl';

export type SourceSection = 'packageSources' | 'auditSources';

export interface NuGetSource {
  section: SourceSection;
  key: string;
  value: string;
  element: XmlElement;
  keyAttribute?: XmlAttribute;
  valueAttribute?: XmlAttribute;
  location: SourceLocation;
  /** `allowInsecureConnections` / `disableTLSCertificateValidation` when set to true. */
  allowInsecureConnections?: XmlAttribute;
  disableTlsValidation?: XmlAttribute;
  /** Listed under `<disabledPackageSources>` with value true. */
  disabled: boolean;
}

export interface SourceList {
  /** The section elements (a file may repeat a section; NuGet reads them all). */
  sections: XmlElement[];
  /** The first `<clear />` among them: sources of user and machine configs are not inherited. */
  clear?: XmlElement;
  /** The sources restore sees, after every `<clear />`. */
  sources: NuGetSource[];
  /** Sources written before a `<clear />`, which drops them: NuGet never uses these. */
  cancelled: NuGetSource[];
  /** Names listed in `<disabledPackageSources>` (compared exactly, as NuGet does). */
  disabledKeys: ReadonlySet<string>;
}

export interface SourceCredentials {
  /** The source name, decoded from the element name. */
  sourceKey: string;
  element: XmlElement;
  username?: ConfigEntry;
  /** DPAPI-encrypted `Password`. */
  password?: ConfigEntry;
  clearTextPassword?: ConfigEntry;
}

/** One `<add key="…" value="…" />` entry. */
export interface ConfigEntry {
  key: string;
  value: string;
  element: XmlElement;
  keyAttribute?: XmlAttribute;
  valueAttribute?: XmlAttribute;
}

export interface SignerCertificate {
  element: XmlElement;
  fingerprint: string;
  hashAlgorithm: string;
  fingerprintAttribute?: XmlAttribute;
  allowUntrustedRoot?: XmlAttribute;
}

export interface TrustedSigner {
  kind: 'author' | 'repository';
  name: string;
  element: XmlElement;
  serviceIndex?: XmlAttribute;
  certificates: SignerCertificate[];
  owners?: XmlElement;
  /** Owners listed in `<owners>` (split on `;`). */
  ownerNames: string[];
}

export interface MappingPattern {
  pattern: string;
  element: XmlElement;
  attribute?: XmlAttribute;
}

export interface MappingEntry {
  key: string;
  element: XmlElement;
  patterns: MappingPattern[];
}

export interface NuGetConfigModel {
  document: TextDocument;
  xml: XmlDocument;
  /** `<configuration>`; undefined when the root element is missing or named otherwise. */
  root?: XmlElement;
  /** `<config>` entries by lower-case key (the last one wins, as in NuGet). */
  config: Map<string, ConfigEntry>;
  configSections: XmlElement[];
  packageSources: SourceList;
  auditSources: SourceList;
  credentials: SourceCredentials[];
  trustedSigners: { sections: XmlElement[]; signers: TrustedSigner[] };
  /** `duplicates`: a second `<packageSource>` with a key already mapped, which NuGet refuses to load. */
  mapping: { sections: XmlElement[]; entries: MappingEntry[]; duplicates: MappingEntry[] };
  apiKeys: ConfigEntry[];
}

export function buildNuGetConfigModel(document: TextDocument): NuGetConfigModel {
  const xml = parseXml(document);
  const root = xml.root && xml.root.key === 'configuration' ? xml.root : undefined;
  const sections = (name: string): XmlElement[] => (root ? childrenNamed(root, name) : []);

  // NuGet (PackageSourceProvider) disables every source named by an `<add>` here, whatever its value, and
  // compares the names exactly (ordinal), unlike source names elsewhere.
  const disabled = new Set(effectiveEntries(sections('disabledPackageSources')).entries.map((entry) => entry.key));

  const config = new Map<string, ConfigEntry>();
  const configSections = sections('config');
  for (const entry of effectiveEntries(configSections).entries) config.set(entry.key.toLowerCase(), entry);

  const credentials: SourceCredentials[] = [];
  for (const section of sections('packageSourceCredentials')) {
    for (const element of section.children) {
      if (!element.name) continue;
      const entries = new Map(entriesOf(element).map((entry) => [entry.key.toLowerCase(), entry]));
      credentials.push({
        sourceKey: decodeXmlName(element.name),
        element,
        ...optional('username', entries.get('username')),
        ...optional('password', entries.get('password')),
        ...optional('clearTextPassword', entries.get('cleartextpassword')),
      });
    }
  }

  const signerSections = sections('trustedSigners');
  const signers: TrustedSigner[] = [];
  for (const section of signerSections) {
    for (const element of section.children) {
      if (element.key !== 'author' && element.key !== 'repository') continue;
      const owners = childrenNamed(element, 'owners')[0];
      const serviceIndex = attribute(element, 'serviceIndex');
      signers.push({
        kind: element.key,
        name: attribute(element, 'name')?.value ?? '',
        element,
        ...(serviceIndex ? { serviceIndex } : {}),
        certificates: childrenNamed(element, 'certificate').map((certificate) => certificateOf(certificate)),
        ...(owners ? { owners } : {}),
        ownerNames: owners ? owners.text.split(';').map((o) => o.trim()).filter(Boolean) : [],
      });
    }
  }

  const mappingSections = sections('packageSourceMapping');
  let entries: MappingEntry[] = [];
  const duplicates: MappingEntry[] = [];
  for (const section of mappingSections) {
    for (const element of section.children) {
      if (element.key === 'clear') entries = [];
      if (element.key !== 'packagesource') continue;
      const entry: MappingEntry = {
        key: attribute(element, 'key')?.value.trim() ?? '',
        element,
        patterns: childrenNamed(element, 'package').map((pkg) => {
          const patternAttribute = attribute(pkg, 'pattern');
          return { pattern: patternAttribute?.value.trim() ?? '', element: pkg, ...(patternAttribute ? { attribute: patternAttribute } : {}) };
        }),
      };
      if (entries.some((other) => other.key === entry.key)) duplicates.push(entry);
      else entries.push(entry);
    }
  }

  return {
    document,
    xml,
    ...(root ? { root } : {}),
    config,
    configSections,
    packageSources: sourceList(sections('packageSources'), 'packageSources', disabled),
    auditSources: sourceList(sections('auditSources'), 'auditSources', new Set()),
    credentials,
    trustedSigners: { sections: signerSections, signers },
    mapping: { sections: mappingSections, entries, duplicates },
    // Every entry, under any root: a key dropped by a later `<clear />`, or written into the NuGet 1.x
    // `<settings>` root that today's NuGet rejects, is still committed with the file.
    apiKeys: (xml.root ? childrenNamed(xml.root, 'apikeys') : []).flatMap((section) => entriesOf(section)),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** `<add key value />` children of a section, in order. `<clear />` and other elements are skipped. */
function entriesOf(section: XmlElement): ConfigEntry[] {
  return childrenNamed(section, 'add').map(entryOf);
}

function entryOf(element: XmlElement): ConfigEntry {
  const keyAttribute = attribute(element, 'key');
  const valueAttribute = attribute(element, 'value');
  return {
    key: keyAttribute?.value ?? '',
    value: valueAttribute?.value ?? '',
    element,
    ...(keyAttribute ? { keyAttribute } : {}),
    ...(valueAttribute ? { valueAttribute } : {}),
  };
}

/**
 * The `<add>` entries of same-named sections as NuGet reads them (SettingFactory): in document order, where a
 * `<clear />` drops every entry read before it — inherited ones and earlier ones of this file alike.
 */
export function effectiveEntries(sections: readonly XmlElement[]): { entries: ConfigEntry[]; cancelled: ConfigEntry[] } {
  let entries: ConfigEntry[] = [];
  const cancelled: ConfigEntry[] = [];
  for (const section of sections) {
    for (const element of section.children) {
      if (element.key === 'clear') {
        cancelled.push(...entries);
        entries = [];
      } else if (element.key === 'add') {
        entries.push(entryOf(element));
      }
    }
  }
  return { entries, cancelled };
}

function sourceList(sections: XmlElement[], section: SourceSection, disabled: ReadonlySet<string>): SourceList {
  const clear = sections.flatMap((s) => childrenNamed(s, 'clear'))[0];
  const toSource = (entry: ConfigEntry): NuGetSource => {
    const insecure = attribute(entry.element, 'allowInsecureConnections');
    const noTls = attribute(entry.element, 'disableTLSCertificateValidation');
    return {
      section,
      key: entry.key,
      value: entry.value,
      element: entry.element,
      ...(entry.keyAttribute ? { keyAttribute: entry.keyAttribute } : {}),
      ...(entry.valueAttribute ? { valueAttribute: entry.valueAttribute } : {}),
      location: classifySource(entry.value),
      ...(insecure && isTrue(insecure.value) ? { allowInsecureConnections: insecure } : {}),
      ...(noTls && isTrue(noTls.value) ? { disableTlsValidation: noTls } : {}),
      disabled: disabled.has(entry.key),
    };
  };
  const { entries, cancelled } = effectiveEntries(sections);
  return { sections, ...(clear ? { clear } : {}), sources: entries.map(toSource), cancelled: cancelled.map(toSource), disabledKeys: disabled };
}

function certificateOf(element: XmlElement): SignerCertificate {
  const fingerprintAttribute = attribute(element, 'fingerprint');
  const untrustedRoot = attribute(element, 'allowUntrustedRoot');
  return {
    element,
    fingerprint: (fingerprintAttribute?.value ?? '').trim().toUpperCase(),
    hashAlgorithm: (attribute(element, 'hashAlgorithm')?.value ?? '').trim().toUpperCase(),
    ...(fingerprintAttribute ? { fingerprintAttribute } : {}),
    ...(untrustedRoot && isTrue(untrustedRoot.value) ? { allowUntrustedRoot: untrustedRoot } : {}),
  };
}

/**
 * A value made only of `%NAME%` references (`%PAT%`, `%PREFIX%%TOKEN%`): NuGet expands them at restore time, so
 * the secret is not in the file.
 */
export function isVariableReference(value: string): boolean {
  const trimmed = value.trim();
  return trimmed !== '' && trimmed.replace(VARIABLE_REFERENCE, '') === '';
}

export function isTrue(value: string): boolean {
  return value.trim().toLowerCase() === 'true';
}

/** XmlConvert.DecodeName: `_xHHHH_` (and `_xHHHHHHHH_`) back to the character. */
export function decodeXmlName(name: string): string {
  return name.replace(/_x([0-9A-Fa-f]{4}|[0-9A-Fa-f]{8})_/g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)));
}

/** Sources restore downloads from: this file's enabled package sources (inherited ones are unknown here). */
export function activeSources(model: NuGetConfigModel): NuGetSource[] {
  return model.packageSources.sources.filter((source) => !source.disabled && source.key !== '');
}

/** Mapping entries for a source name (NuGet compares source names case-insensitively). */
export function mappingFor(model: NuGetConfigModel, sourceKey: string): MappingEntry[] {
  const wanted = sourceKey.toLowerCase();
  return model.mapping.entries.filter((entry) => entry.key.toLowerCase() === wanted);
}
