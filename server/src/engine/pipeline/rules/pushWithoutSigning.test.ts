import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, textAt } from '../../testing';
import { applyEdits } from '../../text';
import { parseYaml } from '../yamlDocument';

const id = 'pipeline-push-without-signing';
const GITHUB = { kind: 'pipeline' as const, path: '/repo/.github/workflows/release.yml' };
const AZURE = { kind: 'pipeline' as const, path: '/repo/azure-pipelines.yml' };
const GITLAB = { kind: 'pipeline' as const, path: '/repo/.gitlab-ci.yml' };
type Options = typeof GITHUB;
const run = (text: string, options: Options) => findingsOf(id, text, options);
const underlined = (text: string, options: Options) => run(text, options).map((f) => textAt(text, f.range));
const workflow = (steps: string, more = '') => `on: push\njobs:\n  image:\n    runs-on: ubuntu-latest\n    steps:\n${steps}${more}`;

/** Applies the finding's fix; the result parses, has no push finding, and only placeholder findings. */
function applyFix(text: string, options: Options): string {
  const findings = run(text, options).filter((f) => f.message.includes('no step'));
  assert.equal(findings.length, 1);
  const fix = findings[0]!.fixes[0]!;
  assert.equal(fix.safeForFixAll, false);
  const fixed = applyEdits(text, fix.edits);
  assert.deepEqual(parseYaml(fixed).errors, []);
  const after = run(fixed, options);
  assert.ok(after.every((f) => /placeholder/.test(f.message) && f.severity === 'error'), JSON.stringify(after.map((f) => f.message)));
  assert.ok(after.length > 0, 'the placeholder is flagged until filled');
  assert.ok(after.every((f) => textAt(fixed, f.range).startsWith('<fill-in-')));
  // Idempotent: no push finding, so no second fix.
  assert.ok(after.every((f) => f.fixes.filter((x) => !x.title.startsWith('Ignore ')).length === 0));
  return fixed;
}

test('GitHub docker push in a run: reported on the command; the fix adds cosign steps signing the digest', () => {
  const text = workflow('      - run: |\n          docker build -t ghcr.io/acme/app:1.0 .\n          docker push ghcr.io/acme/app:1.0 # release\n      - run: echo done\n');
  const findings = run(text, GITHUB);
  assert.deepEqual(findings.map((f) => textAt(text, f.range)), ['docker push ghcr.io/acme/app:1.0']);
  assert.equal(findings[0]!.severity, 'warning');
  assert.equal(findings[0]!.message, '`docker push` pushes an image that no step of this job or of a job after it signs; sign it by digest (`notation sign`, `cosign sign`).');
  const fixed = applyFix(text, GITHUB);
  assert.equal(fixed, workflow([
    '      - run: |',
    '          docker build -t ghcr.io/acme/app:1.0 .',
    '          docker push ghcr.io/acme/app:1.0 # release',
    '      - uses: sigstore/cosign-installer@v3',
    '      - name: Sign the pushed image by its digest',
    `        run: 'cosign sign --yes --key "<fill-in-signing-key>" "$(docker inspect --format ''{{index .RepoDigests 0}}'' ghcr.io/acme/app:1.0)"'`,
    '      - run: echo done',
    '',
  ].join('\n')));
});

test('GitHub build-push-action with push: true or an expression; the fix signs steps.<id>.outputs.digest', () => {
  const step = (push: string) => `      - id: build\n        uses: docker/build-push-action@v6\n        with:\n          tags: ghcr.io/acme/app:latest\n          push: ${push}\n`;
  assert.deepEqual(underlined(workflow(step('true')), GITHUB), ['docker/build-push-action@v6']);
  assert.deepEqual(underlined(workflow(step("${{ github.event_name != 'pull_request' }}")), GITHUB), ['docker/build-push-action@v6']);
  assert.deepEqual(underlined(workflow(step('false')), GITHUB), []);
  const fixed = applyFix(workflow(step('true')), GITHUB);
  assert.match(fixed, /run: 'cosign sign --yes --key "<fill-in-signing-key>" "ghcr\.io\/acme\/app@\$\{\{ steps\.build\.outputs\.digest \}\}"'\n$/);
});

