-- End-to-end test of editors/nvim against the real transcript-ls.
--
-- Run by test/run.sh as
--   nvim --headless --clean -u NONE --cmd 'set rtp+=editors/nvim' -c 'luafile editors/nvim/test/e2e.lua'
-- so that the plugin is loaded exactly as for a user who put it on the
-- runtimepath, with transcript-ls found on PATH (no setup() call).
--
-- Environment:
--   TRANSCRIPT_E2E_MODE     "auto" (default): the server starts by itself;
--                           "manual": started with g:transcript_autostart = v:false,
--                           nothing may start until :TranscriptStart;
--                           "missing": no transcript-ls on PATH (the folders
--                           holding one are taken out of it): the user is told.
--   TRANSCRIPT_E2E_TIMEOUT  overall limit in seconds (default 60).
--
-- Prints one line per check ("ok   …" or "FAIL …" with what was expected and
-- what was got), then "<mode>: N passed, M failed". Exits 0 (qa!) when all
-- passed, 1 (cquit 1) otherwise.

local uv = vim.uv or vim.loop
local mode = os.getenv('TRANSCRIPT_E2E_MODE') or 'auto'
local overall_timeout_s = tonumber(os.getenv('TRANSCRIPT_E2E_TIMEOUT') or '') or 60
local WAIT_MS = 10000

local passed, failed = 0, 0
local finished = false
local tmp_root = nil
local log_path, log_start = nil, 0

local function out(s)
  io.stdout:write(s .. '\n')
  io.stdout:flush()
end

local function show(v)
  if type(v) == 'string' then
    return v
  end
  local s = vim.inspect(v)
  if #s > 1500 then
    s = s:sub(1, 1500) .. ' …(' .. #s .. ' characters)'
  end
  return s
end

local function pass(name)
  passed = passed + 1
  out('ok   ' .. name)
end

local function fail(name, expected, got)
  failed = failed + 1
  out('FAIL ' .. name)
  out('     expected: ' .. show(expected))
  out('     got:      ' .. show(got))
end

local function check(name, ok, expected, got)
  if ok then
    pass(name)
  else
    fail(name, expected, got)
  end
  return ok
end

