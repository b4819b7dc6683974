-- What the Neovim check scripts share: reporting on stdout/stderr, failing with an exit code, and where the
-- server bundle and node are (CG_SERVER_BUNDLE, CG_NODE, CG_TIMEOUT_MS). Loaded with dofile by each script.
return function(prefix)
  local common = {}
  function common.say(message)
    io.stdout:write(prefix .. ': ' .. message .. '\n')
    io.stdout:flush()
  end
  function common.fail(code, message)
    io.stderr:write(prefix .. ': FAIL (' .. code .. '): ' .. message .. '\n')
    io.stderr:flush()
    vim.cmd('cquit ' .. code)
    -- cquit exits at once; never fall through to the next check.
    error('cquit did not exit')
  end
  local here = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h')
  local repo = vim.fn.fnamemodify(here, ':h:h')
  common.server = os.getenv('CG_SERVER_BUNDLE') or (repo .. '/dist/server.js')
  common.node = os.getenv('CG_NODE') or 'node'
  common.timeout = tonumber(os.getenv('CG_TIMEOUT_MS') or '') or 10000
  -- Runs `main`, turning an unexpected Lua error into exit code 2.
  function common.run(main)
    local ok, err = pcall(main)
    if not ok then
      io.stderr:write(prefix .. ': FAIL (2): ' .. tostring(err) .. '\n')
      io.stderr:flush()
      vim.cmd('cquit 2')
    end
  end
  return common
end
