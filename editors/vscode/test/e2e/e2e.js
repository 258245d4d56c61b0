// @ts-check
// End-to-end test of the platform package in a real VS Code: installs the
// .vsix into a fresh code-server profile, serves it on 127.0.0.1, opens a
// workspace in headless Chromium and checks what a user sees. Run by run.sh
// (which installs code-server, puppeteer-core and Node.js 24) as
//
//   node e2e.js path/to/transcript-ls-linux-x64-<version>.vsix
//
// Environment: CHROMIUM (default /usr/bin/chromium), VSCODE_E2E_ARTIFACTS
// (where screenshots and logs go when a check fails; default
// <repo>/target/vscode-e2e), VSCODE_E2E_TIMEOUT_MS (each wait; default 30000),
// VSCODE_E2E_VERBOSE (non-empty: also print what each passing check saw).
//
// To add a check, append an entry to CHECKS: a name and a function of the
// Workbench (workbench.js) that returns what was expected and what was got.
// Settings a check needs go into SETTINGS, or wb.setBooleanSetting() in the check.

'use strict';

const cp = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const puppeteer = require('puppeteer-core');
const { Workbench, settle, filesUnder, TIMEOUT_MS } = require('./workbench');

const HERE = __dirname;
const REPO_ROOT = path.resolve(HERE, '..', '..', '..', '..');
const FIXTURES = path.resolve(HERE, '..', 'fixtures');
const CODE_SERVER = path.join(HERE, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const VERBOSE = Boolean(process.env.VSCODE_E2E_VERBOSE);
const ARTIFACTS = path.resolve(process.env.VSCODE_E2E_ARTIFACTS || path.join(REPO_ROOT, 'target', 'vscode-e2e'));

/** The transcript the checks open: the fixture, with its date in the long form. */
const FILE = 'vientiane-2016.transcript';
const LONG_DATE = 'date: 26 July 2016';
/** A transcript no check opens: its problem can only come from the workspace diagnostics the client pulls. */
const NEVER_OPENED = 'elsewhere.transcript';
const NEVER_OPENED_TEXT = [
  '---',
  'title: Elsewhere',
  'date: 2016-07-27',
  '---',
  '',
  '# Remarks',
  '',
  'Sergey Lavrov: We met [Mr Kerry]{kerry} and [Mr Lavrov]{lavorv}.',
  '',
].join('\n');

/** User settings of the fresh profile: a quiet workbench, nothing fetched. */
const SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'outline.collapseItems': 'alwaysExpand',
  'editor.minimap.enabled': false,
};

/**
 * @typedef {{ ok: boolean, expected: unknown, got: unknown }} Outcome
 * @typedef {{ name: string, run: (wb: Workbench) => Promise<Outcome> }} Check
 */

