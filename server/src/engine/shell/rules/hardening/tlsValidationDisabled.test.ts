import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CMD, findings, POWERSHELL, SH, underlined } from './testSupport';

const id = 'tls-validation-disabled';

test('PowerShell: a certificate callback that returns $true, on the script block, across backtick continuations', () => {
  const text = `${POWERSHELL}RUN [System.Net.ServicePointManager]::ServerCertificateValidationCallback = { $true }; \`
    [Net.ServicePointManager]::ServerCertificateValidationCallback = {param($s, $c, $ch, $e) return $true}; \`
    Invoke-WebRequest https://example.com/a.zip -OutFile a.zip
`;
  assert.deepEqual(underlined(id, text), ['{ $true }', '{param($s, $c, $ch, $e) return $true}']);
  const [first] = findings(id, text);
  assert.equal(first!.severity, 'error');
  assert.equal(first!.range.start.line, 3);
});

test('PowerShell: CertificatePolicy, -SkipCertificateCheck (also abbreviated and on irm), DangerousAcceptAnyServerCertificateValidator', () => {
  const text = `${POWERSHELL}RUN [Net.ServicePointManager]::CertificatePolicy = New-Object TrustAllCertsPolicy; \`
    Invoke-WebRequest -Uri https://example.com/a -SkipCertificateCheck -OutFile a; \`
    irm https://example.com/b -SkipCert; \`
    $handler.ServerCertificateCustomValidationCallback = [System.Net.Http.HttpClientHandler]::DangerousAcceptAnyServerCertificateValidator
`;
  assert.deepEqual(underlined(id, text), [
    '[Net.ServicePointManager]::CertificatePolicy', '-SkipCertificateCheck', '-SkipCert', '::DangerousAcceptAnyServerCertificateValidator',
  ]);
});

test('PowerShell: environment variables that switch verification off', () => {
  const text = `${POWERSHELL}RUN $env:GIT_SSL_NO_VERIFY = 'true'; \`
    \${env:NODE_TLS_REJECT_UNAUTHORIZED} = 0; \`
    [Environment]::SetEnvironmentVariable('PIP_TRUSTED_HOST', 'pypi.org', 'Machine'); \`
    setx NPM_CONFIG_STRICT_SSL false /M
`;
  assert.deepEqual(underlined(id, text), [
    "$env:GIT_SSL_NO_VERIFY = 'true'",
    '${env:NODE_TLS_REJECT_UNAUTHORIZED} = 0',
    "[Environment]::SetEnvironmentVariable('PIP_TRUSTED_HOST', 'pypi.org', 'Machine')",
    'NPM_CONFIG_STRICT_SSL false',
  ]);
  assert.match(findings(id, text)[0]!.message, /any value/);
});

test('cmd: curl -k in a cluster, set GIT_SSL_NO_VERIFY, git -c, npm and pip flags', () => {
  const text = `${CMD}RUN curl.exe -kfsSL -o tool.zip https://example.com/tool.zip && set GIT_SSL_NO_VERIFY=1 && git -c http.sslVerify=false clone https://example.com/r.git
RUN set "NODE_TLS_REJECT_UNAUTHORIZED=0" && npm config set strict-ssl false && pip install --trusted-host pypi.org requests==2.32.3
`;
  assert.deepEqual(underlined(id, text), [
    '-kfsSL', 'GIT_SSL_NO_VERIFY=1', 'http.sslVerify=false', '"NODE_TLS_REJECT_UNAUTHORIZED=0"', 'strict-ssl false', '--trusted-host pypi.org',
  ]);
});

test('cmd: a powershell -Command "…" wrapper is opened and ranges point into the quoted script', () => {
  const text = `${CMD}RUN powershell -NoProfile -Command "[Net.ServicePointManager]::ServerCertificateValidationCallback = {$true}; iwr https://example.com/x -OutFile x"
`;
  assert.deepEqual(underlined(id, text), ['{$true}']);
  assert.deepEqual(findings(id, text)[0]!.range.start, { line: 1, character: text.split('\n')[1]!.indexOf('{$true}') });
});

