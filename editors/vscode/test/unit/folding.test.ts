import * as assert from 'node:assert/strict';
import { test } from 'node:test';

import { computeFolds } from '../../src/folding';

test('header block and nested sections fold, without trailing blank lines', () => {
  const text = [
    '---', //           0
    'title: T', //      1
    'date: 2016-07-26', // 2
    '---', //           3
    '', //              4
    '# One', //         5
    '', //              6
    'Text.', //         7
    '', //              8
    '## One.a', //      9
    'More.', //         10
    '', //              11
    '# Two', //         12
    '#notaheading', //  13
    'Question: Why?', // 14
    '', //              15
  ].join('\r\n');
  assert.deepEqual(computeFolds(text), [
    { start: 0, end: 3, kind: 'region' },
    { start: 5, end: 10 },
    { start: 9, end: 10 },
    { start: 12, end: 14 },
  ]);
});

test('an unclosed header does not fold; an empty section does not fold', () => {
  assert.deepEqual(computeFolds('---\ntitle: T\n# A\n# B\nx\n'), [{ start: 3, end: 4 }]);
});
