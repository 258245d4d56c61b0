#!/usr/bin/env node
// @ts-check
// Protocol smoke test: drives the REAL transcript-ls binary over stdio with
// vscode-languageserver-protocol, the way the extension's client does.
//
//   TRANSCRIPT_LS=/path/to/transcript-ls node test/smoke/smoke.js
//
// Without TRANSCRIPT_LS it uses ../../target/debug/transcript-ls relative to
// editors/vscode (run `cargo build` at the repository root first).
// SMOKE_TIMEOUT_MS (default 10000) bounds every wait on the server.

'use strict';

const cp = require('child_process');
const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');
const {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
} = require('vscode-languageserver-protocol/node');

const EXTENSION_DIR = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(EXTENSION_DIR, 'test', 'fixtures');
const TIMEOUT_MS = Number(process.env.SMOKE_TIMEOUT_MS) || 10000;
const exe = process.platform === 'win32' ? '.exe' : '';
const SERVER = process.env.TRANSCRIPT_LS
  ? path.resolve(process.env.TRANSCRIPT_LS)
  : path.resolve(EXTENSION_DIR, '..', '..', 'target', 'debug', 'transcript-ls' + exe);

let failures = 0;

/** @param {string} name @param {boolean} ok @param {unknown} expected @param {unknown} got */
function check(name, ok, expected, got) {
  if (ok) {
    console.log(`ok - ${name}`);
  } else {
    failures++;
    console.log(`not ok - ${name}`);
    console.log(`  expected: ${typeof expected === 'string' ? expected : JSON.stringify(expected, null, 2)}`);
    console.log(`  got:      ${typeof got === 'string' ? got : JSON.stringify(got, null, 2)}`);
  }
  return ok;
}

/**
 * @template T
 * @param {Promise<T>} promise
 * @param {string} what
 * @returns {Promise<T>}
 */
