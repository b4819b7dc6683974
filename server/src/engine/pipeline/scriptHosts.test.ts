import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDocument } from '../text';
import type { Fix } from '../types';
import { buildPipelineDocument } from './document';
import { pipelineScriptHost, stepScriptsOf } from './scriptHosts';

function hostOf(text: string, path: string) {
  const pipeline = buildPipelineDocument(createDocument(text), path);
  const host = pipelineScriptHost(pipeline)!;
  return { pipeline, host, text };
}

/** A fix that replaces (or inserts at) the first occurrence of `find` in the text. */
function fixAt(text: string, find: string, newText: string, replace = true): Fix {
  const document = createDocument(text);
  const start = text.indexOf(find) + (replace ? 0 : find.length);
  const end = replace ? start + find.length : start;
  return { title: 't', edits: [{ range: { start: document.positionAt(start), end: document.positionAt(end) }, newText }], safeForFixAll: true };
}

function fixSpan(text: string, start: number, end: number, newText: string): Fix {
  const document = createDocument(text);
  return { title: 't', edits: [{ range: { start: document.positionAt(start), end: document.positionAt(end) }, newText }], safeForFixAll: false };
}

test('one analysis per document, shared by every rule that asks', () => {
  const { pipeline, host } = hostOf('on: push\njobs:\n  a:\n    runs-on: windows-latest\n    steps:\n      - run: iwr https://x.example/y -OutFile y\n', '/r/.github/workflows/a.yml');
  assert.equal(stepScriptsOf(pipeline), host.scripts);
  assert.equal(pipelineScriptHost(pipeline), host);
  assert.equal(host.onWindows(host.scripts[0]!), true);
  assert.equal(host.scripts[0]!.commands[0]!.name, 'iwr');
  assert.equal(pipelineScriptHost(buildPipelineDocument(createDocument('services:\n  web:\n    image: nginx\n'), '/r/compose.yml')), null);
});

test('order: later steps of the same job; GitLab before_script, script, after_script and the default before_script', () => {
  const github = hostOf('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo 1\n      - run: echo 2\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo 3\n', '/r/.github/workflows/a.yml').host;
  const [one, two, three] = github.scripts;
  assert.equal(github.runsAfter(one!, two!), true);
  assert.equal(github.runsAfter(two!, one!), false);
  assert.equal(github.runsAfter(one!, three!), false);
  const gitlab = hostOf('before_script:\n  - echo default\nbuild:\n  image: alpine\n  after_script:\n    - echo after\n  script:\n    - echo script\nown:\n  image: alpine\n  before_script:\n    - echo own\n  script:\n    - echo s\n', '/r/.gitlab-ci.yml').host;
  const byText = (t: string) => gitlab.scripts.find((s) => s.script.script.text === t)!;
  assert.equal(gitlab.runsAfter(byText('echo script'), byText('echo after')), true);
  assert.equal(gitlab.runsAfter(byText('echo after'), byText('echo script')), false);
  assert.equal(gitlab.runsAfter(byText('echo default'), byText('echo script')), true);
  assert.equal(gitlab.runsAfter(byText('echo default'), byText('echo s')), false, 'a job with its own before_script does not run the default one');
});

test('fixes: inside a block scalar on one line, or a plain word for a plain word; never anchored, never at a line start, never for fix-all', () => {
  const { host, text } = hostOf('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          curl -o x http://example.com/x\n          tar -xf x\n      - run: "curl -o y http://example.com/y"\n      - run: &shared curl -o z http://example.com/z\n', '/r/.github/workflows/a.yml');
  const script = host.scripts[0]!;
  const insert = host.fix(script, fixAt(text, 'http://example.com/x', ' && echo "a  b" | sha256sum -c -', false));
  assert.ok(insert);
  assert.equal(insert.safeForFixAll, false);
  assert.equal(host.fix(script, fixAt(text, 'tar -xf', 'echo "x"; tar -xf')), null, 'at the start of a block line: indentation');
  assert.equal(host.fix(script, fixAt(text, 'http://example.com/x', ' \\\nmore', false)), null, 'a line break');
  const quoted = text.indexOf('http://example.com/y');
  assert.ok(host.fix(script, fixSpan(text, quoted, quoted + 4, 'https')), 'a plain word for a plain word, even in quotes');
  assert.equal(host.fix(script, fixAt(text, 'http://example.com/y', 'http://example.com/y" | sh')), null, 'a quote inside a quoted scalar');
  const anchored = text.indexOf('http://example.com/z');
  assert.equal(host.fix(script, fixSpan(text, anchored, anchored + 4, 'https')), null, 'an anchored scalar');
});

test('quote context: the quotes the step\'s shell left open before an offset', () => {
  const { host, text } = hostOf('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          sh -c \'curl -o x https://e.example/x\' && echo "done"\n', '/r/.github/workflows/a.yml');
  const script = host.scripts[0]!;
  assert.equal(host.quoteContextAt(script, text.indexOf('https://e.example/x')), 'single');
  assert.equal(host.quoteContextAt(script, text.indexOf('&& echo')), 'none');
  assert.equal(host.quoteContextAt(script, text.indexOf('done')), 'double');
});

