// @ts-check
// What a user does in VS Code's workbench, done through the page of a
// code-server in headless Chromium (puppeteer-core): open a file from the
// Explorer, run a command from the palette, go to a position, click a code
// lens, set a setting, and read the status bar, the Problems panel, the
// Outline, a hover, the code lenses, the references peek and the editor's
// lines (inlay hints included).
// Every read waits (up to a timeout) for the workbench to show what is asked.

'use strict';

const fs = require('fs');
const path = require('path');

const TIMEOUT_MS = Number(process.env.VSCODE_E2E_TIMEOUT_MS) || 30000;

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` until it returns something other than undefined.
 * @template T
 * @param {string} what what is awaited, for the error message
 * @param {() => Promise<T | undefined>} probe
 * @param {number} [timeoutMs]
 * @returns {Promise<T>}
 */
async function waitFor(what, probe, timeoutMs = TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) {
        return value;
      }
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await sleep(250);
  }
}

/**
 * The files below `dir` (none when it does not exist) whose names `wanted` accepts.
 * @param {string} dir @param {(name: string) => boolean} wanted
 * @returns {string[]}
 */
function filesUnder(dir, wanted) {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return filesUnder(full, wanted);
    }
    return wanted(entry.name) ? [full] : [];
  });
}

/**
 * Reads until `accept` takes what was read, or the timeout: for a check that
 * reports what it saw last even when it was not what it waited for.
 * @template T
 * @param {() => Promise<T> | T} read
 * @param {(value: T) => boolean} accept
 * @param {number} [timeoutMs]
 * @returns {Promise<T>}
 */
async function settle(read, accept, timeoutMs = TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value) || Date.now() > deadline) {
      return value;
    }
    await sleep(250);
  }
}

class Workbench {
  /**
   * @param {import('puppeteer-core').Page} page
   * @param {{ profile: string, extensions: string, workspace: string }} dirs code-server's user data
   *   and extensions folders, and the folder opened in the workbench
   */
  constructor(page, dirs) {
    this.page = page;
    this.profile = dirs.profile;
    this.extensions = dirs.extensions;
    this.workspace = dirs.workspace;
    this.settingsFile = path.join(dirs.profile, 'User', 'settings.json');
  }

  /** Waits for the workbench and the Explorer of the opened folder. */
  async ready() {
    await this.page.waitForSelector('.monaco-workbench', { timeout: TIMEOUT_MS * 2 });
    await waitFor('the Explorer to list the workspace', async () =>
      (await this.explorerRows()).length > 0 ? true : undefined,
    TIMEOUT_MS * 2);
  }

  /** The names of the Explorer's rows. */
  async explorerRows() {
    return this.page.$$eval('.explorer-folders-view .monaco-list-row', (rows) =>
      rows.map((r) => r.querySelector('.label-name')?.textContent ?? ''),
    );
  }

  /**
   * Opens a file as a user does: a double-click on its Explorer row.
   * @param {string} name
   */
  async openFile(name) {
    const row = await waitFor(`the Explorer row ${name}`, async () => {
      for (const handle of await this.page.$$('.explorer-folders-view .monaco-list-row')) {
        const label = await handle.$eval('.label-name', (e) => e.textContent).catch(() => null);
        if (label === name) {
          return handle;
        }
        await handle.dispose();
      }
      return undefined;
    });
    await row.click({ count: 2 });
    await row.dispose();
    await waitFor(`the active editor tab to be ${name}`, async () => {
      const active = await this.page
        .$eval('.tabs-container .tab.active', (e) => e.getAttribute('data-resource-name'))
        .catch(() => null);
      return active === name ? true : undefined;
    });
  }

  /**
   * Presses a chord such as "Control+Shift+M" (then the next, for "Control+K Control+I").
   * @param {string} keys
   */
  async press(keys) {
    for (const chord of keys.split(' ')) {
      const parts = chord.split('+');
      const key = /** @type {import('puppeteer-core').KeyInput} */ (parts.pop());
      const mods = /** @type {import('puppeteer-core').KeyInput[]} */ (parts);
      for (const m of mods) {
        await this.page.keyboard.down(m);
      }
      await this.page.keyboard.press(key);
      for (const m of mods.reverse()) {
        await this.page.keyboard.up(m);
      }
    }
  }

  /**
   * Runs a command from the Command Palette by its title, as listed there.
   * @param {string} title
   */
  async runCommand(title) {
    await this.press('Control+Shift+P');
    const input = await this.page.waitForSelector('.quick-input-widget .quick-input-box input', { visible: true, timeout: TIMEOUT_MS });
    await input?.type(title);
    await waitFor(`the palette entry "${title}"`, async () => {
      const labels = await this.page.$$eval('.quick-input-widget .quick-input-list .monaco-list-row', (rows) =>
        rows.map((r) => (r.getAttribute('aria-label') ?? '').trim()),
      );
      return labels.some((l) => l === title || l.startsWith(`${title},`) || l.startsWith(`${title} `)) ? true : undefined;
    });
    await this.page.keyboard.press('Enter');
    await this.page.waitForSelector('.quick-input-widget', { hidden: true, timeout: TIMEOUT_MS });
  }

  /**
   * Moves the cursor of the active editor (1-based line and column, as the
   * status bar counts them) with Go to Line/Column.
   * @param {number} line @param {number} column
   */
  async goTo(line, column) {
    await this.press('Control+G');
    const input = await this.page.waitForSelector('.quick-input-widget .quick-input-box input', { visible: true, timeout: TIMEOUT_MS });
    await input?.type(`${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await waitFor(`the cursor at Ln ${line}, Col ${column}`, async () => {
      const text = await this.statusBarText('status.editor.selection');
      return text === `Ln ${line}, Col ${column}` ? true : undefined;
    });
  }

  /**
   * The text of a status bar entry, by its id (`status.editor.mode`, …).
   * @param {string} id
   * @returns {Promise<string | undefined>}
   */
  async statusBarText(id) {
    return this.page.$$eval(
      '.statusbar-item',
      (items, wanted) => {
        const item = items.find((i) => i.id === wanted);
        return item ? (item.textContent ?? '').trim() : undefined;
      },
      id,
    );
  }

  /** The rows of the Problems panel (opened if need be): their accessible text. */
  async problems() {
    if (!(await this.page.$('.markers-panel'))) {
      await this.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    }
    await this.page.waitForSelector('.markers-panel', { visible: true, timeout: TIMEOUT_MS });
    return this.page.$$eval('.markers-panel .monaco-list-row', (rows) =>
      rows.map((r) => (r.textContent ?? '').replace(/\s+/g, ' ').trim()),
    );
  }

  /** The rows of the Outline view (focused, so expanded as set): name and depth. */
  async outline() {
    await this.runCommand('Explorer: Focus on Outline View');
    return this.page.$$eval('.outline-pane .monaco-list-row', (rows) =>
      rows.map((r) => ({
        name: r.querySelector('.label-name')?.textContent ?? '',
        level: Number(r.getAttribute('aria-level')),
      })),
    );
  }

  /** Shows the hover at the cursor and returns its text once it has some. */
  async hoverAtCursor() {
    await this.runCommand('Show or Focus Hover');
    return waitFor('a hover with text', async () => {
      const text = await this.page
        .$eval('.monaco-hover:not(.hidden) .monaco-hover-content', (e) => (e.textContent ?? '').trim())
        .catch(() => '');
      return text !== '' ? text : undefined;
    });
  }

  /**
   * Opens the Quick Fix menu at the cursor and applies the first action whose
   * title contains `wanted`. Returns the titles that were offered.
   * @param {string} wanted
   */
  async applyQuickFix(wanted) {
    await this.runCommand('Quick Fix...');
    const titles = await waitFor('the Quick Fix menu', async () => {
      const rows = await this.page.$$eval('.action-widget .monaco-list-row.action', (rs) =>
        rs.map((r) => (r.textContent ?? '').trim()),
      );
      return rows.length > 0 ? rows : undefined;
    });
    const index = titles.findIndex((t) => t.includes(wanted));
    if (index < 0) {
      await this.page.keyboard.press('Escape');
      return { applied: false, titles };
    }
    const rows = await this.page.$$('.action-widget .monaco-list-row.action');
    await rows[index].click();
    await this.page.waitForSelector('.action-widget', { hidden: true, timeout: TIMEOUT_MS });
    return { applied: true, titles };
  }

  /** The titles of the code lenses the active editor shows (those of one line joined by " | "). */
  async codeLenses() {
    return this.page.$$eval('.editor-instance .monaco-editor .codelens-decoration', (lenses) =>
      lenses.map((l) => (l.textContent ?? '').replace(/\u00a0/g, ' ').trim()).filter((t) => t !== ''),
    );
  }

  /**
   * Clicks the code lens with this title in the active editor, as a user
   * does (again if the editor drew its lenses anew under the pointer).
   * @param {string} title
   */
  async clickCodeLens(title) {
    await waitFor(`a click on the code lens "${title}"`, async () => {
      for (const handle of await this.page.$$('.editor-instance .monaco-editor .codelens-decoration a')) {
        try {
          if ((await handle.evaluate((a) => (a.textContent ?? '').replace(/\u00a0/g, ' ').trim())) === title) {
            await handle.click();
            return true;
          }
        } finally {
          await handle.dispose();
        }
      }
      return undefined;
    });
  }

  /**
   * The references peek of the active editor: its title (`Locations (2)`)
   * and the rows of its tree (files, then their references); empty while
   * none is shown.
   */
  async referencesPeek() {
    return this.page.$$eval('.monaco-editor .peekview-widget', (widgets) => {
      const peek = widgets.find((w) => w.querySelector('.ref-tree'));
      return {
        meta: (peek?.querySelector('.peekview-title .meta')?.textContent ?? '').trim(),
        rows: Array.from(peek?.querySelectorAll('.ref-tree .monaco-list-row') ?? []).map((r) => (r.textContent ?? '').replace(/\s+/g, ' ').trim()),
      };
    });
  }

  /** The text of the active editor's rendered lines, top to bottom. */
  async editorLines() {
    return this.page.$$eval('.editor-instance .monaco-editor .view-lines .view-line', (lines) =>
      lines
        .map((l) => ({ top: parseFloat(/** @type {HTMLElement} */ (l).style.top), text: (l.textContent ?? '').replace(/\u00a0/g, ' ') }))
        .sort((a, b) => a.top - b.top)
        .map((l) => l.text),
    );
  }

  /** The line numbers in the gutter of the active editor, top to bottom ('' on a wrapped line's continuation). */
  async gutterNumbers() {
    return this.page.$$eval('.editor-instance .monaco-editor .margin-view-overlays > div', (rows) =>
      rows
        .map((r) => ({ top: parseFloat(/** @type {HTMLElement} */ (r).style.top), text: (r.querySelector('.line-numbers')?.textContent ?? '').trim() }))
        .sort((a, b) => a.top - b.top)
        .map((r) => r.text),
    );
  }

  /**
   * What an extension wrote to its output channel, from the log file VS Code
   * keeps of it in the profile ('' while there is none).
   * @param {string} channel the channel's name
   */
  outputChannelLog(channel) {
    return filesUnder(path.join(this.profile, 'logs'), (name) => name.endsWith(`${channel}.log`))
      .map((file) => fs.readFileSync(file, 'utf8'))
      .join('');
  }

  /**
   * Sets a boolean setting as a user does in the Settings editor (a modal
   * editor in this VS Code): searched for by its id, its checkbox clicked
   * (when it is not already as wanted), and closed once VS Code has written
   * the change to settings.json (at the default value it takes the key out).
   * (A write to settings.json from outside is not seen by code-server's
   * workbench once it runs.)
   * @param {string} id @param {boolean} value
   */
  async setBooleanSetting(id, value) {
    await this.runCommand('Preferences: Open Settings (UI)');
    const search = await this.page.waitForSelector('.settings-editor .suggest-input-container', { visible: true, timeout: TIMEOUT_MS });
    await search?.click();
    await this.page.keyboard.type(`@id:${id}`);
    const box = `.settings-editor .setting-value-checkbox[aria-label="${id}"]`;
    const checked = async () => this.page.$eval(box, (b) => b.getAttribute('aria-checked')).catch(() => null);
    const now = await waitFor(`the setting ${id} in the Settings editor`, async () => (await checked()) ?? undefined);
    if (now !== String(value)) {
      const saved = () => JSON.stringify(JSON.parse(fs.readFileSync(this.settingsFile, 'utf8'))[id]);
      const before = saved();
      await this.page.click(box);
      await waitFor(`${id} to be ${value}`, async () => ((await checked()) === String(value) ? true : undefined));
      await waitFor(`${id} to be written to settings.json`, async () => (saved() !== before ? true : undefined));
    }
    await this.page.click('.monaco-modal-editor-block .action-label[aria-label^="Close Modal Editor"]');
    await this.page.waitForSelector('.settings-editor', { hidden: true, timeout: TIMEOUT_MS });
  }
}

module.exports = { Workbench, waitFor, settle, filesUnder, TIMEOUT_MS };
