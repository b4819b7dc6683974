// The client's pipeline selector and activation: the path globs the extension activates on are exactly the
// manifest's `workspaceContains` entries for pipelines, they agree with the server's pipelineKindByPath, and
// every YAML language id is sent to the server (which decides by content) without any other YAML by path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { DOCUMENT_SELECTOR, PIPELINE_LANGUAGES, PIPELINE_PATH_GLOBS, isPipelineLanguage } from '../../../client/out/documentSelector';
import { pipelineKindByPath } from '../../../server/out/engine/pipeline/recognise';

const repo = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { activationEvents: string[] };

test('every pipeline path glob is a workspaceContains activation event, and no YAML language activates the extension', () => {
  for (const glob of PIPELINE_PATH_GLOBS) assert.ok(manifest.activationEvents.includes(`workspaceContains:${glob}`), glob);
  assert.ok(!manifest.activationEvents.includes('onLanguage:yaml'), 'opening any YAML file must not start the server');
});

test('the activation globs and the server agree on which paths are pipelines', () => {
  const matches = picomatch([...PIPELINE_PATH_GLOBS], { dot: true });
  const pipelines = [
    'repo/.github/workflows/ci.yml', 'repo/.github/workflows/release.yaml', 'repo/action.yml', 'repo/tools/setup/action.yaml',
    'repo/.gitlab-ci.yml', 'repo/azure-pipelines.yml', 'repo/azure-pipelines-pr.yaml', 'repo/.azure-pipelines/templates/build.yml',
    'repo/.pipelines/OneBranch.Official.yml',
  ];
  for (const file of pipelines) {
    assert.ok(matches(file), `${file}: a glob`);
    assert.ok(pipelineKindByPath(`/${file}`), `${file}: the server`);
  }
  for (const file of ['repo/eng/templates/build.yml', 'repo/deploy/web.yaml', 'repo/docker-compose.yml', 'repo/.github/dependabot.yml', 'repo/.container-guard.yaml']) {
    assert.ok(!matches(file), `${file}: no glob`);
    assert.equal(pipelineKindByPath(`/${file}`), null, `${file}: not by path`);
  }
});

test('the selector sends the three YAML language ids of local files; completion is skipped there', () => {
  assert.deepEqual([...PIPELINE_LANGUAGES], ['yaml', 'github-actions-workflow', 'azure-pipelines']);
  for (const language of PIPELINE_LANGUAGES) {
    assert.ok(DOCUMENT_SELECTOR.some((filter) => 'language' in filter && filter.language === language && filter.scheme === 'file'), language);
    assert.ok(isPipelineLanguage(language));
  }
  assert.ok(!isPipelineLanguage('dockerfile'));
  assert.ok(!isPipelineLanguage('xml'));
});
