-- Neovim 0.7.2 headless as a second LSP client for nuget.config (the server's second document kind).
-- Run: nvim --headless -u NONE -n -c 'luafile test/nvim/nuget-check.lua' <dir>/nuget.config
-- The file must list nuget.org over http:// in <packageSources> without <clear />.
-- Checks: pushed diagnostics (nuget-http-source on the URL), hover on the source, fix-all applied by Neovim
-- (https; <clear /> is never added unattended), diagnostics updated after the incremental change, fix-all
-- then empty, clean shutdown.
-- Exits 0 when every check passes, otherwise `cquit N` after printing the reason to stderr.
-- Environment: CG_SERVER_BUNDLE, CG_NODE, CG_TIMEOUT_MS as for lsp-check.lua.
-- Exit codes: 2 unexpected Lua error, 3 setup, 4 start/attach, 5 diagnostics, 6 code actions/hover,
--             7 applying the fix, 8 server exit.

local script_dir = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h')
local common = dofile(script_dir .. '/common.lua')('nuget-check')
local say, fail = common.say, common.fail
local server, node, timeout = common.server, common.node, common.timeout
local FIX_ALL = 'source.fixAll.containerGuard'

local function main()
  if vim.fn.filereadable(server) ~= 1 then fail(3, 'server bundle not found: ' .. server) end
  local bufnr = vim.api.nvim_get_current_buf()
  local path = vim.api.nvim_buf_get_name(bufnr)
  if path == '' then fail(3, 'no nuget.config given on the command line') end
  -- `-u NONE` turns filetype detection off; a user's config maps nuget.config to xml, as VS Code does.
  vim.api.nvim_buf_set_option(bufnr, 'filetype', 'xml')

  local exited = nil
  local client_id = vim.lsp.start_client({
    name = 'container-guard',
    cmd = { node, server, '--stdio' },
    root_dir = vim.fn.fnamemodify(path, ':p:h'),
    on_exit = function(code, signal) exited = { code = code, signal = signal } end,
  })
  if not client_id then fail(4, 'vim.lsp.start_client returned nil') end
  if not vim.lsp.buf_attach_client(bufnr, client_id) then fail(4, 'buf_attach_client failed') end

  local function codes()
    local parts = {}
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do table.insert(parts, string.format('%s@%d:%d', tostring(d.code), d.lnum, d.col)) end
    table.sort(parts)
    return '[' .. table.concat(parts, ', ') .. ']'
  end
  local function find(code)
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do if d.code == code then return d end end
    return nil
  end

  -- 1. Pushed diagnostics: nuget-http-source underlines the URL inside the quotes.
  local arrived = vim.wait(timeout, function() return exited ~= nil or find('nuget-http-source') ~= nil end, 20)
  if exited then fail(8, 'server exited early') end
  if not arrived then fail(5, 'no nuget-http-source diagnostic within ' .. timeout .. ' ms; got ' .. codes()) end
  local http = find('nuget-http-source')
  local line = vim.api.nvim_buf_get_lines(bufnr, http.lnum, http.lnum + 1, false)[1]
  if line:sub(http.col + 1, http.end_col) ~= 'http://api.nuget.org/v3/index.json' then
    fail(5, 'nuget-http-source range covers "' .. line:sub(http.col + 1, http.end_col) .. '"')
  end
  say('diagnostics ' .. codes())

  -- 2. Hover on the source element.
  local hover_params = { textDocument = vim.lsp.util.make_text_document_params(bufnr), position = { line = http.lnum, character = http.col } }
  local hovers = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', hover_params, timeout)
  local hover = hovers and hovers[client_id] and hovers[client_id].result
  local value = hover and hover.contents and hover.contents.value or ''
  if not value:find('Package source `nuget.org`', 1, true) or not value:find('Plain HTTP', 1, true) then
    fail(6, 'hover: ' .. vim.inspect(hovers))
  end
  say('hover ok')

  -- 3. Fix-all, applied as Neovim applies workspace edits.
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(bufnr),
    range = { start = { line = 0, character = 0 }, ['end'] = { line = vim.api.nvim_buf_line_count(bufnr), character = 0 } },
    context = { diagnostics = {}, only = { FIX_ALL } },
  }
  local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, timeout)
  local actions = responses and responses[client_id] and responses[client_id].result
  if not actions or #actions ~= 1 or actions[1].kind ~= FIX_ALL then fail(6, 'fix-all: ' .. vim.inspect(responses)) end
  vim.lsp.util.apply_workspace_edit(actions[1].edit, vim.lsp.get_client_by_id(client_id).offset_encoding or 'utf-16')
  local text = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
  if not text:find('value="https://api.nuget.org/v3/index.json"', 1, true) or text:find('<clear />', 1, true) then
    fail(7, 'buffer after fix-all:\n' .. text)
  end
  local cleared = vim.wait(timeout, function() return exited ~= nil or (find('nuget-http-source') == nil and #vim.diagnostic.get(bufnr) > 0) end, 20)
  if exited then fail(8, 'server exited after the edit') end
  if not cleared then fail(7, 'nuget-http-source still reported after fix-all: ' .. codes()) end
  say('after fix-all ' .. codes())

  -- 4. Nothing left for fix-all.
  params.textDocument = vim.lsp.util.make_text_document_params(bufnr)
  responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, timeout)
  local again = responses and responses[client_id] and responses[client_id].result
  if again == nil or #again ~= 0 then fail(6, 'fix-all after the fix should be empty: ' .. vim.inspect(responses)) end

  vim.lsp.stop_client(client_id)
  vim.wait(timeout, function() return exited ~= nil end, 20)
  if not exited or exited.code ~= 0 then fail(8, 'server did not exit cleanly: ' .. vim.inspect(exited)) end
  say('OK')
  vim.cmd('qa!')
end

common.run(main)
