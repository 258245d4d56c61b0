#!/usr/bin/env node
// @ts-check
// `npm run package:platform`: the platform package, with the server inside.
//
//   npm run package:platform                       # this machine's target
//   npm run package:platform -- --target darwin-arm64
//   npm run package:platform -- --target linux-x64 --binary path/to/transcript-ls
//
// Builds the release binary at the repository root (`cargo build --release
// --locked`, with `--target <triple>` when packing for another machine),
// copies it into server/, and packs transcript-ls-<target>-<version>.vsix with
// `vsce package --target`. With --binary, packs that binary instead of
// building one. server/ is emptied again afterwards, so that the plain
// `npm run package` stays a package without a server.

'use strict';

const cp = require('child_process');
const fs = require('fs');
const path = require('path');
const { vscodeTarget, cargoTriple, binaryFileName, CARGO_TRIPLES } = require('./targets');

const EXTENSION_DIR = path.resolve(__dirname, '..');
const REPO_ROOT = path.resolve(EXTENSION_DIR, '..', '..');
const SERVER_DIR = path.join(EXTENSION_DIR, 'server');
const VSCE = path.join(EXTENSION_DIR, 'node_modules', '@vscode', 'vsce', 'vsce');

/** @param {string} message @returns {never} */
function die(message) {
  console.error(`package-platform: ${message}`);
  process.exit(1);
}

/** @param {string[]} argv */
function parseArgs(argv) {
  /** @type {{ target?: string, binary?: string }} */
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => argv[++i] ?? die(`${arg} needs a value`);
    if (arg === '--target') {
      opts.target = value();
    } else if (arg === '--binary') {
      opts.binary = path.resolve(value());
    } else if (arg === '-h' || arg === '--help') {
      console.log('usage: npm run package:platform [-- --target <vscode-target>] [--binary <transcript-ls>]');
      console.log(`targets: ${Object.keys(CARGO_TRIPLES).join(', ')}`);
      process.exit(0);
    } else {
      die(`unknown argument ${JSON.stringify(arg)} (see --help)`);
    }
  }
  return opts;
}

function isMusl() {
  if (process.platform !== 'linux') {
    return false;
  }
  const report = /** @type {{ header?: { glibcVersionRuntime?: string } }} */ (process.report?.getReport() ?? {});
  return !report.header?.glibcVersionRuntime;
}

/**
 * Runs a command, echoing it, and fails the script when it fails.
 * @param {string} command @param {string[]} args @param {string} cwd
 */
function run(command, args, cwd) {
  console.log(`$ ${[command, ...args].join(' ')}`);
  const result = cp.spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.error) {
    die(`could not run ${command}: ${result.error.message}`);
  }
  if (result.status !== 0) {
    die(`${command} ${args.join(' ')} failed (exit status ${result.status ?? result.signal})`);
  }
}

/**
 * The release binary for `target`: built with cargo unless given.
 * @param {string} target @param {string | undefined} given @param {string} host
 */
function serverBinary(target, given, host) {
  if (given) {
    return given;
  }
  const args = ['build', '--release', '--locked'];
  let outDir = path.join(REPO_ROOT, 'target', 'release');
  if (target !== host) {
    const triple = /** @type {string} */ (cargoTriple(target));
    args.push('--target', triple);
    outDir = path.join(REPO_ROOT, 'target', triple, 'release');
  }
  run('cargo', args, REPO_ROOT);
  return path.join(outDir, binaryFileName(target));
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const host = vscodeTarget(process.platform, process.arch, isMusl());
  const target = opts.target ?? host;
  if (!target) {
    die(`VS Code has no target for ${process.platform}-${process.arch}; pass --target (one of ${Object.keys(CARGO_TRIPLES).join(', ')})`);
  }
  if (!cargoTriple(target)) {
    die(`unknown target ${JSON.stringify(target)}; one of ${Object.keys(CARGO_TRIPLES).join(', ')}`);
  }
  const version = JSON.parse(fs.readFileSync(path.join(EXTENSION_DIR, 'package.json'), 'utf8')).version;

  const binary = serverBinary(target, opts.binary, host ?? '');
  if (!fs.existsSync(binary) || !fs.statSync(binary).isFile()) {
    die(`no server binary at ${binary}`);
  }
  if (target === host) {
    // The binary must run here: a wrong or broken file would ship unseen.
    const out = cp.spawnSync(binary, ['--version'], { encoding: 'utf8' });
    if (out.status !== 0 || !/^transcript-ls /.test(out.stdout)) {
      die(`${binary} --version did not answer "transcript-ls <version>": ${out.error?.message ?? (out.stdout + out.stderr).trim()}`);
    }
    console.log(`server: ${out.stdout.trim()} (${binary})`);
  }

  const vsix = path.join(EXTENSION_DIR, `transcript-ls-${target}-${version}.vsix`);
  fs.rmSync(SERVER_DIR, { recursive: true, force: true });
  fs.mkdirSync(SERVER_DIR);
  try {
    const inside = path.join(SERVER_DIR, binaryFileName(target));
    fs.copyFileSync(binary, inside);
    fs.chmodSync(inside, 0o755);
    run(process.execPath, [VSCE, 'package', '--no-dependencies', '--target', target, '--out', vsix], EXTENSION_DIR);
  } finally {
    fs.rmSync(SERVER_DIR, { recursive: true, force: true });
  }
  console.log(`packed ${path.relative(process.cwd(), vsix) || vsix} (${(fs.statSync(vsix).size / 1048576).toFixed(1)} MiB)`);
}

main();
