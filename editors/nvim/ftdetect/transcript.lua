-- `*.transcript` files have the filetype `transcript`.
if vim.filetype and type(vim.filetype.add) == 'function' then
  -- Used by the Lua filetype detection (the default from Neovim 0.8 on).
  vim.filetype.add({ extension = { transcript = 'transcript' } })
end
-- filetype.vim (Neovim 0.7's default): an autocommand in `filetypedetect`.
vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
  group = vim.api.nvim_create_augroup('filetypedetect', { clear = false }),
  pattern = '*.transcript',
  command = 'setfiletype transcript',
})
