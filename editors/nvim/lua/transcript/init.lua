-- transcript.nvim: starts the transcript-ls language server for `.transcript`
-- buffers, one client per root directory.
--
-- Works on Neovim 0.7 and later. What the running Neovim offers is found out by
-- looking for the functions themselves (never by parsing a version string):
--   * `vim.lsp.config` + `vim.lsp.enable` (0.11+): the configuration is
--     registered under the name `transcript` (base values in `lsp/transcript.lua`
--     on this plugin's runtimepath) and enabled;
--   * `vim.lsp.start` (0.8+): called from a FileType autocommand, it reuses the
--     client whose name and root match;
--   * otherwise (0.7): `vim.lsp.start_client` + `vim.lsp.buf_attach_client`,
--     with one client per root kept here.
-- On every version the plugin shows the server's code lenses and (0.10+)
-- inlay hints, and runs the lenses' client command `transcript.showReferences`.

local M = {}

local uv = vim.uv or vim.loop

--- Client name, and the name of the `vim.lsp.config` entry on 0.11+.
M.name = 'transcript'

--- Name of the workspace registry; the folder holding it is the root.
M.registry_file = 'transcripts.json'

local defaults = {
  -- The server: no arguments means "language server on stdio".
  cmd = { 'transcript-ls' },
  -- Sent with workspace/didChangeConfiguration and in answer to
  -- workspace/configuration: { transcript = { codeLens = { enable = … },
  -- inlayHints = { enable = … }, rules = { ['rule-name'] = 'off', … } } }.
  settings = {},
  init_options = nil,
  -- nil: follow vim.g.transcript_autostart (true unless set to false/0).
  autostart = nil,
  -- Searched upwards in this order; the first marker found anywhere above the
  -- file wins over the next one. An entry may itself be a list of markers of
  -- equal priority. Without a match the file's own folder is the root.
  root_markers = { 'transcripts.json', '.git' },
  -- Optional function(path) -> root directory (or nil to fall back to
  -- root_markers).
  root_dir = nil,
  filetypes = { 'transcript' },
  -- Also attach the client to `transcripts.json` buffers (filetype json):
  -- the server then reports problems in the registry (invalid-registry, …)
  -- and re-reads it when it is saved, which Neovim's file watching does not
  -- always tell it. (The server ignores the JSON text itself otherwise.)
  registry = true,
  on_attach = nil,
  capabilities = nil,
  handlers = nil,
  cmd_env = nil,
}

-- Options set explicitly through setup(), and the merged effective options.
local user_opts = {}
M.options = vim.deepcopy(defaults)

local state = {
  setup_done = false, -- setup() (or the plugin's default setup) has run
  enabled = false, -- we called vim.lsp.enable(name) (0.11+ path)
  clients_by_root = {}, -- 0.7 path: root -> client id
  warned_missing = false,
}

local augroup_name = 'transcript_lsp'

-- Features of the running Neovim ------------------------------------------------

local function has_native_config()
  local lsp = vim.lsp
  return lsp.config ~= nil and type(lsp.enable) == 'function'
end

local function has_lsp_start()
  return type(vim.lsp.start) == 'function'
end

M._features = function()
  if has_native_config() then
    return 'config'
  elseif has_lsp_start() then
    return 'start'
  end
  return 'start_client'
end

-- Neovim 0.8+ says when a client attaches (LspAttach); on 0.7 the client's
-- on_attach does.
local has_lsp_attach = vim.fn.exists('##LspAttach') == 1

-- Calls a client's method: as client:name(…) where clients are objects
-- (0.10+; the dot form is deprecated on 0.11), as client.name(…) on 0.7.
local function call(client, name, ...)
  local class = getmetatable(client)
  if class and class[name] then
    return client[name](client, ...)
  end
  return client[name](...)
end

-- Small helpers -----------------------------------------------------------------

local function notify(msg, level)
  vim.schedule(function()
    vim.notify('transcript: ' .. msg, level or vim.log.levels.WARN)
  end)
end

local function autostart_enabled()
  if M.options.autostart ~= nil then
    return M.options.autostart and true or false
  end
  local g = vim.g.transcript_autostart
  return not (g == false or g == 0)
end
M.autostart_enabled = autostart_enabled

local function is_dir(path)
  local st = uv.fs_stat(path)
  return st ~= nil and st.type == 'directory'
end

local function exists(path)
  return uv.fs_stat(path) ~= nil
end

local function dirname(path)
  local parent = vim.fn.fnamemodify(path, ':h')
  return parent
end

local function join(dir, name)
  if dir:sub(-1) == '/' or dir:sub(-1) == '\\' then
    return dir .. name
  end
  return dir .. '/' .. name
end

local function basename(path)
  return vim.fn.fnamemodify(path, ':t')
end

-- A buffer that stands for a real file on disk (not a terminal, help page,
-- fugitive:// or other URI buffer).
local function buf_path(bufnr)
  if not vim.api.nvim_buf_is_valid(bufnr) then
    return nil
  end
  if vim.bo[bufnr].buftype ~= '' then
    return nil
  end
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' or name:match('^%a[%w+.-]*://') then
    return nil
  end
  return vim.fn.fnamemodify(name, ':p')
end

local function is_registry_buffer(bufnr)
  local path = buf_path(bufnr)
  return path ~= nil and basename(path) == M.registry_file
end

local function is_transcript_buffer(bufnr)
  if not buf_path(bufnr) then
    return false
  end
  local ft = vim.bo[bufnr].filetype
  for _, want in ipairs(M.options.filetypes) do
    if ft == want then
      return true
    end
  end
  return false
end

local function cmd_available(cmd)
  if type(cmd) == 'function' then
    return true
  end
  return type(cmd) == 'table' and cmd[1] ~= nil and vim.fn.executable(cmd[1]) == 1
end

-- The command that will run: on 0.11+ the resolved vim.lsp.config entry's
-- (which may have been set with vim.lsp.config('transcript', { cmd = … })).
local function effective_cmd()
  if has_native_config() then
    local ok, resolved = pcall(function()
      return vim.lsp.config[M.name]
    end)
    if ok and type(resolved) == 'table' and resolved.cmd ~= nil then
      return resolved.cmd
    end
  end
  return M.options.cmd
end

--- The server command that will run (a list, or a function given as `cmd`).
M.server_cmd = effective_cmd

local function check_cmd()
  local cmd = effective_cmd()
  if cmd_available(cmd) then
    return true
  end
  if not state.warned_missing then
    state.warned_missing = true
    local shown = type(cmd) == 'table' and tostring(cmd[1]) or '?'
    notify(
      ('cannot start the language server: %q is not executable (install transcript-ls on PATH, or pass cmd to require("transcript").setup)'):format(
        shown
      ),
      vim.log.levels.ERROR
    )
  end
  return false
end

-- Roots ------------------------------------------------------------------------

--- The root directory for a file (or directory): the nearest folder holding
--- `transcripts.json`, else the nearest holding `.git`, else the file's folder.
---@param path string
---@param markers table|nil defaults to the configured root_markers
---@return string
function M.find_root(path, markers)
  markers = markers or M.options.root_markers or defaults.root_markers
  path = vim.fn.fnamemodify(path, ':p')
  local start = is_dir(path) and path or dirname(path)
  -- Strip a trailing separator so that roots compare equal however found.
  if #start > 1 then
    start = start:gsub('[/\\]+$', '')
    if start == '' then
      start = '/'
    end
  end
  for _, marker in ipairs(markers) do
    local group = type(marker) == 'table' and marker or { marker }
    local dir = start
    while true do
      for _, name in ipairs(group) do
        if exists(join(dir, name)) then
          return dir
        end
      end
      local parent = dirname(dir)
      if parent == dir or parent == '' or parent == '.' then
        break
      end
      dir = parent
    end
  end
  return start
end

--- The root for a buffer, or nil when the buffer is not a file.
---@param bufnr number|nil
---@return string|nil
function M.root_for_buffer(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local path = buf_path(bufnr)
  if not path then
    return nil
  end
  if type(M.options.root_dir) == 'function' then
    local root = M.options.root_dir(path)
    if type(root) == 'string' and root ~= '' then
      return root
    end
  end
  return M.find_root(path)
end

-- Code lenses, inlay hints, the lenses' command -----------------------------------

--- The client command of the server's code lenses that list references
--- (a speaker's turns, an entity's mentions).
M.show_references_command = 'transcript.showReferences'

-- The lenses of a buffer, asked for again when it is the current buffer and
-- a transcript client serves it (0.7 asks only for the current buffer's, and
-- says so as an error when no client of it has lenses).
local function refresh_lenses(bufnr)
  if bufnr == vim.api.nvim_get_current_buf() and #M.get_clients(bufnr) > 0 then
    vim.lsp.codelens.refresh({ bufnr = bufnr })
  end
end

-- workspace/codeLens/refresh: the server's lenses changed (its settings, the
-- workspace): those of the current buffer are asked for now, the others when
-- their buffer is entered.
local function on_lens_refresh()
  refresh_lenses(vim.api.nvim_get_current_buf())
  return vim.NIL
end

-- The client's capabilities: Neovim's (or those given), and the lens refresh
-- this plugin answers.
local function client_capabilities(base)
  return vim.tbl_deep_extend(
    'force',
    base or vim.lsp.protocol.make_client_capabilities(),
    { workspace = { codeLens = { refreshSupport = true } } }
  )
end

-- When a transcript client attaches to a buffer: its lenses, asked for when
-- the buffer is entered, the cursor rests or Insert mode ends; its inlay
-- hints (vim.lsp.inlay_hint, 0.10+).
local function on_attach_views(client, bufnr)
  local caps = client.server_capabilities or {}
  if caps.codeLensProvider then
    vim.api.nvim_create_autocmd({ 'BufEnter', 'CursorHold', 'InsertLeave' }, {
      group = vim.api.nvim_create_augroup('transcript_codelens_' .. bufnr, { clear = true }),
      buffer = bufnr,
      desc = 'transcript-ls: refresh the code lenses',
      callback = function()
        refresh_lenses(bufnr)
      end,
    })
    refresh_lenses(bufnr)
  end
  local hints = vim.lsp.inlay_hint
  if caps.inlayHintProvider and type(hints) == 'table' and type(hints.enable) == 'function' then
    hints.enable(true, { bufnr = bufnr })
  end
end

--- The lenses' command (`vim.lsp.commands['transcript.showReferences']`):
--- asks the lens's client for the references at the lens's document and
--- position (its arguments) and puts them in the quickfix list, titled as
--- the lens, which opens.
function M.show_references(command, ctx)
  local args = command.arguments or {}
  local uri, position = args[1], args[2]
  local client = vim.lsp.get_client_by_id(ctx.client_id)
  if not client or type(uri) ~= 'string' or type(position) ~= 'table' then
    return
  end
  local params = { textDocument = { uri = uri }, position = position, context = { includeDeclaration = false } }
  call(client, 'request', 'textDocument/references', params, function(err, result)
    if err then
      notify('no references: ' .. tostring(err.message), vim.log.levels.ERROR)
      return
    end
    local items = vim.lsp.util.locations_to_items(result or {}, client.offset_encoding)
    vim.fn.setqflist({}, ' ', { title = command.title, items = items })
    vim.cmd('botright copen')
  end, ctx.bufnr)
end

-- Client configuration ------------------------------------------------------------

-- The `root_dir` of the vim.lsp.config entry (0.11+): decides per buffer,
-- and declines (never calls on_dir) for buffers we should not attach to.
local function native_root_dir(a, b)
  local bufnr, on_dir
  if type(a) == 'function' then -- early 0.11 development builds: root_dir(on_dir)
    bufnr, on_dir = vim.api.nvim_get_current_buf(), a
  else
    bufnr, on_dir = a, b
  end
  local ok = is_transcript_buffer(bufnr) or (M.options.registry and is_registry_buffer(bufnr))
  if not ok or not check_cmd() then
    return
  end
  local root = M.root_for_buffer(bufnr)
  if root then
    on_dir(root)
  end
end

--- The base configuration for `vim.lsp.config` (0.11+); `lsp/transcript.lua`
--- returns this.
function M.lsp_config_defaults()
  return {
    cmd = vim.deepcopy(defaults.cmd),
    -- json: only `transcripts.json` buffers, and only with the registry
    -- option on; native_root_dir declines the others.
    filetypes = { 'transcript', 'json' },
    root_dir = native_root_dir,
    settings = {},
    capabilities = client_capabilities(),
    handlers = { ['workspace/codeLens/refresh'] = on_lens_refresh },
  }
end

-- Options given to setup() that belong in the vim.lsp.config entry (0.11+).
-- Nothing else is written, so that a user's own
-- vim.lsp.config('transcript', { … }) is not overwritten by defaults; the
-- base values come from lsp/transcript.lua. root_markers and root_dir are read
-- by native_root_dir from M.options at the time a buffer opens.
local function native_overrides()
  local cfg = {}
  for _, key in ipairs({ 'cmd', 'settings', 'init_options', 'on_attach', 'capabilities', 'handlers', 'cmd_env' }) do
    if user_opts[key] ~= nil then
      cfg[key] = vim.deepcopy(user_opts[key])
    end
  end
  if user_opts.filetypes ~= nil then
    local fts = vim.deepcopy(M.options.filetypes)
    table.insert(fts, 'json')
    cfg.filetypes = fts
  end
  return cfg
end

local function on_exit_cleanup(_, _, client_id)
  for root, id in pairs(state.clients_by_root) do
    if id == client_id then
      state.clients_by_root[root] = nil
    end
  end
end

--- The client configuration for one root (0.7–0.10 paths).
---@param root string
---@return table
function M.client_config(root)
  local o = M.options
  local config = {
    name = M.name,
    cmd = vim.deepcopy(o.cmd),
    cmd_env = o.cmd_env and vim.deepcopy(o.cmd_env) or nil,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
    settings = vim.deepcopy(o.settings or {}),
    init_options = o.init_options and vim.deepcopy(o.init_options) or nil,
    capabilities = client_capabilities(o.capabilities and vim.deepcopy(o.capabilities)),
    handlers = vim.tbl_extend('force', { ['workspace/codeLens/refresh'] = on_lens_refresh }, o.handlers or {}),
    on_attach = o.on_attach,
    on_exit = on_exit_cleanup,
  }
  if not has_lsp_attach then
    config.on_attach = function(client, bufnr)
      on_attach_views(client, bufnr)
      if o.on_attach then
        o.on_attach(client, bufnr)
      end
    end
  end
  return config
end

-- Starting ----------------------------------------------------------------------

local function client_stopped(client)
  if not client then
    return true
  end
  local is_stopped = client.is_stopped
  if type(is_stopped) ~= 'function' then
    return false
  end
  return is_stopped(client)
end

-- 0.7: one client per root, kept in state.clients_by_root.
local function start_with_start_client(bufnr, root)
  local id = state.clients_by_root[root]
  local client = id and vim.lsp.get_client_by_id(id)
  if client_stopped(client) then
    id = vim.lsp.start_client(M.client_config(root))
    if not id then
      return nil
    end
    state.clients_by_root[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  -- 0.8+ sets omnifunc when a client attaches; 0.7 leaves it to the plugin.
  if vim.bo[bufnr].omnifunc == '' then
    vim.bo[bufnr].omnifunc = 'v:lua.vim.lsp.omnifunc'
  end
  return id
end

-- 0.8+: vim.lsp.start reuses a client with the same name and root.
local function start_with_lsp_start(bufnr, root)
  local id
  -- 0.8's vim.lsp.start attaches the current buffer only; make it current.
  vim.api.nvim_buf_call(bufnr, function()
    id = vim.lsp.start(M.client_config(root), { bufnr = bufnr })
  end)
  return id
end

-- 0.11+: start from the resolved vim.lsp.config entry (which carries the
-- user's vim.lsp.config('transcript', …) overrides), with the root resolved.
local function start_with_native_config(bufnr, root)
  local resolved = vim.lsp.config[M.name]
  local config = resolved and vim.deepcopy(resolved) or M.client_config(root)
  config.name = M.name
  config.root_dir = root
  config.workspace_folders = nil
  local id
  vim.api.nvim_buf_call(bufnr, function()
    id = vim.lsp.start(config, { bufnr = bufnr, reuse_client = config.reuse_client })
  end)
  return id
end

--- Start (or reuse) the client for a buffer's root and attach the buffer.
--- Works whatever the autostart setting is. Returns the client id, or nil.
---@param bufnr number|nil buffer (default: current)
---@return number|nil
function M.start(bufnr)
  if not state.setup_done then
    M.setup()
  end
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local path = buf_path(bufnr)
  if not path then
    notify('buffer ' .. bufnr .. ' is not a file; not starting the language server', vim.log.levels.INFO)
    return nil
  end
  if not is_transcript_buffer(bufnr) and not is_registry_buffer(bufnr) then
    notify('buffer ' .. bufnr .. ' is not a transcript; not starting the language server', vim.log.levels.INFO)
    return nil
  end
  if not check_cmd() then
    return nil
  end
  local root = M.root_for_buffer(bufnr)
  local mode = M._features()
  if mode == 'config' then
    return start_with_native_config(bufnr, root)
  elseif mode == 'start' then
    return start_with_lsp_start(bufnr, root)
  end
  return start_with_start_client(bufnr, root)
end

--- The transcript clients, optionally only those attached to a buffer.
---@param bufnr number|nil
---@return table list of clients
function M.get_clients(bufnr)
  if bufnr == 0 then
    bufnr = vim.api.nvim_get_current_buf()
  end
  local lsp = vim.lsp
  if type(lsp.get_clients) == 'function' then
    return lsp.get_clients({ name = M.name, bufnr = bufnr })
  end
  local out = {}
  local source = bufnr and lsp.buf_get_clients(bufnr) or lsp.get_active_clients()
  for _, client in pairs(source) do
    if client.name == M.name then
      table.insert(out, client)
    end
  end
  table.sort(out, function(x, y)
    return x.id < y.id
  end)
  return out
end

--- Stop the client(s) serving a buffer (default: current), or all with all=true.
function M.stop(bufnr, all)
  local clients = all and M.get_clients() or M.get_clients(bufnr or vim.api.nvim_get_current_buf())
  for _, client in ipairs(clients) do
    vim.lsp.stop_client(client.id)
    on_exit_cleanup(nil, nil, client.id)
  end
  return #clients
end

--- Stop the clients of the current buffer, then start again for every
--- transcript buffer they served.
function M.restart(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local buffers = { bufnr }
  for _, client in ipairs(M.get_clients(bufnr)) do
    for b in pairs(client.attached_buffers or {}) do
      if b ~= bufnr then
        table.insert(buffers, b)
      end
    end
  end
  M.stop(bufnr)
  local timer = uv.new_timer()
  timer:start(500, 0, function()
    timer:close()
    vim.schedule(function()
      for _, b in ipairs(buffers) do
        if vim.api.nvim_buf_is_valid(b) and vim.api.nvim_buf_is_loaded(b) then
          M.start(b)
        end
      end
    end)
  end)
end

-- Automatic start ----------------------------------------------------------------

local function autostart_buffer(bufnr)
  if not autostart_enabled() then
    return
  end
  if is_transcript_buffer(bufnr) or (M.options.registry and is_registry_buffer(bufnr)) then
    M.start(bufnr)
  end
end

local function apply()
  local group = vim.api.nvim_create_augroup(augroup_name, { clear = true })
  local auto = autostart_enabled()
  if has_lsp_attach then
    vim.api.nvim_create_autocmd('LspAttach', {
      group = group,
      desc = 'transcript-ls: code lenses and inlay hints',
      callback = function(args)
        local client = vim.lsp.get_client_by_id(args.data.client_id)
        if client and client.name == M.name then
          on_attach_views(client, args.buf)
        end
      end,
    })
  end

  if has_native_config() then
    local overrides = native_overrides()
    if next(overrides) ~= nil then
      vim.lsp.config(M.name, overrides)
    end
    if auto then
      vim.lsp.enable(M.name)
      state.enabled = true
      -- vim.lsp.enable skips a config whose command is not executable with
      -- only a line in lsp.log, before root_dir is asked: say it here.
      vim.api.nvim_create_autocmd('FileType', {
        group = group,
        pattern = table.concat(M.options.filetypes, ','),
        desc = 'transcript-ls: say so when the server cannot be started',
        callback = function(args)
          if is_transcript_buffer(args.buf) then
            check_cmd()
          end
        end,
      })
    elseif state.enabled then
      vim.lsp.enable(M.name, false)
      state.enabled = false
    end
    return
  end

  if not auto then
    return
  end
  local patterns = vim.deepcopy(M.options.filetypes)
  if M.options.registry then
    table.insert(patterns, 'json')
  end
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = table.concat(patterns, ','),
    desc = 'transcript-ls: start or attach the language server',
    callback = function(args)
      autostart_buffer(args.buf)
    end,
  })
  -- Buffers that already have their filetype (setup() called late, e.g. by a
  -- plugin manager loading on the FileType event).
  if vim.v.vim_did_enter == 1 then
    for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_is_loaded(bufnr) then
        autostart_buffer(bufnr)
      end
    end
  end
end

local option_types = {
  cmd = { table = true, ['function'] = true },
  settings = { table = true },
  init_options = { table = true },
  autostart = { boolean = true },
  root_markers = { table = true },
  root_dir = { ['function'] = true },
  filetypes = { table = true },
  registry = { boolean = true },
  on_attach = { ['function'] = true },
  capabilities = { table = true },
  handlers = { table = true },
  cmd_env = { table = true },
}

local function check_opts(opts)
  if type(opts) ~= 'table' then
    error('transcript.setup: expected a table of options, got ' .. type(opts), 3)
  end
  for key, value in pairs(opts) do
    local allowed = option_types[key]
    if not allowed then
      error('transcript.setup: unknown option ' .. vim.inspect(key), 3)
    end
    if not allowed[type(value)] then
      error(
        ('transcript.setup: option %s: expected %s, got %s'):format(
          key,
          table.concat(vim.tbl_keys(allowed), ' or '),
          type(value)
        ),
        3
      )
    end
  end
end

-- Settings given to setup() go at once to the running clients, as they go to
-- those started later (on 0.11+ the resolved vim.lsp.config entry's): the
-- server then asks for its lenses and hints again.
local function send_settings()
  local settings = M.options.settings
  if has_native_config() then
    settings = vim.lsp.config[M.name].settings or settings
  end
  for _, client in ipairs(M.get_clients()) do
    client.config.settings = vim.deepcopy(settings)
    if client.settings ~= nil then -- 0.10+ answers workspace/configuration from it
      client.settings = client.config.settings
    end
    call(client, 'notify', 'workspace/didChangeConfiguration', { settings = client.config.settings })
  end
end

--- Configure the plugin. May be called more than once; each call replaces the
--- options given before, and new settings reach the running servers.
---@param opts table|nil { cmd, settings, init_options, autostart, root_markers,
---  root_dir, filetypes, registry, on_attach, capabilities, handlers, cmd_env }
function M.setup(opts)
  opts = opts or {}
  check_opts(opts)
  user_opts = vim.deepcopy(opts)
  M.options = vim.tbl_extend('force', vim.deepcopy(defaults), user_opts)
  -- Lists replace, they are not merged index by index.
  for _, key in ipairs({ 'cmd', 'root_markers', 'filetypes' }) do
    if opts[key] ~= nil then
      M.options[key] = vim.deepcopy(opts[key])
    end
  end
  state.warned_missing = false
  state.setup_done = true
  if vim.lsp.commands[M.show_references_command] == nil then
    vim.lsp.commands[M.show_references_command] = M.show_references
  end
  apply()
  if opts.settings ~= nil then
    send_settings()
  end
end

--- Called by plugin/transcript.lua: applies the defaults unless setup() has
--- already been called (e.g. from init.lua before plugins were loaded).
function M._plugin_loaded()
  if not state.setup_done then
    M.setup()
  end
end

return M