/** @type {Check[]} */
const CHECKS = [
  {
    name: 'a transcript opened from the Explorer is in the Transcript language mode',
    async run(wb) {
      await wb.openFile(FILE);
      const mode = await settle(() => wb.statusBarText('status.editor.mode'), (m) => m === 'Transcript');
      return { ok: mode === 'Transcript', expected: 'Transcript', got: mode };
    },
  },
  {
    name: 'the server that runs is the one inside the package',
    async run(wb) {
      const want = /^Starting (.*\/server\/transcript-ls) \(from the extension’s server\/ folder\)$/m;
      const log = await settle(() => wb.outputChannelLog('Transcript Language Server'), (text) => want.test(text));
      const started = want.exec(log)?.[1];
      return {
        ok: started !== undefined && started.startsWith(wb.extensions),
        expected: `"Starting …/server/transcript-ls (from the extension’s server/ folder)" under ${wb.extensions}`,
        got: log.trim(),
      };
    },
  },
  {
    name: 'word wrap is on for transcripts: the long title wraps',
    async run(wb) {
      // Line 2 (the title) goes on over several view lines without a number.
      const wraps = (/** @type {string[]} */ g) => g.includes('2') && g[g.indexOf('2') + 1] === '';
      const gutter = await settle(() => wb.gutterNumbers(), wraps);
      return {
        ok: wraps(gutter),
        expected: 'line number 2 followed by an unnumbered continuation line',
        got: gutter.slice(0, 8),
      };
    },
  },
  {
    name: 'the Problems panel shows the invalid-date diagnostic with its message',
    async run(wb) {
      const want = '`26 July 2016` is not a date in the form YYYY-MM-DD';
      const shown = (/** @type {string[]} */ rows) => rows.some((row) => row.includes(want) && row.includes('invalid-date'));
      const rows = await settle(() => wb.problems(), shown);
      return {
        ok: shown(rows),
        expected: `a row with "${want}" and the code invalid-date`,
        got: rows,
      };
    },
  },
  {
    name: 'the Problems panel shows the problem of a transcript never opened (workspace diagnostics, pulled)',
    async run(wb) {
      const want = 'unknown entity `lavorv`';
      const shown = (/** @type {string[]} */ rows) =>
        rows.some((row) => row.includes(NEVER_OPENED)) && rows.some((row) => row.includes(want) && row.includes('unknown-entity'));
      const rows = await settle(() => wb.problems(), shown);
      return {
        ok: shown(rows),
        expected: `a row for ${NEVER_OPENED} and a row with "${want}" and the code unknown-entity`,
        got: rows,
      };
    },
  },
  {
    name: 'the Outline shows the sections and the numbered questions',
    async run(wb) {
      const rows = await settle(() => wb.outline(), (r) => r.some((row) => row.name.startsWith('Q2 · ')));
      const level = (/** @type {string} */ prefix) => rows.find((r) => r.name.startsWith(prefix))?.level;
      const sections = ['metadata', 'Opening remarks', 'Questions and answers'];
      const sectionLevel = level('Questions and answers');
      return {
        ok:
          sections.every((s) => level(s) === 1) &&
          sectionLevel !== undefined &&
          level('Q1 · ') === sectionLevel + 1 &&
          level('Q2 · ') === sectionLevel + 1,
        expected: `${sections.join(', ')} at level 1; "Q1 · …" and "Q2 · …" under "Questions and answers"`,
        got: rows.map((r) => `${r.level}: ${r.name}`),
      };
    },
  },
  {
    name: 'a hover on a mention shows the entity from transcripts.json',
    async run(wb) {
      await wb.openFile(FILE);
      const { line, column } = positionOf(fs.readFileSync(path.join(wb.workspace, FILE), 'utf8'), '{kerry}', 2);
      await wb.goTo(line, column);
      const text = await wb.hoverAtCursor();
      const wanted = ['John Kerry', 'US Secretary of State (2013-2017)'];
      return {
        ok: wanted.every((w) => text.includes(w)),
        expected: `a hover with ${wanted.map((w) => `"${w}"`).join(' and ')} (at ${line}:${column})`,
        got: text,
      };
    },
  },
  {
    name: 'the quick fix rewrites the long-form date as YYYY-MM-DD',
    async run(wb) {
      await wb.openFile(FILE);
      await wb.goTo(3, 8);
      const { applied, titles } = await wb.applyQuickFix('2016-07-26');
      if (!applied) {
        return { ok: false, expected: 'a quick fix offering 2016-07-26', got: titles };
      }
      await wb.runCommand('File: Save');
      const file = path.join(wb.workspace, FILE);
      const line = await settle(() => fs.readFileSync(file, 'utf8').split('\n')[2], (l) => l === 'date: 2016-07-26');
      return { ok: line === 'date: 2016-07-26', expected: 'date: 2016-07-26 on line 3 of the saved file', got: { line, offered: titles } };
    },
  },
  {
    name: 'code lenses count the turns and words of the declared speaker and the questions of a section',
    async run(wb) {
      await wb.openFile(FILE);
      const shown = (/** @type {string[]} */ lenses) => lenses.some((l) => /^\d+ turns · \d+ words$/.test(l)) && lenses.includes('0 questions');
      const lenses = await settle(() => wb.codeLenses(), shown);
      return {
        ok: shown(lenses),
        expected: '"N turns · M words" (above speaker:) and "0 questions" (above # Opening remarks)',
        got: lenses,
      };
    },
  },
  {
    name: "inlay hints: the entity's name after [ASEAN]{asean}, the number before a question",
    async run(wb) {
      await wb.openFile(FILE);
      const name = /\[ASEAN\]\{asean\}\s*Association of Southeast Asian Nations\s*’s partnership/;
      const afterMention = await settle(async () => (await wb.editorLines()).join(''), (text) => name.test(text));
      await wb.goTo(positionOf(fs.readFileSync(path.join(wb.workspace, FILE), 'utf8'), 'Question: What was the outcome', 0).line, 1);
      const number = /Q1\s*Question: What was the outcome/;
      const beforeQuestion = await settle(async () => (await wb.editorLines()).join(''), (text) => number.test(text));
      return {
        ok: name.test(afterMention) && number.test(beforeQuestion),
        expected: 'the lines "[ASEAN]{asean} Association of Southeast Asian Nations’s partnership…" and "Q1 Question: What was the outcome…"',
        got: { top: afterMention.slice(0, 1500), atTheQuestion: beforeQuestion.slice(0, 1500) },
      };
    },
  },
  {
    name: 'the lens above an entity of transcripts.json counts its mentions and opens them in the references peek',
    async run(wb) {
      await wb.openFile('transcripts.json');
      const title = 'mentioned 2 times in 2 files';
      const lenses = await settle(() => wb.codeLenses(), (l) => l.includes(title));
      if (!lenses.includes(title)) {
        return { ok: false, expected: `a lens "${title}" (above "kerry")`, got: lenses };
      }
      await wb.clickCodeLens(title);
      const shown = (/** @type {{ meta: string, rows: string[] }} */ p) =>
        p.meta === 'Locations (2)' && [FILE, NEVER_OPENED].every((f) => p.rows.some((r) => r.includes(f)));
      const peek = await settle(() => wb.referencesPeek(), shown);
      await wb.page.keyboard.press('Escape');
      return {
        ok: shown(peek),
        expected: `a references peek "Locations (2)" listing ${FILE} and ${NEVER_OPENED}`,
        got: peek,
      };
    },
  },
  {
    name: 'the setting transcript.codeLens.enable turns the lenses off, and on again',
    async run(wb) {
      await wb.openFile(FILE);
      const speakerLens = (/** @type {string[]} */ lenses) => lenses.some((l) => l.includes('turns ·'));
      const before = await settle(() => wb.codeLenses(), speakerLens);
      await wb.setBooleanSetting('transcript.codeLens.enable', false);
      await wb.openFile(FILE);
      // No lens, and none comes for 3 s (not just before the editor draws them).
      await settle(() => wb.codeLenses(), (l) => l.length === 0);
      const off = await settle(() => wb.codeLenses(), (l) => l.length > 0, 3000);
      await wb.setBooleanSetting('transcript.codeLens.enable', true);
      await wb.openFile(FILE);
      const on = await settle(() => wb.codeLenses(), speakerLens);
      return {
        ok: speakerLens(before) && off.length === 0 && speakerLens(on),
        expected: 'the lens "… turns · …", then no lens with the setting false, then the lens again with true',
        got: { before, off, on },
      };
    },
  },
];

