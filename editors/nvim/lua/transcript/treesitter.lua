-- transcript.treesitter: tree-sitter highlighting for transcripts, from the
-- grammar in editors/tree-sitter-transcript of the transcript-ls repository.
--
-- When a `transcript` parser is on the runtimepath (parser/transcript.so, put
-- there by :TranscriptInstallParser or by nvim-treesitter), every transcript
-- buffer is highlighted with it and the queries in queries/transcript/, in
-- place of the Vim syntax file. :TranscriptInstallParser compiles the
-- grammar's C sources with the system C compiler ($CC, else cc, gcc or clang)
-- into stdpath('data')/site/parser/. Needs Neovim 0.9 or later (the
-- parser's ABI is 14); on older versions this module does nothing.
-- `vim.g.transcript_treesitter = false` turns the highlighting off.

local M = {}

--- The language name, the same as the filetype.
M.lang = 'transcript'

local function supported()
  local ts = vim.treesitter
  return ts ~= nil and ts.language ~= nil and type(ts.language.add) == 'function'
    and type(ts.start) == 'function'
end

local function enabled()
  return vim.g.transcript_treesitter ~= false and vim.g.transcript_treesitter ~= 0
end

--- The grammar's folder beside this plugin in the repository:
--- editors/nvim/lua/transcript/treesitter.lua -> editors/tree-sitter-transcript.
--- (Symbolic links are resolved: the plugin may be linked into a package.)
function M.grammar_dir()
  local here = vim.fn.resolve(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:gsub('^@', ''), ':p'))
  return vim.fn.fnamemodify(here, ':h:h:h:h') .. '/tree-sitter-transcript'
end

--- Where :TranscriptInstallParser puts the parser (on the default runtimepath).
function M.parser_path()
  local ext = vim.fn.has('win32') == 1 and 'dll' or 'so'
  return vim.fn.stdpath('data') .. '/site/parser/' .. M.lang .. '.' .. ext
end

--- Loads the parser (from `path`, else from the runtimepath); true when
--- Neovim has it, else false and why.
function M.load(path)
  if not supported() then
    return false, 'tree-sitter support needs Neovim 0.9 or later'
  end
  local ok, res, err = pcall(vim.treesitter.language.add, M.lang, path and { path = path } or nil)
  if not ok then
    return false, tostring(res)
  end
  -- 0.11 returns true or nil and a message; 0.9 and 0.10 return nothing or throw.
  if res == nil and err ~= nil then
    return false, err
  end
  return true
end

--- Starts tree-sitter highlighting in `bufnr` if the parser is there.
function M.attach(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if not enabled() or not M.load() then
    return false
  end
  local ok, err = pcall(vim.treesitter.start, bufnr, M.lang)
  if not ok then
    vim.notify('transcript: tree-sitter highlighting failed: ' .. tostring(err), vim.log.levels.WARN)
  end
  return ok
end

local function compiler()
  local candidates = { 'cc', 'gcc', 'clang' }
  if vim.env.CC and vim.env.CC ~= '' then
    table.insert(candidates, 1, vim.env.CC)
  end
  for _, cc in ipairs(candidates) do
    if vim.fn.executable(cc) == 1 then
      return cc
    end
  end
end

--- Compiles the grammar in `grammar_dir` (default: the one beside the
--- plugin) into M.parser_path(), loads it and highlights the transcript
--- buffers. Returns true, or false and a message.
function M.install(grammar_dir)
  if not supported() then
    return false, 'tree-sitter support needs Neovim 0.9 or later'
  end
  local src = (grammar_dir or M.grammar_dir()) .. '/src'
  if vim.fn.filereadable(src .. '/parser.c') == 0 then
    return false, 'no grammar sources at ' .. src
  end
  local cc = compiler()
  if not cc then
    return false, 'no C compiler found: install one (cc, gcc or clang) or set $CC'
  end
  local out = M.parser_path()
  -- Neovim keeps the parser it loaded first until it restarts.
  local was_loaded = pcall(vim.treesitter.language.inspect, M.lang)
  vim.fn.mkdir(vim.fn.fnamemodify(out, ':h'), 'p')
  -- Built aside and renamed: a parser already loaded stays intact.
  local tmp = out .. '.tmp'
  local cmd = {
    cc, '-o', tmp, '-shared', '-fPIC', '-O2', '-std=c11', '-I', src,
    src .. '/parser.c', src .. '/scanner.c',
  }
  local output = vim.fn.system(cmd)
  if vim.v.shell_error ~= 0 then
    vim.fn.delete(tmp)
    return false, 'compiling the parser failed:\n' .. output
  end
  local renamed, rename_err = os.rename(tmp, out)
  if not renamed then
    return false, 'cannot write ' .. out .. ': ' .. tostring(rename_err)
  end
  local loaded, err = M.load(out)
  if not loaded then
    return false, err
  end
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and vim.bo[buf].filetype == M.lang then
      M.attach(buf)
    end
  end
  return true, was_loaded and out .. ' (restart Neovim to use it: a parser was loaded already)' or out
end

--- Called by plugin/transcript.lua: the command, and highlighting for
--- transcript buffers, the ones open already included.
function M.plugin_loaded()
  if not supported() then
    return
  end
  vim.api.nvim_create_user_command('TranscriptInstallParser', function(args)
    local ok, msg = M.install(args.args ~= '' and vim.fn.expand(args.args) or nil)
    if ok then
      vim.notify('transcript: tree-sitter parser installed: ' .. msg)
    else
      vim.notify('transcript: ' .. msg, vim.log.levels.ERROR)
    end
  end, {
    nargs = '?',
    complete = 'dir',
    desc = 'Compile the transcript tree-sitter parser with the system C compiler (argument: the grammar folder)',
  })
  vim.api.nvim_create_autocmd('FileType', {
    group = vim.api.nvim_create_augroup('transcript_treesitter', { clear = true }),
    pattern = M.lang,
    callback = function(ev)
      M.attach(ev.buf)
    end,
  })
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and vim.bo[buf].filetype == M.lang then
      M.attach(buf)
    end
  end
end

return M
