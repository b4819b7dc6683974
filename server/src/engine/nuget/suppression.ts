// Suppression comments in nuget.config, the XML spelling of the Dockerfile ones:
//   <!-- container-guard ignore=<id>[,<id>] -->         the next element, with everything inside it
//   <!-- container-guard global ignore=<id>[,<id>] -->  the whole file
import { PRAGMA, type Suppressions } from '../suppression';
import type { NuGetConfigModel } from './model';
import type { XmlElement } from './xml';

export function collectNuGetSuppressions(model: NuGetConfigModel): Suppressions {
  const result: Suppressions = { fileLevel: new Set(), instructions: [] };
  const elements: XmlElement[] = [];
  const walk = (element: XmlElement): void => {
    elements.push(element);
    element.children.forEach(walk);
  };
  if (model.xml.root) walk(model.xml.root);
  for (const comment of model.xml.comments) {
    const match = PRAGMA.exec(comment.text);
    if (!match || match[1] !== 'container-guard') continue;
    const ids = new Set(match[3]!.split(',').map((id) => id.trim()).filter(Boolean));
    if (ids.size === 0) continue;
    if (match[2]) {
      ids.forEach((id) => result.fileLevel.add(id));
      continue;
    }
    const next = elements.find((element) => element.startOffset >= comment.endOffset);
    if (next) result.instructions.push({ startLine: next.range.start.line, endLine: next.range.end.line, ruleIds: ids });
  }
  return result;
}

/** The innermost element whose range holds `line`: a suppression comment goes above it. */
export function elementAtLine(model: NuGetConfigModel, line: number): XmlElement | undefined {
  let found: XmlElement | undefined;
  const walk = (element: XmlElement): void => {
    if (element.range.start.line > line || element.range.end.line < line) return;
    found = element;
    element.children.forEach(walk);
  };
  if (model.xml.root) walk(model.xml.root);
  return found;
}