test('sh: curl --insecure, wget --no-check-certificate, git config, npm/yarn config, pip config, assignments', () => {
  const text = `${SH}RUN curl --insecure -fsSL https://example.com/i.sh -o i.sh \\
 && wget -q --no-check-certificate https://example.com/a \\
 && git config --global http.sslVerify false \\
 && npm install --strict-ssl=false left-pad@1.3.0 \\
 && npm i --no-strict-ssl \\
 && yarn config set strict-ssl false \\
 && python3 -m pip config set global.trusted-host pypi.org \\
 && NODE_TLS_REJECT_UNAUTHORIZED=0 \\
 && PYTHONHTTPSVERIFY=0
`;
  assert.deepEqual(underlined(id, text), [
    '--insecure', '--no-check-certificate', 'http.sslVerify false', '--strict-ssl=false', '--no-strict-ssl', 'strict-ssl false',
    'global.trusted-host pypi.org', 'NODE_TLS_REJECT_UNAUTHORIZED=0', 'PYTHONHTTPSVERIFY=0',
  ]);
});

test('sh: export and declare -x', () => {
  const text = `${SH}RUN export GIT_SSL_NO_VERIFY=1 PATH=/x && declare -x PIP_TRUSTED_HOST=pypi.org\n`;
  assert.deepEqual(underlined(id, text), ['GIT_SSL_NO_VERIFY=1', 'PIP_TRUSTED_HOST=pypi.org']);
});

// shell/posix.ts drops the assignments in front of a command (`X=1 cmd`); the rule reads them once they arrive.
test('sh: command-prefix assignments', () => {
  const text = `${SH}RUN NODE_TLS_REJECT_UNAUTHORIZED=0 npm ci\n`;
  assert.deepEqual(underlined(id, text), ['NODE_TLS_REJECT_UNAUTHORIZED=0']);
});

test('ENV and ARG that switch verification off are flagged on the assignment', () => {
  const text = `${SH}ENV NODE_TLS_REJECT_UNAUTHORIZED=0 PATH=/usr/bin\nARG GIT_SSL_NO_VERIFY=1\n`;
  assert.deepEqual(underlined(id, text), ['NODE_TLS_REJECT_UNAUTHORIZED=0', 'GIT_SSL_NO_VERIFY=1']);
  assert.match(findings(id, text)[0]!.message, /every container/);
});

test('not flagged: validation left on, values that keep it on, look-alike options and text', () => {
  for (const text of [
    `${POWERSHELL}RUN [Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12; \`
    [Net.ServicePointManager]::ServerCertificateValidationCallback = $null; \`
    [Net.ServicePointManager]::ServerCertificateValidationCallback = { param($s, $c, $ch, $e) $e -eq 'None' }; \`
    Invoke-WebRequest https://example.com/a -OutFile a -SkipCertificateCheck:$false; \`
    Invoke-WebRequest https://example.com/a -SkipHeaderValidation -OutFile a; \`
    Write-Host 'curl -k is insecure'; $env:NODE_TLS_REJECT_UNAUTHORIZED = 1; $env:GIT_SSL_NO_VERIFY = ''
`,
    // In Windows PowerShell 5.1 plain curl is Invoke-WebRequest: its parameter names are not letter clusters.
    `${POWERSHELL}RUN curl -UseBasicParsing -Uri https://example.com/a -OutFile a\n`,
    `${CMD}RUN curl.exe -fsSL -o kfile https://example.com/a && curl.exe -okfile https://example.com/b && git config --global http.sslVerify true\n`,
    `${CMD}RUN npm config set strict-ssl true && npm config set cafile C:\\ca.pem && pip install --cert C:\\ca.pem requests==2.32.3\n`,
    `${SH}RUN curl -fsSL --cacert /ca.pem https://example.com/a && wget --ca-certificate=/ca.pem https://example.com/b && git -c http.sslVerify clone https://example.com/r.git\n`,
    `${SH}ENV NODE_TLS_REJECT_UNAUTHORIZED=1 GIT_SSL_CAINFO=/ca.pem\n`,
  ]) {
    assert.deepEqual(underlined(id, text), [], text);
  }
});
