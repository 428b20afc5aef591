//! `unspun.toml` changes what `check` and `fix` flag, as the README documents:
//! found from the first file's folder upward, flags over it, globs for paths
//! to ignore and for markup, and `check` with no files (and nothing piped)
//! checks the project's tracked text files.

use std::path::Path;
use std::process::{Command, Stdio};

const SPUN: &str = "The mayor volition visit Lisbon connected Friday.\n";

fn check(dir: &Path, args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_unspun"))
        .current_dir(dir)
        .arg("check")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}

fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("posts/drafts")).unwrap();
    std::fs::write(dir.path().join("posts/story.md"), SPUN).unwrap();
    std::fs::write(dir.path().join("posts/drafts/wip.md"), SPUN).unwrap();
    std::fs::write(
        dir.path().join("posts/page.mdx"),
        format!("Intro.\n\n```\n{SPUN}```\n"),
    )
    .unwrap();
    dir
}

#[test]
fn without_a_configuration_every_artifact_is_flagged() {
    let dir = tree();
    let (code, out) = check(dir.path(), &["posts/story.md", "posts/page.mdx"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("posts/story.md:1:11: volition -> will"),
        "{out}"
    );
    // .mdx is plain text by its extension: the fenced line is checked.
    assert!(out.contains("posts/page.mdx:4:"), "{out}");
}

#[test]
fn the_configuration_allows_ignores_sets_thresholds_and_markup() {
    let dir = tree();
    std::fs::write(
        dir.path().join("unspun.toml"),
        "allow = [\"volition\"]\nignore = [\"posts/drafts/**\"]\n[markup]\n\"*.mdx\" = \"markdown\"\n",
    )
    .unwrap();
    let (code, out) = check(
        dir.path(),
        &["posts/story.md", "posts/drafts/wip.md", "posts/page.mdx"],
    );
    assert_eq!(code, 1, "{out}");
    assert!(!out.contains("volition ->"), "allowed: {out}");
    assert!(
        out.contains("posts/story.md:1:33: connected -> on"),
        "{out}"
    );
    assert!(!out.contains("wip.md"), "ignored: {out}");
    assert!(
        out.contains("posts/page.mdx: clean"),
        "a code block in Markdown: {out}"
    );

    // A threshold in the file, and a flag over it.
    std::fs::write(
        dir.path().join("posts/.unspun.toml"),
        "min-confidence = 0.95\n",
    )
    .unwrap();
    let (code, out) = check(dir.path(), &["posts/story.md"]);
    assert_eq!(code, 0, "the nearer file applies: {out}");
    let (code, _) = check(dir.path(), &["posts/story.md", "--min-confidence", "0.2"]);
    assert_eq!(code, 1);
    let (code, _) = check(dir.path(), &["posts/story.md", "--no-config"]);
    assert_eq!(code, 1);
    // A mistake in the file is an input error naming it.
    std::fs::write(
        dir.path().join("posts/.unspun.toml"),
        "min-confidense = 0.95\n",
    )
    .unwrap();
    let (code, out) = check(dir.path(), &["posts/story.md"]);
    assert_eq!(code, 2);
    assert!(
        out.contains(".unspun.toml") && out.contains("unknown field"),
        "{out}"
    );
}

#[test]
fn each_file_is_checked_by_the_configuration_nearest_to_it() {
    let dir = tree();
    std::fs::create_dir_all(dir.path().join("docs")).unwrap();
    std::fs::write(dir.path().join("docs/guide.md"), SPUN).unwrap();
    std::fs::write(dir.path().join("unspun.toml"), "allow = [\"volition\"]\n").unwrap();
    std::fs::write(
        dir.path().join("docs/unspun.toml"),
        "allow = [\"connected\"]\n",
    )
    .unwrap();
    let (code, out) = check(dir.path(), &["posts/story.md", "docs/guide.md"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("posts/story.md:1:33: connected -> on"),
        "{out}"
    );
    assert!(!out.contains("posts/story.md:1:11"), "{out}");
    assert!(
        out.contains("docs/guide.md:1:11: volition -> will"),
        "{out}"
    );
    assert!(!out.contains("docs/guide.md:1:33"), "{out}");
}

#[test]
fn fix_follows_the_configuration_too() {
    let dir = tree();
    std::fs::write(dir.path().join("unspun.toml"), "allow = [\"volition\"]\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_unspun"))
        .current_dir(dir.path())
        .args(["fix", "posts/story.md"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "The mayor volition visit Lisbon on Friday.\n"
    );
}

#[test]
fn with_no_files_and_a_terminal_the_tracked_text_files_are_checked() {
    let has = |p: &str| {
        Command::new("sh")
            .args(["-c", &format!("command -v {p}")])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    assert!(
        has("git") && has("script"),
        "git and script (util-linux) are needed"
    );
    let dir = tree();
    std::fs::write(
        dir.path().join("unspun.toml"),
        "ignore = [\"**/drafts/**\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("notes.rs"),
        "// The mayor volition visit.\n",
    )
    .unwrap();
    let git = |args: &[&str]| {
        assert!(Command::new("git")
            .current_dir(dir.path())
            .args(args)
            .stdout(Stdio::null())
            .status()
            .unwrap()
            .success());
    };
    git(&["init", "-q"]);
    git(&[
        "add",
        "posts/story.md",
        "posts/drafts/wip.md",
        "notes.rs",
        "unspun.toml",
    ]);
    std::fs::write(dir.path().join("posts/untracked.md"), SPUN).unwrap();
    // `script` gives the command a terminal, as a user typing it has.
    let output = Command::new("script")
        .current_dir(dir.path())
        .args(["-qec"])
        .arg(format!(
            "{} check --color never",
            env!("CARGO_BIN_EXE_unspun")
        ))
        .arg("/dev/null")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(
        out.contains("posts/story.md:1:11: volition -> will"),
        "{out}"
    );
    assert!(!out.contains("wip.md"), "ignored: {out}");
    assert!(!out.contains("notes.rs"), "not prose: {out}");
    assert!(!out.contains("untracked.md"), "not tracked: {out}");
}
