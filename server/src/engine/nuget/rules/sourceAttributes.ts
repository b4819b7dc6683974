// Small helpers the nuget.config rules share for pointing at and rewriting source URLs.
import type { TextDocument } from '../../text';
import type { Range, TextEdit } from '../../types';
import type { XmlAttribute } from '../xml';

/** The machine itself: plain http to it never crosses a network. */
export function isLoopbackHost(host: string | undefined): boolean {
  return !!host && (host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '[::1]' || host === '::1');
}

/** The edit turning the `http://` written at the start of an attribute value into `https://`; undefined when it is not written there. */
export function httpsEdit(document: TextDocument, value: XmlAttribute): TextEdit | undefined {
  const raw = document.getText(value.valueRange);
  const at = raw.search(/\S/);
  if (at < 0 || raw.slice(at, at + 7).toLowerCase() !== 'http://') return undefined;
  const start = document.positionAt(document.offsetAt(value.valueRange.start) + at);
  const end = document.positionAt(document.offsetAt(start) + 4);
  return { range: { start, end }, newText: 'https' };
}

/** Where to underline a value: inside the quotes, or the whole attribute when the value is empty. */
export function valueRangeOf(value: XmlAttribute): Range {
  return value.hasValue && value.value !== '' ? value.valueRange : value.range;
}
