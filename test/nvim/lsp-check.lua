-- Neovim 0.7.2 headless as a second, non-VS Code LSP client of the bundled Container Guard server.
-- Run: nvim --headless -u NONE -n -c 'luafile test/nvim/lsp-check.lua' <Dockerfile>
-- The Dockerfile must be a Server Core image without USER followed by RUN and CMD, e.g.
--   FROM mcr.microsoft.com/windows/servercore:ltsc2025 / RUN echo hi / CMD ["app.exe"]
-- Exits 0 (qa!) when every check passes, otherwise `cquit N` after printing the reason to stderr.
--
-- Environment (all optional):
--   CG_SERVER_BUNDLE    path of dist/server.js (default: ../../dist/server.js from this script)
--   CG_NODE             node executable (default: node)
--   CG_TIMEOUT_MS       timeout of each wait/request (default: 10000)
--   CG_SETTINGS_VIA     how the settings { containerGuard = { rules = { ['privileged-user'] = 'error' } } }
--                       reach the server: '' (not at all), 'configuration' (advertise workspace.configuration;
--                       0.7.2 answers from `settings`), 'didChangeConfiguration' (sent in on_init)
--   CG_EXPECT_SEVERITY  expected severity of privileged-user (1 = Error, 2 = Warning; default 2)
--
-- Exit codes: 2 unexpected Lua error, 3 setup, 4 start/attach, 5 diagnostics, 6 code actions,
--             7 applying the quick fix, 8 server exit.

local script_dir = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h')
local common = dofile(script_dir .. '/common.lua')('lsp-check')
local say, fail = common.say, common.fail
local server, node, timeout = common.server, common.node, common.timeout
local settings_via = os.getenv('CG_SETTINGS_VIA') or ''
local expected_severity = tonumber(os.getenv('CG_EXPECT_SEVERITY') or '') or 2
local FIX_ALL = 'source.fixAll.containerGuard'

