// From an image reference to "is this the image its publisher signed?": resolve the digest, choose the
// Windows platform entry of an index, find signatures of the index and of the chosen platform
// (referrers API, tag schema, cosign `.sig` tag), and verify each with the user's trust configuration.
// Performs registry I/O through RegistryClient; the verifiers themselves are pure.
import { isRegistryError, type Manifest, type PlatformChoice, type RegistryClient, type RepositoryRef } from '../registry/index';
import { normalizeReference } from '../registry/reference';
import { COSIGN_SIGN_PREDICATE, verifySigstoreBundle, verifySimpleSigning, type CosignKeyConfig, type SigstoreTrustConfig } from '../signatures/cosign/index';
import { verifyNotationSignature, type TrustConfiguration } from '../signatures/notation/index';
import type { Descriptor, SignatureVerdict } from '../signatures/types';

/** Signature envelopes and bundles are small; anything larger is not a signature worth reading. */
const MAX_SIGNATURE_BLOB_BYTES = 4 * 1024 * 1024;
/** Set by cosign v3 on bundle referrers: the statement's predicate type (doc §7.2). */
const PREDICATE_TYPE_ANNOTATION = 'dev.sigstore.bundle.predicateType';

export type ImageVerdict = 'verified' | 'unsigned' | 'invalid' | 'untrusted' | 'unverifiable' | 'error';

export interface SubjectSignatures {
  /** The manifest the signatures were looked up for. */
  descriptor: Descriptor;
  role: 'index' | 'platform' | 'image';
  signatures: SignatureVerdict[];
  /** Where signatures were looked for, so "unsigned" is told apart from "could not check". */
  searched: string[];
  notes: string[];
  /** A lookup failed (referrers API / tag schema, or everything): an empty list does not mean "unsigned". */
  incomplete?: boolean;
}

export interface ImageStatus {
  reference: string;
  /** `mcr.microsoft.com/windows/servercore:ltsc2025` with registry and tag made explicit. */
  canonical?: string;
  digest?: string;
  mediaType?: string;
  platform?: PlatformChoice;
  subjects: SubjectSignatures[];
  verdict: ImageVerdict;
  /** One sentence explaining the verdict. */
  summary: string;
  error?: { kind: string; message: string };
}

export interface VerificationSettings {
  /** Notation trust policy and stores; null when none is configured (Notation signatures are then unverifiable). */
  trust: TrustConfiguration | null;
  cosignKeys: CosignKeyConfig;
  /** Sigstore trusted root and identities for keyless cosign signatures; absent or without a root: they are unverifiable. */
  sigstore?: SigstoreTrustConfig;
  now: Date;
  /** The container host's Windows version (`10.0.26100`) for choosing the platform entry of an index. */
  hostOsVersion?: string;
}

const INDEX_TYPES = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);