-- What the server wrote to its stderr (Neovim logs it) during this run.
local function print_lsp_log()
  if not log_path then
    return
  end
  local f = io.open(log_path, 'r')
  if not f then
    return
  end
  f:seek('set', log_start)
  local text = f:read('*a') or ''
  f:close()
  if text ~= '' then
    local lines = vim.split(text, '\n', { plain = true })
    local first = math.max(1, #lines - 40)
    out('---- ' .. log_path .. ' (this run, last ' .. (#lines - first + 1) .. ' lines) ----')
    for i = first, #lines do
      out(lines[i]:sub(1, 400))
    end
    out('----')
  end
end

local function finish()
  if finished then
    return
  end
  finished = true
  out(('%s: %d passed, %d failed'):format(mode, passed, failed))
  if failed > 0 then
    print_lsp_log()
  end
  if tmp_root then
    vim.fn.delete(tmp_root, 'rf')
  end
  if failed > 0 then
    vim.cmd('cquit 1')
  else
    vim.cmd('qa!')
  end
end

-- Never hang: after the overall limit, report and quit; if even that does not
-- get through (blocked main loop), exit hard a little later.
local guard = uv.new_timer()
guard:start(overall_timeout_s * 1000, 0, function()
  io.stdout:write(('FAIL overall timeout: the test did not finish within %d s\n'):format(overall_timeout_s))
  io.stdout:flush()
  failed = failed + 1
  vim.schedule(function()
    finish()
  end)
  local hard = uv.new_timer()
  hard:start(5000, 0, function()
    io.stdout:write(('%s: %d passed, %d failed (hard exit)\n'):format(mode, passed, failed))
    io.stdout:flush()
    os.exit(1)
  end)
end)

-- Helpers ----------------------------------------------------------------------

local function script_dir()
  local src = debug.getinfo(1, 'S').source
  if src:sub(1, 1) == '@' then
    src = src:sub(2)
  end
  return vim.fn.fnamemodify(src, ':p:h')
end

local function read_file(path)
  local f = assert(io.open(path, 'rb'))
  local s = f:read('*a')
  f:close()
  return s
end

local function write_file(path, text)
  vim.fn.mkdir(vim.fn.fnamemodify(path, ':h'), 'p')
  local f = assert(io.open(path, 'wb'))
  f:write(text)
  f:close()
end

local function norm_dir(p)
  if not p then
    return nil
  end
  p = vim.fn.fnamemodify(p, ':p'):gsub('[/\\]+$', '')
  return vim.fn.resolve(p)
end

-- All LSP clients attached to a buffer, with Neovim's own API.
local function clients_of(bufnr)
  if type(vim.lsp.get_clients) == 'function' then
    return vim.lsp.get_clients({ bufnr = bufnr })
  end
  local list = {}
  for _, c in pairs(vim.lsp.buf_get_clients(bufnr)) do
    table.insert(list, c)
  end
  return list
end

local function all_clients()
  if type(vim.lsp.get_clients) == 'function' then
    return vim.lsp.get_clients()
  end
  return vim.lsp.get_active_clients()
end

local function describe_clients(list)
  local d = {}
  for _, c in ipairs(list) do
    table.insert(d, ('#%d %s root=%s'):format(c.id, c.name, tostring(c.config and c.config.root_dir)))
  end
  return d
end

local function diag_code(d)
  if d.code ~= nil then
    return d.code
  end
  local lsp = d.user_data and d.user_data.lsp
  return lsp and lsp.code
end

local function describe_diags(list)
  local d = {}
  for _, x in ipairs(list) do
    table.insert(d, ('%s@line %d: %s'):format(tostring(diag_code(x)), x.lnum, (x.message or ''):sub(1, 80)))
  end
  return d
end

local function wait_for(ms, fn)
  return vim.wait(ms, fn, 50)
end

local function open(path, how)
  vim.cmd((how or 'edit') .. ' ' .. vim.fn.fnameescape(path))
  return vim.api.nvim_get_current_buf()
end

-- Number of UTF-16 code units in a UTF-8 string.
local function utf16_len(s)
  local n = 0
  for i = 1, #s do
    local b = s:byte(i)
    if b < 0x80 or b >= 0xC0 then
      n = n + 1
    end
    if b >= 0xF0 then
      n = n + 1
    end
  end
  return n
end

local function hover_text(contents)
  if type(contents) == 'string' then
    return contents
  end
  if type(contents) ~= 'table' then
    return ''
  end
  if contents.value ~= nil then
    return tostring(contents.value)
  end
  local parts = {}
  for _, c in ipairs(contents) do
    table.insert(parts, hover_text(c))
  end
  return table.concat(parts, '\n')
end

local function request(bufnr, method, params)
  local responses, err = vim.lsp.buf_request_sync(bufnr, method, params, WAIT_MS)
  if not responses then
    return nil, 'no response: ' .. tostring(err)
  end
  local results, errors = {}, {}
  for id, r in pairs(responses) do
    if r.err then
      table.insert(errors, ('client %d: %s'):format(id, show(r.err)))
    elseif r.result ~= nil and r.result ~= vim.NIL then
      table.insert(results, r.result)
    end
  end
  if #results == 0 then
    return nil, #errors > 0 and table.concat(errors, '; ') or 'empty result'
  end
  return results[1]
end

local function names(symbols)
  local n = {}
  for _, s in ipairs(symbols or {}) do
    table.insert(n, s.name)
  end
  return n
end

local function find(symbols, name)
  for _, s in ipairs(symbols or {}) do
    if s.name == name then
      return s
    end
  end
end

local function starts_with(s, prefix)
  return type(s) == 'string' and s:sub(1, #prefix) == prefix
end

local function syn_name(lnum, col)
  return vim.fn.synIDattr(vim.fn.synID(lnum, col, 1), 'name')
end

-- The lines `:checkhealth transcript` shows (its buffer is closed after).
local function checkhealth_lines()
  vim.cmd('silent checkhealth transcript')
  local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  vim.cmd('tabclose')
  return lines
end

local function any_line(lines, pattern)
  for _, l in ipairs(lines) do
    if l:find(pattern) then
      return l
    end
  end
end

-- The 0-based number of the first line of `lines` that starts with `prefix`.
local function line_index(lines, prefix)
  for i, l in ipairs(lines) do
    if starts_with(l, prefix) then
      return i - 1
    end
  end
end

-- The code lenses Neovim keeps for a buffer, as "line: title".
local function lens_titles(bufnr)
  local titles = {}
  for _, l in ipairs(vim.lsp.codelens.get(bufnr)) do
    table.insert(titles, ('%d: %s'):format(l.range.start.line, l.command and l.command.title or '?'))
  end
  return titles
end

-- Insert-mode completion with <C-x><C-o> (the buffer's omnifunc) at the end
-- of line `lnum` (1-based): the words offered. A timer ends Insert mode once
-- the menu has items (or after WAIT_MS): feedkeys with 'x!' returns then.
local function omni_complete(lnum)
  vim.api.nvim_win_set_cursor(0, { lnum, 0 })
  local showmode, shortmess = vim.o.showmode, vim.o.shortmess
  vim.o.showmode = false
  vim.o.shortmess = shortmess .. 'c'
  local words
  local deadline = uv.now() + WAIT_MS
  local timer = uv.new_timer()
  timer:start(50, 50, vim.schedule_wrap(function()
    if words then
      return
    end
    local items = vim.fn.complete_info({ 'items' }).items
    if #items > 0 or uv.now() > deadline then
      words = {}
      for _, item in ipairs(items) do
        table.insert(words, item.word)
      end
      timer:stop()
      timer:close()
      vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes('<C-e><Esc>', true, false, true), 'n', false)
    end
  end))
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes('A<C-x><C-o>', true, false, true), 'x!', false)
  vim.o.showmode, vim.o.shortmess = showmode, shortmess
  return words or {}
end

-- The test ------------------------------------------------------------------------

-- Mode "missing": no transcript-ls on PATH. Opening a transcript must say so
-- in a message the user sees (vim.notify), and :checkhealth must too.
local function without_server(fixtures)
  local kept = {}
  for dir in (vim.env.PATH or ''):gmatch('[^:]+') do
    if vim.fn.executable(dir .. '/transcript-ls') ~= 1 then
      table.insert(kept, dir)
    end
  end
  vim.env.PATH = table.concat(kept, ':')
  check(
    'no transcript-ls on PATH in this mode',
    vim.fn.executable('transcript-ls') == 0,
    'transcript-ls not executable',
    vim.fn.exepath('transcript-ls')
  )

  local notes = {}
  vim.notify = function(msg, level)
    table.insert(notes, { msg = tostring(msg), level = level })
  end
  local base = (os.getenv('TMPDIR') or '/tmp'):gsub('/+$', '')
  tmp_root = uv.fs_mkdtemp(base .. '/transcript-nvim-e2e-XXXXXX')
  write_file(tmp_root .. '/transcripts.json', read_file(fixtures .. '/transcripts.json'))
  write_file(tmp_root .. '/a.transcript', read_file(fixtures .. '/vientiane-2016-02-30.transcript'))
  local b = open(tmp_root .. '/a.transcript')
  local function the_error()
    for _, n in ipairs(notes) do
      if n.level == vim.log.levels.ERROR and n.msg:find('transcript-ls', 1, true) and n.msg:find('not executable', 1, true) then
        return n
      end
    end
  end
  wait_for(3000, function()
    return the_error() ~= nil
  end)
  check(
    'opening a transcript says, as an error notification, that transcript-ls is missing',
    the_error() ~= nil,
    'vim.notify(…"transcript-ls" is not executable…, ERROR)',
    notes
  )
  check('no client is attached', #clients_of(b) == 0, 'no client', describe_clients(clients_of(b)))

  local health = checkhealth_lines()
  check(
    ':checkhealth transcript reports the missing binary as an error',
    any_line(health, 'ERROR.*"transcript%-ls" is not executable') ~= nil,
    'an ERROR line: "transcript-ls" is not executable',
    health
  )
end

local function main()
  vim.o.hidden = true
  if type(vim.lsp.get_log_path) == 'function' then
    log_path = vim.lsp.get_log_path()
    local st = uv.fs_stat(log_path)
    log_start = st and st.size or 0
  end

  local here = script_dir()
  local fixtures = here .. '/fixtures'

  -- The plugin as a user installs it: on the runtimepath, loaded at startup.
  if vim.g.loaded_transcript ~= 1 then
    -- Some Neovim versions skip plugins with "-u NONE": do what startup does.
    out('note: plugins were not loaded at startup (-u NONE); loading them as startup would')
    vim.cmd('filetype plugin indent on')
    vim.cmd('syntax on')
    vim.cmd('runtime! plugin/**/*.vim plugin/**/*.lua')
  end
  check(
    'plugin/transcript.lua loaded from the runtimepath',
    vim.g.loaded_transcript == 1 and vim.fn.exists(':TranscriptStart') == 2,
    'g:loaded_transcript == 1 and a :TranscriptStart command',
    { loaded_transcript = vim.g.loaded_transcript, TranscriptStart = vim.fn.exists(':TranscriptStart') }
  )
  if mode == 'missing' then
    return without_server(fixtures)
  end
  if
    not check(
      'transcript-ls is on PATH',
      vim.fn.executable('transcript-ls') == 1,
      'an executable transcript-ls on PATH',
      'not found; PATH=' .. tostring(os.getenv('PATH'))
    )
  then
    return
  end

  -- A workspace: root1 (transcripts.json + the fixture + sub/second.transcript)
  -- and root2 (its own transcripts.json + third.transcript).
  local base = (os.getenv('TMPDIR') or '/tmp'):gsub('/+$', '')
  tmp_root = uv.fs_mkdtemp(base .. '/transcript-nvim-e2e-XXXXXX')
  local root1, root2 = tmp_root .. '/root1', tmp_root .. '/root2'
  local registry = read_file(fixtures .. '/transcripts.json')
  local fixture = read_file(fixtures .. '/vientiane-2016-02-30.transcript')
  local small = table.concat({
    '---',
    'title: A second transcript',
    'date: 2016-07-27',
    'speaker: Sergey Lavrov',
    '---',
    '',
    '# Questions and answers',
    '',
    'Question: Is this a second file?',
    '',
    'Sergey Lavrov: It is, and [John Kerry]{kerry} is mentioned here too.',
    '',
  }, '\n')
  write_file(root1 .. '/transcripts.json', registry)
  write_file(root1 .. '/vientiane-2016.transcript', fixture)
  write_file(root1 .. '/sub/second.transcript', small)
  write_file(root2 .. '/transcripts.json', registry)
  write_file(root2 .. '/third.transcript', small)

  -- 1. Filetype, ftplugin, syntax.
  local b1 = open(root1 .. '/vientiane-2016.transcript')
  check('filetype of *.transcript', vim.bo[b1].filetype == 'transcript', 'transcript', vim.bo[b1].filetype)
  check('commentstring', vim.bo[b1].commentstring == '// %s', '// %s', vim.bo[b1].commentstring)
  local lines = vim.api.nvim_buf_get_lines(b1, 0, -1, false)
  check(
    'fixture header has date: 2016-02-30 on line index 2',
    lines[3] == 'date: 2016-02-30',
    'date: 2016-02-30',
    tostring(lines[3])
  )
  local q_lnum, q_line
  for i, l in ipairs(lines) do
    if l:find('[John Kerry]{kerry}', 1, true) then
      q_lnum, q_line = i, l
      break
    end
  end
  check(
      'syntax/transcript.vim highlights header, labels and mentions',
      vim.b[b1].current_syntax == 'transcript'
        and syn_name(1, 1) == 'transcriptHeaderDelim'
        and syn_name(3, 1) == 'transcriptHeaderDateKey'
        and q_lnum ~= nil
        and syn_name(q_lnum, 1) == 'transcriptQuestionLabel'
        and syn_name(q_lnum, q_line:find('{kerry}', 1, true) + 1) == 'transcriptMentionRef',
      'b:current_syntax=transcript, transcriptHeaderDelim at 1:1, transcriptHeaderDateKey at 3:1, transcriptQuestionLabel and transcriptMentionRef on the Kerry question',
      {
        current_syntax = vim.b[b1].current_syntax,
        ['1:1'] = syn_name(1, 1),
        ['3:1'] = syn_name(3, 1),
        question_line = q_lnum,
        label = q_lnum and syn_name(q_lnum, 1),
        ref = q_lnum and syn_name(q_lnum, q_line:find('{kerry}', 1, true) + 1),
      }
  )

  -- 2. The server starts (or, in manual mode, only on :TranscriptStart).
  if mode == 'manual' then
    vim.wait(1500, function()
      return false
    end, 50)
    local early = clients_of(b1)
    check(
      'autostart off: no client before :TranscriptStart',
      #early == 0,
      'no client attached',
      describe_clients(early)
    )
    vim.cmd('TranscriptStart')
  end

  local attached = wait_for(WAIT_MS, function()
    return #clients_of(b1) > 0
  end)
  local c1 = clients_of(b1)
  if
    not check(
      'a client is attached to the transcript buffer',
      attached and #c1 == 1 and c1[1].name == 'transcript',
      'one client named "transcript" within 10 s',
      describe_clients(c1)
    )
  then
    return
  end
  check(
    "client's root is the folder holding transcripts.json",
    norm_dir(c1[1].config.root_dir) == norm_dir(root1),
    norm_dir(root1),
    tostring(norm_dir(c1[1].config.root_dir))
  )

  -- 3. The invalid-date diagnostic.
  local found = wait_for(WAIT_MS, function()
    for _, d in ipairs(vim.diagnostic.get(b1)) do
      if diag_code(d) == 'invalid-date' and d.lnum == 2 then
        return true
      end
    end
    return false
  end)
  check(
    'diagnostic invalid-date on line index 2',
    found,
    'a diagnostic with code "invalid-date" on line index 2 within 10 s',
    describe_diags(vim.diagnostic.get(b1))
  )

  -- How the diagnostics come: pulled (textDocument/diagnostic) by a Neovim
  -- that offers it (0.11), else pushed (textDocument/publishDiagnostics).
  local pulls = vim.lsp.protocol.make_client_capabilities().textDocument.diagnostic ~= nil
  local namespace = vim.lsp.diagnostic.get_namespace(c1[1].id, pulls)
  local namespaces = {}
  for name, id in pairs(vim.api.nvim_get_namespaces()) do
    namespaces[id] = name
  end
  local by_namespace = {}
  for _, d in ipairs(vim.diagnostic.get(b1)) do
    table.insert(by_namespace, ('%s: %s'):format(tostring(namespaces[d.namespace]), tostring(diag_code(d))))
  end
  check(
    ('the diagnostics are %s'):format(pulls and 'pulled (textDocument/diagnostic)' or 'pushed (publishDiagnostics)'),
    vim.tbl_contains(by_namespace, namespaces[namespace] .. ': invalid-date'),
    'invalid-date in the namespace ' .. tostring(namespaces[namespace]),
    by_namespace
  )

  -- 4. The outline.
  local symbols, serr = request(b1, 'textDocument/documentSymbol', {
    textDocument = { uri = vim.uri_from_bufnr(b1) },
  })
  if
    check(
      'documentSymbol answers with hierarchical symbols',
      type(symbols) == 'table' and #symbols > 0 and symbols[1].range ~= nil,
      'a non-empty DocumentSymbol[] (with range/children)',
      symbols or serr
    )
  then
    local top = names(symbols)
    check(
      'outline has metadata, Opening remarks, Questions and answers',
      find(symbols, 'metadata') and find(symbols, 'Opening remarks') and find(symbols, 'Questions and answers'),
      { 'metadata', 'Opening remarks', 'Questions and answers' },
      top
    )
    local qa = find(symbols, 'Questions and answers')
    local qs = qa and qa.children or {}
    check(
      'questions are children of their section, numbered Q1 · , Q2 · ',
      #qs >= 2 and starts_with(qs[1].name, 'Q1 · ') and starts_with(qs[2].name, 'Q2 · '),
      'children of "Questions and answers" named "Q1 · …", "Q2 · …"',
      names(qs)
    )
    local q1 = qs[1] or {}
    check(
      'answers are children of their question, named after the speaker',
      find(q1.children, 'Sergey Lavrov') ~= nil,
      'a child "Sergey Lavrov" under ' .. tostring(q1.name),
      names(q1.children)
    )
  end

  -- 5. Hover on the {kerry} mention.
  if q_lnum then
    local byte = q_line:find('{kerry}', 1, true) + 2 -- 1-based, on the "e" of kerry
    local pos = { line = q_lnum - 1, character = utf16_len(q_line:sub(1, byte - 1)) }
    local hover, herr = request(b1, 'textDocument/hover', {
      textDocument = { uri = vim.uri_from_bufnr(b1) },
      position = pos,
    })
    local text = hover and hover_text(hover.contents) or nil
    check(
      'hover on {kerry} shows the entity',
      text ~= nil and text:find('John Kerry', 1, true) ~= nil,
      ('markdown containing "John Kerry" (hover at line %d, character %d)'):format(pos.line, pos.character),
      text or herr
    )
  else
    fail('hover on {kerry} shows the entity', 'a line with [John Kerry]{kerry} in the fixture', 'none')
  end

  -- 5b. Code lenses, asked for by the plugin.
  local speaker_line = line_index(lines, 'speaker: Sergey Lavrov')
  local qa_line = line_index(lines, '# Questions and answers')
  local function has_lenses(titles)
    local speaker = false
    for _, t in ipairs(titles) do
      speaker = speaker or t:match('^' .. speaker_line .. ': %d+ turns · %d+ words$') ~= nil
    end
    return speaker and vim.tbl_contains(titles, qa_line .. ': 2 questions')
  end
  wait_for(WAIT_MS, function()
    return has_lenses(lens_titles(b1))
  end)
  check(
    'code lenses: the turns and words of the declared speaker, the questions of a section',
    has_lenses(lens_titles(b1)),
    ('"%d: N turns · M words" and "%d: 2 questions"'):format(speaker_line, qa_line),
    lens_titles(b1)
  )

  -- 5c. Inlay hints (vim.lsp.inlay_hint, 0.10+), turned on by the plugin.
  if vim.lsp.inlay_hint then
    local asean
    for i, l in ipairs(lines) do
      local s_, e = l:find('[ASEAN]{asean}', 1, true)
      if s_ then
        asean = ('%d:%d'):format(i - 1, utf16_len(l:sub(1, e)))
      end
    end
    local first_question = line_index(lines, 'Question: ')
    local want = { asean .. ' Association of Southeast Asian Nations', first_question .. ':0 Q1' }
    local function hints()
      local shown = {}
      for _, h in ipairs(vim.lsp.inlay_hint.get({ bufnr = b1 })) do
        local label = h.inlay_hint.label
        if type(label) == 'table' then
          label = table.concat(vim.tbl_map(function(part)
            return part.value
          end, label))
        end
        table.insert(shown, ('%d:%d %s'):format(h.inlay_hint.position.line, h.inlay_hint.position.character, label))
      end
      return shown
    end
    wait_for(WAIT_MS, function()
      return vim.tbl_contains(hints(), want[1]) and vim.tbl_contains(hints(), want[2])
    end)
    check(
      'inlay hints: the entity name after [ASEAN]{asean}, Q1 before the first question',
      vim.lsp.inlay_hint.is_enabled({ bufnr = b1 }) and vim.tbl_contains(hints(), want[1]) and vim.tbl_contains(hints(), want[2]),
      { enabled = true, hints = want },
      { enabled = vim.lsp.inlay_hint.is_enabled({ bufnr = b1 }), hints = hints() }
    )
  end

  -- 6. Completion through omnifunc (set by Neovim on 0.8+, by the plugin on 0.7).
  check(
    'omnifunc is the LSP omnifunc',
    vim.bo[b1].omnifunc == 'v:lua.vim.lsp.omnifunc',
    'v:lua.vim.lsp.omnifunc',
    vim.bo[b1].omnifunc
  )
  local last = vim.api.nvim_buf_line_count(b1)
  vim.api.nvim_buf_set_lines(b1, last, last, false, { '', 'Question: Did you meet [Mr Kerry]{ke' })
  local words = omni_complete(last + 2)
  vim.api.nvim_buf_set_lines(b1, last, -1, false, {})
  check(
    '<C-x><C-o> after {ke offers the registry id kerry',
    vim.tbl_contains(words, 'kerry}') or vim.tbl_contains(words, 'kerry'),
    'a completion item "kerry}"',
    words
  )

  -- 7. :checkhealth transcript, with the client attached.
  if mode == 'auto' then
    local health = checkhealth_lines()
    local exe = vim.fn.exepath('transcript-ls')
    check(
      ':checkhealth transcript finds the binary and its version',
      any_line(health, 'OK.*' .. vim.pesc(exe) .. ' %(transcript%-ls %d+%.%d+%.%d+%)') ~= nil,
      'an OK line with ' .. exe .. ' (transcript-ls X.Y.Z)',
      health
    )
    check(
      ':checkhealth transcript names the root and the registry of the transcript',
      any_line(health, 'root: ' .. vim.pesc(root1) .. '$') ~= nil
        and any_line(health, 'OK.*registry: ' .. vim.pesc(root1 .. '/transcripts.json')) ~= nil,
      'root: ' .. root1 .. ' and an OK line registry: ' .. root1 .. '/transcripts.json',
      health
    )
    check(
      ':checkhealth transcript shows the client and its position encoding',
      any_line(health, 'OK.*client %d+ attached %(root ' .. vim.pesc(root1) .. '%), position encoding utf%-%d+') ~= nil,
      'an OK line "client N attached (root ' .. root1 .. '), position encoding utf-…"',
      health
    )
  end

  -- 8. One client per root.
  local b2 = open(root1 .. '/sub/second.transcript', 'split')
  if mode == 'manual' then
    vim.cmd('TranscriptStart')
  end
  wait_for(WAIT_MS, function()
    return #clients_of(b2) > 0
  end)
  local c2 = clients_of(b2)
  local ids = {}
  for _, c in ipairs(clients_of(b1)) do
    ids[c.id] = true
  end
  for _, c in ipairs(c2) do
    ids[c.id] = true
  end
  check(
    'two transcript buffers in the same root share exactly one client',
    #c2 == 1 and vim.tbl_count(ids) == 1 and #all_clients() == 1,
    'one client, attached to both buffers (1 client in all)',
    { buffer1 = describe_clients(clients_of(b1)), buffer2 = describe_clients(c2), all = describe_clients(all_clients()) }
  )

  -- 9. The root's transcripts.json gets the same client, harmlessly.
  local bj = open(root1 .. '/transcripts.json', 'split')
  if mode == 'manual' then
    vim.cmd('TranscriptStart')
  end
  wait_for(WAIT_MS, function()
    return #clients_of(bj) > 0
  end)
  local cj = clients_of(bj)
  check(
    "the root's transcripts.json is attached to the root's client",
    #cj == 1 and ids[cj[1].id] == true and #all_clients() == 1,
    'the client of the transcripts (1 client in all)',
    { registry = describe_clients(cj), all = describe_clients(all_clients()) }
  )
  vim.wait(1000, function()
    return false
  end, 50)
  local jd, td = vim.diagnostic.get(bj), vim.diagnostic.get(b1)
  local still = false
  for _, d in ipairs(td) do
    still = still or (diag_code(d) == 'invalid-date' and d.lnum == 2)
  end
  check(
    'attaching a valid transcripts.json is harmless',
    #jd == 0 and still,
    'no diagnostics on transcripts.json; invalid-date still on the transcript',
    { registry = describe_diags(jd), transcript = describe_diags(td) }
  )

  local b3 = open(root2 .. '/third.transcript', 'split')
  if mode == 'manual' then
    vim.cmd('TranscriptStart')
  end
  wait_for(WAIT_MS, function()
    return #clients_of(b3) > 0
  end)
  local c3 = clients_of(b3)
  check(
    'a transcript in another root gets its own client',
    #c3 == 1 and not ids[c3[1].id] and norm_dir(c3[1].config.root_dir) == norm_dir(root2) and #all_clients() == 2,
    'a second client with root ' .. norm_dir(root2) .. ' (2 clients in all)',
    { buffer3 = describe_clients(c3), all = describe_clients(all_clients()) }
  )

  -- 10. The registry's lens above "kerry" (mentioned in the fixture and in
  -- sub/second.transcript), run as a user does: transcript.showReferences
  -- puts the two mentions in the quickfix list, titled as the lens.
  vim.api.nvim_set_current_buf(bj)
  local kerry_line = line_index(vim.api.nvim_buf_get_lines(bj, 0, -1, false), '    "kerry":')
  local lens_title = 'mentioned 2 times in 2 files'
  wait_for(WAIT_MS, function()
    return vim.tbl_contains(lens_titles(bj), kerry_line .. ': ' .. lens_title)
  end)
  if
    check(
      'the lens above an entity of transcripts.json counts its mentions',
      vim.tbl_contains(lens_titles(bj), kerry_line .. ': ' .. lens_title),
      kerry_line .. ': ' .. lens_title,
      lens_titles(bj)
    )
  then
    vim.api.nvim_win_set_cursor(0, { kerry_line + 1, 0 })
    vim.lsp.codelens.run()
    local function quickfix()
      local qf = vim.fn.getqflist({ title = 1, items = 1, winid = 1 })
      local files = {}
      for _, item in ipairs(qf.items) do
        table.insert(files, vim.fn.fnamemodify(vim.api.nvim_buf_get_name(item.bufnr), ':p'):sub(#root1 + 2) .. ':' .. item.lnum)
      end
      table.sort(files)
      return { title = qf.title, files = files, open = qf.winid ~= 0 }
    end
    wait_for(WAIT_MS, function()
      return #quickfix().files > 0
    end)
    local qf = quickfix()
    local mention = tostring(q_lnum)
    check(
      "running the lens (transcript.showReferences) lists the mentions in the quickfix list, which opens",
      qf.title == lens_title and qf.open and vim.deep_equal(qf.files, { 'sub/second.transcript:11', 'vientiane-2016.transcript:' .. mention }),
      { title = lens_title, files = { 'sub/second.transcript:11', 'vientiane-2016.transcript:' .. mention }, open = true },
      qf
    )
    vim.cmd('cclose')
  end

  -- 11. The setting codeLens.enable, changed with setup() while the server
  -- runs: the server asks for the lenses again, and gives none, then some.
  vim.api.nvim_set_current_buf(b1)
  require('transcript').setup({ settings = { transcript = { codeLens = { enable = false } } } })
  local off = wait_for(WAIT_MS, function()
    return #vim.lsp.codelens.get(b1) == 0
  end)
  require('transcript').setup({ settings = { transcript = { codeLens = { enable = true } } } })
  local on = wait_for(WAIT_MS, function()
    return has_lenses(lens_titles(b1))
  end)
  check(
    'setup({ settings = { transcript = { codeLens = { enable = false } } } }) takes the lenses away, enable = true brings them back',
    off and on,
    'no lens, then the lenses again',
    { off = off, on = on, now = lens_titles(b1) }
  )
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  fail('the test script ran to the end', 'no Lua error', err)
end
finish()
