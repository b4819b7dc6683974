// No document text can turn a hover into a link, an image or a `command:` URI (issue 14): every value a
// hover quotes from the document is a code span, whatever backticks, brackets or URLs it holds. The
// Markdown is rendered with markdown-it (CommonMark, with bare-URL linkification as VS Code's renderer
// does) and every link and image in it is checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDockerfileModel } from '../dockerfile/model';
import { buildNuGetConfigModel } from '../nuget/model';
import { mergeSettings } from '../settings';
import { REVIEW_DATE } from '../testing';
import { createDocument } from '../text';
import { imageHover } from '../dockerfile/features/imageHover';
import { nugetSourceHover } from '../nuget/features/nugetSourceHover';

interface Token { type: string; attrs: Array<[string, string]> | null; children: Token[] | null; content: string }
// markdown-it is in node_modules (a dependency of the packaging tools); it has no types here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const MarkdownIt = require('markdown-it') as new (options: object) => { parse(text: string, env: object): Token[] };
const markdown = new MarkdownIt({ html: false, linkify: true });

/** Each payload tries another way out of a code span or into a link. */
const PAYLOADS = [
  'a` [x](command:workbench.action.terminal.new) `b',
  'a`` [x](command:workbench.action.terminal.new) ``b',
  '```[x](command:evil)```',
  '`',
  '![i](https://evil.example/pixel.png)',
  '[x](https://evil.example/)',
  '<https://evil.example/auto>',
  'https://evil.example/bare',
  'x\n\n[x]: command:evil\n\n[x]',
  '**bold** | pipe | <img src="https://evil.example/i.png">',
];

function linksAndImages(text: string): string[] {
  const found: string[] = [];
  const visit = (tokens: Token[]): void => {
    for (const token of tokens) {
      if (token.type === 'link_open' || token.type === 'image') found.push(`${token.type} ${token.attrs?.map(([k, v]) => `${k}=${v}`).join(' ') ?? ''}`);
      if (token.type === 'html_inline' || token.type === 'html_block') found.push(`html ${token.content}`);
      if (token.children) visit(token.children);
    }
  };
  visit(markdown.parse(text, {}));
  return found;
}

/** Links the hover writes itself (catalog sources on learn.microsoft.com and the like), never the document's. */
function assertNoDocumentLink(hover: string, payload: string): void {
  for (const link of linksAndImages(hover)) {
    assert.doesNotMatch(link, /evil|command:|^image|^html/, `payload ${JSON.stringify(payload)} made ${link}\n---\n${hover}`);
  }
}

/** Quoted in a nuget.config attribute value (XML escapes for what XML needs). */
function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
}

test('nuget.config hover: keys, URLs, users, patterns, signers and owners cannot make a link, an image or a command', () => {
  for (const payload of PAYLOADS) {
    const p = xml(payload);
    const text = `<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config><add key="signatureValidationMode" value="${p}" /></config>
  <packageSources>
    <add key="${p}" value="https://feed.example.com/${p}" />
    <add key="other" value="${p}" />
  </packageSources>
  <packageSourceMapping><packageSource key="${p}"><package pattern="${p}" /></packageSource></packageSourceMapping>
  <packageSourceCredentials><other><add key="Username" value="${p}" /><add key="ClearTextPassword" value="%${p}%" /></other></packageSourceCredentials>
  <trustedSigners>
    <repository name="${p}" serviceIndex="${p}"><certificate fingerprint="AA" hashAlgorithm="SHA256" /><owners>${xml(payload).replace(/"/g, '')};x</owners></repository>
    <author name="${p}"><certificate fingerprint="AA" hashAlgorithm="SHA256" /></author>
  </trustedSigners>
</configuration>
`;
    const model = buildNuGetConfigModel(createDocument(text));
    for (const line of [4, 5]) {
      const hover = nugetSourceHover(model, { line, character: 10 });
      assert.ok(hover, `no hover on line ${line + 1} for ${JSON.stringify(payload)}`);
      assertNoDocumentLink(hover.markdown, payload);
    }
  }
});

test('Dockerfile hover: stage names, users, image names and ARG references cannot make a link, an image or a command', () => {
  for (const payload of PAYLOADS) {
    const word = payload.replace(/\s+/g, '');
    const text = [
      `FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS ${word}`,
      `USER ${payload.replace(/\n/g, ' ')}`,
      `FROM ${word}`,
      `FROM $NOPE${word}`,
      `FROM registry.example.com/${word}:${word}`,
      '',
    ].join('\n');
    const model = buildDockerfileModel(createDocument(text));
    for (const line of [0, 2, 3, 4]) {
      const hover = imageHover(model, { line, character: 6 }, mergeSettings(), REVIEW_DATE);
      if (hover) assertNoDocumentLink(hover.markdown, payload);
    }
  }
});
