import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, textAt } from '../../testing';
import { applyEdits } from '../../text';

const id = 'pipeline-script-injection';
const WORKFLOW = { kind: 'pipeline' as const, path: '/repo/.github/workflows/ci.yml' };
const run = (text: string) => findingsOf(id, text, WORKFLOW);
const job = (runsOn: string, steps: string) => `on: [issues, pull_request_target]\njobs:\n  build:\n    runs-on: ${runsOn}\n    steps:\n${steps}`;

test('an issue title in a bash run: error on the exact expression, fix moves it to env', () => {
  const text = job('ubuntu-latest', '      - name: greet\n        run: |\n          echo ${{ github.event.issue.title }}\n');
  const [finding, ...rest] = run(text);
  assert.equal(rest.length, 0);
  assert.equal(finding!.severity, 'error');
  assert.equal(textAt(text, finding!.range), '${{ github.event.issue.title }}');
  assert.match(finding!.message, /^`\$\{\{ github\.event\.issue\.title \}\}` is attacker-controlled text expanded into a `run:` script;/);
  const fix = finding!.fixes[0]!;
  assert.equal(fix.safeForFixAll, false);
  assert.equal(applyEdits(text, fix.edits), job('ubuntu-latest', '      - name: greet\n        env:\n          ISSUE_TITLE: ${{ github.event.issue.title }}\n        run: |\n          echo "$ISSUE_TITLE"\n'));
});

test('fix: pwsh uses ${env:NAME}, cmd %NAME%, an existing env block gets the entry, inside double quotes bash uses ${NAME}', () => {
  const pwsh = job('windows-latest', '      - run: Write-Host "${{ github.event.pull_request.title }}"\n        env:\n          A: b\n');
  const fixed = applyEdits(pwsh, run(pwsh)[0]!.fixes[0]!.edits);
  assert.equal(fixed, job('windows-latest', '      - run: Write-Host "${env:PR_TITLE}"\n        env:\n          PR_TITLE: ${{ github.event.pull_request.title }}\n          A: b\n'));
  const cmd = job('windows-latest', '      - shell: cmd\n        run: echo ${{ github.head_ref }}\n');
  assert.equal(applyEdits(cmd, run(cmd)[0]!.fixes[0]!.edits), job('windows-latest', '      - shell: cmd\n        env:\n          HEAD_REF: ${{ github.head_ref }}\n        run: echo %HEAD_REF%\n'));
  const quoted = job('ubuntu-latest', '      - run: |\n          echo "title: ${{ github.event.pull_request.title }}" && echo ${{ github.event.pull_request.title }}\n');
  const findings = run(quoted);
  assert.equal(findings.length, 2);
  assert.equal(applyEdits(quoted, findings[0]!.fixes[0]!.edits), job('ubuntu-latest', '      - env:\n          PR_TITLE: ${{ github.event.pull_request.title }}\n        run: |\n          echo "title: ${PR_TITLE}" && echo "$PR_TITLE"\n'));
});

test('fix inside single quotes, where no shell expands a variable: the quotes go (whole string), bash closes and reopens them, PowerShell with other text has no fix', () => {
  const fixOf = (text: string) => run(text)[0]!.fixes.find((fix) => fix.title.startsWith('Pass the value'));
  const pwsh = job('windows-latest', "      - run: |\n          $h = @{ \"title\" = '${{ github.event.issue.title }}' }\n");
  assert.equal(applyEdits(pwsh, fixOf(pwsh)!.edits), job('windows-latest', "      - env:\n          ISSUE_TITLE: ${{ github.event.issue.title }}\n        run: |\n          $h = @{ \"title\" = ${env:ISSUE_TITLE} }\n"));
  const pwshPartial = job('windows-latest', "      - run: |\n          Write-Host 'Title: ${{ github.event.issue.title }}'\n");
  assert.equal(fixOf(pwshPartial), undefined);
  const bash = job('ubuntu-latest', "      - run: echo '${{ github.event.issue.title }}'\n");
  assert.match(applyEdits(bash, fixOf(bash)!.edits), /run: echo "\$ISSUE_TITLE"\n/);
  const bashPartial = job('ubuntu-latest', "      - run: |\n          echo 'Title: ${{ github.event.issue.title }}!'\n");
  assert.match(applyEdits(bashPartial, fixOf(bashPartial)!.edits), /\n {10}echo 'Title: '"\$ISSUE_TITLE"'!'\n/);
});

