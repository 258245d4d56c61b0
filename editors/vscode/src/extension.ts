import * as vscode from 'vscode';
import {
  DocumentSelector,
  Executable,
  LanguageClient,
  LanguageClientOptions,
  Position,
  ReferencesRequest,
  ServerOptions,
} from 'vscode-languageclient/node';

import { computeFolds } from './folding';
import { resolveServer } from './serverPath';

const CLIENT_ID = 'transcript';
const CLIENT_NAME = 'Transcript Language Server';
/** The settings section the server asks for (`workspace/configuration`) and is told about when it changes. */
const SETTINGS_SECTION = 'transcript';
/** The command of the server's code lenses that open references (arguments: a document URI and an LSP position). */
const SHOW_REFERENCES = 'transcript.showReferences';

/** Transcripts, and the registry (the server publishes registry problems on it). */
const DOCUMENT_SELECTOR: DocumentSelector = [
  { scheme: 'file', language: 'transcript' },
  { scheme: 'untitled', language: 'transcript' },
  { scheme: 'file', pattern: '**/transcripts.json' },
];

let client: LanguageClient | undefined;
let clientDisposables: vscode.Disposable[] = [];
let outputChannel: vscode.OutputChannel;
let watchers: vscode.FileSystemWatcher[];
/** Serialises start/stop/restart requests. */
let pending: Promise<void> = Promise.resolve();

export function activate(context: vscode.ExtensionContext): Promise<void> {
  outputChannel = vscode.window.createOutputChannel(CLIENT_NAME);
  watchers = [
    vscode.workspace.createFileSystemWatcher('**/*.transcript'),
    vscode.workspace.createFileSystemWatcher('**/transcripts.json'),
  ];
  context.subscriptions.push(
    outputChannel,
    ...watchers,
    vscode.commands.registerCommand('transcript.restartServer', () => enqueue(() => restart(context))),
    vscode.commands.registerCommand(SHOW_REFERENCES, showReferences),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('transcript.server.path')) {
        void enqueue(() => restart(context));
      }
    }),
  );
  return enqueue(() => start(context));
}

export function deactivate(): Promise<void> {
  return enqueue(stop);
}

function enqueue(task: () => Promise<void>): Promise<void> {
  pending = pending.then(task, task);
  return pending;
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  await stop();
  await start(context);
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const config = vscode.workspace.getConfiguration('transcript');
  const resolution = resolveServer({
    configured: config.get<string>('server.path'),
    extensionPath: context.extensionPath,
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
  });
  if (!resolution.ok) {
    outputChannel.appendLine(resolution.message);
    void showError(resolution.message);
    return;
  }
  outputChannel.appendLine(`Starting ${resolution.command} (from ${describe(resolution.source)})`);

  // No arguments: `transcript-ls` serves LSP on stdio. (Giving a `transport`
  // would make the client append `--stdio`, which the server does not take.)
  const executable: Executable = { command: resolution.command, args: [] };
  const serverOptions: ServerOptions = { run: executable, debug: executable };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    synchronize: { fileEvents: watchers, configurationSection: SETTINGS_SECTION },
    outputChannel,
  };

  const newClient = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  try {
    await newClient.start();
  } catch (err) {
    const message = `The transcript-ls language server (${resolution.command}) could not be started: ${
      err instanceof Error ? err.message : String(err)
    }`;
    outputChannel.appendLine(message);
    void showError(message);
    try {
      await newClient.dispose();
    } catch {
      // Already dead.
    }
    return;
  }
  client = newClient;

  // Folding for headings and the header block, unless the server folds.
  if (!newClient.initializeResult?.capabilities.foldingRangeProvider) {
    clientDisposables.push(
      vscode.languages.registerFoldingRangeProvider(
        { language: 'transcript' },
        {
          provideFoldingRanges(document) {
            return computeFolds(document.getText()).map(
              (f) =>
                new vscode.FoldingRange(f.start, f.end, f.kind === 'region' ? vscode.FoldingRangeKind.Region : undefined),
            );
          },
        },
      ),
    );
  }
}

async function stop(): Promise<void> {
  for (const d of clientDisposables) {
    d.dispose();
  }
  clientDisposables = [];
  const old = client;
  client = undefined;
  if (old) {
    try {
      await old.stop();
    } catch (err) {
      outputChannel.appendLine(`Stopping the server failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

/**
 * A lens's command: the references of what is at `position` in `uri` (the
 * mentions of a registry entity, a speaker's turns), asked of the server and
 * shown in the references peek there.
 */
async function showReferences(uri: string, position: Position): Promise<void> {
  const current = client;
  if (!current) {
    return;
  }
  const found = await current.sendRequest(ReferencesRequest.type, {
    textDocument: { uri },
    position,
    context: { includeDeclaration: false },
  });
  const convert = current.protocol2CodeConverter;
  await vscode.commands.executeCommand(
    'editor.action.showReferences',
    convert.asUri(uri),
    convert.asPosition(position),
    (await convert.asReferences(found)) ?? [],
  );
}

function describe(source: 'setting' | 'bundled' | 'path'): string {
  switch (source) {
    case 'setting':
      return 'setting transcript.server.path';
    case 'bundled':
      return 'the extension’s server/ folder';
    case 'path':
      return 'PATH';
  }
}

async function showError(message: string): Promise<void> {
  const openSettings = 'Open Settings';
  const showOutput = 'Show Output';
  const choice = await vscode.window.showErrorMessage(message, openSettings, showOutput);
  if (choice === openSettings) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'transcript.server.path');
  } else if (choice === showOutput) {
    outputChannel.show(true);
  }
}