test('signing in the same job, or in a job that needs it, covers the push; a job that does not need it does not', () => {
  const sign = '      - uses: sigstore/cosign-installer@v3\n      - run: cosign sign --yes "ghcr.io/acme/app@${DIGEST}"\n';
  const push = '      - run: docker push ghcr.io/acme/app:1\n';
  assert.deepEqual(run(workflow(push + sign), GITHUB), []);
  const twoJobs = (needs: string) => `on: push\njobs:\n  image:\n    runs-on: ubuntu-latest\n    steps:\n${push}  sign:\n    runs-on: ubuntu-latest\n${needs}    steps:\n${sign}`;
  assert.deepEqual(run(twoJobs('    needs: [image]\n'), GITHUB), []);
  assert.deepEqual(run(twoJobs('    needs: image\n'), GITHUB), []);
  assert.deepEqual(underlined(twoJobs(''), GITHUB), ['docker push ghcr.io/acme/app:1']);
  const notation = '      - uses: notaryproject/notation-action/sign@v1\n        with:\n          target_artifact_reference: ghcr.io/acme/app@${{ steps.b.outputs.digest }}\n';
  assert.deepEqual(run(workflow(push + notation), GITHUB), []);
});

test('signing by tag is reported on the reference (scripts, notation-action, Notation@0); a variable alone is not judged', () => {
  const text = workflow('      - run: docker push ghcr.io/acme/app:1\n      - run: |\n          cosign sign --yes --key env://K ghcr.io/acme/app:1\n          notation sign --key mykey "$IMAGE"\n          cosign sign "${IMAGE}@${DIGEST}"\n');
  const findings = run(text, GITHUB);
  assert.deepEqual(findings.map((f) => textAt(text, f.range)), ['ghcr.io/acme/app:1']);
  assert.equal(findings[0]!.range.start.line, 7);
  assert.match(findings[0]!.message, /^`ghcr\.io\/acme\/app:1` is signed by tag/);
  const action = workflow('      - uses: notaryproject/notation-action/sign@v1\n        with:\n          target_artifact_reference: "ghcr.io/acme/app:v1"\n');
  assert.deepEqual(underlined(action, GITHUB), ['ghcr.io/acme/app:v1']);
  const azure = 'steps:\n- task: Docker@2\n  inputs:\n    command: push\n- task: Notation@0\n  inputs:\n    command: sign\n    artifactRefs: myacr.azurecr.io/app:$(Build.BuildId)\n';
  assert.deepEqual(underlined(azure, AZURE), ['myacr.azurecr.io/app:$(Build.BuildId)']);
});

test('buildx --push, docker image push, podman push and manifest push count; build without push and local registries do not', () => {
  const text = workflow([
    '      - run: docker buildx build --platform linux/amd64 -t ghcr.io/a/b:1 --push .',
    '      - run: docker buildx build -t ghcr.io/a/b:1 --output type=image,push=true .',
    '      - run: podman push quay.io/a/b:1',
    '      - run: docker manifest push ghcr.io/a/b:1',
    '      - run: docker buildx build -t ghcr.io/a/b:1 --load .',
    '      - run: docker push localhost:5000/test:1',
    '      - run: echo docker push x',
    '',
  ].join('\n'));
  assert.deepEqual(underlined(text, GITHUB), [
    'docker buildx build --platform linux/amd64 -t ghcr.io/a/b:1 --push .',
    'docker buildx build -t ghcr.io/a/b:1 --output type=image,push=true .',
    'podman push quay.io/a/b:1',
    'docker manifest push ghcr.io/a/b:1',
  ]);
});