test('template expressions are text the platform substitutes: bash reads each as one unknown value, not a syntax error', () => {
  // `${{ … }}` is a bad substitution to bash; read as shell syntax it broke the commands around it
  // (the push below was not seen). GitLab's `$[[ inputs.x ]]` likewise.
  const github = hostOf('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          docker buildx build --platform linux/amd64 -t ${{ steps.prepare.outputs.ref }} --push .\n          echo "${{ github.sha }}" ${{matrix.x}}-amd64\n', '/r/.github/workflows/a.yml');
  const commands = github.host.scripts[0]!.commands;
  assert.deepEqual(commands.map((c) => c.name), ['docker', 'echo']);
  const docker = commands[0]!.command;
  assert.deepEqual(docker.args.map((a) => a.value), ['buildx', 'build', '--platform', 'linux/amd64', '-t', '${{ steps.prepare.outputs.ref }}', '--push', '.'], 'values are the written text, not the mask');
  const ref = docker.args[5]!;
  assert.equal(github.text.slice(commands[0]!.offsetsOf(ref).start, commands[0]!.offsetsOf(ref).end), '${{ steps.prepare.outputs.ref }}');
  assert.deepEqual(commands[1]!.command.args.map((a) => a.value), ['${{ github.sha }}', '${{matrix.x}}-amd64']);
  const gitlab = hostOf('build:\n  image: alpine\n  script:\n    - docker push $[[ inputs.image ]]:latest && cosign sign $[[ inputs.image ]]\n', '/r/.gitlab-ci.yml');
  assert.deepEqual(gitlab.host.scripts[0]!.commands.map((c) => [c.name, c.command.args.map((a) => a.value).join(' ')]), [['docker', 'push $[[ inputs.image ]]:latest'], ['cosign', 'sign $[[ inputs.image ]]']]);
});

test('quote context: resumed scans and scans that start over give the same answers as one scan per offset', () => {
  const { host, text } = hostOf('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          echo "a \\" b" \'c d\' e\n', '/r/.github/workflows/a.yml');
  const script = host.scripts[0]!;
  const at = (needle: string) => text.indexOf(needle);
  const expected: Array<[string, string]> = [['a \\', 'double'], ['" b', 'double'], [' b"', 'double'], ["c d'", 'single'], [' e\n', 'none'], ['echo', 'none']];
  for (const [needle, state] of expected) assert.equal(host.quoteContextAt(script, at(needle) + 1), state, needle);
  // Backwards, then forwards again.
  for (const [needle, state] of [...expected].reverse()) assert.equal(host.quoteContextAt(script, at(needle) + 1), state, needle);
});

test('template expressions in PowerShell and cmd steps: one token each, with the written text back in raw and value', () => {
  // PowerShell ends `${…}` at the first `}`: `-Uri ${{ matrix.url }} -OutFile x` left `} -OutFile x` as a
  // command of its own (39 PowerShell steps of the corpus had such phantom commands; 256 tokenizer problems, now 0).
  const { host, text } = hostOf('on: push\njobs:\n  a:\n    runs-on: windows-latest\n    steps:\n      - run: |\n          Invoke-WebRequest -Uri ${{ matrix.url }} -OutFile x.zip\n          Write-Host "${{ github.event.issue.title }}" ${{x}}-${{y}}\n          & "${{ env.TOOL }}\\bin\\t.exe" /q\n', '/r/.github/workflows/a.yml');
  const commands = host.scripts[0]!.commands;
  assert.deepEqual(commands.map((c) => c.name), ['invoke-webrequest', 'write-host', 't']);
  assert.deepEqual(commands[0]!.command.args.map((a) => [a.kind, a.raw, a.value]), [['parameter', '-Uri', '-Uri'], ['variable', '${{ matrix.url }}', '${{ matrix.url }}'], ['parameter', '-OutFile', '-OutFile'], ['word', 'x.zip', 'x.zip']]);
  assert.deepEqual(commands[1]!.command.args.map((a) => [a.raw, a.value]), [['"${{ github.event.issue.title }}"', '${{ github.event.issue.title }}'], ['${{x}}-${{y}}', '${{x}}-${{y}}']]);
  assert.equal(commands[2]!.command.name.value, '${{ env.TOOL }}\\bin\\t.exe');
  const uri = commands[0]!.command.args[1]!;
  assert.equal(text.slice(commands[0]!.offsetsOf(uri).start, commands[0]!.offsetsOf(uri).end), '${{ matrix.url }}');
  const cmd = hostOf('pool:\n  vmImage: windows-2022\nsteps:\n  - script: curl -o x ${{ parameters.url }} && echo %X%\n', '/r/azure-pipelines.yml').host;
  assert.equal(cmd.scripts[0]!.shell, 'cmd');
  assert.deepEqual(cmd.scripts[0]!.commands.map((c) => [c.name, c.command.args.map((a) => a.value)]), [['curl', ['-o', 'x', '${{ parameters.url }}']], ['echo', ['%X%']]]);
});
