//! `fix --write`: putting the fixed text in place of the file without losing
//! anything and without touching any other file.
//!
//! The rules, as users of `rustfmt` and `typos --write-changes` expect them,
//! with the safety of `sed -i`'s replace-by-rename:
//!
//! - The new contents go to a temporary file created exclusively, under an
//!   unpredictable name, in the file's own directory (`tempfile`), are flushed
//!   to disk and renamed over the file: a crash leaves the old file or the new
//!   one. Nothing else in the directory is opened, so a link planted there
//!   cannot redirect the write.
//! - The temporary file gets the original's owner and group (when the user may
//!   give them: as root, always) and then its mode, through its own handle;
//!   when the owner cannot be kept the file is not rewritten.
//! - A file that changed while it was being checked (another identity, size,
//!   modification time, or contents, looked at again just before the rename)
//!   is not rewritten: the text that was checked is no longer the file's.
//! - A read-only file (no write permission for anyone, such as 0444) is not
//!   rewritten, even by root: read-only says "do not change".
//! - A symbolic link is followed: its target is fixed and the link stays, as an
//!   editor saving through a link does.
//! - A file with several hard links is rewritten in place, through the handle
//!   it was checked by, so that every name keeps seeing one file (this write is
//!   not atomic: a crash during it can leave part of the old contents).

use std::fs::{File, Metadata, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::time::SystemTime;

/// What identifies a regular file and its state when it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStamp {
    dev: u64,
    ino: u64,
    len: u64,
    modified: Option<SystemTime>,
}

impl FileStamp {
    /// The stamp of the file `meta` describes.
    pub fn of(meta: &Metadata) -> Self {
        FileStamp {
            dev: meta.dev(),
            ino: meta.ino(),
            len: meta.len(),
            modified: meta.modified().ok(),
        }
    }
}

/// Replaces the contents of the file at `path` (which was read as `original`
/// and stamped `stamp`) with `new`, following the rules in the module docs.
/// The error says why the file was left as it was.
pub fn rewrite(path: &str, stamp: &FileStamp, original: &[u8], new: &[u8]) -> Result<(), String> {
    // A link is followed once, here; every later step names the target itself.
    let target = std::fs::canonicalize(path).map_err(|e| format!("cannot resolve it: {e}"))?;
    let meta = std::fs::metadata(&target).map_err(|e| e.to_string())?;
    if meta.permissions().mode() & 0o222 == 0 {
        return Err(format!(
            "is read-only (mode {:04o}); not rewritten (make it writable to let --write change it)",
            meta.permissions().mode() & 0o7777
        ));
    }
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(&target)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::PermissionDenied => "permission denied; not rewritten".into(),
            _ => format!("cannot open it for writing: {e}"),
        })?;
    let meta = file.metadata().map_err(|e| e.to_string())?;
    ensure_unchanged(&target, &mut file, stamp, original)?;
    if meta.nlink() > 1 {
        return rewrite_in_place(&mut file, new).map_err(|e| e.to_string());
    }
    replace(&target, &meta, &mut file, stamp, original, new)
}

const CHANGED: &str =
    "changed while it was being checked; not rewritten (check it again to fix the new contents)";

/// Refuses when the file at `target`, or the one open as `file`, is no longer
/// the file of `stamp` with the contents `original`.
fn ensure_unchanged(
    target: &Path,
    file: &mut File,
    stamp: &FileStamp,
    original: &[u8],
) -> Result<(), String> {
    let at_path = std::fs::symlink_metadata(target).map_err(|e| format!("{CHANGED}: {e}"))?;
    let open = file.metadata().map_err(|e| e.to_string())?;
    if FileStamp::of(&at_path) != *stamp || FileStamp::of(&open) != *stamp {
        return Err(CHANGED.into());
    }
    // The same size and time can still hide a change made within the clock's
    // resolution: compare the bytes too.
    file.seek(SeekFrom::Start(0)).map_err(|e| e.to_string())?;
    let mut now = Vec::with_capacity(original.len() + 1);
    Read::take(&mut *file, original.len() as u64 + 1)
        .read_to_end(&mut now)
        .map_err(|e| e.to_string())?;
    if now != original {
        return Err(CHANGED.into());
    }
    Ok(())
}

fn rewrite_in_place(file: &mut File, new: &[u8]) -> std::io::Result<()> {
    file.seek(SeekFrom::Start(0))?;
    file.write_all(new)?;
    file.set_len(new.len() as u64)?;
    file.sync_all()
}

/// Writes `new` to a fresh temporary file beside `target` with `meta`'s owner
/// and mode, checks once more that the file is unchanged, and renames.
fn replace(
    target: &Path,
    meta: &Metadata,
    file: &mut File,
    stamp: &FileStamp,
    original: &[u8],
    new: &[u8],
) -> Result<(), String> {
    let dir = target.parent().unwrap_or(Path::new("/"));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut temp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".unspun.tmp")
        .tempfile_in(dir)
        .map_err(|e| format!("cannot create a temporary file in {}: {e}", dir.display()))?;
    let io = |e: std::io::Error| format!("writing the temporary file: {e}");
    temp.write_all(new).map_err(io)?;
    let handle = temp.as_file();
    let created = handle.metadata().map_err(io)?;
    if (created.uid(), created.gid()) != (meta.uid(), meta.gid()) {
        std::os::unix::fs::fchown(handle, Some(meta.uid()), Some(meta.gid())).map_err(|e| {
            format!(
                "cannot keep its owner {}:{} ({e}); not rewritten",
                meta.uid(),
                meta.gid()
            )
        })?;
    }
    // After the owner: changing the owner clears set-user-ID bits.
    handle
        .set_permissions(std::fs::Permissions::from_mode(
            meta.permissions().mode() & 0o7777,
        ))
        .map_err(io)?;
    handle.sync_all().map_err(io)?;
    ensure_unchanged(target, file, stamp, original)?;
    temp.persist(target)
        .map_err(|e| format!("cannot rename the temporary file over it: {}", e.error))?;
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}
