-- Buffer settings for annotated transcripts (prose with `//` comment lines).
if vim.b.did_ftplugin then
  return
end
vim.b.did_ftplugin = 1

-- Comments are whole lines starting with `//`.
vim.cmd([[
setlocal commentstring=//\ %s
setlocal comments=://
" Prose: paragraphs are usually one long line, and a mention [text]{ref} must
" stay on one line, so do not hard-wrap text while typing (t); do format and
" continue // comments (c, r, q), remove the comment leader when joining (j),
" and do not break lines that were already long (l).
setlocal formatoptions-=t formatoptions-=o formatoptions+=crqlj
" Soft-wrap long lines at word boundaries.
setlocal wrap linebreak
]])

local undo = 'setlocal commentstring< comments< formatoptions< wrap< linebreak<'
if vim.b.undo_ftplugin and vim.b.undo_ftplugin ~= '' then
  vim.b.undo_ftplugin = vim.b.undo_ftplugin .. ' | ' .. undo
else
  vim.b.undo_ftplugin = undo
end
