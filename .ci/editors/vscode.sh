#!/usr/bin/env bash
# CI for the VS Code extension: type check, unit, grammar and protocol tests,
# both packages (the plain one, and the platform one with the release server
# inside), then the platform package installed in a real VS Code
# (editors/vscode/test/e2e/run.sh: code-server in headless Chromium).
set -euo pipefail
cd "$(dirname "$0")/../../editors/vscode"

npm ci --no-audit --no-fund --fetch-retries=2 --fetch-timeout=60000 --loglevel=error
npm test
npm run package
npm run package:platform

version=$(node -p "require('./package.json').version")
plain=transcript-ls-$version.vsix
platform=transcript-ls-linux-x64-$version.vsix
# The plain package must stay without a server, the platform one must have it.
python3 - "$plain" "$platform" <<'PY'
import sys, zipfile
plain, platform = (zipfile.ZipFile(p).namelist() for p in sys.argv[1:3])
if any(n.startswith("extension/server/") for n in plain):
    sys.exit(f"{sys.argv[1]}: has a server/ folder; the plain package must not")
if "extension/server/transcript-ls" not in platform:
    sys.exit(f"{sys.argv[2]}: no extension/server/transcript-ls")
if any(n.startswith("extension/node_modules/") for n in plain + platform):
    sys.exit("a package carries node_modules/: the extension must be the esbuild bundle")
print(f"{sys.argv[1]}: {len(plain)} files, no server; {sys.argv[2]}: {len(platform)} files, with server/transcript-ls")
PY

bash test/e2e/run.sh "$platform"
