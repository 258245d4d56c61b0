-- Headless test of the tree-sitter grammar in a real Neovim (0.11), run by
-- treesitter.sh in two Neovim processes:
--
--   TRANSCRIPT_TS_PHASE=install  :TranscriptInstallParser compiles the parser
--                                into stdpath('data')/site/parser/ and loads it;
--   TRANSCRIPT_TS_PHASE=check    a new Neovim finds it on the runtimepath: a
--                                transcript buffer is highlighted with the
--                                standard captures and folds by turn, and every
--                                file listed in TRANSCRIPT_TS_FILES (one path a
--                                line) parses without an ERROR node.
--
-- Exits 0 when every check passed, 1 (cquit 1) otherwise.

local phase = vim.env.TRANSCRIPT_TS_PHASE
local failures, checks = 0, 0

local function out(line)
  io.stdout:write(line .. '\n')
end

local function check(ok, what)
  checks = checks + 1
  if ok then
    out('ok: ' .. what)
  else
    failures = failures + 1
    out('FAILED: ' .. what)
  end
  return ok
end

local function finish()
  out(string.format('%d passed, %d failed', checks - failures, failures))
  if failures > 0 then
    vim.cmd('cquit 1')
  end
  vim.cmd('qall!')
end

local ts = require('transcript.treesitter')

local function install()
  check(vim.fn.exists(':TranscriptInstallParser') == 2, 'the plugin defines :TranscriptInstallParser')
  vim.cmd('TranscriptInstallParser')
  out('') -- after the command's message
  check(vim.fn.filereadable(ts.parser_path()) == 1, 'the parser is compiled into ' .. ts.parser_path())
  local ok, info = pcall(vim.treesitter.language.inspect, 'transcript')
  check(ok, 'Neovim loaded the parser')
  if ok then
    check(info.abi_version == 14, 'the parser has ABI 14 (got ' .. tostring(info.abi_version) .. ')')
  end
end

-- A transcript with every highlighted element; rows and columns are 0-based.
local FIXTURE = {
  '---',
  'title: Press conference',
  'speaker: Mr. Smith (host)',
  '---',
  '',
  '# Opening remarks',
  '',
  'Mr. Smith: We met [John Kerry]{kerry} today. [applause] [00:14:20]',
  '',
  '// A comment for annotators.',
  'The turn goes on \\[sic\\].',
  '',
  'Question (RIA Novosti): Why?',
}

local EXPECTED = {
  { 1, 0, 'property', 'a header key' },
  { 1, 8, 'string', 'a header value' },
  { 3, 0, 'punctuation.special', 'a header delimiter' },
  { 5, 0, 'markup.heading.marker', "a heading's marker" },
  { 5, 3, 'markup.heading', 'a heading' },
  { 5, 3, 'markup.heading.1', 'a level 1 heading' },
  { 7, 0, 'label', 'a speaker label' },
  { 7, 19, 'markup.link', 'a mention' },
  { 7, 19, 'markup.link.label', "a mention's surface" },
  { 7, 32, 'string.special', "a mention's reference" },
  { 7, 46, 'comment.note', 'an editorial note' },
  { 7, 57, 'number', 'a time code' },
  { 9, 3, 'comment', 'a comment' },
  { 10, 17, 'string.escape', 'an escaped bracket' },
  { 12, 0, 'label', 'a question label' },
  { 12, 10, 'string.special', "a question's attribution" },
}

local function captures_at(buf, row, col)
  local names = {}
  for _, c in ipairs(vim.treesitter.get_captures_at_pos(buf, row, col)) do
    names[c.capture] = true
  end
  return names
end

local function highlighting()
  local dir = vim.fn.tempname()
  vim.fn.mkdir(dir, 'p')
  local path = dir .. '/fixture.transcript'
  vim.fn.writefile(FIXTURE, path)
  vim.cmd('edit ' .. vim.fn.fnameescape(path))
  local buf = vim.api.nvim_get_current_buf()
  check(vim.bo[buf].filetype == 'transcript', 'the fixture has the filetype transcript')
  check(vim.treesitter.highlighter.active[buf] ~= nil, 'tree-sitter highlighting is on in a transcript buffer')
  check(vim.bo[buf].syntax == '', 'the Vim syntax file is off while tree-sitter highlights')
  vim.treesitter.get_parser(buf, 'transcript'):parse()
  for _, e in ipairs(EXPECTED) do
    local row, col, capture, what = e[1], e[2], e[3], e[4]
    local names = captures_at(buf, row, col)
    check(names[capture], string.format('%s (%d:%d) is @%s; captures there: %s', what, row + 1, col + 1,
      capture, table.concat(vim.tbl_keys(names), ' ')))
  end
  vim.wo.foldmethod = 'expr'
  vim.wo.foldexpr = 'v:lua.vim.treesitter.foldexpr()'
  check(vim.fn.foldlevel(8) >= 1 and vim.fn.foldlevel(11) >= 1 and vim.fn.foldlevel(6) == 0,
    'a turn folds, a heading outside turns does not')
end

local QUERY = '(turn) @turn (heading) @heading (mention) @mention (note) @note (ERROR) @error'

local function every_file()
  local list = vim.env.TRANSCRIPT_TS_FILES
  local files = list and vim.fn.readfile(list) or {}
  check(#files > 0, 'files to parse are listed')
  local query = vim.treesitter.query.parse('transcript', QUERY)
  local counts = { turn = 0, heading = 0, mention = 0, note = 0 }
  local with_error = {}
  for _, path in ipairs(files) do
    local text = table.concat(vim.fn.readfile(path, 'b'), '\n')
    local parser = vim.treesitter.get_string_parser(text, 'transcript')
    local root = parser:parse()[1]:root()
    if root:has_error() then
      table.insert(with_error, path)
    end
    for id in query:iter_captures(root, text) do
      local name = query.captures[id]
      counts[name] = (counts[name] or 0) + 1
    end
  end
  check(#with_error == 0, string.format('%d files parse without an ERROR node%s', #files,
    #with_error > 0 and ('; not: ' .. table.concat(with_error, ', ', 1, math.min(5, #with_error))) or ''))
  out(string.format('parsed %d files: %d turns, %d headings, %d mentions, %d notes',
    #files, counts.turn, counts.heading, counts.mention, counts.note))
  check(counts.turn > 0 and counts.heading > 0 and counts.mention > 0 and counts.note > 0,
    'the files have turns, headings, mentions and notes')
end

local ok, err = pcall(function()
  out(vim.split(vim.fn.execute('version'), '\n')[2])
  if phase == 'install' then
    install()
  elseif phase == 'check' then
    highlighting()
    every_file()
  else
    check(false, 'TRANSCRIPT_TS_PHASE is install or check, not ' .. tostring(phase))
  end
end)
check(ok, 'the test ran to its end' .. (ok and '' or (': ' .. tostring(err))))
finish()
