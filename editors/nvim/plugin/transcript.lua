-- transcript.nvim: commands and automatic start of transcript-ls.
-- Starting is automatic for every `transcript` buffer unless
-- `vim.g.transcript_autostart = false` or require('transcript').setup({ autostart = false }).

if vim.g.loaded_transcript then
  return
end
vim.g.loaded_transcript = 1

if vim.api.nvim_create_autocmd == nil or vim.api.nvim_create_user_command == nil then
  vim.notify('transcript: this plugin needs Neovim 0.7 or later', vim.log.levels.WARN)
  return
end

local command = vim.api.nvim_create_user_command

command('TranscriptStart', function()
  require('transcript').start(0)
end, { desc = 'Start transcript-ls for this buffer (or attach the running client of its root)' })

command('TranscriptStop', function(args)
  require('transcript').stop(0, args.bang)
end, { bang = true, desc = 'Stop transcript-ls for this buffer\'s root (! : all roots)' })

command('TranscriptRestart', function()
  require('transcript').restart(0)
end, { desc = 'Restart transcript-ls for this buffer\'s root' })

require('transcript')._plugin_loaded()

-- Tree-sitter highlighting when the transcript parser is installed, and :TranscriptInstallParser.
require('transcript.treesitter').plugin_loaded()
