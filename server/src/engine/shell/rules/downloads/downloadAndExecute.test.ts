import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, textAt } from '../../../testing';
import { CMD, POWERSHELL, ruleFixes, SH, SHA256 } from './testFixtures';

const id = 'download-and-execute';

function underlinedAll(text: string): string[] {
  return findingsOf(id, text).map((finding) => textAt(text, finding.range));
}

test('PowerShell: Invoke-Expression of a download, in every spelling, underlines the command that runs it', () => {
  const cases: Array<[string, string]> = [
    ['iex (iwr https://example.com/i.ps1 -UseBasicParsing)', 'iex'],
    ["Invoke-Expression ((New-Object Net.WebClient).DownloadString('https://example.com/i.ps1'))", 'Invoke-Expression'],
    ['iwr https://example.com/i.ps1 -UseBasicParsing | iex', 'iex'],
    ['irm https://example.com/i.ps1 | iex', 'iex'],
    ['Invoke-RestMethod -Uri https://example.com/i.ps1 | Invoke-Expression', 'Invoke-Expression'],
    ['(Invoke-WebRequest https://example.com/i.ps1).Content | iex', 'iex'],
    ['& ([scriptblock]::Create((iwr https://example.com/i.ps1 -UseBasicParsing)))', '[scriptblock]::Create'],
    ['$script = irm https://example.com/i.ps1; Invoke-Expression $script', 'Invoke-Expression'],
    ['curl.exe -fsSL https://example.com/i.ps1 | iex', 'iex'],
  ];
  for (const [script, runner] of cases) {
    const text = `${POWERSHELL}RUN ${script}\n`;
    assert.deepEqual(underlinedAll(text), [runner], text);
    const [finding] = findingsOf(id, text);
    assert.equal(finding!.severity, 'error');
    assert.match(finding!.message, /https:\/\/example\.com\/i\.ps1/);
    assert.match(finding!.message, /Get-FileHash/);
    assert.deepEqual(ruleFixes(finding), []);
  }
});

test('the classic Chocolatey install in a cmd RUN, over backtick lines: the message points to the offline install', () => {
  const text = `# escape=\`\n${CMD}RUN powershell -NoProfile -ExecutionPolicy Bypass -Command \`\n    "Set-ExecutionPolicy Bypass -Scope Process -Force; iex ((New-Object System.Net.WebClient).DownloadString('https://community.chocolatey.org/install.ps1'))"\n`;
  const [finding, ...rest] = findingsOf(id, text);
  assert.equal(rest.length, 0);
  assert.equal(textAt(text, finding!.range), 'iex');
  assert.deepEqual(finding!.range.start, { line: 3, character: 55 });
  assert.match(finding!.message, /install from a downloaded `chocolatey\.nupkg`/);
});

test('the JSON form RUN ["powershell", "-Command", "…"]', () => {
  const text = `${CMD}RUN ["powershell", "-Command", "iwr https://get.scoop.sh -UseBasicParsing | iex"]\n`;
  assert.deepEqual(underlinedAll(text), ['iex']);
});

test('POSIX: a download piped into a shell or interpreter, or substituted into one', () => {
  const cases: Array<[string, string]> = [
    ['curl -fsSL https://example.com/install.sh | sh', 'sh'],
    ['curl -fsSL https://example.com/install.sh | bash', 'bash'],
    ['curl -fsSL https://example.com/install.sh | sudo bash', 'bash'],
    ['curl -fsSL https://example.com/install.sh | sudo -E bash -s -- --version 1.2', 'bash'],
    ['wget -qO- https://example.com/install.sh | sh', 'sh'],
    ['wget -O - https://example.com/install.sh | sh -s', 'sh'],
    ['curl -sSL https://example.com/install.py | python3 -', 'python3'],
    ['sh -c "$(curl -fsSL https://example.com/install.sh)"', 'sh'],
    ['eval "$(curl -fsSL https://example.com/install.sh)"', 'eval'],
    ['bash <(curl -fsSL https://example.com/install.sh)', 'bash'],
  ];
  for (const [script, runner] of cases) {
    const text = `${SH}RUN ${script}\n`;
    assert.deepEqual(underlinedAll(text), [runner], text);
    const [finding] = findingsOf(id, text);
    assert.match(finding!.message, /https:\/\/example\.com\/install\.(sh|py)/, text);
    assert.match(finding!.message, /sha256sum -c/, text);
  }
});

test('not flagged: saved and checked scripts, pipes into non-interpreters, inline programs, local servers', () => {
  for (const text of [
    `${POWERSHELL}RUN $ErrorActionPreference = 'Stop'; \`\n    iwr https://example.com/i.ps1 -OutFile i.ps1; \`\n    if ((Get-FileHash i.ps1).Hash -ne '${SHA256}') { throw 'bad' }; \`\n    & .\\i.ps1\n`,
    `${POWERSHELL}RUN iex 'Write-Host hello'\n`,
    `${POWERSHELL}RUN $s = Get-Content .\\local.ps1 -Raw; iex $s\n`,
    `${POWERSHELL}RUN iwr https://example.com/a.json | ConvertFrom-Json\n`,
    `${POWERSHELL}RUN iex (iwr http://localhost:8080/i.ps1)\n`,
    `${SH}RUN curl -fsSL https://example.com/a.tgz | tar -xz\n`,
    `${SH}RUN curl -fsSL https://example.com/a.json | python3 -c 'import json,sys; print(json.load(sys.stdin))'\n`,
    `${SH}RUN curl -fsSL https://example.com/a.txt | sh -c 'cat > /tmp/a.txt'\n`,
    `${SH}RUN curl -fsSLo install.sh https://example.com/install.sh && echo "${SHA256}  install.sh" | sha256sum -c - && sh install.sh\n`,
    `${SH}RUN echo "$(curl -fsSL https://example.com/version.txt)"\n`,
    `${CMD}RUN curl.exe -fsSL https://example.com/a.zip -o a.zip\n`,
  ]) {
    assert.deepEqual(underlinedAll(text), [], text);
  }
});