/**
 * 1-based line and column (UTF-16 code units, as VS Code counts them) of the
 * character `offset` code units into the first `needle` of `text`.
 * @param {string} text @param {string} needle @param {number} offset
 */
function positionOf(text, needle, offset) {
  const index = text.indexOf(needle);
  if (index < 0) {
    throw new Error(`the fixture has no ${needle}`);
  }
  const before = text.slice(0, index + offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: before.length - lineStart + 1 };
}

/** A fresh profile, extensions folder, XDG folders and workspace under one temporary folder. */
function makeSandbox() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'transcript-vscode-e2e-'));
  const dirs = {
    root,
    profile: path.join(root, 'profile'),
    extensions: path.join(root, 'extensions'),
    workspace: path.join(root, 'workspace'),
    chrome: path.join(root, 'chrome'),
    home: path.join(root, 'home'),
  };
  for (const d of Object.values(dirs)) {
    fs.mkdirSync(d, { recursive: true });
  }
  fs.mkdirSync(path.join(dirs.profile, 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs.profile, 'User', 'settings.json'), JSON.stringify(SETTINGS, null, 2));

  const transcript = fs.readFileSync(path.join(FIXTURES, FILE), 'utf8');
  const broken = transcript.replace(/^date: 2016-07-26$/m, LONG_DATE);
  if (broken === transcript) {
    throw new Error(`the fixture ${FILE} no longer has "date: 2016-07-26" on a line of its own`);
  }
  fs.writeFileSync(path.join(dirs.workspace, FILE), broken);
  fs.copyFileSync(path.join(FIXTURES, 'transcripts.json'), path.join(dirs.workspace, 'transcripts.json'));
  fs.writeFileSync(path.join(dirs.workspace, NEVER_OPENED), NEVER_OPENED_TEXT);
  return dirs;
}

