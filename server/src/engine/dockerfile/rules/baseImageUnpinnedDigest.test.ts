import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, textAt } from '../../testing';

const id = 'base-image-unpinned-digest';

test('flags a tag without digest on the tag', () => {
  const text = 'FROM mcr.microsoft.com/dotnet/framework/aspnet:4.8.1-windowsservercore-ltsc2025\n';
  const [finding, ...rest] = findingsOf(id, text);
  assert.equal(rest.length, 0);
  assert.equal(textAt(text, finding!.range), '4.8.1-windowsservercore-ltsc2025');
});

test('flags every stage, including ARG-resolved ones on the whole reference', () => {
  const text = 'ARG TAG=ltsc2025\nFROM mcr.microsoft.com/windows/nanoserver:${TAG}\nFROM alpine:3.20\n';
  const findings = findingsOf(id, text);
  assert.deepEqual(findings.map((f) => textAt(text, f.range)), ['mcr.microsoft.com/windows/nanoserver:${TAG}', '3.20']);
});

test('leaves digests, latest/untagged (another rule), stages and scratch alone', () => {
  for (const text of [
    'FROM mcr.microsoft.com/windows/servercore:ltsc2025@sha256:' + 'c'.repeat(64) + '\n',
    'FROM ubuntu\n',
    'FROM ubuntu:latest\n',
    'FROM scratch\n',
    'FROM golang:1.23@sha256:' + 'd'.repeat(64) + ' AS build\nFROM build\n',
  ]) {
    assert.deepEqual(findingsOf(id, text), [], text);
  }
});
