import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, textAt } from '../../../testing';
import { CMD, POWERSHELL, ruleFixes, SH, withFirstFix } from './testFixtures';

const id = 'cleartext-download';

function underlinedAll(text: string): string[] {
  return findingsOf(id, text).map((finding) => textAt(text, finding.range));
}

test('an http:// download from a host that serves HTTPS gets an https:// quick fix (not for fix-all)', () => {
  const text = `${POWERSHELL}RUN Invoke-WebRequest \`\n    -Uri 'http://download.microsoft.com/download/x/vc_redist.x64.exe' \`\n    -OutFile vc_redist.x64.exe\n`;
  const [finding, ...rest] = findingsOf(id, text);
  assert.equal(rest.length, 0);
  assert.equal(textAt(text, finding!.range), "'http://download.microsoft.com/download/x/vc_redist.x64.exe'");
  assert.match(finding!.message, /download\.microsoft\.com serves HTTPS/);
  assert.match(finding!.message, /Tls12/);
  const [fix] = ruleFixes(finding);
  assert.equal(fix!.safeForFixAll, false);
  const fixed = withFirstFix(text, finding);
  assert.ok(fixed.includes("-Uri 'https://download.microsoft.com/download/x/vc_redist.x64.exe'"), fixed);
  assert.deepEqual(findingsOf(id, fixed), []);
});

test('other hosts: the advice without a rewrite', () => {
  const text = `${SH}RUN wget -O /tmp/a.tgz http://mirror.example.org/a.tgz\n`;
  const [finding] = findingsOf(id, text);
  assert.equal(textAt(text, finding!.range), 'http://mirror.example.org/a.tgz');
  assert.match(finding!.message, /Use an `https:\/\/` URL/);
  assert.deepEqual(ruleFixes(finding), []);
});

test('every downloader, saved, piped or in memory, in PowerShell, cmd and sh', () => {
  const cases: Array<[string, string]> = [
    [`${POWERSHELL}RUN iwr http://example.com/a.ps1 | iex\n`, 'http://example.com/a.ps1'],
    [`${POWERSHELL}RUN $page = Invoke-WebRequest -UseBasicParsing -Uri 'http://example.com/download'\n`, "'http://example.com/download'"],
    [`${POWERSHELL}RUN iex ((New-Object Net.WebClient).DownloadString('http://example.com/i.ps1'))\n`, "'http://example.com/i.ps1'"],
    [`${POWERSHELL}RUN (New-Object Net.WebClient).DownloadFile('http://example.com/a.exe', 'a.exe')\n`, "'http://example.com/a.exe'"],
    [`${POWERSHELL}RUN irm http://example.com/a.json\n`, 'http://example.com/a.json'],
    [`${POWERSHELL}RUN Start-BitsTransfer -Source http://example.com/a.msi -Destination C:\\a.msi\n`, 'http://example.com/a.msi'],
    [`${POWERSHELL}RUN Invoke-WebRequest ('http://example.com/v{0}/a.zip' -f $env:V) -OutFile a.zip\n`, "'http://example.com/v{0}/a.zip'"],
    [`${POWERSHELL}RUN $url = 'http://example.com/a.zip'; Invoke-WebRequest $url -OutFile a.zip\n`, "'http://example.com/a.zip'"],
    [`${CMD}RUN curl.exe -fSLo a.msu http://example.com/a.msu\n`, 'http://example.com/a.msu'],
    [`${CMD}RUN certutil -urlcache -split -f http://example.com/a.exe a.exe\n`, 'http://example.com/a.exe'],
    [`${CMD}RUN bitsadmin /transfer j http://example.com/a.msi C:\\a.msi\n`, 'http://example.com/a.msi'],
    [`${CMD}RUN powershell -Command "iwr http://example.com/a.zip -OutFile a.zip"\n`, 'http://example.com/a.zip'],
    [`${CMD}RUN ["powershell", "-Command", "iwr http://example.com/a.zip -OutFile a.zip"]\n`, 'http://example.com/a.zip'],
    [`${SH}RUN curl -fsSL http://example.com/install.sh | sh\n`, 'http://example.com/install.sh'],
  ];
  for (const [text, url] of cases) assert.deepEqual(underlinedAll(text), [url], text);
});