export async function imageStatus(client: RegistryClient, reference: string, settings: VerificationSettings): Promise<ImageStatus> {
  const normalized = normalizeReference(reference);
  if (!normalized) return failed(reference, 'not-found', `\`${reference}\` is not a valid image reference`);
  let resolved;
  try {
    resolved = await client.resolve(normalized);
  } catch (error) {
    return isRegistryError(error) ? failed(reference, error.kind, error.message) : failed(reference, 'network', String(error));
  }
  const repo: RepositoryRef = resolved.reference;
  const repository = `${normalized.domain}/${normalized.repository}`;
  const status: ImageStatus = {
    reference,
    canonical: normalized.canonical,
    digest: resolved.digest,
    mediaType: resolved.mediaType,
    subjects: [],
    verdict: 'unsigned',
    summary: '',
  };
  const imageDescriptor: Descriptor = { mediaType: resolved.mediaType, digest: resolved.digest, size: resolved.size };
  let imageManifest: Manifest | undefined;
  try {
    imageManifest = await client.getManifest(repo, resolved.digest);
  } catch (error) {
    return { ...status, ...failedFields(error) };
  }
  const subjects: Array<{ descriptor: Descriptor; role: SubjectSignatures['role']; manifest: Manifest }> = [];
  if (INDEX_TYPES.has(resolved.mediaType)) {
    subjects.push({ descriptor: imageDescriptor, role: 'index', manifest: imageManifest });
    // Index and platform manifest are signed separately (each has its own digest): check both.
    status.platform = client.choosePlatform(imageManifest, { os: 'windows', ...(settings.hostOsVersion ? { osVersion: settings.hostOsVersion } : {}) });
    const chosen = status.platform.chosen;
    if (chosen) {
      try {
        const platformManifest = await client.getManifest(repo, chosen.digest);
        subjects.push({ descriptor: { mediaType: chosen.mediaType, digest: chosen.digest, size: chosen.size }, role: 'platform', manifest: platformManifest });
      } catch (error) {
        return { ...status, ...failedFields(error) };
      }
    }
  } else {
    subjects.push({ descriptor: imageDescriptor, role: 'image', manifest: imageManifest });
  }
  for (const subject of subjects) {
    status.subjects.push(await signaturesOf(client, repo, repository, subject.descriptor, subject.role, subject.manifest, settings));
  }
  return conclude(status);
}

async function signaturesOf(
  client: RegistryClient, repo: RepositoryRef, repository: string, descriptor: Descriptor, role: SubjectSignatures['role'],
  manifest: Manifest, settings: VerificationSettings,
): Promise<SubjectSignatures> {
  const result: SubjectSignatures = { descriptor, role, signatures: [], searched: [], notes: [] };
  let discovery;
  try {
    discovery = await client.signatures(repo, descriptor);
  } catch (error) {
    result.notes.push(`signatures could not be listed: ${isRegistryError(error) ? `${error.kind}: ${error.message}` : String(error)}`);
    result.incomplete = true;
    return result;
  }
  // referrersApi is true or false whenever the referrers lookup answered; undefined means it failed.
  if (discovery.referrersApi === undefined) result.incomplete = true;
  else result.searched.push(discovery.referrersApi ? 'referrers API' : 'referrers API (not supported: 404) → tag schema');
  result.searched.push('cosign .sig tag');
  result.notes.push(...discovery.notes);
  for (const referrer of discovery.referrers) {
    try {
      const verdict = await verifyReferrer(client, repo, repository, descriptor, manifest, referrer.kind, referrer.descriptor, referrer.manifest, settings);
      if (verdict) result.signatures.push({ ...verdict, signatureDigest: referrer.descriptor.digest, foundVia: referrer.foundVia });
    } catch (error) {
      result.signatures.push({
        format: referrer.kind === 'notation' ? 'notation' : 'cosign',
        envelope: referrer.kind === 'notation' ? 'jws' : referrer.kind === 'sigstore-bundle' ? 'sigstore-bundle' : 'simple-signing',
        status: 'unverifiable',
        reason: `the signature could not be fetched: ${isRegistryError(error) ? `${error.kind}: ${error.message}` : String(error)}`,
        signatureDigest: referrer.descriptor.digest,
        foundVia: referrer.foundVia,
      });
    }
  }
  return result;
}