test('every listed context is reported; toJSON/format wrappers too; github-script with.script too', () => {
  const contexts = [
    'github.event.pull_request.body', 'github.event.pull_request.head.ref', 'github.event.pull_request.head.label', 'github.event.comment.body',
    'github.event.review.body', 'github.event.review_comment.body', 'github.event.pages[0].page_name', 'github.event.commits[0].message',
    'github.event.commits.*.author.email', 'github.event.head_commit.message', 'github.event.head_commit.author.name', 'github.event.discussion.title',
    'github.event.workflow_run.head_branch', 'github.event.workflow_run.head_commit.message', 'toJSON(github.event.issue.body)',
  ];
  const text = job('ubuntu-latest', contexts.map((c) => `      - run: echo \${{ ${c} }}\n`).join('') + '      - uses: actions/github-script@v7\n        with:\n          script: console.log("${{ github.event.comment.body }}")\n'
    + '      - uses: Amadevus/pwsh-script@v2\n        with:\n          script: Write-Host "${{ github.event.review.body }}"\n      - uses: mikefarah/yq@v4\n        with:\n          cmd: ${{ github.event.issue.title }}\n');
  const findings = run(text);
  assert.deepEqual(findings.map((f) => textAt(text, f.range)), [...contexts.map((c) => `\${{ ${c} }}`), '${{ github.event.comment.body }}', '${{ github.event.review.body }}', '${{ github.event.issue.title }}']);
  assert.match(findings.at(-1)!.message, /expanded into `mikefarah\/yq`'s `cmd` input;/);
});

test('workflow_dispatch string inputs (typed or untyped) are a warning; boolean/choice/number inputs are not', () => {
  const text = [
    'on:', '  workflow_dispatch:', '    inputs:', '      name:', '        type: string', '      note:', "        default: 'x'", '      dry:', '        type: boolean',
    '      env:', '        type: choice', '        options: [a, b]',
    'jobs:', '  build:', '    runs-on: ubuntu-latest', '    steps:',
    '      - run: echo ${{ inputs.name }} ${{ github.event.inputs.note }} ${{ inputs.dry }} ${{ inputs.env }}', '',
  ].join('\n');
  const findings = run(text);
  assert.deepEqual(findings.map((f) => [textAt(text, f.range), f.severity]), [['${{ inputs.name }}', 'warning'], ['${{ github.event.inputs.note }}', 'warning']]);
});

test('negative: workflow_call inputs, which the calling workflow chooses (zizmor input-caps)', () => {
  const text = 'on:\n  workflow_call:\n    inputs:\n      test:\n        type: string\n      n:\n        type: number\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ inputs.test }}" ${{ inputs.n }}\n';
  assert.deepEqual(run(text), []);
});

test('negative: safe contexts, boolean expressions, env references, and expressions outside scripts', () => {
  const text = job('ubuntu-latest', [
    '      - if: contains(github.event.comment.body, \'/deploy\')',
    '        env:',
    '          TITLE: ${{ github.event.issue.title }}',
    '        run: |',
    '          echo "$TITLE" ${{ github.event.pull_request.head.sha }} ${{ github.event.issue.number }} ${{ github.ref }}',
    "          echo ${{ contains(github.event.comment.body, '/ok') }} ${{ github.event.issue.title == 'x' }}",
    '      - uses: actions/github-script@v7',
    '        with:',
    '          script: console.log(context.payload.issue.title)',
    '          title: ${{ github.event.issue.title }}',
    '',
  ].join('\n'));
  assert.deepEqual(run(text), []);
});

test('a step reached twice through a YAML alias is one finding', () => {
  const text = 'on: issues\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: &steps\n      - run: echo "${{ github.event.issue.title }}"\n  b:\n    runs-on: ubuntu-latest\n    steps: *steps\n';
  assert.equal(run(text).length, 1);
});

test('a run: aliasing a scalar written elsewhere is reported at the anchor, without a fix', () => {
  const text = 'on: issues\nenv:\n  CMD: &cmd "echo ${{ github.event.issue.title }}"\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: *cmd\n';
  const findings = run(text);
  assert.deepEqual(findings.map((f) => textAt(text, f.range)), ['${{ github.event.issue.title }}']);
  assert.deepEqual(findings[0]!.fixes.filter((fix) => !fix.title.startsWith('Ignore')), []);
});

test('Azure macros an outsider controls are a warning inside scripts; others are not', () => {
  const text = 'steps:\n- script: echo $(System.PullRequest.SourceBranch) $(Build.SourceVersionMessage)\n- bash: echo $(Build.SourceBranchName) $(System.PullRequest.PullRequestId) $(Build.BuildId)\n- task: Foo@1\n  inputs:\n    branch: $(Build.SourceBranch)\n';
  const findings = findingsOf(id, text, { kind: 'pipeline', path: '/repo/azure-pipelines.yml' });
  assert.deepEqual(findings.map((f) => [textAt(text, f.range), f.severity]), [
    ['$(System.PullRequest.SourceBranch)', 'warning'],
    ['$(Build.SourceVersionMessage)', 'warning'],
    ['$(Build.SourceBranchName)', 'warning'],
  ]);
  // Each says who writes that text: a PR's author, a commit's pusher, a branch's pusher (a PR build's branch is refs/pull/N/merge).
  assert.match(findings[0]!.message, /^`\$\(System\.PullRequest\.SourceBranch\)` is text a pull request's author controls, expanded/);
  assert.match(findings[1]!.message, /is a commit message, written by whoever pushed the commit, expanded/);
  assert.match(findings[2]!.message, /is a branch or tag name, chosen by whoever pushes it, expanded/);
  assert.deepEqual(findings[0]!.fixes.filter((fix) => !fix.title.startsWith('Ignore')), []);
});

test('half-typed YAML never throws', () => {
  const full = job('windows-latest', '      - run: |\n          echo ${{ github.event.issue.title }}\n        env:\n          A: b\n');
  for (let cut = 0; cut <= full.length; cut += 5) run(full.slice(0, cut));
  run('on: issues\njobs:\n  a:\n    steps:\n      - run: echo ${{ github.event.issue.title');
});
