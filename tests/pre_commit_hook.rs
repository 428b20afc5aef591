//! The pre-commit hook (`.pre-commit-hooks.yaml`) works as a user meets it:
//! `pre-commit try-repo` builds unspun from this repository, fails a scratch
//! repository's commit of a spun Markdown file, and passes it once the file
//! is fixed.
//!
//! Needs git and pre-commit (`tests/requirements.txt`, in `.venv`).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.email=editor@example.org",
            "-c",
            "user.name=Editor",
        ])
        .args(args)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

/// Runs the hook from this checkout on `file` of `repo`: (passed, output).
fn try_repo(pre_commit: &Path, repo: &Path, home: &Path, file: &str) -> (bool, String) {
    // The hook's build shares this checkout's target folder, so that only
    // unspun itself is compiled again.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    let output = Command::new(pre_commit)
        .current_dir(repo)
        .args(["try-repo"])
        .arg(root())
        .args(["unspun", "--files", file])
        .env("PRE_COMMIT_HOME", home)
        .env("CARGO_TARGET_DIR", target)
        .output()
        .expect("pre-commit runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[test]
fn the_hook_fails_a_spun_file_and_passes_it_once_fixed() {
    let pre_commit = root().join(".venv/bin/pre-commit");
    if !pre_commit.is_file() {
        return common::skip(
            "pre-commit is not installed (python3 -m venv .venv && .venv/bin/pip install -r tests/requirements.txt)",
        );
    }
    let scratch = tempfile::tempdir().unwrap();
    let repo = scratch.path().join("newsroom");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    std::fs::write(
        repo.join("story.md"),
        "# Visit\n\nThe mayor volition visit Lisbon connected Friday.\n",
    )
    .unwrap();
    git(&repo, &["add", "story.md"]);
    git(&repo, &["commit", "-qm", "draft"]);

    let home = scratch.path().join("pre-commit-home");
    let (passed, output) = try_repo(&pre_commit, &repo, &home, "story.md");
    assert!(!passed, "a spun file passed the hook:\n{output}");
    assert!(
        output.contains("story.md:3:11: volition -> will"),
        "{output}"
    );

    let fixed = Command::new(env!("CARGO_BIN_EXE_unspun"))
        .current_dir(&repo)
        .args(["fix", "--write", "story.md"])
        .status()
        .unwrap();
    assert_eq!(
        fixed.code(),
        Some(1),
        "exit 1: artifacts were found (and fixed)"
    );
    assert_eq!(
        std::fs::read_to_string(repo.join("story.md")).unwrap(),
        "# Visit\n\nThe mayor will visit Lisbon on Friday.\n"
    );
    git(&repo, &["commit", "-qam", "fixed"]);
    let (passed, output) = try_repo(&pre_commit, &repo, &home, "story.md");
    assert!(passed, "the fixed file failed the hook:\n{output}");
    assert!(output.contains("Passed"), "{output}");
}