/**
 * The environment of code-server: XDG folders and HOME inside the sandbox, and
 * an extension gallery on a closed loopback port so that nothing is fetched.
 * @param {string} root
 */
function sandboxEnv(root) {
  /** @type {NodeJS.ProcessEnv} */
  const env = { ...process.env, HOME: path.join(root, 'home') };
  for (const [name, dir] of [
    ['XDG_CONFIG_HOME', 'config'],
    ['XDG_DATA_HOME', 'data'],
    ['XDG_CACHE_HOME', 'cache'],
    ['XDG_STATE_HOME', 'state'],
    ['XDG_RUNTIME_DIR', 'runtime'],
  ]) {
    const full = path.join(root, 'xdg', dir);
    fs.mkdirSync(full, { recursive: true, mode: 0o700 });
    env[name] = full;
  }
  const closed = 'http://127.0.0.1:9';
  env.EXTENSIONS_GALLERY = JSON.stringify({
    serviceUrl: `${closed}/gallery`,
    itemUrl: `${closed}/item`,
    resourceUrlTemplate: `${closed}/resource/{publisher}/{name}/{version}/{path}`,
  });
  return env;
}

/**
 * code-server's own arguments for the sandbox (its config file included, so
 * that it never writes one with a password elsewhere).
 * @param {{ root: string, profile: string, extensions: string }} dirs
 */
function codeServerArgs(dirs) {
  const config = path.join(dirs.root, 'code-server.yaml');
  fs.writeFileSync(config, 'auth: none\ncert: false\n');
  return [CODE_SERVER, '--config', config, '--user-data-dir', dirs.profile, '--extensions-dir', dirs.extensions];
}

/**
 * Installs the .vsix into the fresh profile with code-server's CLI.
 * @param {string} vsix @param {ReturnType<typeof makeSandbox>} dirs @param {NodeJS.ProcessEnv} env
 */
function installExtension(vsix, dirs, env) {
  const out = cp.spawnSync(process.execPath, [...codeServerArgs(dirs), '--install-extension', vsix], {
    env,
    encoding: 'utf8',
    timeout: 120000,
  });
  const text = `${out.stdout}${out.stderr}`;
  if (out.status !== 0 || !/successfully installed/.test(text)) {
    throw new Error(`code-server --install-extension ${vsix} failed (status ${out.status}):\n${text}`);
  }
  const installed = fs.readdirSync(dirs.extensions).filter((d) => d.startsWith('transcript-ls.transcript-ls-'));
  const server = installed.length === 1 ? path.join(dirs.extensions, installed[0], 'server', 'transcript-ls') : '';
  if (!server || !fs.existsSync(server)) {
    throw new Error(`the installed extension has no server/transcript-ls (extensions: ${fs.readdirSync(dirs.extensions).join(', ')})`);
  }
  return server;
}

/**
 * Starts code-server on a free port of 127.0.0.1 and resolves with its address.
 * @param {ReturnType<typeof makeSandbox>} dirs @param {NodeJS.ProcessEnv} env @param {string} logFile
 */
