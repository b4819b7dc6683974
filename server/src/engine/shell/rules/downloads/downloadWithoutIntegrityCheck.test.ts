import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, textAt } from '../../../testing';
import { EXPECTED_HASH_PLACEHOLDER } from './checkTemplates';
import { CMD, POWERSHELL, ruleFixes, SH, SHA256, withFirstFix } from './testFixtures';

const id = 'download-without-integrity-check';

/** Asserts one finding and returns what it underlines. */
function underlined(text: string): string {
  const findings = findingsOf(id, text);
  assert.equal(findings.length, 1, `${text}\n${JSON.stringify(findings.map((f) => f.message))}`);
  return textAt(text, findings[0]!.range);
}

test('PowerShell: Invoke-WebRequest -OutFile across backtick lines is flagged on the URL, naming the file', () => {
  const text = `${POWERSHELL}RUN Invoke-WebRequest \`\n    -Uri https://nodejs.org/dist/v20.0.0/node.zip \`\n    -OutFile C:\\node.zip; \`\n    Expand-Archive C:\\node.zip C:\\\n`;
  const [finding] = findingsOf(id, text);
  assert.equal(textAt(text, finding!.range), 'https://nodejs.org/dist/v20.0.0/node.zip');
  assert.match(finding!.message, /`C:\\node\.zip`/);
  assert.match(finding!.message, /Get-FileHash/);
});

