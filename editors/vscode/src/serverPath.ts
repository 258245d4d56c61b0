// Finding the transcript-ls executable. Kept free of the `vscode` module so
// that it can be unit-tested with plain Node (test/unit/serverPath.test.js).

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Where the executable was found. */
export type ServerSource = 'setting' | 'bundled' | 'path';

export type Resolution =
  | { ok: true; command: string; source: ServerSource }
  | { ok: false; message: string };

export interface ResolveOptions {
  /** The value of `transcript.server.path` (may be empty or undefined). */
  configured?: string;
  /** The extension's install folder (holds `server/`). */
  extensionPath: string;
  /** The first workspace folder, to resolve a relative configured path. */
  workspaceFolder?: string;
  /** Defaults to `process.platform`. */
  platform?: NodeJS.Platform;
  /** Defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Defaults to a check with `fs.statSync`. */
  isExecutableFile?: (file: string) => boolean;
}

export const INSTALL_HINT =
  'Install it with `cargo install --path .` in a checkout of the transcript-ls repository ' +
  '(or put a release binary on your PATH), or set `transcript.server.path` to the executable.';

/** The executable's file name on `platform`. */
export function binaryName(platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? 'transcript-ls.exe' : 'transcript-ls';
}

function defaultIsExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    if (process.platform !== 'win32') {
      fs.accessSync(file, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

/** `~` and `~/…` expanded to the home directory. */
export function expandHome(p: string, home: string = os.homedir()): string {
  if (p === '~') {
    return home;
  }
  if (p.startsWith('~/') || p.startsWith('~\\')) {
    return path.join(home, p.slice(2));
  }
  return p;
}

/** Looks `name` up in the `PATH` of `env` (with `PATHEXT` on Windows). */
export function findOnPath(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  isExecutableFile: (file: string) => boolean = defaultIsExecutableFile,
): string | undefined {
  const pathApi = platform === 'win32' ? path.win32 : path.posix;
  // On Windows the variable may be spelled `Path`.
  const pathVar = Object.keys(env).find((k) => (platform === 'win32' ? k.toUpperCase() === 'PATH' : k === 'PATH'));
  const dirs = (pathVar ? env[pathVar] ?? '' : '').split(platform === 'win32' ? ';' : ':').filter((d) => d !== '');
  const exts =
    platform === 'win32' && pathApi.extname(name) === ''
      ? (env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter((e) => e !== '')
      : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = pathApi.join(dir.replace(/^"(.*)"$/, '$1'), name + ext);
      if (isExecutableFile(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

/**
 * The server executable: the configured path, else the binary bundled in the
 * extension's `server/` folder, else `transcript-ls` on the PATH.
 */
export function resolveServer(options: ResolveOptions): Resolution {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const isExecutableFile = options.isExecutableFile ?? defaultIsExecutableFile;
  const pathApi = platform === 'win32' ? path.win32 : path.posix;

  const configured = options.configured?.trim();
  if (configured) {
    let file = expandHome(configured);
    if (!pathApi.isAbsolute(file)) {
      if (file.includes('/') || file.includes('\\')) {
        if (options.workspaceFolder) {
          file = pathApi.resolve(options.workspaceFolder, file);
        }
      } else {
        // A bare command name such as `transcript-ls-nightly`: look it up on the PATH.
        const found = findOnPath(file, env, platform, isExecutableFile);
        if (found) {
          return { ok: true, command: found, source: 'setting' };
        }
      }
    }
    if (isExecutableFile(file)) {
      return { ok: true, command: file, source: 'setting' };
    }
    return {
      ok: false,
      message:
        `The transcript-ls language server was not found at "${configured}" (setting \`transcript.server.path\`). ` +
        'Fix the setting or clear it to use the bundled server or the one on your PATH.',
    };
  }

  const bundled = pathApi.join(options.extensionPath, 'server', binaryName(platform));
  if (isExecutableFile(bundled)) {
    return { ok: true, command: bundled, source: 'bundled' };
  }

  const onPath = findOnPath('transcript-ls', env, platform, isExecutableFile);
  if (onPath) {
    return { ok: true, command: onPath, source: 'path' };
  }

  return {
    ok: false,
    message: `The transcript-ls language server was not found (not bundled with the extension and not on your PATH). ${INSTALL_HINT}`,
  };
}