test('a registry output, imagetools create, skopeo copy to a registry and global options before the subcommand are pushes too', () => {
  const text = workflow([
    '      - run: docker buildx build --output=type=registry -t docker.io/a/b:1 .',
    '      - run: docker buildx build -o type=registry,name=ghcr.io/a/b:2 .',
    '      - run: docker buildx imagetools create -t ghcr.io/a/b:3 ghcr.io/a/b:3-amd64 ghcr.io/a/b:3-arm64',
    '      - run: docker --config ~/.docker manifest push ghcr.io/a/b:4',
    '      - run: docker -H tcp://builder:2376 push ghcr.io/a/b:5',
    '      - run: docker buildx imagetools create --dry-run -t ghcr.io/a/b:6 ghcr.io/a/b:6-amd64',
    '      - run: docker buildx build --output type=docker -t a/b:7 .',
    '      - run: docker --config ~/.docker images',
    '      - run: skopeo copy docker-archive:image.tar docker://ghcr.io/a/b:8',
    '      - run: skopeo copy docker://ghcr.io/a/b:8 oci:local:8',
    '      - run: skopeo copy docker-archive:image.tar docker://localhost:5000/b:9',
    '',
  ].join('\n'));
  assert.deepEqual(underlined(text, GITHUB), [
    'docker buildx build --output=type=registry -t docker.io/a/b:1 .',
    'docker buildx build -o type=registry,name=ghcr.io/a/b:2 .',
    'docker buildx imagetools create -t ghcr.io/a/b:3 ghcr.io/a/b:3-amd64 ghcr.io/a/b:3-arm64',
    'docker --config ~/.docker manifest push ghcr.io/a/b:4',
    'docker -H tcp://builder:2376 push ghcr.io/a/b:5',
    'skopeo copy docker-archive:image.tar docker://ghcr.io/a/b:8',
  ]);
});

test('a cosign sign run through xargs per tag signs (PowerShell-Docker publishes this way)', () => {
  const text = workflow([
    '      - id: build-and-push',
    '        uses: docker/build-push-action@v6',
    '        with:',
    '          push: true',
    '          tags: ghcr.io/a/b:1',
    '      - env:',
    '          TAGS: ghcr.io/a/b:1',
    '          DIGEST: ${{ steps.build-and-push.outputs.digest }}',
    '        run: echo "${TAGS}" | xargs -I {} cosign sign --yes {}@${DIGEST}',
    '',
  ].join('\n'));
  assert.deepEqual(underlined(text, GITHUB), []);
});

test('Azure DockerCompose@0/@1: Push services, and a compose command that pushes (the default action); other actions do not', () => {
  const text = [
    'steps:',
    '- task: DockerCompose@0',
    '  inputs:',
    '    action: Push services',
    '    dockerComposeFile: docker-compose.yml',
    '- task: DockerCompose@1',
    '  inputs:',
    "    dockerComposeCommand: 'push webapi'",
    '- task: DockerCompose@0',
    '  inputs:',
    '    action: Build services',
    '- task: DockerCompose@0',
    '  inputs:',
    '    action: Run a Docker Compose command',
    '    dockerComposeCommand: up -d',
    '',
  ].join('\n');
  assert.deepEqual(underlined(text, AZURE), ['DockerCompose@0', 'DockerCompose@1']);
});

test('Azure Docker@2 push and buildAndPush (the default command); Notation@0 sign covers it; the fix adds Notation@0 steps', () => {
  const text = 'steps:\n- task: Docker@2 # build\n  inputs:\n    containerRegistry: acr\n    repository: app\n- task: Docker@2\n  inputs:\n    command: build\n';
  assert.deepEqual(underlined(text, AZURE), ['Docker@2']);
  const fixed = applyFix(text, AZURE);
  assert.equal(fixed, [
    'steps:', '- task: Docker@2 # build', '  inputs:', '    containerRegistry: acr', '    repository: app',
    '- task: Notation@0', '  displayName: Install Notation', '  inputs:', '    command: install',
    '- task: Notation@0', '  displayName: Sign the pushed image by its digest', '  inputs:', '    command: sign', '    plugin: azureKeyVault',
    '    azurekvServiceConection: <fill-in-service-connection>', '    keyid: <fill-in-key-vault-key-id>',
    '- task: Docker@2', '  inputs:', '    command: build', '',
  ].join('\n'));
  const signedLater = 'stages:\n- stage: build\n  jobs:\n  - job: push\n    steps:\n    - task: Docker@2\n      inputs:\n        command: push\n- stage: sign\n  jobs:\n  - job: sign\n    steps:\n    - task: Notation@0\n      inputs:\n        command: sign\n';
  assert.deepEqual(run(signedLater, AZURE), []);
  const installOnly = 'steps:\n- task: Docker@2\n  inputs:\n    command: push\n- task: Notation@0\n';
  assert.deepEqual(underlined(installOnly, AZURE), ['Docker@2']);
});

