// `lint --resolve`: pins every FROM image without a digest to `name:tag@sha256:…`, with the digest the
// tag points at now; an image without a tag is pulled as `latest`, so it becomes `name:latest@sha256:…`
// (the tag stays for readers, as in the editor's pin-to-digest fix). Only literal references are pinned
// (an ARG-built one is left alone: the pin would have to go into the ARG default); stage names and
// `scratch` are not images. Images that cannot be resolved are left as they are, with a message.
import { buildDockerfileModel } from '../engine/dockerfile/model';
import { applyEdits, createDocument } from '../engine/text';
import type { TextEdit } from '../engine/types';
import { isRegistryError, type RegistryClient } from '../registry/index';

export interface Pin {
  line: number;
  image: string;
  digest: string;
}

export interface Unresolved {
  line: number;
  image: string;
  reason: string;
}

export interface ResolveResult {
  text: string;
  pinned: Pin[];
  unresolved: Unresolved[];
}

export async function pinBaseImages(text: string, client: RegistryClient): Promise<ResolveResult> {
  const model = buildDockerfileModel(createDocument(text));
  const edits: TextEdit[] = [];
  const pinned: Pin[] = [];
  const unresolved: Unresolved[] = [];
  for (const stage of model.stages) {
    const base = stage.baseImage;
    if (!base || stage.parentStage || stage.isScratch || base.usesVariables || !base.reference || base.reference.digest !== null) continue;
    const line = base.range.start.line + 1;
    try {
      const resolved = await client.resolve(base.reference.text);
      const tag = base.reference.tag === null ? ':latest' : '';
      edits.push({ range: { start: base.range.end, end: base.range.end }, newText: `${tag}@${resolved.digest}` });
      pinned.push({ line, image: base.written, digest: resolved.digest });
    } catch (error) {
      unresolved.push({ line, image: base.written, reason: isRegistryError(error) ? `${error.kind}: ${error.message}` : String(error) });
    }
  }
  return { text: edits.length > 0 ? applyEdits(text, edits) : text, pinned, unresolved };
}
