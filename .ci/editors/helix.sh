#!/usr/bin/env bash
# CI for the Helix entry in the README (Helix is in no registry CI reaches):
# the ```toml block of its "### Helix" section must parse and configure
# transcript-ls for .transcript files as the other editors do.
set -euo pipefail
cd "$(dirname "$0")/../.."

python3 - README.md <<'PY'
import re, sys, tomllib

readme = open(sys.argv[1], encoding="utf-8").read()
section = re.search(r"^### Helix\n(.*?)(?=^#{1,3} )", readme, re.S | re.M)
block = section and re.search(r"^```toml\n(.*?)^```", section.group(1), re.S | re.M)
if not block:
    sys.exit("README.md: no ```toml block in the ### Helix section")
config = tomllib.loads(block.group(1))

server = config.get("language-server", {}).get("transcript-ls", {})
languages = [l for l in config.get("language", []) if l.get("name") == "transcript"]
want = {
    "the server command is transcript-ls (LSP on stdio, no arguments)":
        server.get("command") == "transcript-ls" and not server.get("args"),
    "one [[language]] named transcript": len(languages) == 1,
}
language = languages[0] if languages else {}
want |= {
    "scope text.transcript (the TextMate scope the VS Code grammar uses)": language.get("scope") == "text.transcript",
    "file-types has transcript": "transcript" in language.get("file-types", []),
    "roots has transcripts.json": "transcripts.json" in language.get("roots", []),
    "comment-token is //": language.get("comment-token") == "//",
    "language-servers is transcript-ls": language.get("language-servers") == ["transcript-ls"],
    "soft-wrap is on": language.get("soft-wrap", {}).get("enable") is True,
}
for name, ok in want.items():
    print(("ok   " if ok else "FAIL ") + name)
failed = sum(not ok for ok in want.values())
print(f"helix: {len(want) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