function withTimeout(promise, what) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${TIMEOUT_MS} ms waiting for ${what}`)), TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** @param {string} file */
function uriOf(file) {
  return pathToFileURL(file).href;
}

/**
 * The position (0-based line, UTF-16 character) of `offsetInNeedle` inside the
 * first occurrence of `needle` in `text`. JS string indices are UTF-16 code units.
 * @param {string} text @param {string} needle @param {number} offsetInNeedle
 */
function positionOf(text, needle, offsetInNeedle) {
  const index = text.indexOf(needle);
  if (index < 0) {
    throw new Error(`fixture does not contain ${JSON.stringify(needle)}`);
  }
  const before = text.slice(0, index + offsetInNeedle);
  const line = before.split('\n').length - 1;
  const character = before.length - (before.lastIndexOf('\n') + 1);
  return { line, character };
}

/**
 * @typedef {{ name: string, detail?: string, kind: number, children?: Sym[], range?: unknown, selectionRange?: unknown, location?: unknown }} Sym
 * @param {Sym[] | null | undefined} symbols
 * @param {string} indent
 * @returns {string}
 */
function outline(symbols, indent = '') {
  return (symbols ?? [])
    .map((s) => `${indent}${s.name}${s.detail ? ` (${s.detail})` : ''}\n${outline(s.children, indent + '  ')}`)
    .join('');
}

/** @param {unknown} contents @returns {{ markdown: boolean, text: string }} */
function hoverText(contents) {
  if (typeof contents === 'string') {
    return { markdown: true, text: contents }; // a MarkedString string is markdown
  }
  if (Array.isArray(contents)) {
    const parts = contents.map(hoverText);
    return { markdown: parts.every((p) => p.markdown), text: parts.map((p) => p.text).join('\n') };
  }
  if (contents && typeof contents === 'object') {
    const c = /** @type {{ kind?: string, language?: string, value?: string }} */ (contents);
    if (c.kind !== undefined) {
      return { markdown: c.kind === 'markdown', text: String(c.value) };
    }
    return { markdown: true, text: String(c.value) }; // { language, value }
  }
  return { markdown: false, text: String(contents) };
}

async function main() {
  if (!fs.existsSync(SERVER)) {
    console.error(
      `not ok - the transcript-ls binary was not found at ${SERVER}.\n` +
        '  Run `cargo build` at the repository root first, or set TRANSCRIPT_LS to the binary.',
    );
    process.exit(1);
  }
  console.log(`# server: ${SERVER}`);

  const child = cp.spawn(SERVER, [], { cwd: FIXTURES, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d.toString();
  });
  /** @type {Promise<{ code: number | null, signal: NodeJS.Signals | null }>} */
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  /** @type {Promise<never>} */
  const spawnFailed = new Promise((_, reject) => child.on('error', reject));
  spawnFailed.catch(() => undefined);

  const connection = createProtocolConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );

  /** @type {string[]} */
  const logs = [];
  connection.onNotification('window/logMessage', (p) => logs.push(`log: ${p.message}`));
  connection.onNotification('window/showMessage', (p) => logs.push(`showMessage: ${p.message}`));

  /** @type {Map<string, { version?: number, diagnostics: any[] }[]>} */
  const published = new Map();
  /** @type {(() => void)[]} */
  let publishWaiters = [];
  connection.onNotification('textDocument/publishDiagnostics', (p) => {
    const list = published.get(p.uri) ?? [];
    list.push({ version: p.version, diagnostics: p.diagnostics });
    published.set(p.uri, list);
    const waiters = publishWaiters;
    publishWaiters = [];
    waiters.forEach((w) => w());
  });
  /**
   * Resolves with the first publish for `uri`, at index `from` or later, that satisfies `predicate`.
   * @param {string} uri @param {number} from @param {(p: { version?: number, diagnostics: any[] }) => boolean} predicate
   * @returns {Promise<{ version?: number, diagnostics: any[] }>}
   */
  function waitForPublish(uri, from, predicate) {
    return new Promise((resolve) => {
      const look = () => {
        const list = published.get(uri) ?? [];
        const found = list.slice(from).find(predicate);
        if (found) {
          resolve(found);
        } else {
          publishWaiters.push(look);
        }
      };
      look();
    });
  }

  const folderUri = uriOf(FIXTURES);
  const workspaceFolders = [{ uri: folderUri, name: 'fixtures' }];
  // Requests a server may send to its client: answer them as VS Code would, minimally.
  connection.onRequest('workspace/configuration', (/** @type {{ items?: unknown[] }} */ params) =>
    (params?.items ?? []).map(() => null),
  );
  connection.onRequest('workspace/workspaceFolders', () => workspaceFolders);
  connection.onRequest('workspace/applyEdit', () => ({ applied: false }));
  for (const method of [
    'client/registerCapability',
    'client/unregisterCapability',
    'window/workDoneProgress/create',
    'window/showMessageRequest',
    'workspace/semanticTokens/refresh',
    'workspace/inlayHint/refresh',
    'workspace/codeLens/refresh',
    'workspace/diagnostic/refresh',
  ]) {
    connection.onRequest(method, () => null);
  }
  connection.onError(([err]) => logs.push(`connection error: ${err.message}`));
  connection.listen();

  /**
   * @template T
   * @param {string} method @param {unknown} [params] (none for `shutdown`)
   * @returns {Promise<T>}
   */
  const request = (method, params) =>
    withTimeout(
      Promise.race([params === undefined ? connection.sendRequest(method) : connection.sendRequest(method, params), spawnFailed]),
      `the response to ${method}`,
    );

  try {
    /** @type {any} */
    const init = await request('initialize', {
      processId: process.pid,
      clientInfo: { name: 'transcript-ls smoke test' },
      rootUri: folderUri,
      workspaceFolders,
      capabilities: {
        general: { positionEncodings: ['utf-16'] },
        workspace: { configuration: true, workspaceFolders: true },
        textDocument: {
          synchronization: { dynamicRegistration: false, didSave: true },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true },
        },
      },
    });
    check('initialize returns server capabilities', !!init?.capabilities, 'an InitializeResult with capabilities', init);
    console.log(`# server: ${init?.serverInfo?.name ?? '?'} ${init?.serverInfo?.version ?? ''}`);
    await connection.sendNotification('initialized', {});

    // (a) outline of the example transcript
    const file = path.join(FIXTURES, 'vientiane-2016.transcript');
    const text = fs.readFileSync(file, 'utf8');
    const uri = uriOf(file);
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'transcript', version: 1, text },
    });

    /** @type {Sym[] | null} */
    const symbols = await request('textDocument/documentSymbol', { textDocument: { uri } });
    const tree = outline(symbols);
    const hierarchical = Array.isArray(symbols) && symbols.length > 0 && symbols.every((s) => s.location === undefined && s.range !== undefined);
    check('documentSymbol returns hierarchical DocumentSymbol[]', hierarchical, 'DocumentSymbol[] (with range/children, not SymbolInformation)', symbols);
    const top = symbols ?? [];
    check('outline has a top-level `metadata` symbol', top.some((s) => s.name === 'metadata'), 'a top-level symbol named "metadata"', tree);
    check('outline has the section `Opening remarks`', top.some((s) => s.name === 'Opening remarks'), 'a top-level symbol named "Opening remarks"', tree);
    const qa = top.find((s) => s.name === 'Questions and answers');
    if (check('outline has the section `Questions and answers`', !!qa, 'a top-level symbol named "Questions and answers"', tree)) {
      for (const prefix of ['Q1 · ', 'Q2 · ']) {
        const q = (qa?.children ?? []).find((c) => c.name.startsWith(prefix));
        if (check(`"Questions and answers" has a child starting with "${prefix}"`, !!q, `a child of "Questions and answers" named "${prefix}…"`, tree)) {
          check(
            `question "${q?.name}" has an answer named "Sergey Lavrov"`,
            (q?.children ?? []).some((c) => c.name === 'Sergey Lavrov'),
            `a child of "${q?.name}" named "Sergey Lavrov"`,
            tree,
          );
        }
      }
    }

    // (b) hover on the {kerry} mention
    const kerryRef = positionOf(text, '[John Kerry]{kerry}', '[John Kerry]{'.length + 2);
    /** @type {any} */
    const hover = await request('textDocument/hover', { textDocument: { uri }, position: kerryRef });
    const shown = hoverText(hover?.contents);
    check(
      `hover at ${kerryRef.line}:${kerryRef.character} (inside {kerry}) shows markdown with "John Kerry"`,
      !!hover && shown.markdown && shown.text.includes('John Kerry'),
      'a Hover with markdown contents containing "John Kerry"',
      hover,
    );
    const kerrySurface = positionOf(text, '[John Kerry]{kerry}', 3);
    /** @type {any} */
    const hover2 = await request('textDocument/hover', { textDocument: { uri }, position: kerrySurface });
    check(
      `hover at ${kerrySurface.line}:${kerrySurface.character} (inside [John Kerry]) shows "John Kerry"`,
      !!hover2 && hoverText(hover2.contents).text.includes('John Kerry'),
      'a Hover containing "John Kerry"',
      hover2,
    );

    // (d) code lenses: the speaker's turns and words, the section's questions
    /** @type {any[] | null} */
    const lenses = await request('textDocument/codeLens', { textDocument: { uri } });
    const titles = (lenses ?? []).map((l) => `${l.range.start.line}: ${l.command?.title}`);
    const speakerLine = positionOf(text, 'speaker: Sergey Lavrov', 0).line;
    const qaLine = positionOf(text, '# Questions and answers', 0).line;
    const speakerLens = (lenses ?? []).find((l) => l.range.start.line === speakerLine);
    check(
      'a code lens above the speaker: line counts the turns and words, and opens them',
      /^\d+ turns · \d+ words$/.test(speakerLens?.command?.title ?? '') && speakerLens?.command?.command === 'transcript.showReferences',
      `"N turns · M words" on line ${speakerLine} with the command transcript.showReferences`,
      lenses,
    );
    const turns = Number(/^(\d+) turns/.exec(speakerLens?.command?.title ?? '')?.[1]);
    const [lensUri, lensPosition] = speakerLens?.command?.arguments ?? [];
    /** @type {any[] | null} */
    const turnRefs = lensUri
      ? await request('textDocument/references', { textDocument: { uri: lensUri }, position: lensPosition, context: { includeDeclaration: false } })
      : null;
    check(
      "the speaker lens's command opens as many references as the lens counts turns",
      lensUri === uri && turns > 0 && turnRefs?.length === turns,
      `${turns} references (the lens's turns) at the lens's [uri, position]`,
      { arguments: speakerLens?.command?.arguments, references: turnRefs },
    );
    check(
      'a code lens above "# Questions and answers" counts its 2 questions',
      titles.includes(`${qaLine}: 2 questions`),
      `"${qaLine}: 2 questions"`,
      titles,
    );

    // (e) inlay hints: the entity's name after [ASEAN]{asean}, the number before each question
    /** @type {any[] | null} */
    const hints = await request('textDocument/inlayHint', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: text.split('\n').length, character: 0 } },
    });
    /** @param {any} h */
    const label = (h) => (typeof h.label === 'string' ? h.label : h.label.map((/** @type {any} */ p) => p.value).join(''));
    const shownHints = (hints ?? []).map((h) => `${h.position.line}:${h.position.character} ${label(h)}`);
    const afterAsean = positionOf(text, '[ASEAN]{asean}', '[ASEAN]{asean}'.length);
    const firstQuestion = positionOf(text, 'Question: What was the outcome', 0);
    check(
      'inlay hints: "Association of Southeast Asian Nations" after [ASEAN]{asean}, "Q1" before the first question',
      shownHints.includes(`${afterAsean.line}:${afterAsean.character} Association of Southeast Asian Nations`) &&
        shownHints.includes(`${firstQuestion.line}:${firstQuestion.character} Q1`),
      [`${afterAsean.line}:${afterAsean.character} Association of Southeast Asian Nations`, `${firstQuestion.line}:${firstQuestion.character} Q1`],
      shownHints,
    );

    // (f) the registry's lens above an entity, and the references its command asks for
    const registryFile = path.join(FIXTURES, 'transcripts.json');
    const registryText = fs.readFileSync(registryFile, 'utf8');
    const registryUri = uriOf(registryFile);
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: registryUri, languageId: 'json', version: 1, text: registryText },
    });
    /** @type {any[] | null} */
    const registryLenses = await request('textDocument/codeLens', { textDocument: { uri: registryUri } });
    const kerryLine = positionOf(registryText, '"kerry":', 0).line;
    const kerryLens = (registryLenses ?? []).find((l) => l.range.start.line === kerryLine);
    const args = kerryLens?.command?.arguments ?? [];
    if (
      check(
        'the registry lens above "kerry" says where it is mentioned and opens the references at the entity',
        kerryLens?.command?.title === 'mentioned once in 1 file' &&
          kerryLens.command.command === 'transcript.showReferences' &&
          args[0] === registryUri &&
          args[1]?.line === kerryLine,
        `"mentioned once in 1 file" on line ${kerryLine}, command transcript.showReferences with [${registryUri}, a position on line ${kerryLine}]`,
        registryLenses,
      )
    ) {
      // What the extension's transcript.showReferences asks, then shows.
      /** @type {any[] | null} */
      const refs = await request('textDocument/references', {
        textDocument: { uri: args[0] },
        position: args[1],
        context: { includeDeclaration: false },
      });
      check(
        "the lens's position has the one mention as its reference",
        refs?.length === 1 && refs[0].uri === uri && refs[0].range.start.line === kerryRef.line,
        `one location in ${uri} on line ${kerryRef.line}`,
        refs,
      );
    }

    // (g) the setting transcript.codeLens.enable, as VS Code sends it when it changes
    await connection.sendNotification('workspace/didChangeConfiguration', {
      settings: { transcript: { codeLens: { enable: false }, inlayHints: { enable: true }, rules: {} } },
    });
    /** @type {unknown} */
    let noLenses;
    try {
      noLenses = await withTimeout(
        (async () => {
          for (;;) {
            /** @type {any[] | null} */
            const now = await request('textDocument/codeLens', { textDocument: { uri } });
            if (!now?.length) {
              return now;
            }
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        })(),
        'no code lenses after codeLens.enable: false',
      );
    } catch (err) {
      noLenses = String(err);
    }
    check('with transcript.codeLens.enable false, no code lenses', Array.isArray(noLenses) && noLenses.length === 0, [], noLenses);

    // (c) diagnostics for an impossible date, then fixed
    const badFile = path.join(FIXTURES, 'smoke-invalid-date.transcript'); // exists only in the editor
    const badUri = uriOf(badFile);
    const badText = ['---', 'title: Smoke test', 'date: 2016-02-30', '---', '', '# Remarks', '', 'Sergey Lavrov: Hello.', ''].join('\n');
    /** @param {any} d */
    const isInvalidDate = (d) => d.code === 'invalid-date';
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: badUri, languageId: 'transcript', version: 1, text: badText },
    });
    let invalid;
    try {
      invalid = await withTimeout(
        waitForPublish(badUri, 0, (p) => p.diagnostics.some(isInvalidDate)),
        'publishDiagnostics with invalid-date',
      );
    } catch (err) {
      check('publishDiagnostics reports invalid-date for date: 2016-02-30', false, 'a diagnostic with code "invalid-date"', {
        error: String(err),
        publishedForThisUri: published.get(badUri) ?? [],
      });
    }
    if (invalid) {
      const d = invalid.diagnostics.find(isInvalidDate);
      check(
        'the invalid-date diagnostic has source "transcript-ls" and is on line 2',
        d.source === 'transcript-ls' && d.range?.start?.line === 2 && d.range?.end?.line === 2,
        'source "transcript-ls", range on line 2 (0-based)',
        d,
      );
    }

    const before = (published.get(badUri) ?? []).length;
    await connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: badUri, version: 2 },
      contentChanges: [{ text: badText.replace('2016-02-30', '2016-02-29') }],
    });
    try {
      const next = await withTimeout(
        waitForPublish(badUri, before, (p) => p.version === undefined || p.version === null || p.version >= 2),
        'publishDiagnostics after didChange',
      );
      check(
        'after fixing the date, the next publish has no invalid-date',
        !next.diagnostics.some(isInvalidDate),
        'no diagnostic with code "invalid-date"',
        next,
      );
    } catch (err) {
      check('a publishDiagnostics follows didChange', false, 'a publishDiagnostics notification for the changed document', String(err));
    }

    const fixtureDiags = (published.get(uri) ?? []).slice(-1)[0]?.diagnostics ?? [];
    console.log(`# the example transcript has ${fixtureDiags.length} diagnostic(s)${fixtureDiags.length ? ':' : ''}`);
    for (const d of fixtureDiags) {
      console.log(`#   ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}`);
    }

    // shutdown / exit
    await request('shutdown');
    await connection.sendNotification('exit');
    try {
      const { code, signal } = await withTimeout(exited, 'the server to exit after shutdown/exit');
      check('the server exits with code 0 after shutdown and exit', code === 0, 'exit code 0', { code, signal });
    } catch (err) {
      check('the server exits after shutdown and exit', false, 'the process to exit', String(err));
    }
  } catch (err) {
    failures++;
    console.log(`not ok - ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    connection.dispose();
    if (!hasExited) {
      child.kill('SIGKILL');
    }
  }

  if (failures > 0) {
    if (logs.length) {
      console.log('# server messages:\n' + logs.map((l) => `#   ${l}`).join('\n'));
    }
    if (stderr.trim()) {
      console.log('# server stderr (last 40 lines):\n' + stderr.trimEnd().split('\n').slice(-40).map((l) => `#   ${l}`).join('\n'));
    }
    console.log(`# ${failures} check(s) failed`);
    process.exit(1);
  }
  console.log('# all checks passed');
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
