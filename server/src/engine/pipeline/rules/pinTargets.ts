// What the registry-backed fixes of pipeline-image-without-digest and pipeline-unpinned-action can pin,
// and the edits that pin it once a lookup (outside the engine: the editor's or the CLI's registry
// client) has found the digest or commit. The engine does no network I/O, so these are not `fixes` of
// the findings: the language server offers them as quick fixes ("Pin to digest", "Pin to commit") and
// `lint --resolve` applies them, never fix-all (the answer depends on the registry at that moment).
//
// Edits are made only where the value is written as it is read (a plain or quoted scalar on one line
// without escapes), and every edit is checked by parsing the result again: the file must read as
// before except for the pinned values (same scalars, no new YAML error). A comment that does not fit
// (a `# v4` that would land inside a multi-line flow value) falls back to the pin without the comment.
import type { PipelineDocument } from '../document';
import { forEachNode, isScalar, parseYaml, spanOf, stringOf, type Node } from '../yamlDocument';
import { applyEdits } from '../../text';
import type { Range, TextEdit } from '../../types';
import { unpinnedImageNodes } from './imageWithoutDigest';
import { unpinnedUses } from './unpinnedAction';
import { valueRangeOf } from './pipelineNodes';

export const IMAGE_RULE_ID = 'pipeline-image-without-digest';
export const ACTION_RULE_ID = 'pipeline-unpinned-action';

interface TargetBase {
  /** The finding this target belongs to: its rule and range (the value's range, as the rule reports it). */
  ruleId: typeof IMAGE_RULE_ID | typeof ACTION_RULE_ID;
  findingRange: Range;
  /** The scalar's value as YAML reads it. */
  value: string;
}

/** An image reference (`node:20`, `docker://alpine:3.19` in `uses:`) to pin by digest. */
export interface ImagePinTarget extends TargetBase {
  kind: 'image';
  /** The reference to look up (without `docker://`). */
  reference: string;
  /** Document offset right after the reference as written (where `@sha256:…` goes). */
  end: number;
  /** False for `ubuntu` (pulled as `latest`): the pin writes `ubuntu:latest@sha256:…`, as the Dockerfile fix does. */
  hasTag: boolean;
}

/** An action or reusable workflow `owner/repo[/path]@ref` to pin to a commit. */
export interface ActionPinTarget extends TargetBase {
  kind: 'action';
  owner: string;
  repo: string;
  ref: string;
  /** Document offsets of the ref as written (replaced by the commit). */
  refStart: number;
  refEnd: number;
  /** Document offset after the scalar (after a closing quote): where `# <ref>` goes when nothing follows. */
  scalarEnd: number;
}

export type PinTarget = ImagePinTarget | ActionPinTarget;

/**
 * Offsets of the characters of a one-line plain or quoted scalar whose source is exactly its value
 * (no escapes, no folding), or null. Only such values can be edited in place by offset.
 */
function exactContent(text: string, node: Node): { start: number; end: number; value: string } | null {
  if (!isScalar(node)) return null;
  const value = stringOf(node);
  const span = spanOf(node);
  if (value === null || !span || value !== value.trim() || value === '') return null;
  let [start, end] = span;
  if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') {
    start += 1;
    end -= 1;
  } else if (node.type !== 'PLAIN') {
    return null;
  }
  if (end <= start || text.slice(start, end) !== value || /[\r\n]/.test(value)) return null;
  return { start, end, value };
}

/** The tag part of an image reference: a `:` in its last path segment (`host:5000/app` has none). */
function hasTag(reference: string): boolean {
  const name = reference.split('@')[0]!;
  return name.slice(name.lastIndexOf('/') + 1).includes(':');
}

/** `owner/repo[/path]@ref` parts, with GitHub's name characters only (never anything to put in a URL otherwise). */
export function actionParts(uses: string): { owner: string; repo: string; ref: string; at: number } | null {
  const at = uses.lastIndexOf('@');
  if (at <= 0) return null;
  const [owner, repo] = uses.slice(0, at).split('/');
  const ref = uses.slice(at + 1);
  if (!owner || !repo || !/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(owner) || !/^[A-Za-z0-9._-]+$/.test(repo) || repo === '.' || repo === '..') return null;
  if (!/^[A-Za-z0-9._\/+-]+$/.test(ref)) return null;
  return { owner, repo, ref, at };
}

/** Every pin the two rules' findings could take, in the order the rules report them. */
export function pinTargets(model: PipelineDocument): PinTarget[] {
  if (!model.kind) return [];
  const text = model.document.getText();
  const targets: PinTarget[] = [];
  const seen = new Set<Node>();
  for (const node of unpinnedImageNodes(model)) {
    if (seen.has(node)) continue;
    seen.add(node);
    const content = exactContent(text, node);
    const findingRange = valueRangeOf(model.document, node);
    if (!content || !findingRange) continue;
    targets.push({ kind: 'image', ruleId: IMAGE_RULE_ID, findingRange, value: content.value, reference: content.value, end: content.end, hasTag: hasTag(content.value) });
  }
  for (const { node, reason } of unpinnedUses(model)) {
    if (seen.has(node) || reason === 'no-ref') continue;
    seen.add(node);
    const content = exactContent(text, node);
    const findingRange = valueRangeOf(model.document, node);
    const span = spanOf(node);
    if (!content || !findingRange || !span) continue;
    if (reason === 'image') {
      const prefix = /^docker:\/\//i.exec(content.value)?.[0];
      const reference = prefix ? content.value.slice(prefix.length) : '';
      if (reference === '') continue;
      targets.push({ kind: 'image', ruleId: ACTION_RULE_ID, findingRange, value: content.value, reference, end: content.end, hasTag: hasTag(reference) });
      continue;
    }
    const parts = actionParts(content.value);
    if (!parts) continue;
    targets.push({
      kind: 'action', ruleId: ACTION_RULE_ID, findingRange, value: content.value, owner: parts.owner, repo: parts.repo, ref: parts.ref,
      refStart: content.start + parts.at + 1, refEnd: content.end, scalarEnd: span[1],
    });
  }
  return targets;
}

