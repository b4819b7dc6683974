// `lint --resolve` for pipeline YAML (issue 11, "Pinning"): the images of pipeline-image-without-digest
// and `uses: docker://…` get `@sha256:…` from their registry (the tag stays), and `uses: owner/repo@ref`
// gets the commit the ref names now, over git's smart HTTP at --github-url (https://github.com by
// default), with the ref kept as a comment (`@<sha> # v4`). The same targets and edits as the editor's
// quick fixes (engine/pipeline/rules/pinTargets.ts). Answers are cached for the run, so fifty workflows
// using actions/checkout@v4 ask once. What cannot be resolved is left as it is, with the reason.
import { buildPipelineDocument } from '../engine/pipeline/document';
import { lintText } from '../engine/lint';
import { ACTION_RULE_ID, IMAGE_RULE_ID, actionPinEdits, imagePinEdits, pinnedActionValue, pinnedImageValue, pinTargets, readsAsBeforeExcept, type PinTarget } from '../engine/pipeline/rules/pinTargets';
import type { EngineSettings } from '../engine/settings';
import { applyEdits, createDocument } from '../engine/text';
import type { Range, TextEdit } from '../engine/types';
import { isRegistryError, type RegistryClient } from '../registry/index';
import { gitRefFailure, resolveGitRef, type ResolvedGitRef } from '../registry/gitRefs';
import type { Transport } from '../registry/transport';
import type { Pin, ResolveResult } from './resolve';

/** A pipeline pin: `to` is the value as written after the pin (an action's commit is in `digest`). */
export interface PipelinePin extends Pin {
  to: string;
}

export class PipelinePinner {
  private readonly digests = new Map<string, Promise<string>>();
  private readonly commits = new Map<string, Promise<ResolvedGitRef>>();

  constructor(private readonly client: RegistryClient, private readonly transport: Transport, private readonly gitHubUrl: string) {}

  dispose(): void {
    this.transport.dispose();
  }

  private digestOf(reference: string): Promise<string> {
    let pending = this.digests.get(reference);
    if (!pending) this.digests.set(reference, pending = this.client.resolve(reference).then((resolved) => resolved.digest));
    return pending;
  }

  private commitOf(owner: string, repo: string, ref: string): Promise<ResolvedGitRef> {
    const key = `${owner.toLowerCase()}/${repo.toLowerCase()}@${ref}`;
    let pending = this.commits.get(key);
    if (!pending) this.commits.set(key, pending = resolveGitRef(this.transport, this.gitHubUrl, owner, repo, ref));
    return pending;
  }

  /**
   * Pins what can be pinned in one pipeline file; `text` is returned unchanged when nothing was. As in the
   * editor, only values the two rules report under `settings` are pinned: a rule turned off, or a finding
   * suppressed in the file (`# zizmor: ignore[unpinned-uses]` on `@main` is a decision), is left alone.
   */
  async pin(text: string, filePath: string, settings: EngineSettings): Promise<ResolveResult & { pinned: PipelinePin[] }> {
    const model = buildPipelineDocument(createDocument(text), filePath);
    const reported = lintText(text, 'pipeline', settings, { path: filePath }).findings.filter((finding) => finding.ruleId === IMAGE_RULE_ID || finding.ruleId === ACTION_RULE_ID);
    const isReported = (target: PinTarget): boolean => reported.some((finding) => finding.ruleId === target.ruleId && sameRange(finding.range, target.findingRange));
    const pinned: PipelinePin[] = [];
    const unresolved: ResolveResult['unresolved'] = [];
    const edits: TextEdit[] = [];
    const changes: Array<{ from: string; to: string }> = [];
    for (const target of pinTargets(model).filter(isReported)) {
      const line = target.findingRange.start.line + 1;
      try {
        if (target.kind === 'image') {
          const digest = await this.digestOf(target.reference);
          const pin = imagePinEdits(model, target, digest);
          if (!pin) throw new Error('the pinned value would not read back as the same YAML');
          edits.push(...pin);
          changes.push({ from: target.value, to: pinnedImageValue(target, digest) });
          pinned.push({ line, image: target.value, digest, to: pinnedImageValue(target, digest) });
        } else {
          const resolved = await this.commitOf(target.owner, target.repo, target.ref);
          const pin = actionPinEdits(model, target, resolved.sha);
          if (!pin) throw new Error('the pinned value would not read back as the same YAML');
          edits.push(...pin.edits);
          const to = pinnedActionValue(target, resolved.sha);
          changes.push({ from: target.value, to });
          const note = `${pin.comment ? ` # ${target.ref}` : ''}${resolved.kind === 'branch' ? ` (the head of branch ${target.ref} now; the branch moves on)` : ''}`;
          pinned.push({ line, image: target.value, digest: resolved.sha, to: `${to}${note}` });
        }
      } catch (error) {
        const reason = isRegistryError(error) ? `${error.kind}: ${error.message}` : error instanceof Error && error.name !== 'GitRefError' ? error.message : gitRefFailure(error);
        unresolved.push({ line, image: target.value, reason });
      }
    }
    if (edits.length === 0) return { text, pinned, unresolved };
    const result = applyEdits(text, edits);
    // Each edit was checked alone; together they must read back too (two pins on one flow line could meet).
    if (!readsAsBeforeExcept(text, result, changes)) {
      return { text, pinned: [], unresolved: [...unresolved, ...pinned.map((pin) => ({ line: pin.line, image: pin.image, reason: 'the pins together would not read back as the same YAML; pin them in the editor one by one' }))] };
    }
    return { text: result, pinned, unresolved };
  }
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