local function main()
  if vim.fn.filereadable(server) ~= 1 then fail(3, 'server bundle not found: ' .. server) end
  if vim.lsp.start_client == nil then fail(3, 'vim.lsp.start_client is missing (Neovim too old?)') end
  local bufnr = vim.api.nvim_get_current_buf()
  local path = vim.api.nvim_buf_get_name(bufnr)
  if path == '' then fail(3, 'no Dockerfile given on the command line') end
  -- `-u NONE` turns filetype detection off; the server keys on languageId = filetype.
  vim.api.nvim_buf_set_option(bufnr, 'filetype', 'dockerfile')

  local settings = { containerGuard = { rules = { ['privileged-user'] = 'error' } } }
  local capabilities = vim.lsp.protocol.make_client_capabilities()
  if settings_via == 'configuration' then
    capabilities = vim.tbl_deep_extend('force', capabilities, { workspace = { configuration = true } })
  end

  local exited = nil
  local client_id = vim.lsp.start_client({
    name = 'container-guard',
    cmd = { node, server, '--stdio' },
    root_dir = vim.fn.fnamemodify(path, ':p:h'),
    capabilities = capabilities,
    settings = settings_via ~= '' and settings or {},
    on_init = function(client)
      if settings_via == 'didChangeConfiguration' then
        client.notify('workspace/didChangeConfiguration', { settings = settings })
      end
    end,
    on_exit = function(code, signal)
      exited = { code = code, signal = signal }
    end,
  })
  if not client_id then fail(4, 'vim.lsp.start_client returned nil') end
  if not vim.lsp.buf_attach_client(bufnr, client_id) then fail(4, 'buf_attach_client failed') end

  local function find_diagnostic(code)
    for _, diagnostic in ipairs(vim.diagnostic.get(bufnr)) do
      if diagnostic.code == code then return diagnostic end
    end
    return nil
  end
  local function describe_diagnostics()
    local parts = {}
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      table.insert(parts, string.format('%s/%s@%d:%d', tostring(d.code), tostring(d.severity), d.lnum, d.col))
    end
    return '[' .. table.concat(parts, ', ') .. ']'
  end

  -- 1. Pushed diagnostics (0.7.2 cannot pull): privileged-user with the expected severity.
  local arrived = vim.wait(timeout, function()
    if exited then return true end
    local d = find_diagnostic('privileged-user')
    return d ~= nil and d.severity == expected_severity
  end, 20)
  if exited then fail(8, string.format('server exited early (code %s, signal %s)', tostring(exited.code), tostring(exited.signal))) end
  if not arrived then
    fail(5, string.format('no privileged-user diagnostic with severity %d within %d ms; got %s', expected_severity, timeout, describe_diagnostics()))
  end
  local privileged = find_diagnostic('privileged-user')
  if privileged.source ~= 'container-guard' then fail(5, 'unexpected source ' .. tostring(privileged.source)) end
  if privileged.lnum ~= 0 or privileged.col ~= 5 then
    fail(5, string.format('privileged-user at %d:%d, expected 0:5', privileged.lnum, privileged.col))
  end
  local href = privileged.user_data and privileged.user_data.lsp and privileged.user_data.lsp.codeDescription
    and privileged.user_data.lsp.codeDescription.href
  if type(href) ~= 'string' or not href:match('/docs/rules/privileged%-user%.md$') then
    fail(5, 'codeDescription.href missing or wrong: ' .. tostring(href))
  end
  say(string.format('diagnostics %s', describe_diagnostics()))

  -- 2. Quick fix for privileged-user, with hand-built params (ASCII document: byte col = UTF-16 character).
  local lsp_diagnostic = {
    range = {
      start = { line = privileged.lnum, character = privileged.col },
      ['end'] = { line = privileged.end_lnum, character = privileged.end_col },
    },
    severity = privileged.severity,
    code = privileged.code,
    source = privileged.source,
    message = privileged.message,
  }
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(bufnr),
    range = lsp_diagnostic.range,
    context = { diagnostics = { lsp_diagnostic } },
  }
  local responses, request_error = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, timeout)
  if not responses then fail(6, 'textDocument/codeAction failed: ' .. tostring(request_error)) end
  local response = responses[client_id]
  if not response then fail(6, 'no codeAction response from the client') end
  if response.error then fail(6, 'codeAction error: ' .. vim.inspect(response.error)) end
  local quick_fix, fix_all, titles = nil, nil, {}
  for _, action in ipairs(response.result or {}) do
    table.insert(titles, tostring(action.title) .. ' [' .. tostring(action.kind) .. ']')
    if action.kind == 'quickfix' and action.title == 'Run the final stage as ContainerUser' then quick_fix = action end
    if action.kind == FIX_ALL then fix_all = action end
  end
  if not quick_fix then fail(6, 'no "Run the final stage as ContainerUser" quick fix among: ' .. table.concat(titles, '; ')) end
  -- Switching the user changes what the container may do: a quick fix, never fix-all.
  if fix_all then fail(6, FIX_ALL .. ' offered for privileged-user, whose only fix switches the user: ' .. table.concat(titles, '; ')) end
  say('code actions: ' .. table.concat(titles, '; '))

  -- 0.7.2 advertises no workspaceEdit.documentChanges, so the server must send `changes`.
  local edit = quick_fix.edit
  local uri = vim.uri_from_bufnr(bufnr)
  local edits = edit and edit.changes and edit.changes[uri]
  if not edits or #edits ~= 1 or edits[1].newText ~= 'USER ContainerUser\n' then
    fail(6, 'quick fix edit is not a `changes` insert of "USER ContainerUser\\n": ' .. vim.inspect(edit))
  end

  -- 3. Apply it as Neovim does; the incremental didChange must clear privileged-user.
  vim.lsp.util.apply_workspace_edit(edit, vim.lsp.get_client_by_id(client_id).offset_encoding or 'utf-16')
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  if lines[3] ~= 'USER ContainerUser' then fail(7, 'buffer after the quick fix: ' .. vim.inspect(lines)) end
  local cleared = vim.wait(timeout, function()
    return exited ~= nil or (find_diagnostic('privileged-user') == nil and #vim.diagnostic.get(bufnr) > 0)
  end, 20)
  if exited then fail(8, 'server exited after the edit') end
  if not cleared then fail(7, 'privileged-user still reported after the quick fix: ' .. describe_diagnostics()) end
  say('after quick fix: ' .. describe_diagnostics())

  -- 4. Fix-all is idempotent: nothing left to fix.
  params.context = { diagnostics = {}, only = { FIX_ALL } }
  responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, timeout)
  local again = responses and responses[client_id] and responses[client_id].result
  if again == nil or #again ~= 0 then fail(6, 'fix-all after the fix should be empty: ' .. vim.inspect(responses)) end

  -- 5. Graceful shutdown: shutdown + exit, server exits with 0.
  vim.lsp.stop_client(client_id)
  vim.wait(timeout, function() return exited ~= nil end, 20)
  if not exited then fail(8, 'server did not exit after shutdown/exit') end
  if exited.code ~= 0 then fail(8, string.format('server exit code %s (signal %s)', tostring(exited.code), tostring(exited.signal))) end
  say('OK')
  vim.cmd('qa!')
end

common.run(main)
