-- `:checkhealth transcript`: is the server there and which, and for the
-- transcript being edited, its root, its registry and its client.
--
-- Works with the health API of every Neovim from 0.7 (`require('health')`
-- with report_* functions) to 0.11 (`vim.health.start`, `ok`, …).

local M = {}

local uv = vim.uv or vim.loop

local api = vim.health or require('health')
local report = {
  start = api.start or api.report_start,
  ok = api.ok or api.report_ok,
  info = api.info or api.report_info,
  warn = api.warn or api.report_warn,
  error = api.error or api.report_error,
}

-- The transcript being edited: `:checkhealth` shows its report in a new
-- buffer, so the one the user came from is the last used transcript buffer.
local function transcript_buffer(transcript)
  local best, best_used = nil, -1
  for _, info in ipairs(vim.fn.getbufinfo({ bufloaded = 1 })) do
    local b = info.bufnr
    local ft = vim.bo[b].filetype
    if vim.tbl_contains(transcript.options.filetypes, ft) and vim.api.nvim_buf_get_name(b) ~= '' then
      -- The current buffer counts as used now.
      local used = b == vim.api.nvim_get_current_buf() and math.huge or info.lastused
      if used > best_used then
        best, best_used = b, used
      end
    end
  end
  return best
end

local function check_server(transcript)
  report.start('transcript-ls: the server')
  local cmd = transcript.server_cmd()
  if type(cmd) == 'function' then
    report.info('cmd is a function (a custom transport): not checked')
    return
  end
  local exe = type(cmd) == 'table' and cmd[1] or nil
  if not exe or vim.fn.executable(exe) ~= 1 then
    report.error(('%s is not executable'):format(vim.inspect(exe)), {
      'Install it: `cargo install --path .` in a checkout of transcript-ls (puts transcript-ls in ~/.cargo/bin), and have that folder on PATH.',
      "Or give the binary: require('transcript').setup({ cmd = { '/path/to/transcript-ls' } }).",
    })
    return
  end
  local path = vim.fn.exepath(exe)
  local out = vim.fn.system({ path, '--version' })
  local version = vim.trim(out or '')
  if vim.v.shell_error == 0 and version:match('^transcript%-ls ') then
    report.ok(('%s (%s)'):format(path, version))
  else
    report.warn(('%s does not answer --version as transcript-ls does: %s'):format(path, version:sub(1, 200)), {
      'Check that cmd names the transcript-ls binary.',
    })
  end
  local feature = transcript._features()
  local how = {
    config = 'vim.lsp.config and vim.lsp.enable (0.11+)',
    start = 'vim.lsp.start (0.8+)',
    start_client = 'vim.lsp.start_client (0.7)',
  }
  report.info(('started with %s; automatic start %s'):format(how[feature], transcript.autostart_enabled() and 'on' or 'off'))
end

local function check_buffer(transcript)
  local bufnr = transcript_buffer(transcript)
  if not bufnr then
    report.start('transcript-ls: the current transcript')
    report.info('No transcript is open: open a .transcript file, then run :checkhealth transcript again.')
    return
  end
  local name = vim.api.nvim_buf_get_name(bufnr)
  report.start('transcript-ls: ' .. vim.fn.fnamemodify(name, ':~:.'))

  local root = transcript.root_for_buffer(bufnr)
  report.info('root: ' .. tostring(root))
  local registry_dir = transcript.find_root(name, { transcript.registry_file })
  local registry = registry_dir .. '/' .. transcript.registry_file
  if uv.fs_stat(registry) then
    report.ok('registry: ' .. registry)
  else
    report.warn('no ' .. transcript.registry_file .. ' in the folder of this file or above it', {
      'Mentions {id} of registry entities are reported as unknown-entity until one is there.',
    })
  end

  local clients = transcript.get_clients(bufnr)
  if #clients == 0 then
    report.warn('no transcript-ls client is attached to this buffer', {
      'Start it with :TranscriptStart; if it stops at once, see :lua print(vim.lsp.get_log_path()).',
    })
    return
  end
  for _, client in ipairs(clients) do
    local encoding = client.offset_encoding or '?'
    report.ok(('client %d attached (root %s), position encoding %s'):format(client.id, tostring(client.config.root_dir), encoding))
  end
end

function M.check()
  local transcript = require('transcript')
  check_server(transcript)
  check_buffer(transcript)
end

return M
