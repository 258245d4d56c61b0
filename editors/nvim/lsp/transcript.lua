-- Base configuration of the `transcript` language server for Neovim 0.11+
-- (`vim.lsp.config('transcript', …)` calls are merged over it, and
-- `vim.lsp.enable('transcript')` starts it). Older Neovim versions ignore this
-- folder; lua/transcript/init.lua handles them.
return require('transcript').lsp_config_defaults()
