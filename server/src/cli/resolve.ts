// `lint --resolve`: pins every FROM image that names a tag but no digest to `name:tag@sha256:…`, with
// the digest the tag points at now. Only literal references are pinned (an ARG-built one is left
// alone: the pin would have to go into the ARG default). Images that cannot be resolved are left as
// they are, with a message.
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
    if (!base || base.usesVariables || !base.reference || base.reference.digest !== null || base.reference.tag === null) continue;
    const line = base.range.start.line + 1;
    try {
      const resolved = await client.resolve(base.reference.text);
      edits.push({ range: { start: base.range.end, end: base.range.end }, newText: `@${resolved.digest}` });
      pinned.push({ line, image: base.written, digest: resolved.digest });
    } catch (error) {
      unresolved.push({ line, image: base.written, reason: isRegistryError(error) ? `${error.kind}: ${error.message}` : String(error) });
    }
  }
  return { text: edits.length > 0 ? applyEdits(text, edits) : text, pinned, unresolved };
}