test('a URL set by ENV or ARG is reported (and fixed) where it is written', () => {
  const text = `${POWERSHELL}ENV NODE_URL="http://nodejs.org/dist/v20.0.0/node.zip"\nRUN Invoke-WebRequest $env:NODE_URL -OutFile node.zip\n`;
  const [finding] = findingsOf(id, text);
  assert.equal(textAt(text, finding!.range), '"http://nodejs.org/dist/v20.0.0/node.zip"');
  assert.equal(withFirstFix(text, finding), text.replace('"http://', '"https://'));
  const sh = `${SH}ARG REDIS_DOWNLOAD_URL=http://download.redis.io/releases/redis.tar.gz\nRUN wget -O redis.tar.gz "$REDIS_DOWNLOAD_URL"\n`;
  assert.deepEqual(underlinedAll(sh), ['http://download.redis.io/releases/redis.tar.gz']);
  const cmd = `${CMD}ENV GO_URL http://example.com/go.zip\nRUN curl -fSLo go.zip %GO_URL%\n`;
  assert.deepEqual(underlinedAll(cmd), ['http://example.com/go.zip']);
});

test('a download over HTTP whose hash is checked later is reported as info', () => {
  const text = `${SH}ENV REDIS_DOWNLOAD_URL http://download.redis.io/releases/redis-7.0.15.tar.gz\nRUN wget -O redis.tar.gz "$REDIS_DOWNLOAD_URL"; \\\n    echo "$REDIS_DOWNLOAD_SHA *redis.tar.gz" | sha256sum -c -\n`;
  const [finding, ...rest] = findingsOf(id, text);
  assert.equal(rest.length, 0);
  assert.equal(textAt(text, finding!.range), 'http://download.redis.io/releases/redis-7.0.15.tar.gz');
  assert.equal(finding!.severity, 'info');
  assert.match(finding!.message, /its hash is checked afterwards/);
  const unchecked = `${SH}RUN wget -O redis.tar.gz http://download.redis.io/releases/redis.tar.gz\n`;
  assert.equal(findingsOf(id, unchecked)[0]!.severity, 'warning');
  // The expected hash came over HTTP from the same mirror: the check proves nothing against a man in the middle.
  const sameMirror = `${POWERSHELL}RUN Invoke-WebRequest http://mirrors.example.org/jenkins.war.sha256 -OutFile jenkins.war.sha256; \`\n    Invoke-WebRequest http://mirrors.example.org/jenkins.war -OutFile jenkins.war; \`\n    if ((Get-FileHash jenkins.war -Algorithm SHA256).Hash -ne (Get-Content jenkins.war.sha256)) { exit 1 }\n`;
  assert.deepEqual(findingsOf(id, sameMirror).map((f) => f.severity), ['warning', 'warning']);
});

test('package sources over HTTP: choco, nuget, dotnet, PowerShellGet, pip, npm, yarn', () => {
  const cases: Array<[string, string]> = [
    [`${POWERSHELL}RUN choco source add -n=internal -s http://feed.example.com/choco\n`, 'http://feed.example.com/choco'],
    [`${POWERSHELL}RUN choco install -y git --source="http://feed.example.com/choco"\n`, 'http://feed.example.com/choco'],
    [`${CMD}RUN nuget sources add -Name internal -Source http://feed.example.com/nuget\n`, 'http://feed.example.com/nuget'],
    [`${CMD}RUN dotnet nuget add source http://feed.example.com/v3/index.json -n internal\n`, 'http://feed.example.com/v3/index.json'],
    [`${POWERSHELL}RUN Register-PSRepository -Name internal -SourceLocation http://feed.example.com/ps -InstallationPolicy Trusted\n`, 'http://feed.example.com/ps'],
    [`${SH}RUN pip install --index-url http://pypi.example.com/simple requests\n`, 'http://pypi.example.com/simple'],
    [`${SH}RUN pip3 install -i http://pypi.example.com/simple requests\n`, 'http://pypi.example.com/simple'],
    [`${SH}RUN pip install --extra-index-url=http://pypi.example.com/simple requests\n`, 'http://pypi.example.com/simple'],
    [`${SH}RUN python3 -m pip install -i http://pypi.example.com/simple requests\n`, 'http://pypi.example.com/simple'],
    [`${SH}RUN python3.12 -m pip install -i http://pypi.example.com/simple requests\n`, 'http://pypi.example.com/simple'],
    [`${POWERSHELL}RUN pypy3 -m pip install -i http://pypi.example.com/simple requests\n`, 'http://pypi.example.com/simple'],
    [`${SH}RUN pip config set global.index-url http://pypi.example.com/simple\n`, 'http://pypi.example.com/simple'],
    [`${SH}RUN npm config set registry http://registry.npmjs.org/\n`, 'http://registry.npmjs.org/'],
    [`${SH}RUN npm install --registry=http://npm.example.com/ left-pad\n`, 'http://npm.example.com/'],
    [`${SH}RUN yarn config set registry http://npm.example.com/\n`, 'http://npm.example.com/'],
    [`${SH}RUN gem sources --add http://gems.example.com/\n`, 'http://gems.example.com/'],
    [`${POWERSHELL}ENV FEED=http://feed.example.com/choco\nRUN choco source add -n=internal -s $env:FEED\n`, 'http://feed.example.com/choco'],
  ];
  for (const [text, url] of cases) {
    const findings = findingsOf(id, text);
    assert.deepEqual(findings.map((f) => textAt(text, f.range)), [url], text);
    assert.match(findings[0]!.message, /package source/, text);
  }
  const npm = `${SH}RUN npm config set registry http://registry.npmjs.org/\n`;
  assert.equal(withFirstFix(npm, findingsOf(id, npm)[0]), npm.replace('http://', 'https://'));
});

