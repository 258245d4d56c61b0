// @ts-check
// The platform package's target names and Rust triples (scripts/targets.js).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { CARGO_TRIPLES, vscodeTarget, cargoTriple, binaryFileName } = require('../../scripts/targets');

test('a machine maps to its VS Code target', () => {
  assert.equal(vscodeTarget('linux', 'x64', false), 'linux-x64');
  assert.equal(vscodeTarget('linux', 'arm64', false), 'linux-arm64');
  assert.equal(vscodeTarget('linux', 'arm', false), 'linux-armhf');
  assert.equal(vscodeTarget('linux', 'x64', true), 'alpine-x64');
  assert.equal(vscodeTarget('darwin', 'arm64', false), 'darwin-arm64');
  assert.equal(vscodeTarget('win32', 'x64', false), 'win32-x64');
});

test('machines VS Code has no package for have no target', () => {
  assert.equal(vscodeTarget('freebsd', 'x64', false), undefined);
  assert.equal(vscodeTarget('linux', 'ppc64', false), undefined);
  assert.equal(vscodeTarget('darwin', 'arm', false), undefined);
});

test('each target has the Rust triple of its system and processor', () => {
  assert.equal(cargoTriple('linux-x64'), 'x86_64-unknown-linux-gnu');
  assert.equal(cargoTriple('alpine-arm64'), 'aarch64-unknown-linux-musl');
  assert.equal(cargoTriple('darwin-x64'), 'x86_64-apple-darwin');
  assert.equal(cargoTriple('win32-arm64'), 'aarch64-pc-windows-msvc');
  assert.equal(cargoTriple('web'), undefined);
  assert.equal(cargoTriple('toString'), undefined);
});

test('the Windows binary has the .exe name the extension looks for', () => {
  assert.equal(binaryFileName('win32-x64'), 'transcript-ls.exe');
  assert.equal(binaryFileName('linux-x64'), 'transcript-ls');
  assert.equal(binaryFileName('darwin-arm64'), 'transcript-ls');
});

test('the release workflow builds every target with its triple', () => {
  const workflow = fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', '.github', 'workflows', 'release.yml'), 'utf8');
  const pairs = [...workflow.matchAll(/- target: (\S+)\s+triple: (\S+)/g)].map((m) => [m[1], m[2]]);
  assert.deepEqual(Object.fromEntries(pairs), CARGO_TRIPLES);
});
