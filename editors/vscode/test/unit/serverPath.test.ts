import * as assert from 'node:assert/strict';
import { test } from 'node:test';

import { binaryName, expandHome, findOnPath, resolveServer } from '../../src/serverPath';

/** A fake file system holding exactly `files`. */
const only = (...files: string[]) => (f: string) => files.includes(f);

test('the setting wins over the bundled binary and PATH', () => {
  const r = resolveServer({
    configured: '/opt/tls/transcript-ls',
    extensionPath: '/ext',
    platform: 'linux',
    env: { PATH: '/usr/bin' },
    isExecutableFile: only('/opt/tls/transcript-ls', '/ext/server/transcript-ls', '/usr/bin/transcript-ls'),
  });
  assert.deepEqual(r, { ok: true, command: '/opt/tls/transcript-ls', source: 'setting' });
});

test('a relative setting is resolved against the workspace folder, ~ against home', () => {
  const r = resolveServer({
    configured: 'target/debug/transcript-ls',
    extensionPath: '/ext',
    workspaceFolder: '/ws',
    platform: 'linux',
    env: {},
    isExecutableFile: only('/ws/target/debug/transcript-ls'),
  });
  assert.deepEqual(r, { ok: true, command: '/ws/target/debug/transcript-ls', source: 'setting' });
  assert.equal(expandHome('~/bin/x', '/home/me'), '/home/me/bin/x');
  assert.equal(expandHome('a/~/b', '/home/me'), 'a/~/b');
});

test('a bare command name in the setting is looked up on PATH', () => {
  const r = resolveServer({
    configured: 'transcript-ls-nightly',
    extensionPath: '/ext',
    platform: 'linux',
    env: { PATH: '/a:/b' },
    isExecutableFile: only('/b/transcript-ls-nightly'),
  });
  assert.deepEqual(r, { ok: true, command: '/b/transcript-ls-nightly', source: 'setting' });
});

test('a configured path that does not exist is an error naming the setting (no silent fallback)', () => {
  const r = resolveServer({
    configured: '/nope/transcript-ls',
    extensionPath: '/ext',
    platform: 'linux',
    env: { PATH: '/usr/bin' },
    isExecutableFile: only('/ext/server/transcript-ls', '/usr/bin/transcript-ls'),
  });
  assert.equal(r.ok, false);
  assert.match(!r.ok ? r.message : '', /transcript\.server\.path/);
  assert.match(!r.ok ? r.message : '', /\/nope\/transcript-ls/);
});

test('an empty setting uses the bundled binary, then PATH', () => {
  const base = { configured: '  ', extensionPath: '/ext', platform: 'linux' as const, env: { PATH: '/x:/usr/bin' } };
  assert.deepEqual(
    resolveServer({ ...base, isExecutableFile: only('/ext/server/transcript-ls', '/usr/bin/transcript-ls') }),
    { ok: true, command: '/ext/server/transcript-ls', source: 'bundled' },
  );
  assert.deepEqual(resolveServer({ ...base, isExecutableFile: only('/usr/bin/transcript-ls') }), {
    ok: true,
    command: '/usr/bin/transcript-ls',
    source: 'path',
  });
});

test('on Windows the bundled binary is transcript-ls.exe and PATH uses PATHEXT', () => {
  assert.equal(binaryName('win32'), 'transcript-ls.exe');
  const base = { extensionPath: 'C:\\ext', platform: 'win32' as const, env: { Path: 'C:\\tools;"C:\\cargo bin"', PATHEXT: '.COM;.EXE' } };
  assert.deepEqual(resolveServer({ ...base, isExecutableFile: only('C:\\ext\\server\\transcript-ls.exe') }), {
    ok: true,
    command: 'C:\\ext\\server\\transcript-ls.exe',
    source: 'bundled',
  });
  assert.deepEqual(resolveServer({ ...base, isExecutableFile: only('C:\\cargo bin\\transcript-ls.EXE') }), {
    ok: true,
    command: 'C:\\cargo bin\\transcript-ls.EXE',
    source: 'path',
  });
  assert.equal(findOnPath('transcript-ls', base.env, 'win32', only()), undefined);
});

test('nothing found: the message says how to install or configure', () => {
  const r = resolveServer({ extensionPath: '/ext', platform: 'linux', env: { PATH: '/usr/bin' }, isExecutableFile: only() });
  assert.equal(r.ok, false);
  const message = !r.ok ? r.message : '';
  assert.match(message, /cargo install/);
  assert.match(message, /transcript\.server\.path/);
});
