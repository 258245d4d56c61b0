// @ts-check
// The rule names the extension lists (the setting `transcript.rules` in
// package.json, and `rules` in schemas/transcripts.schema.json), made from
// the server's own list, `transcript-ls rules`. Tested by
// test/scripts/rules.test.js, which fails when they drift apart;
//
//   node scripts/rules.js path/to/transcript-ls
//
// writes both files again from that binary's list.

'use strict';

const cp = require('child_process');
const fs = require('fs');
const path = require('path');

const EXTENSION_DIR = path.resolve(__dirname, '..');
const PACKAGE_JSON = path.join(EXTENSION_DIR, 'package.json');
const SCHEMA = path.join(EXTENSION_DIR, 'schemas', 'transcripts.schema.json');
const LEVELS = ['error', 'warning', 'info', 'hint', 'off'];

/** In transcripts.json a severity holds for the editor and for `transcript-ls check`. */
const REGISTRY_LEVELS = [
  'Report as an error (makes `transcript-ls check` fail).',
  'Report as a warning (fails `check` only with `--deny warnings`).',
  'Report as information.',
  'Report as a hint (shown faintly in the editor).',
  'Do not report.',
];

/** In the editor's settings it holds for this editor only. */
const SETTING_LEVELS = [
  'Show as an error.',
  'Show as a warning.',
  'Show as information.',
  'Show as a hint (shown faintly in the editor).',
  'Do not show.',
];

/**
 * The rules in the output of `transcript-ls rules`: one a line, its name,
 * default severity and description separated by spaces.
 * @param {string} table
 * @returns {{ name: string, severity: string, description: string }[]}
 */
function parseRules(table) {
  return table
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const m = /^([a-z0-9-]+) +([a-z]+) +(\S.*)$/.exec(line);
      if (!m || !LEVELS.includes(m[2])) {
        throw new Error(`not a line of \`transcript-ls rules\`: ${JSON.stringify(line)}`);
      }
      return { name: m[1], severity: m[2], description: m[3] };
    });
}

/**
 * The JSON schema of each rule's severity, by rule name, in the server's order.
 * @param {{ name: string, severity: string, description: string }[]} rules
 * @param {string[]} levelDescriptions what each of LEVELS does, in that order
 */
function ruleProperties(rules, levelDescriptions) {
  return Object.fromEntries(
    rules.map((r) => [
      r.name,
      {
        type: 'string',
        enum: LEVELS,
        enumDescriptions: levelDescriptions,
        description: `${r.description.replace(/`/g, '')} (default: ${r.severity})`,
        markdownDescription: `${r.description}\n\nDefault: \`${r.severity}\`.`,
        default: r.severity,
      },
    ]),
  );
}

/**
 * What `transcript-ls rules` prints.
 * @param {string} server the binary
 */
function serverRules(server) {
  return parseRules(cp.execFileSync(server, ['rules'], { encoding: 'utf8' }));
}

/**
 * package.json and the schema as they would be with `rules`, each with the
 * place of its rule properties.
 * @param {{ name: string, severity: string, description: string }[]} rules
 */
function regenerate(rules) {
  const pkg = JSON.parse(fs.readFileSync(PACKAGE_JSON, 'utf8'));
  pkg.contributes.configuration.properties['transcript.rules'].properties = ruleProperties(rules, SETTING_LEVELS);
  const schema = JSON.parse(fs.readFileSync(SCHEMA, 'utf8'));
  schema.properties.rules.properties = ruleProperties(rules, REGISTRY_LEVELS);
  return [
    { file: PACKAGE_JSON, json: pkg },
    { file: SCHEMA, json: schema },
  ];
}

/** @param {unknown} json */
const format = (json) => `${JSON.stringify(json, null, 2)}\n`;

if (require.main === module) {
  const server = process.argv[2];
  if (!server) {
    console.error('usage: node scripts/rules.js path/to/transcript-ls');
    process.exit(2);
  }
  for (const { file, json } of regenerate(serverRules(server))) {
    fs.writeFileSync(file, format(json));
    console.log(`wrote ${path.relative(EXTENSION_DIR, file)}`);
  }
}

module.exports = { parseRules, ruleProperties, serverRules, regenerate, format, LEVELS };