/** Every scalar value of the file in source order (keys included), and the number of YAML errors. */
function scalarValues(text: string): { values: string[]; errors: number } {
  const parsed = parseYaml(text);
  const values: string[] = [];
  for (const document of parsed.documents) {
    forEachNode(document, (node) => {
      if (isScalar(node)) values.push(stringOf(node) ?? '\u0000null');
    });
  }
  return { values, errors: parsed.errors.length };
}

/**
 * True when `after` reads as `before` except that the scalars listed in `changes` (old → new value)
 * changed: the same scalars in the same order, no new YAML error. Comments may differ.
 */
export function readsAsBeforeExcept(before: string, after: string, changes: ReadonlyArray<{ from: string; to: string }>): boolean {
  const a = scalarValues(before);
  const b = scalarValues(after);
  if (b.errors > a.errors || a.values.length !== b.values.length) return false;
  const pending = [...changes];
  for (let i = 0; i < a.values.length; i++) {
    if (a.values[i] === b.values[i]) continue;
    const match = pending.findIndex((change) => change.from === a.values[i] && change.to === b.values[i]);
    if (match < 0) return false;
    pending.splice(match, 1);
  }
  return pending.length === 0;
}

/** The value an image target takes when pinned to `digest`. */
export function pinnedImageValue(target: ImagePinTarget, digest: string): string {
  return `${target.value}${target.hasTag ? '' : ':latest'}@${digest}`;
}

/** The edits that pin an image target to `digest` (the tag stays for readers), or null when they would not read back. */
export function imagePinEdits(model: PipelineDocument, target: ImagePinTarget, digest: string): TextEdit[] | null {
  if (!/^sha256:[0-9a-f]{64}$/.test(digest)) return null;
  const position = model.document.positionAt(target.end);
  const edits = [{ range: { start: position, end: position }, newText: `${target.hasTag ? '' : ':latest'}@${digest}` }];
  const text = model.document.getText();
  return readsAsBeforeExcept(text, applyEdits(text, edits), [{ from: target.value, to: pinnedImageValue(target, digest) }]) ? edits : null;
}

/** The value an action target takes when pinned to `sha`. */
export function pinnedActionValue(target: ActionPinTarget, sha: string): string {
  return `${target.value.slice(0, target.value.length - target.ref.length)}${sha}`;
}

/**
 * The edits that pin an action to the commit `sha` and keep the ref as a comment, as Dependabot, pinact
 * and zizmor write it: `uses: owner/repo@<sha> # v4`. A comment already on the line is kept: when it
 * starts with the ref it stays as it is, otherwise the ref goes before it (`# v4 # why`). Returns the
 * edits and whether the ref comment could be written; null when even the bare pin would not read back.
 */
export function actionPinEdits(model: PipelineDocument, target: ActionPinTarget, sha: string): { edits: TextEdit[]; comment: boolean } | null {
  if (!/^[0-9a-f]{40}$/.test(sha)) return null;
  const document = model.document;
  const text = document.getText();
  const pin: TextEdit = { range: { start: document.positionAt(target.refStart), end: document.positionAt(target.refEnd) }, newText: sha };
  const change = [{ from: target.value, to: pinnedActionValue(target, sha) }];
  const lineEnd = (() => {
    const newline = text.indexOf('\n', target.scalarEnd);
    const end = newline < 0 ? text.length : newline;
    return end > target.scalarEnd && text[end - 1] === '\r' ? end - 1 : end;
  })();
  const existing = model.parsed.comments.find((comment) => comment.offset >= target.scalarEnd && comment.offset < lineEnd);
  let comment: TextEdit | null;
  const escaped = target.ref.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  if (existing && new RegExp(`^\\s*${escaped}(?![\\w.-])`).test(existing.text)) {
    comment = null;
  } else if (existing) {
    const at = document.positionAt(existing.offset);
    comment = { range: { start: at, end: at }, newText: `# ${target.ref} ` };
  } else {
    // After the scalar when only blanks follow it, else at the end of the line (after a flow mapping's `}`).
    const rest = text.slice(target.scalarEnd, lineEnd);
    const offset = rest.trim() === '' ? target.scalarEnd : target.scalarEnd + rest.trimEnd().length;
    const at = document.positionAt(offset);
    comment = { range: { start: at, end: at }, newText: ` # ${target.ref}` };
  }
  const edits = comment ? [pin, comment] : [pin];
  if (readsAsBeforeExcept(text, applyEdits(text, edits), change)) return { edits, comment: true };
  return readsAsBeforeExcept(text, applyEdits(text, [pin]), change) ? { edits: [pin], comment: false } : null;
}