test('Azure script push on a Windows pool: the fix adds Notation@0 steps with artifactRefs to fill in', () => {
  const text = 'pool:\n  vmImage: windows-2022\nsteps:\n- pwsh: docker push myacr.azurecr.io/app:$(Build.BuildId)\n';
  assert.deepEqual(underlined(text, AZURE), ['docker push myacr.azurecr.io/app:$(Build.BuildId)']);
  const fixed = applyFix(text, AZURE);
  assert.match(fixed, /    artifactRefs: <fill-in-registry\/repository>@<fill-in-digest>\n/);
});

test('GitLab: docker push in a script list; a later-stage or needing job that signs covers it; the fix adds a script line', () => {
  const text = 'stages: [build, sign]\nimage-build:\n  stage: build\n  script:\n    - docker build -t $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA .\n    - docker push $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA\n';
  assert.deepEqual(underlined(text, GITLAB), ['docker push $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA']);
  const fixed = applyFix(text, GITLAB);
  assert.equal(fixed.split('\n')[6], `    - 'cosign sign --yes --key "<fill-in-signing-key>" "$(docker inspect --format ''{{index .RepoDigests 0}}'' $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA)"'`);
  const later = `${text}sign:\n  stage: sign\n  script:\n    - cosign sign --yes "$CI_REGISTRY_IMAGE@$DIGEST"\n`;
  assert.deepEqual(run(later, GITLAB), []);
  const sameStage = `${text}sign:\n  stage: build\n  script:\n    - cosign sign --yes "$CI_REGISTRY_IMAGE@$DIGEST"\n`;
  assert.equal(run(sameStage, GITLAB).length, 1);
  const needs = `${text}sign:\n  stage: build\n  needs: [{ job: image-build }]\n  script:\n    - cosign sign --yes "$CI_REGISTRY_IMAGE@$DIGEST"\n`;
  assert.deepEqual(run(needs, GITLAB), []);
});

test('negative: no push at all, Docker@2 build/login, cosign sign-blob does not sign the image', () => {
  assert.deepEqual(run(workflow('      - run: docker build -t app .\n      - run: docker pull ghcr.io/a/b:1\n'), GITHUB), []);
  assert.deepEqual(run('steps:\n- task: Docker@2\n  inputs:\n    command: login\n', AZURE), []);
  assert.equal(run(workflow('      - run: |\n          docker push ghcr.io/a/b:1\n          cosign sign-blob --yes file.tgz\n'), GITHUB).length, 1);
});

test('pushes written with template expressions around them are read (bash would see a bad substitution there)', () => {
  // oras-project/oras release-ghcr.yml and hadolint's release.yml: missed while `${{ … }}` broke the parse.
  const text = workflow([
    '      - run: |',
    '          docker buildx create --use',
    '          docker buildx build --platform linux/amd64,linux/arm64 -t ${{ steps.prepare.outputs.ref }} --push .',
    '      - run: |',
    '          docker buildx imagetools create \\',
    '            --tag ${{ matrix.registry }}:latest \\',
    '            ${{ matrix.registry }}:${{github.sha}}-amd64',
    '',
  ].join('\n'));
  assert.deepEqual(underlined(text, GITHUB), [
    'docker buildx build --platform linux/amd64,linux/arm64 -t ${{ steps.prepare.outputs.ref }} --push .',
    'docker buildx imagetools create \\\n            --tag ${{ matrix.registry }}:latest \\\n            ${{ matrix.registry }}:${{github.sha}}-amd64',
  ]);
});
