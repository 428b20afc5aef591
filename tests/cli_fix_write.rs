//! `unspun fix --write` run as a process against real files: it replaces
//! exactly the file it was asked to fix, with the fixed text, keeping what a
//! user expects kept (owner, mode, links), and refuses rather than lose data.
#![cfg(unix)]

use std::fs;
use std::io::Write;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Output};

const SPUN: &str = "Noem will travel to Mexico connected Friday to conscionable with Sheinbaum.\n";
const FIXED: &str = "Noem will travel to Mexico on Friday to meet with Sheinbaum.\n";

fn unspun(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_unspun"))
        .args(args)
        .output()
        .expect("the unspun binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

fn mode(path: &Path) -> u32 {
    fs::symlink_metadata(path).unwrap().permissions().mode() & 0o7777
}

/// Whether the tests run as root, where ownership can be given away; outside
/// CI a non-root run skips the tests that need it, saying so.
fn root_or_skip(test: &str) -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    let root = unsafe { libc::geteuid() } == 0;
    if !root {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{test} needs root under CI"
        );
        eprintln!("skipping {test}: needs root to give a file another owner");
    }
    root
}

#[test]
fn fixes_a_regular_file_and_leaves_no_temporary_file_behind() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.txt");
    fs::write(&file, SPUN).unwrap();
    let out = unspun(&["fix", "--write", path_str(&file)]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(&file).unwrap(), FIXED);
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["a.txt"]);
}

#[test]
fn links_planted_under_the_old_predictable_temporary_names_are_never_followed() {
    // Another user who can write the directory plants links named like the
    // temporary file of every process id likely to come next.
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim");
    fs::write(&victim, "secret\n").unwrap();
    fs::set_permissions(&victim, fs::Permissions::from_mode(0o600)).unwrap();
    let file = dir.path().join("a.txt");
    fs::write(&file, SPUN).unwrap();
    let last_pid: u32 = fs::read_to_string("/proc/sys/kernel/ns_last_pid")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0);
    for pid in last_pid + 1..last_pid + 3000 {
        std::os::unix::fs::symlink(&victim, dir.path().join(format!(".a.txt.unspun-{pid}.tmp")))
            .unwrap();
    }
    let out = unspun(&["fix", "--write", path_str(&file)]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(&victim).unwrap(), "secret\n");
    assert_eq!(mode(&victim), 0o600);
    let meta = fs::symlink_metadata(&file).unwrap();
    assert!(meta.file_type().is_file(), "a.txt must stay a regular file");
    assert_eq!(fs::read_to_string(&file).unwrap(), FIXED);
}

#[test]
fn a_line_appended_while_the_file_is_checked_is_not_lost() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("log.txt");
    // Large enough that checking it takes many times the appender's period.
    fs::write(&file, SPUN.repeat(20_000)).unwrap();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let appender = {
        let (file, done) = (file.clone(), done.clone());
        std::thread::spawn(move || {
            let mut log = fs::OpenOptions::new().append(true).open(&file).unwrap();
            let mut lines = Vec::new();
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                let line = format!("appended line {}\n", lines.len());
                log.write_all(line.as_bytes()).unwrap();
                lines.push(line);
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
            lines
        })
    };
    let out = unspun(&["fix", "--write", path_str(&file)]);
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let appended = appender.join().unwrap();
    let now = fs::read_to_string(&file).unwrap();
    assert!(appended.len() > 1);
    for line in &appended {
        assert!(now.contains(line.as_str()), "lost {line:?}");
    }
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("changed while it was being checked; not rewritten"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_read_only_file_is_refused_even_for_root_and_the_next_file_is_still_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let locked = dir.path().join("locked.txt");
    let open = dir.path().join("open.txt");
    fs::write(&locked, SPUN).unwrap();
    fs::write(&open, SPUN).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o444)).unwrap();
    let out = unspun(&["fix", "--write", path_str(&locked), path_str(&open)]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("locked.txt: is read-only (mode 0444); not rewritten"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read_to_string(&locked).unwrap(), SPUN);
    assert_eq!(mode(&locked), 0o444);
    assert_eq!(fs::read_to_string(&open).unwrap(), FIXED);
}

#[test]
fn owner_group_and_mode_are_kept() {
    if !root_or_skip("owner_group_and_mode_are_kept") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("theirs.txt");
    fs::write(&file, SPUN).unwrap();
    std::os::unix::fs::chown(&file, Some(4321), Some(4322)).unwrap();
    fs::set_permissions(&file, fs::Permissions::from_mode(0o640)).unwrap();
    let out = unspun(&["fix", "--write", path_str(&file)]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let meta = fs::metadata(&file).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (4321, 4322));
    assert_eq!(mode(&file), 0o640);
    assert_eq!(fs::read_to_string(&file).unwrap(), FIXED);
}

#[test]
fn a_symbolic_link_is_followed_its_target_fixed_and_the_link_kept() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("real")).unwrap();
    let target = dir.path().join("real/target.txt");
    fs::write(&target, SPUN).unwrap();
    let link = dir.path().join("link.txt");
    std::os::unix::fs::symlink("real/target.txt", &link).unwrap();
    let out = unspun(&["fix", "--write", path_str(&link)]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(fs::read_link(&link).unwrap(), Path::new("real/target.txt"));
    assert_eq!(fs::read_to_string(&target).unwrap(), FIXED);
    let left: Vec<_> = fs::read_dir(dir.path().join("real"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["target.txt"]);
}

#[test]
fn hard_links_stay_one_file_that_every_name_sees_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.txt");
    let second = dir.path().join("second.txt");
    fs::write(&first, SPUN).unwrap();
    fs::hard_link(&first, &second).unwrap();
    let inode = fs::metadata(&first).unwrap().ino();
    let out = unspun(&["fix", "--write", path_str(&first)]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    for name in [&first, &second] {
        let meta = fs::metadata(name).unwrap();
        assert_eq!((meta.ino(), meta.nlink()), (inode, 2));
        assert_eq!(fs::read_to_string(name).unwrap(), FIXED);
    }
}

#[test]
fn a_clean_file_is_not_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("clean.txt");
    fs::write(&file, "The minister will visit Lisbon on Tuesday.\n").unwrap();
    let before = fs::metadata(&file).unwrap();
    let out = unspun(&["fix", "--write", path_str(&file)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let after = fs::metadata(&file).unwrap();
    assert_eq!(before.ino(), after.ino());
    assert_eq!(before.modified().unwrap(), after.modified().unwrap());
}

#[test]
fn a_named_pipe_is_read_but_never_replaced_by_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    let c_path = std::ffi::CString::new(path_str(&fifo)).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo only creates the node.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::write(&fifo, SPUN).unwrap())
    };
    let out = unspun(&["fix", "--write", path_str(&fifo)]);
    writer.join().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("not a regular file; --write rewrites only regular files"),
        "{}",
        stderr(&out)
    );
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
}