test('not flagged: https, loopback servers, http outside download commands, the SHELL line', () => {
  for (const text of [
    `${POWERSHELL}RUN $ErrorActionPreference = 'Stop'; iwr https://example.com/a.zip -OutFile a.zip\n`,
    `${POWERSHELL}RUN iwr http://localhost:8080/a.zip -OutFile a.zip; iwr http://127.0.0.1/b.zip -OutFile b.zip; iwr 'http://[::1]:5000/c' -OutFile c\n`,
    `${SH}RUN curl -fsSL http://localhost/health && wget -qO- http://127.0.0.1:8080/ready\n`,
    `${SH}RUN echo "deb http://deb.debian.org/debian bookworm main" > /etc/apt/sources.list\n`,
    `${SH}LABEL org.opencontainers.image.url=http://example.com\nRUN git config --global url.http://example.com/.insteadOf x\n`,
    `${SH}RUN npm config set registry https://registry.npmjs.org/ && pip install -i https://pypi.org/simple requests\n`,
    `${CMD}RUN choco source add -n=internal -s https://feed.example.com/choco\n`,
    `${POWERSHELL}ENV HOMEPAGE_URL="http://nerd-dinner-homepage"\nRUN Write-Host $env:HOMEPAGE_URL\n`,
    POWERSHELL,
  ]) {
    assert.deepEqual(underlinedAll(text), [], text);
  }
});

test('ADD http://: the URL, the https quick fix for known hosts (not for fix-all), info with --checksum', () => {
  const text = `${CMD}ADD http://download.microsoft.com/download/x/vc_redist.x64.exe C:\\vc_redist.x64.exe\n`;
  const [finding, ...rest] = findingsOf(id, text);
  assert.equal(rest.length, 0);
  assert.equal(textAt(text, finding!.range), 'http://download.microsoft.com/download/x/vc_redist.x64.exe');
  assert.match(finding!.message, /^`ADD` downloads `http:\/\/download\.microsoft\.com\/.*` over plain HTTP\. download\.microsoft\.com serves HTTPS: use `https:\/\/`\.$/);
  assert.equal(finding!.severity, 'warning');
  const [fix] = ruleFixes(finding);
  assert.equal(fix!.safeForFixAll, false);
  const fixed = withFirstFix(text, finding);
  assert.equal(fixed, text.replace('http://', 'https://'));
  assert.deepEqual(findingsOf(id, fixed), []);

  const other = `${SH}ADD --chown=1000 http://mirror.example.org/a.tgz /tmp/a.tgz\n`;
  const [plain] = findingsOf(id, other);
  assert.equal(textAt(other, plain!.range), 'http://mirror.example.org/a.tgz');
  assert.match(plain!.message, /Use an `https:\/\/` URL/);
  assert.deepEqual(ruleFixes(plain), []);

  const checked = `${SH}ADD --checksum=sha256:${'a'.repeat(64)} http://mirror.example.org/a.tgz /tmp/a.tgz\n`;
  const [info] = findingsOf(id, checked);
  assert.equal(info!.severity, 'info');
  assert.match(info!.message, /its `--checksum` is checked/);
});

test('ADD: every http source (not the destination), quoted or JSON form; https, loopback, local files are fine', () => {
  const json = `${CMD}ADD ["http://example.com/a.zip", "http://example.com/b.zip", "C:/tmp/"]\n`;
  assert.deepEqual(underlinedAll(json), ['"http://example.com/a.zip"', '"http://example.com/b.zip"']);
  const jsonFixed = `${CMD}ADD ["http://nodejs.org/dist/node.zip", "C:/tmp/"]\n`;
  assert.equal(withFirstFix(jsonFixed, findingsOf(id, jsonFixed)[0]), jsonFixed.replace('http://', 'https://'));
  for (const text of [
    `${CMD}ADD https://example.com/a.zip C:/tmp/\n`,
    `${SH}ADD http://localhost:8080/a.tgz http://127.0.0.1/b.tgz /tmp/\n`,
    `${SH}ADD app/ /app/\n`,
    `${SH}COPY http://example.com/a /a\n`,
    `${SH}ADD . http://example.com/\n`,
  ]) {
    assert.deepEqual(underlinedAll(text), [], text);
  }
});
