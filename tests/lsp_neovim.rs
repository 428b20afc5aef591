//! `unspun lsp` in a real editor: Neovim's built-in LSP client, headless,
//! opens a spun Markdown file with an emoji before the artifact, gets the
//! diagnostics at the right place (the client converts the server's UTF-16
//! columns to bytes, so a server counting anything else lands elsewhere),
//! applies the quick fix, then "fix all", and writes the buffer.
//!
//! Needs Neovim 0.7 or later (Debian `neovim`; `.ci/run` installs it).

mod common;

use std::path::Path;
use std::process::Command;

const SCRIPT: &str = r#"
local server, file, report = SERVER, FILE, REPORT
local out = {}
local function finish(status)
  out.status = status
  local f = io.open(report, 'w')
  f:write(vim.fn.json_encode(out))
  f:close()
  vim.cmd('qall!')
end
vim.cmd('edit ' .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local client = vim.lsp.start_client({
  name = 'unspun',
  cmd = { server, 'lsp' },
  root_dir = vim.fn.fnamemodify(file, ':h'),
})
vim.lsp.buf_attach_client(buf, client)
local got = vim.wait(20000, function() return #vim.diagnostic.get(buf) >= 2 end, 20)
if not got then return finish('no diagnostics') end
local diagnostics = vim.diagnostic.get(buf)
table.sort(diagnostics, function(a, b) return a.col < b.col end)
out.diagnostics = {}
for _, d in ipairs(diagnostics) do
  table.insert(out.diagnostics, { lnum = d.lnum, col = d.col, end_col = d.end_col, source = d.source, message = d.message })
end
local function actions_at(d)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = { start = { line = d.lnum, character = 0 }, ['end'] = { line = d.lnum, character = 0 } },
    context = { diagnostics = {} },
  }
  -- The range in the server's encoding (UTF-16): where the client says the span is.
  local line = vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, false)[1]
  local _, start16 = vim.str_utfindex(line, d.col)
  params.range.start.character = start16
  params.range['end'].character = start16
  local answers = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 10000)
  for _, answer in pairs(answers or {}) do
    if answer.result then return answer.result end
  end
  return {}
end
local first = diagnostics[1]
local replaced = false
for _, action in ipairs(actions_at(first)) do
  if action.isPreferred and action.edit then
    vim.lsp.util.apply_workspace_edit(action.edit, 'utf-16')
    replaced = action.title
    break
  end
end
out.replaced = replaced
out.after_one = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
-- Wait for the diagnostics of the changed text, then fix the rest.
vim.wait(20000, function() return #vim.diagnostic.get(buf) == 1 end, 20)
local rest = vim.diagnostic.get(buf)[1]
if rest then
  for _, action in ipairs(actions_at(rest)) do
    if action.title:match('^Fix all') then
      vim.lsp.util.apply_workspace_edit(action.edit, 'utf-16')
      out.fixed_all = action.title
    end
  end
end
vim.cmd('write')
finish('ok')
"#;

fn lua_string(s: &str) -> String {
    format!("{s:?}")
}

#[test]
fn neovim_shows_the_diagnostics_in_place_and_applies_the_quick_fixes() {
    let has_nvim = Command::new("nvim")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_nvim {
        return common::skip("Neovim is not installed (apt-get install neovim)");
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("story.md");
    std::fs::write(
        &file,
        "# Visit\n\n😀 The mayor volition visit Lisbon connected Friday.\n",
    )
    .unwrap();
    let report = dir.path().join("report.json");
    let script = SCRIPT
        .replace("SERVER", &lua_string(env!("CARGO_BIN_EXE_unspun")))
        .replace("FILE", &lua_string(file.to_str().unwrap()))
        .replace("REPORT", &lua_string(report.to_str().unwrap()));
    let script_path = dir.path().join("drive.lua");
    std::fs::write(&script_path, script).unwrap();
    let output = Command::new("nvim")
        .args(["--headless", "--clean", "-n", "-c"])
        .arg(format!("luafile {}", script_path.display()))
        .current_dir(dir.path())
        .env("XDG_STATE_HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path())
        .output()
        .expect("nvim runs");
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let report = std::fs::read_to_string(&report)
        .unwrap_or_else(|_| panic!("the script wrote no report:\n{log}"));
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(report["status"], "ok", "{report}\n{log}");
    // "😀 The mayor " is 15 bytes (the emoji is 4): the client's byte column.
    let first = &report["diagnostics"][0];
    assert_eq!(
        (first["lnum"].as_u64(), first["col"].as_u64()),
        (Some(2), Some(15)),
        "{report}"
    );
    assert_eq!(first["end_col"], 23, "{report}");
    assert_eq!(first["source"], "unspun");
    assert_eq!(
        report["replaced"], "Replace “volition” with “will”",
        "{report}"
    );
    assert_eq!(
        report["after_one"][2], "😀 The mayor will visit Lisbon connected Friday.",
        "{report}"
    );
    assert!(
        report["fixed_all"]
            .as_str()
            .is_some_and(|t| t.starts_with("Fix all 1 artifact")),
        "{report}"
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "# Visit\n\n😀 The mayor will visit Lisbon on Friday.\n"
    );
    assert!(Path::new(&file).exists());
}