function startCodeServer(dirs, env, logFile) {
  const args = [
    ...codeServerArgs(dirs),
    '--bind-addr', '127.0.0.1:0',
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--disable-proxy',
    '--ignore-last-opened',
    dirs.workspace,
  ];
  const child = cp.spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const log = fs.createWriteStream(logFile);
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const address = new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`code-server did not say where it listens within ${TIMEOUT_MS} ms:\n${seen}`)), TIMEOUT_MS);
    const onData = (/** @type {Buffer} */ chunk) => {
      seen += chunk.toString();
      const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (status ${code}) before listening:\n${seen}`));
    });
  });
  return { child, address: /** @type {Promise<string>} */ (address) };
}

/** @param {string} s */
function slug(s) {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}

/** @param {unknown} v */
function show(v) {
  const s = typeof v === 'string' ? v : JSON.stringify(v, null, 2);
  return s.length > 2000 ? `${s.slice(0, 2000)} …(${s.length} characters)` : s;
}

/**
 * Copies the logs of a failed run (code-server's, and the extension's output
 * channel from the profile) next to the screenshots.
 * @param {ReturnType<typeof makeSandbox>} dirs @param {string} codeServerLog
 */
function keepLogs(dirs, codeServerLog) {
  fs.copyFileSync(codeServerLog, path.join(ARTIFACTS, 'code-server.log'));
  const wanted = (/** @type {string} */ name) => /Transcript Language Server|exthost\.log/.test(name);
  for (const file of filesUnder(path.join(dirs.profile, 'logs'), wanted)) {
    fs.copyFileSync(file, path.join(ARTIFACTS, path.basename(file).replace(/[^\w.-]+/g, '_')));
  }
}

async function main() {
  const vsix = process.argv[2] && path.resolve(process.argv[2]);
  if (!vsix || !fs.existsSync(vsix)) {
    console.error(`usage: node e2e.js path/to/transcript-ls-<target>-<version>.vsix (got ${process.argv[2] ?? 'nothing'})`);
    process.exit(2);
  }
  if (!fs.existsSync(CHROMIUM)) {
    console.error(`e2e.js: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM)`);
    process.exit(2);
  }
  fs.rmSync(ARTIFACTS, { recursive: true, force: true });

  const dirs = makeSandbox();
  const env = sandboxEnv(dirs.root);
  const codeServerLog = path.join(dirs.root, 'code-server.log');
  let passed = 0;
  let failed = 0;
  /** @type {import('child_process').ChildProcess | undefined} */
  let server;
  /** @type {import('puppeteer-core').Browser | undefined} */
  let browser;
  try {
    const bundled = installExtension(vsix, dirs, env);
    console.log(`installed ${path.basename(vsix)} (server: ${path.relative(dirs.root, bundled)})`);

    const started = startCodeServer(dirs, env, codeServerLog);
    server = started.child;
    const url = await started.address;
    console.log(`code-server at ${url}`);

    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      // HOME and XDG_* in the sandbox too: Chromium keeps crash reports there.
      env: env,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${dirs.chrome}`,
        '--window-size=1400,1000',
      ],
      defaultViewport: { width: 1400, height: 1000 },
    });
    const page = await browser.newPage();
    await page.goto(`${url}/?folder=${encodeURIComponent(dirs.workspace)}`, { waitUntil: 'domcontentloaded' });
    const wb = new Workbench(page, dirs);
    await wb.ready();

    for (const [i, check] of CHECKS.entries()) {
      /** @type {Outcome} */
      let outcome;
      try {
        outcome = await check.run(wb);
      } catch (err) {
        outcome = { ok: false, expected: 'the check to run to the end', got: err instanceof Error ? err.stack ?? err.message : String(err) };
      }
      if (outcome.ok) {
        passed++;
        console.log(`ok - ${check.name}`);
        if (VERBOSE) {
          console.log(`  got: ${show(outcome.got)}`);
        }
      } else {
        failed++;
        console.log(`not ok - ${check.name}`);
        console.log(`  expected: ${show(outcome.expected)}`);
        console.log(`  got:      ${show(outcome.got)}`);
        fs.mkdirSync(ARTIFACTS, { recursive: true });
        const shot = path.join(ARTIFACTS, `${i + 1}-${slug(check.name)}.png`);
        await page.screenshot({ path: shot }).then(
          () => console.log(`  screenshot: ${shot}`),
          (err) => console.log(`  (no screenshot: ${err.message})`),
        );
        await page.keyboard.press('Escape');
      }
    }
  } catch (err) {
    failed++;
    console.log(`not ok - the workbench started and the checks ran`);
    console.log(`  ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  } finally {
    await browser?.close().catch(() => undefined);
    if (server?.pid) {
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
    if (failed > 0 && fs.existsSync(codeServerLog)) {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      keepLogs(dirs, codeServerLog);
      console.log(`screenshots and logs: ${ARTIFACTS}`);
    }
    fs.rmSync(dirs.root, { recursive: true, force: true, maxRetries: 3 });
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

if (require.main === module) {
  main();
}

module.exports = { makeSandbox, sandboxEnv, installExtension, startCodeServer, SETTINGS };
