import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, textAt } from '../../testing';

const id = 'base-image-latest';

test('flags an untagged base image on the image name', () => {
  const text = 'FROM mcr.microsoft.com/powershell\nRUN dir\n';
  const [finding, ...rest] = findingsOf(id, text);
  assert.equal(rest.length, 0);
  assert.equal(textAt(text, finding!.range), 'mcr.microsoft.com/powershell');
  assert.match(finding!.message, /no tag/);
});

test('leaves Windows base repositories (no latest at all) to nonexistent-image-tag', () => {
  assert.deepEqual(findingsOf(id, 'FROM mcr.microsoft.com/windows/servercore\n'), []);
  assert.deepEqual(findingsOf(id, 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2025 AS base\nFROM mcr.microsoft.com/dotnet/aspnet:latest\n'), []);
  assert.equal(findingsOf(id, 'FROM mcr.microsoft.com/dotnet/aspnet\n').length, 1, 'on Linux the .NET latest tag exists and moves');
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
  assert.match(finding!.message, /^`python` has no tag.*\(from `\$\{BASE\}`, judged by that default\)/);
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
