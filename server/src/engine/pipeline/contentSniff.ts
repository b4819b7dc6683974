// The language server (and the CLI's folder walk) receives every YAML file (no path tells an Azure template in eng/ from a Kubernetes
// manifest) and must decide on each change whether it is a pipeline. Parsing is what decides
// (pipelineKindByContent in engine/pipeline/recognise.ts), but a parse of a large YAML file that is no
// pipeline (a Helm values file, an OpenAPI spec) takes tens to hundreds of milliseconds per keystroke.
// This test runs first, in a few milliseconds: it answers false only when no document of the stream can
// have a root key that any content recogniser looks for, so it never hides a pipeline; true means "parse".
//
// Why it is sound: every content recogniser needs a root-mapping key among ROOT_KEYS (a GitHub workflow
// `jobs`, an action `runs`, an Azure pipeline or template `steps`/`jobs`/`phases`/`stages`/`extends`, or
// `variables`/`trigger`/`pr`/`schedules`/`pool` beside other Azure root keys), written as a scalar key (merge
// keys and alias keys are not read). In block style the root keys of a document share the indentation of
// its first content line; when that line is at column 0 they are lines starting at column 0 with the key
// (optionally quoted, tagged or anchored) and a colon. Anything else — a root indented or in flow style, an
// explicit `?` key, content on the `---` line — is answered with true.

const ROOT_KEY_LINE = /^(?:[&!]\S*[ \t]+)*(["']?)(?:jobs|runs|steps|phases|stages|extends|variables|trigger|pr|schedules|pool)\1[ \t]*:/;
const DOCUMENT_MARKER = /^(---|\.\.\.)(?=[ \t]|$)(.*)$/;

/** False only when the text cannot be a pipeline by content (see above); true when it must be parsed to tell. */
export function mayBePipelineByContent(text: string): boolean {
  let atDocumentStart = true;
  let start = 0;
  while (start <= text.length) {
    let end = start;
    while (end < text.length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
    let line = text.slice(start, end);
    start = end + (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? 2 : 1);
    if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    const marker = DOCUMENT_MARKER.exec(line);
    if (marker) {
      const rest = marker[2]!.trim();
      if (marker[1] === '---' && rest !== '' && !rest.startsWith('#')) return true;
      atDocumentStart = true;
      continue;
    }
    if (/^[ \t]*(#|$)/.test(line)) continue;
    if (atDocumentStart) {
      atDocumentStart = false;
      // A root that is indented, in flow style, tagged, anchored or an explicit key: parse to tell.
      if (/^[ \t{[?&!*|>%@`]/.test(line)) return true;
    }
    if (line.charCodeAt(0) === 63 /* ? */) return true;
    if (ROOT_KEY_LINE.test(line)) return true;
  }
  return false;
}
