// @ts-check
// The platform packages: which VS Code target (`vsce package --target`) a
// machine is, and which Rust target triple builds its server. Used by
// package-platform.js and by the release workflow (.github/workflows/release.yml
// lists the same pairs); tested by test/scripts/targets.test.js.

'use strict';

/** VS Code target → Rust target triple of the `transcript-ls` binary packed in it. */
const CARGO_TRIPLES = Object.freeze({
  'linux-x64': 'x86_64-unknown-linux-gnu',
  'linux-arm64': 'aarch64-unknown-linux-gnu',
  'linux-armhf': 'armv7-unknown-linux-gnueabihf',
  'alpine-x64': 'x86_64-unknown-linux-musl',
  'alpine-arm64': 'aarch64-unknown-linux-musl',
  'darwin-x64': 'x86_64-apple-darwin',
  'darwin-arm64': 'aarch64-apple-darwin',
  'win32-x64': 'x86_64-pc-windows-msvc',
  'win32-arm64': 'aarch64-pc-windows-msvc',
});

/**
 * The VS Code target of a machine, or undefined when VS Code has none for it.
 * @param {string} platform `process.platform`
 * @param {string} arch `process.arch`
 * @param {boolean} musl whether the C library is musl (Alpine), not glibc
 * @returns {string | undefined}
 */
function vscodeTarget(platform, arch, musl) {
  const cpu = arch === 'arm' ? 'armhf' : arch;
  const os = platform === 'linux' && musl ? 'alpine' : platform;
  const target = `${os}-${cpu}`;
  return Object.prototype.hasOwnProperty.call(CARGO_TRIPLES, target) ? target : undefined;
}

/**
 * The Rust target triple for a VS Code target, or undefined for an unknown one.
 * @param {string} target
 * @returns {string | undefined}
 */
function cargoTriple(target) {
  return Object.prototype.hasOwnProperty.call(CARGO_TRIPLES, target)
    ? CARGO_TRIPLES[/** @type {keyof typeof CARGO_TRIPLES} */ (target)]
    : undefined;
}

/**
 * The server's file name inside `server/` for a VS Code target.
 * @param {string} target
 */
function binaryFileName(target) {
  return target.startsWith('win32-') ? 'transcript-ls.exe' : 'transcript-ls';
}

module.exports = { CARGO_TRIPLES, vscodeTarget, cargoTriple, binaryFileName };
