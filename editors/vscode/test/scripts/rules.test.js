// @ts-check
// The rules the extension lists (setting `transcript.rules`, `rules` in the
// transcripts.json schema) are the server's: `transcript-ls rules` of the
// binary in TRANSCRIPT_LS, else ../../target/debug/transcript-ls.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { parseRules, ruleProperties, serverRules, regenerate, format } = require('../../scripts/rules');

const SERVER = process.env.TRANSCRIPT_LS
  ? path.resolve(process.env.TRANSCRIPT_LS)
  : path.resolve(__dirname, '..', '..', '..', '..', 'target', 'debug', 'transcript-ls');

test('a line of `transcript-ls rules` gives the name, the default severity and the description', () => {
  const rules = parseRules(
    'empty-turn               warning  A turn has a label but no text.\n' +
      'unused-allow             hint     A `transcript-ls: allow` comment suppresses nothing.\n',
  );
  assert.deepEqual(rules, [
    { name: 'empty-turn', severity: 'warning', description: 'A turn has a label but no text.' },
    { name: 'unused-allow', severity: 'hint', description: 'A `transcript-ls: allow` comment suppresses nothing.' },
  ]);
  assert.throws(() => parseRules('empty-turn\n'), /not a line of `transcript-ls rules`/);
});

test("a rule's severity: the five levels, its default, its description with and without markdown", () => {
  const [rule] = Object.values(ruleProperties([{ name: 'x', severity: 'hint', description: 'A `---` line.' }], ['a', 'b', 'c', 'd', 'e']));
  assert.deepEqual(rule.enum, ['error', 'warning', 'info', 'hint', 'off']);
  assert.equal(rule.default, 'hint');
  assert.equal(rule.description, 'A --- line. (default: hint)');
  assert.equal(rule.markdownDescription, 'A `---` line.\n\nDefault: `hint`.');
});

test('package.json and the schema list the rules of `transcript-ls rules`, as scripts/rules.js writes them', (t) => {
  assert.ok(fs.existsSync(SERVER), `no server at ${SERVER}: run \`cargo build\` at the repository root, or set TRANSCRIPT_LS`);
  const rules = serverRules(SERVER);
  assert.ok(rules.some((r) => r.name === 'unused-allow'), 'the server lists unused-allow');
  for (const { file, json } of regenerate(rules)) {
    t.diagnostic(`${path.basename(file)}: ${rules.length} rules`);
    assert.equal(
      fs.readFileSync(file, 'utf8'),
      format(json),
      `${path.basename(file)} does not list the rules of ${SERVER}: run \`node scripts/rules.js ${SERVER}\``,
    );
  }
});