test('the advice quotes a hash command only with the whole path: a long path is not cut inside it', () => {
  const long = 'ShareX.UploadersLib\\APIKeys\\APIKeysLocal.cs';
  const text = `${POWERSHELL}RUN Invoke-WebRequest -Uri https://example.com/keys -OutFile ${long}; Get-Content ${long}\n`;
  const [finding] = findingsOf(id, text);
  assert.match(finding!.message, /compare its `Get-FileHash` with the publisher's SHA256 before using it\.$/);
  assert.doesNotMatch(finding!.message, /Get-FileHash [^`]*…/);
  const short = `${POWERSHELL}RUN Invoke-WebRequest -Uri https://example.com/a.zip -OutFile C:\\a.zip; Expand-Archive C:\\a.zip C:\\\n`;
  assert.match(findingsOf(id, short)[0]!.message, /compare `\(Get-FileHash C:\\a\.zip\)\.Hash` with/);
});

test('PowerShell quick fix inserts a Get-FileHash check whose placeholder is flagged until a real hash replaces it', () => {
  const text = `${POWERSHELL}RUN iwr https://example.com/tool.zip -OutFile tool.zip; Expand-Archive tool.zip C:\\tool\n`;
  const [finding] = findingsOf(id, text);
  const [fix] = ruleFixes(finding);
  assert.equal(fix!.safeForFixAll, false);
  const fixed = withFirstFix(text, finding);
  assert.equal(fixed, `${POWERSHELL}RUN iwr https://example.com/tool.zip -OutFile tool.zip; \`\n    if ((Get-FileHash 'tool.zip' -Algorithm SHA256).Hash -ne '${EXPECTED_HASH_PLACEHOLDER}') { throw 'tool.zip: unexpected SHA256' }; Expand-Archive tool.zip C:\\tool\n`);
  const [placeholder, ...rest] = findingsOf(id, fixed);
  assert.equal(rest.length, 0);
  assert.equal(textAt(fixed, placeholder!.range), EXPECTED_HASH_PLACEHOLDER);
  assert.match(placeholder!.message, /Fill in the expected hash/);
  assert.deepEqual(findingsOf(id, fixed.replace(EXPECTED_HASH_PLACEHOLDER, SHA256)), []);
});

test('cmd: curl.exe -fSLo is flagged; the certutil | findstr fix and its placeholder', () => {
  const text = `${CMD}RUN curl.exe -fSLo C:\\setup.exe https://example.com/setup.exe && C:\\setup.exe /quiet\n`;
  const [finding] = findingsOf(id, text);
  assert.equal(textAt(text, finding!.range), 'https://example.com/setup.exe');
  assert.match(finding!.message, /certutil -hashfile/);
  const fixed = withFirstFix(text, finding);
  assert.equal(fixed, `${CMD}RUN curl.exe -fSLo C:\\setup.exe https://example.com/setup.exe && \\\n    certutil -hashfile C:\\setup.exe SHA256 | findstr /i ${EXPECTED_HASH_PLACEHOLDER} && C:\\setup.exe /quiet\n`);
  const [placeholder, ...rest] = findingsOf(id, fixed);
  assert.equal(rest.length, 0);
  assert.equal(textAt(fixed, placeholder!.range), EXPECTED_HASH_PLACEHOLDER);
  assert.deepEqual(findingsOf(id, fixed.replace(EXPECTED_HASH_PLACEHOLDER, SHA256)), []);
});

test('sh: curl -o is flagged; the sha256sum -c fix and its placeholder', () => {
  const text = `${SH}RUN curl -fsSL -o /tmp/tool.tgz https://example.com/tool.tgz && tar -xzf /tmp/tool.tgz\n`;
  const [finding] = findingsOf(id, text);
  assert.equal(textAt(text, finding!.range), 'https://example.com/tool.tgz');
  assert.match(finding!.message, /sha256sum -c/);
  const fixed = withFirstFix(text, finding);
  assert.equal(fixed, `${SH}RUN curl -fsSL -o /tmp/tool.tgz https://example.com/tool.tgz && \\\n    echo "${EXPECTED_HASH_PLACEHOLDER}  /tmp/tool.tgz" | sha256sum -c - && tar -xzf /tmp/tool.tgz\n`);
  const [placeholder, ...rest] = findingsOf(id, fixed);
  assert.equal(rest.length, 0);
  assert.equal(textAt(fixed, placeholder!.range), EXPECTED_HASH_PLACEHOLDER);
  assert.deepEqual(findingsOf(id, fixed.replace(EXPECTED_HASH_PLACEHOLDER, SHA256)), []);
});

test('a powershell -Command "…" wrapper in a cmd RUN: the finding lands inside the quotes, the fix adds no double quote', () => {
  const text = `${CMD}RUN powershell -Command "Invoke-WebRequest -Uri https://example.com/a.msi -OutFile C:\\a.msi; Start-Process msiexec -ArgumentList '/i C:\\a.msi /qn' -Wait"\n`;
  const [finding] = findingsOf(id, text);
  assert.equal(textAt(text, finding!.range), 'https://example.com/a.msi');
  const fixed = withFirstFix(text, finding);
  assert.ok(fixed.includes(`-OutFile C:\\a.msi; \\\n    if ((Get-FileHash 'C:\\a.msi' -Algorithm SHA256).Hash -ne '${EXPECTED_HASH_PLACEHOLDER}') { throw 'a.msi: unexpected SHA256' }; Start-Process`), fixed);
  assert.equal(findingsOf(id, fixed).length, 1);
});

test('the JSON form RUN ["powershell", "-Command", "…"]: exact range, and a fix that keeps the JSON valid', () => {
  const text = `${CMD}RUN ["powershell", "-Command", "Invoke-WebRequest https://example.com/b.zip -OutFile C:\\\\b.zip"]\n`;
  const [finding] = findingsOf(id, text);
  assert.equal(textAt(text, finding!.range), 'https://example.com/b.zip');
  const fixed = withFirstFix(text, finding);
  const json = fixed.slice(fixed.indexOf('['), fixed.lastIndexOf(']') + 1);
  assert.deepEqual(JSON.parse(json), ['powershell', '-Command', `Invoke-WebRequest https://example.com/b.zip -OutFile C:\\b.zip; if ((Get-FileHash 'C:\\b.zip' -Algorithm SHA256).Hash -ne '${EXPECTED_HASH_PLACEHOLDER}') { throw 'b.zip: unexpected SHA256' }`]);
});

test('every downloader is recognised, with the file it saves', () => {
  const cases: Array<[string, string, RegExp]> = [
    [`${POWERSHELL}RUN (New-Object Net.WebClient).DownloadFile('https://example.com/a.zip', 'C:\\a.zip')\n`, "'https://example.com/a.zip'", /`C:\\a\.zip`/],
    [`${POWERSHELL}RUN $wc = New-Object System.Net.WebClient; $wc.DownloadFile($env:URL, \"$env:TEMP\\b.zip\")\n`, '$env:URL', /b\.zip/],
    [`${POWERSHELL}RUN Start-BitsTransfer -Source https://example.com/c.msi -Destination C:\\c.msi\n`, 'https://example.com/c.msi', /`C:\\c\.msi`/],
    [`${POWERSHELL}RUN Invoke-RestMethod https://example.com/d.json -OutFile d.json\n`, 'https://example.com/d.json', /`d\.json`/],
    [`${POWERSHELL}RUN wget -Uri https://example.com/e.zip -OutFile e.zip\n`, 'https://example.com/e.zip', /`e\.zip`/],
    [`${CMD}RUN certutil -urlcache -split -f https://example.com/f.exe C:\\f.exe\n`, 'https://example.com/f.exe', /`C:\\f\.exe`/],
    [`${CMD}RUN certutil.exe -urlcache -f https://example.com/g.exe\n`, 'https://example.com/g.exe', /`g\.exe`/],
    [`${CMD}RUN bitsadmin /transfer job /download /priority normal https://example.com/h.msi C:\\h.msi\n`, 'https://example.com/h.msi', /`C:\\h\.msi`/],
    [`${SH}RUN wget https://example.com/dl/i.tar.gz\n`, 'https://example.com/dl/i.tar.gz', /`i\.tar\.gz`/],
    [`${SH}RUN wget -qO /tmp/j.tgz https://example.com/j.tgz\n`, 'https://example.com/j.tgz', /`\/tmp\/j\.tgz`/],
    [`${SH}RUN curl -fsSLO https://example.com/k.tgz\n`, 'https://example.com/k.tgz', /`k\.tgz`/],
    [`${SH}RUN curl --output=/tmp/l.tgz https://example.com/l.tgz\n`, 'https://example.com/l.tgz', /`\/tmp\/l\.tgz`/],
    [`${SH}RUN curl -fsSL https://example.com/m.tgz > m.tgz\n`, 'https://example.com/m.tgz', /`m\.tgz`/],
  ];
  for (const [text, url, file] of cases) {
    const findings = findingsOf(id, text);
    assert.equal(findings.length, 1, text);
    assert.equal(textAt(text, findings[0]!.range), url, text);
    assert.match(findings[0]!.message, file, text);
  }
});

test('a hash that is printed, of another file, before the download, or in an unrelated stage checks nothing', () => {
  const zip = 'https://example.com/a.zip';
  for (const [text, url] of [
    [`${POWERSHELL}RUN iwr ${zip} -OutFile a.zip; Get-FileHash a.zip | Format-List\n`, zip],
    [`${POWERSHELL}RUN iwr ${zip} -OutFile a.zip; if ((Get-FileHash b.zip).Hash -ne $env:SHA) { throw 'x' }\n`, zip],
    [`${POWERSHELL}RUN if ((Get-FileHash a.zip).Hash -ne $env:SHA) { throw 'x' }; iwr ${zip} -OutFile a.zip\n`, zip],
    [`${POWERSHELL}RUN iwr ${zip} -OutFile a.zip\nFROM mcr.microsoft.com/windows/servercore:ltsc2022 AS other\nRUN if ((Get-FileHash a.zip).Hash -ne $env:SHA) { throw 'x' }\n`, zip],
    [`${SH}RUN curl -o a.tgz https://example.com/a.tgz && sha256sum a.tgz\n`, 'https://example.com/a.tgz'],
    [`${POWERSHELL}RUN iwr ${zip} -OutFile a.zip; if ((Get-Content a.zip) -match 'PK') { Expand-Archive a.zip C:\\a }\n`, zip],
  ] as const) {
    assert.equal(underlined(text), url, text);
  }
});

test('verified downloads are not flagged: Get-FileHash compared in the same RUN, in a later RUN, in a child stage', () => {
  for (const text of [
    `${POWERSHELL}RUN $ErrorActionPreference = 'Stop'; \`\n    Invoke-WebRequest https://example.com/a.zip -OutFile C:\\a.zip; \`\n    if ((Get-FileHash C:\\a.zip -Algorithm SHA256).Hash -ne '${SHA256}') { throw 'bad' }\n`,
    `${POWERSHELL}RUN Invoke-WebRequest https://example.com/a.zip -OutFile C:\\a.zip\nRUN if ((Get-FileHash C:\\a.zip).Hash -ne $env:A_SHA256) { exit 1 }\n`,
    `${POWERSHELL.replace('ltsc2022', 'ltsc2022 AS download')}RUN Invoke-WebRequest https://example.com/a.zip -OutFile C:\\a.zip\nFROM download AS verify\nRUN if ((Get-FileHash C:\\a.zip).Hash -ne $env:A_SHA256) { exit 1 }\n`,
    `${POWERSHELL}RUN iwr https://example.com/a.zip -OutFile a.zip; $hash = Get-FileHash a.zip -Algorithm SHA256; if ($hash.Hash -ne $env:SHA) { throw 'bad' }\n`,
    `${POWERSHELL}RUN iwr https://example.com/a.zip -OutFile a.zip; $actual = (Get-FileHash a.zip -Algorithm SHA512).Hash.ToUpper(); if ($expected -ne $actual) { exit 1 }\n`,
    `${POWERSHELL}RUN iwr https://example.com/a.zip -OutFile a.zip; if (!(Get-FileHash -Path a.zip -Algorithm SHA512).Hash.ToLower().Equals('${SHA256}')) { exit 1 }\n`,
    `${POWERSHELL}RUN iwr https://example.com/a.msi -OutFile a.msi; $sig = Get-AuthenticodeSignature a.msi; if ($sig.Status -ne 'Valid') { throw 'unsigned' }\n`,
    `${CMD}RUN curl -fSLo C:\\a.zip https://example.com/a.zip && certutil -hashfile C:\\a.zip SHA256 | findstr /i ${SHA256}\n`,
    `${CMD}RUN powershell -Command "iwr https://example.com/a.zip -OutFile a.zip; if ((Get-FileHash a.zip).Hash -ne '${SHA256}') { exit 1 }"\n`,
    `${SH}RUN curl -fsSLo a.tgz https://example.com/a.tgz && echo "${SHA256}  a.tgz" | sha256sum -c -\n`,
    `${SH}RUN curl -fsSLO https://example.com/a.tgz && curl -fsSLO https://example.com/SHA256SUMS && sha256sum -c --ignore-missing SHA256SUMS\n`,
    `${SH}RUN wget https://example.com/a.tgz https://example.com/a.tgz.asc && gpg --batch --verify a.tgz.asc a.tgz\n`,
    `${SH}RUN curl -fsSL -o a.tgz https://example.com/a.tgz && shasum -a 256 -c - <<< "${SHA256}  a.tgz"\n`,
  ]) {
    assert.deepEqual(findingsOf(id, text).map((f) => textAt(text, f.range)), [], text);
  }
});

test('file names are compared the way Windows and the shells spell them', () => {
  for (const text of [
    `${POWERSHELL}RUN iwr https://example.com/a.zip -OutFile C:\\Temp\\A.zip; if ((Get-FileHash c:/temp/a.zip).Hash -ne $env:S) { exit 1 }\n`,
    `${POWERSHELL}RUN iwr https://example.com/a.zip -OutFile "C:\\Temp\\a.zip"; Set-Location C:\\Temp; if ((Get-FileHash .\\a.zip).Hash -ne $env:S) { exit 1 }\n`,
    `${POWERSHELL}RUN iwr https://example.com/a.zip -OutFile $env:TEMP\\a.zip\nRUN cmd /c "certutil -hashfile %TEMP%\\a.zip SHA256 | findstr /i ${SHA256}"\n`,
    `${POWERSHELL}RUN iwr https://example.com/a.zip -OutFile $dotnet_file; if ((Get-FileHash $dotnet_file -Algorithm sha512).Hash -ne (Get-Content $sha_file)) { exit 1 }\n`,
  ]) {
    assert.deepEqual(findingsOf(id, text).map((f) => textAt(text, f.range)), [], text);
  }
  // Two downloads named a.zip in different folders: a bare `a.zip` does not say which one was checked.
  const ambiguous = `${POWERSHELL}RUN iwr https://example.com/1/a.zip -OutFile C:\\one\\a.zip; iwr https://example.com/2/a.zip -OutFile C:\\two\\a.zip; if ((Get-FileHash a.zip).Hash -ne $env:S) { exit 1 }\n`;
  assert.deepEqual(findingsOf(id, ambiguous).map((f) => textAt(ambiguous, f.range)), ['https://example.com/1/a.zip', 'https://example.com/2/a.zip']);
});

test('corpus patterns that verify: quoted hash lines, variable URLs, pinned key imports, rpm -K, a downloaded .sha256', () => {
  for (const text of [
    // docker-library/docker: the file name glued from two quoted parts
    `${SH}RUN wget -O 'docker-buildx' "$url"; echo "$sha256 *"'docker-buildx' | sha256sum -c -\n`,
    // rust-lang/docker-rust: wget names the file after a URL held in a variable
    `${SH}RUN url="https://static.rust-lang.org/rustup/archive/1.29.0/x86_64/rustup-init"; wget "$url"; echo "\${rustupSha256} *rustup-init" | sha256sum -c -\n`,
    // docker-library/mongo: a key file kept only for a pinned fingerprint
    `${SH}RUN wget -O KEYS 'https://pgp.mongodb.com/server-8.0.asc'; gpg --batch --import KEYS; gpg --batch --export --armor '4B0752C1BCA238C0B4EE14DC41DE058A4E7DCA05' > /etc/apt/keyrings/mongodb.asc\n`,
    // MariaDB: rpm checks the package signature
    `${SH}RUN curl --fail https://dl.example.org/epel-release.noarch.rpm --output /tmp/epel.rpm ; rpm -K /tmp/epel.rpm\n`,
    // kubernetes-sigs/sig-windows-tools: the downloaded .sha256 is read into the checked line
    `${SH}RUN curl -fLO https://dl.k8s.io/v1/kube-proxy.exe && curl -fLO https://dl.k8s.io/v1/kube-proxy.exe.sha256\nRUN echo "$(cat kube-proxy.exe.sha256)  kube-proxy.exe" | sha256sum -c -\n`,
    // fluent-bit: quotes escaped as \" for powershell.exe's command line
    `${POWERSHELL}RUN Invoke-WebRequest -OutFile \\"$env:TMP\\cmake.zip\\" https://example.com/cmake.zip; if ((Get-FileHash $env:TMP\\cmake.zip).Hash -ne $env:CMAKE_SHA256) { exit 1 }\n`,
    // dotnet-docker 8.0: the expected hash picked from a downloaded list, compared through variables
    `${POWERSHELL}RUN Invoke-WebRequest -OutFile $file https://example.com/$file; \`\n    Invoke-WebRequest -OutFile $sums https://example.com/$sums; \`\n    $expected = ((Get-Content $sums | Where-Object { $_ -match $file }) -split '\\s+')[0]; \`\n    $actual = (Get-FileHash $file -Algorithm SHA512).Hash; \`\n    if ($expected -ne $actual) { exit 1 }\n`,
    // node on Windows: a clear-signed list decrypted (and so verified) by gpg, then used for the hash
    `${POWERSHELL}RUN iwr https://nodejs.org/dist/v1/SHASUMS256.txt.asc -OutFile SHASUMS256.txt.asc; gpg --batch --decrypt --output SHASUMS256.txt SHASUMS256.txt.asc\n`,
    // nginx: openssl's digest compared in a test
    `${SH}RUN curl -f -L -O https://example.com/pkg.tar.gz && if [ "$(openssl sha512 -r pkg.tar.gz)" = "$PKG_CHECKSUM" ]; then echo ok; else exit 1; fi\n`,
    `${SH}RUN curl -fsSLO https://example.com/tool && curl -fsSLO https://example.com/tool.sig && cosign verify-blob --key tool.pub --signature tool.sig tool\n`,
    // dotnet-docker: the expected hash is downloaded too and compared
    `${POWERSHELL}RUN Invoke-WebRequest -OutFile dotnet.zip https://example.com/dotnet.zip; Invoke-WebRequest -OutFile dotnet.zip.sha512 https://example.com/dotnet.zip.sha512; if ((Get-FileHash dotnet.zip -Algorithm sha512).Hash -ne (Get-Content dotnet.zip.sha512)) { exit 1 }\n`,
  ]) {
    assert.deepEqual(findingsOf(id, text).map((f) => textAt(text, f.range)), [], text);
  }
});

test('not this rule: piped downloads, in-memory requests, ADD, loopback servers, the SHELL line', () => {
  for (const text of [
    `${SH}RUN curl -fsSL https://example.com/a.tgz | tar -xz\n`,
    `${SH}RUN wget -qO- https://example.com/a.tgz | tar -xz\n`,
    `${SH}RUN curl -o /dev/null -w '%{http_code}' https://example.com/health\n`,
    `${POWERSHELL}RUN $release = Invoke-RestMethod https://api.github.com/repos/a/b/releases/latest\n`,
    `${SH}ADD https://example.com/a.tgz /a.tgz\n`,
    `${POWERSHELL}RUN iwr http://localhost:8080/a.zip -OutFile a.zip; curl.exe -o b.zip http://127.0.0.1/b.zip\n`,
    POWERSHELL,
  ]) {
    assert.deepEqual(findingsOf(id, text).map((f) => textAt(text, f.range)), [], text);
  }
});

test('the inserted check gets its own continuation line, indented like the RUN\'s continuation lines, in the Dockerfile escape', () => {
  const tail = "Expand-Archive C:\\node.zip C:\\ ; Remove-Item C:\\node.zip -Force\n";
  const cases: Array<[string, string, string]> = [
    // Backtick escape (the directive), six-space continuation lines, the download in the middle.
    [`${POWERSHELL}RUN $ErrorActionPreference = 'Stop'; \`\n      Invoke-WebRequest -UseBasicParsing -Uri https://nodejs.org/dist/v20.0.0/node-v20.0.0-win-x64.zip -OutFile C:\\node.zip; \`\n      ${tail}`, '`', '      '],
    // Default `\` escape with a PowerShell SHELL: the Dockerfile escape continues the line, whatever the shell.
    [`FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN Invoke-WebRequest -Uri https://nodejs.org/dist/v20.0.0/node-v20.0.0-win-x64.zip -OutFile C:\\node.zip; \\\n  ${tail}`, '\\', '  '],
  ];
  for (const [text, escape, indentation] of cases) {
    const finding = findingsOf(id, text)[0];
    const fixed = withFirstFix(text, finding);
    const lines = fixed.split('\n');
    const download = lines.findIndex((line) => line.includes('-OutFile C:\\node.zip'));
    assert.ok(lines[download]!.endsWith(`-OutFile C:\\node.zip; ${escape}`), fixed);
    assert.equal(lines[download + 1], `${indentation}if ((Get-FileHash 'C:\\node.zip' -Algorithm SHA256).Hash -ne '${EXPECTED_HASH_PLACEHOLDER}') { throw 'node.zip: unexpected SHA256' }; ${escape}`, fixed);
    assert.equal(lines[download + 2], `${indentation}${tail.trimEnd()}`);
    // It parses: the placeholder is the only finding, and a real hash removes it.
    const [placeholder, ...rest] = findingsOf(id, fixed);
    assert.equal(rest.length, 0, fixed);
    assert.equal(textAt(fixed, placeholder!.range), EXPECTED_HASH_PLACEHOLDER);
    assert.deepEqual(findingsOf(id, fixed.replace(EXPECTED_HASH_PLACEHOLDER, SHA256)), []);
  }
  // A one-line RUN: four spaces; cmd and sh continue with the `\` escape too (never cmd's `^`).
  const cmd = `${CMD}RUN curl.exe -fSLo C:\\a.exe https://example.com/a.exe\n`;
  const fixedCmd = withFirstFix(cmd, findingsOf(id, cmd)[0]);
  assert.equal(fixedCmd, `${CMD}RUN curl.exe -fSLo C:\\a.exe https://example.com/a.exe && \\\n    certutil -hashfile C:\\a.exe SHA256 | findstr /i ${EXPECTED_HASH_PLACEHOLDER}\n`);
  assert.deepEqual(findingsOf(id, fixedCmd.replace(EXPECTED_HASH_PLACEHOLDER, SHA256)), []);
});

test("a project's own checking script handed the download and a pinned hash checks it (PowerShell and sh)", () => {
  assert.deepEqual(findingsOf(id, `${POWERSHELL}RUN Invoke-WebRequest -Uri https://example.com/tool.zip -OutFile tool.zip; .\\verify.ps1 -Path tool.zip -Sha256 $env:TOOL_SHA256\n`), []);
  assert.deepEqual(findingsOf(id, `${SH}RUN curl -fsSLo tool.tgz https://example.com/tool.tgz && ./scripts/verify.sh --sha256=${SHA256} tool.tgz\n`), []);
  // A variable that only contains the letters of a hash name is no hash.
  assert.equal(findingsOf(id, `${POWERSHELL}RUN Invoke-WebRequest -Uri https://example.com/tool.zip -OutFile tool.zip; .\\copy.ps1 -Path tool.zip -Hash $env:SHARE_PATH\n`).length, 1);
  // Printing the file's name next to a version is no check.
  assert.equal(findingsOf(id, `${SH}RUN curl -fsSLo tool.tgz https://example.com/tool.tgz && ./scripts/verify.sh --version=1.2 tool.tgz\n`).length, 1);
});
