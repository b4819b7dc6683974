-- Neovim 0.7.2 headless as a second LSP client for pipeline YAML (the server's third document kind), set up
-- the way a user's config would: filetype detection on, and the server attached to every `yaml` buffer.
-- Run: nvim --headless -u NONE -n -c 'luafile test/nvim/pipeline-check.lua' <workspace>/.github/workflows/build.yml
-- The workflow must check out with actions/checkout@v4 (no `with:`) on line 9 and expand
-- ${{ github.event.issue.title }} into a `run: |` script; <workspace>/docker-compose.yml must exist.
-- Checks: pushed pipeline diagnostics on the workflow, the persist-credentials quick fix applied by Neovim and
-- its finding gone after the incremental change, fix-all empty (no pipeline fix is safe unattended), a compose
-- file attached as yaml gets an empty diagnostics list, clean shutdown.
-- Exits 0 when every check passes, otherwise `cquit N` after printing the reason to stderr.
-- Environment: CG_SERVER_BUNDLE, CG_NODE, CG_TIMEOUT_MS as for lsp-check.lua.
-- Exit codes: 2 unexpected Lua error, 3 setup, 4 start/attach, 5 diagnostics, 6 code actions,
--             7 applying the fix, 8 server exit.

local script_dir = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h')
local common = dofile(script_dir .. '/common.lua')('pipeline-check')
local say, fail = common.say, common.fail
local server, node, timeout = common.server, common.node, common.timeout
local FIX_ALL = 'source.fixAll.containerGuard'
local PERSIST_TITLE = 'Set `persist-credentials: false` (later `git push` in this job stops working)'

local function main()
  if vim.fn.filereadable(server) ~= 1 then fail(3, 'server bundle not found: ' .. server) end
  local workflow = vim.api.nvim_buf_get_name(0)
  if workflow == '' then fail(3, 'no workflow given on the command line') end
  local root = vim.fn.getcwd()
  -- Other buffers may be opened while this one has unsaved changes.
  vim.o.hidden = true
  local compose = root .. '/docker-compose.yml'
  if vim.fn.filereadable(compose) ~= 1 then fail(3, 'no docker-compose.yml in ' .. root) end

  -- Every publishDiagnostics, by URI (to see the compose file's empty list arrive).
  local published = {}
  local default_handler = vim.lsp.handlers['textDocument/publishDiagnostics']
  vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
    if result then published[result.uri] = #result.diagnostics end
    return default_handler(err, result, ctx, config)
  end

  local exited = nil
  local client_id = vim.lsp.start_client({
    name = 'container-guard',
    cmd = { node, server, '--stdio' },
    root_dir = root,
    on_exit = function(code, signal) exited = { code = code, signal = signal } end,
  })
  if not client_id then fail(4, 'vim.lsp.start_client returned nil') end

  -- The user's config: every yaml buffer gets the server (it tells pipelines from other YAML itself).
  local attached = {}
  vim.api.nvim_create_autocmd('FileType', {
    pattern = 'yaml',
    callback = function(args)
      attached[args.buf] = vim.lsp.buf_attach_client(args.buf, client_id)
    end,
  })
  -- `-u NONE` leaves detection off; turn it on and read the file again so *.yml becomes yaml.
  vim.cmd('filetype on')
  vim.cmd('edit!')
  local bufnr = vim.api.nvim_get_current_buf()
  if vim.bo[bufnr].filetype ~= 'yaml' then fail(3, 'filetype of the workflow is ' .. vim.bo[bufnr].filetype) end
  if not attached[bufnr] then fail(4, 'the FileType yaml autocommand did not attach the server') end

  local function describe(buf)
    local parts = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do table.insert(parts, string.format('%s/%d@%d:%d-%d:%d', tostring(d.code), d.severity, d.lnum, d.col, d.end_lnum, d.end_col)) end
    table.sort(parts)
    return '[' .. table.concat(parts, ', ') .. ']'
  end
  local function find(code)
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do if d.code == code then return d end end
    return nil
  end

  -- 1. Pushed diagnostics: the unpinned checkout, its persisted token, the script injection.
  local arrived = vim.wait(timeout, function()
    return exited ~= nil or (find('pipeline-unpinned-action') ~= nil and find('pipeline-script-injection') ~= nil and find('pipeline-persisted-credentials') ~= nil)
  end, 20)
  if exited then fail(8, 'server exited early') end
  if not arrived then fail(5, 'no pipeline diagnostics within ' .. timeout .. ' ms; got ' .. describe(bufnr)) end
  local unpinned = find('pipeline-unpinned-action')
  local line = vim.api.nvim_buf_get_lines(bufnr, unpinned.lnum, unpinned.lnum + 1, false)[1]
  if line:sub(unpinned.col + 1, unpinned.end_col) ~= 'actions/checkout@v4' then
    fail(5, 'pipeline-unpinned-action covers "' .. line:sub(unpinned.col + 1, unpinned.end_col) .. '"')
  end
  say('diagnostics ' .. describe(bufnr))

  -- 2. The persist-credentials quick fix (a `changes` edit: 0.7.2 advertises no documentChanges), applied by Neovim.
  local persisted = find('pipeline-persisted-credentials')
  local range = { start = { line = persisted.lnum, character = persisted.col }, ['end'] = { line = persisted.end_lnum, character = persisted.end_col } }
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(bufnr),
    range = range,
    context = { diagnostics = { { range = range, severity = persisted.severity, code = persisted.code, source = persisted.source, message = persisted.message } } },
  }
  local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, timeout)
  local result = responses and responses[client_id] and responses[client_id].result
  if not result then fail(6, 'no codeAction result: ' .. vim.inspect(responses)) end
  local fix, titles = nil, {}
  for _, action in ipairs(result) do
    table.insert(titles, tostring(action.title) .. ' [' .. tostring(action.kind) .. ']')
    if action.title == PERSIST_TITLE then fix = action end
  end
  if not fix then fail(6, 'no persist-credentials quick fix among: ' .. table.concat(titles, '; ')) end
  say('code actions: ' .. table.concat(titles, '; '))
  vim.lsp.util.apply_workspace_edit(fix.edit, vim.lsp.get_client_by_id(client_id).offset_encoding or 'utf-16')
  local lines = vim.api.nvim_buf_get_lines(bufnr, persisted.lnum, persisted.lnum + 3, false)
  if lines[2] ~= '        with:' or lines[3] ~= '          persist-credentials: false' then fail(7, 'buffer after the quick fix: ' .. vim.inspect(lines)) end
  local cleared = vim.wait(timeout, function()
    return exited ~= nil or (find('pipeline-persisted-credentials') == nil and find('pipeline-unpinned-action') ~= nil)
  end, 20)
  if exited then fail(8, 'server exited after the edit') end
  if not cleared then fail(7, 'pipeline-persisted-credentials still reported after the fix: ' .. describe(bufnr)) end
  say('after quick fix ' .. describe(bufnr))

  -- 3. Fix-all: no pipeline fix is safe unattended, so there is nothing to apply on save.
  params.context = { diagnostics = {}, only = { FIX_ALL } }
  responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, timeout)
  local all = responses and responses[client_id] and responses[client_id].result
  if all == nil or #all ~= 0 then fail(6, 'fix-all on a pipeline should be empty: ' .. vim.inspect(responses)) end

  -- 4. A compose file is yaml too: attached, and its diagnostics list is empty.
  vim.cmd('edit ' .. vim.fn.fnameescape(compose))
  local compose_buf = vim.api.nvim_get_current_buf()
  if not attached[compose_buf] then fail(4, 'docker-compose.yml was not attached') end
  local compose_uri = vim.uri_from_bufnr(compose_buf)
  if not vim.wait(timeout, function() return exited ~= nil or published[compose_uri] ~= nil end, 20) then fail(5, 'nothing published for docker-compose.yml') end
  if published[compose_uri] ~= 0 or #vim.diagnostic.get(compose_buf) ~= 0 then fail(5, 'docker-compose.yml got diagnostics: ' .. describe(compose_buf)) end
  say('docker-compose.yml ' .. describe(compose_buf))

  -- 5. Graceful shutdown.
  vim.lsp.stop_client(client_id)
  vim.wait(timeout, function() return exited ~= nil end, 20)
  if not exited then fail(8, 'server did not exit after shutdown/exit') end
  if exited.code ~= 0 then fail(8, string.format('server exit code %s (signal %s)', tostring(exited.code), tostring(exited.signal))) end
  say('OK')
  vim.cmd('qa!')
end

common.run(main)