async function verifyReferrer(
  client: RegistryClient, repo: RepositoryRef, repository: string, subject: Descriptor, subjectManifest: Manifest,
  kind: string, descriptor: Descriptor, knownManifest: Manifest['json'] | undefined, settings: VerificationSettings,
): Promise<SignatureVerdict | null> {
  if (kind !== 'notation' && kind !== 'cosign-legacy' && kind !== 'sigstore-bundle') return null; // SBOMs, attestations of other kinds
  const manifest = knownManifest ?? (await client.getManifest(repo, descriptor.digest)).json;
  // Attestations (provenance, SBOMs…) announce their predicate; they are not signatures of the image.
  const announced = manifest.annotations?.[PREDICATE_TYPE_ANNOTATION];
  if (kind === 'sigstore-bundle' && typeof announced === 'string' && announced && announced !== COSIGN_SIGN_PREDICATE) return null;
  const layers = manifest.layers ?? [];
  if (kind === 'cosign-legacy') {
    const blobs = new Map<string, Uint8Array>();
    for (const layer of layers) blobs.set(layer.digest, await client.getBlob(repo, layer.digest, MAX_SIGNATURE_BLOB_BYTES));
    return verifySimpleSigning({ imageDigest: subject.digest, repository, keys: settings.cosignKeys, ...(settings.sigstore ? { sigstore: settings.sigstore } : {}), manifest, blobs });
  }
  const layer = layers[0];
  if (!layer) {
    return { format: kind === 'notation' ? 'notation' : 'cosign', envelope: kind === 'notation' ? 'jws' : 'sigstore-bundle', status: 'invalid', reason: 'the signature manifest has no layer holding the envelope' };
  }
  const blob = await client.getBlob(repo, layer.digest, MAX_SIGNATURE_BLOB_BYTES);
  if (kind === 'sigstore-bundle') {
    const predicateType = manifest.annotations?.[PREDICATE_TYPE_ANNOTATION];
    return verifySigstoreBundle({
      imageDigest: subject.digest, repository, keys: settings.cosignKeys, bundle: blob, descriptor: layer, artifact: subjectManifest.bytes,
      ...(settings.sigstore ? { sigstore: settings.sigstore } : {}), ...(typeof predicateType === 'string' && predicateType ? { predicateType } : {}),
    });
  }
  if (!settings.trust) {
    return {
      format: 'notation', envelope: layer.mediaType === 'application/cose' ? 'cose' : 'jws', status: 'unverifiable',
      reason: 'no Notation trust policy is configured (notation\'s trustpolicy.json, or the container guard trust settings)',
    };
  }
  return verifyNotationSignature({ envelope: blob, envelopeMediaType: layer.mediaType, subject, repository, trust: settings.trust, now: settings.now });
}

/** The overall verdict: verified when a subject has a verified signature; otherwise the most telling failure. */
function conclude(status: ImageStatus): ImageStatus {
  const all = status.subjects.flatMap((s) => s.signatures);
  const order: Array<[ImageVerdict, SignatureVerdict['status']]> = [['verified', 'verified'], ['invalid', 'invalid'], ['untrusted', 'untrusted'], ['unverifiable', 'unverifiable']];
  const hit = order.find(([, s]) => all.some((v) => v.status === s));
  // No signature found, but a lookup failed: that is "could not check", not "unsigned".
  const unlisted = status.subjects.find((s) => s.incomplete);
  if (!hit && unlisted) {
    const message = unlisted.notes.find((n) => /could not be listed|lookup failed/.test(n)) ?? 'signatures could not be listed';
    status.verdict = 'error';
    status.summary = `error: ${message}`;
    status.error = { kind: 'signatures', message };
    return status;
  }
  status.verdict = hit ? hit[0] : 'unsigned';
  const first = hit ? all.find((v) => v.status === hit[1]) : undefined;
  status.summary = first
    ? `${status.verdict}: ${first.format} signature${first.signer ? ` by ${first.signer}` : ''} — ${first.reason}`
    : `unsigned: no Notation or cosign signature found (${status.subjects.flatMap((s) => s.searched).filter((v, i, a) => a.indexOf(v) === i).join(', ')})`;
  return status;
}

function failedFields(error: unknown): Pick<ImageStatus, 'verdict' | 'summary' | 'error'> {
  const kind = isRegistryError(error) ? error.kind : 'network';
  const message = isRegistryError(error) ? error.message : String(error);
  return { verdict: 'error', summary: `${kind}: ${message}`, error: { kind, message } };
}

function failed(reference: string, kind: string, message: string): ImageStatus {
  return { reference, subjects: [], verdict: 'error', summary: `${kind}: ${message}`, error: { kind, message } };
}
