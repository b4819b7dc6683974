import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, textAt } from '../../testing';

const id = 'base-image-latest';

test('flags an untagged base image on the image name', () => {
  const text = 'FROM mcr.microsoft.com/windows/servercore\nRUN dir\n';
  const [finding, ...rest] = findingsOf(id, text);
  assert.equal(rest.length, 0);
  assert.equal(textAt(text, finding!.range), 'mcr.microsoft.com/windows/servercore');
  assert.match(finding!.message, /no tag/);
  assert.match(finding!.message, /Windows base OS images have no `latest` tag/);
});

test('flags :latest on the tag itself', () => {
  const text = 'FROM ubuntu:latest AS build\n';
  const [finding] = findingsOf(id, text);
  assert.equal(textAt(text, finding!.range), 'latest');
});

test('resolves the image through a global ARG default', () => {
  const text = 'ARG BASE=python\nFROM ${BASE}\n';
  const [finding] = findingsOf(id, text);
  assert.equal(textAt(text, finding!.range), '${BASE}');
  assert.match(finding!.message, /resolves to `python`/);
});

test('does not flag tagged, digest-pinned, scratch, stage and unresolvable references', () => {
  for (const text of [
    'FROM mcr.microsoft.com/windows/servercore:ltsc2025\n',
    'FROM ubuntu:latest@sha256:' + 'a'.repeat(64) + '\n',
    'FROM alpine@sha256:' + 'b'.repeat(64) + '\n',
    'FROM scratch\n',
    'FROM node:22 AS build\nFROM build\n',
    'ARG BASE\nFROM ${BASE}\n',
    'FROM \n',
  ]) {
    assert.deepEqual(findingsOf(id, text), [], text);
  }
});

test('honours # hadolint ignore=DL3007 and container-guard ignore', () => {
  assert.deepEqual(findingsOf(id, '# hadolint ignore=DL3007\nFROM ubuntu:latest\n'), []);
  assert.deepEqual(findingsOf(id, '# container-guard ignore=base-image-latest\nFROM ubuntu\n'), []);
  assert.equal(findingsOf(id, '# container-guard ignore=other-rule\nFROM ubuntu\n').length, 1);
});
