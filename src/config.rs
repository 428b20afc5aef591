//! The project's configuration file: `unspun.toml` (or `.unspun.toml`), so that
//! a content repository says once what its checks are, and editors, hooks and
//! CI runs all check the same way.
//!
//! It is found from a folder upward ([`Config::discover`]): the CLI and the
//! language server look from the folder of each file they check (the current
//! folder for standard input), so a folder with a file of its own is checked
//! by it. Paths in it are relative to its folder. The faces
//! put their own settings over it: a threshold given as a flag replaces the
//! file's, lists given as flags (`--allow`, `--dict`, ...) are added to the
//! file's.
//!
//! ```toml
//! min-confidence = 0.6
//! fix-threshold = 0.7
//! dictionaries = ["house-style.tsv"]   # added to the built-in ones
//! only = ["spun-words", "house-style"]  # check with these dictionaries only
//! no-default-dictionaries = false
//! allow = ["arsenic", "spun-word/spun-words/volition"]
//! allow-files = ["allowed-words.txt"]
//! ignore = ["vendor/**", "archive/*.html"]
//! skip-quotes = true
//!
//! [markup]
//! "*.mdx" = "markdown"
//! "templates/**" = "html"
//! ```

use crate::Markup;
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The file names looked for, in order, in each folder.
pub const FILE_NAMES: [&str; 2] = ["unspun.toml", ".unspun.toml"];

/// The file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ConfigFile {
    min_confidence: Option<f64>,
    fix_threshold: Option<f64>,
    #[serde(default)]
    dictionaries: Vec<String>,
    #[serde(default)]
    only: Vec<String>,
    #[serde(default)]
    no_default_dictionaries: bool,
    #[serde(default)]
    allow: Vec<String>,
    #[serde(default)]
    allow_files: Vec<String>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    skip_quotes: bool,
    #[serde(default)]
    markup: std::collections::BTreeMap<String, String>,
}

/// A configuration file, read and checked.
#[derive(Debug)]
pub struct Config {
    /// The file.
    pub path: PathBuf,
    /// Its folder: what its paths and globs are relative to.
    pub root: PathBuf,
    pub min_confidence: Option<f64>,
    pub fix_threshold: Option<f64>,
    /// Dictionary files, resolved against `root`.
    pub dictionaries: Vec<String>,
    pub only: Vec<String>,
    pub no_default_dictionaries: bool,
    pub allow: Vec<String>,
    /// Allowlist files, resolved against `root`.
    pub allow_files: Vec<String>,
    pub skip_quotes: bool,
    ignore: GlobSet,
    markup: Vec<(GlobSet, Markup)>,
}

/// Adds `pattern` to `set`. A pattern without a slash matches a file name in
/// any folder, as in .gitignore.
fn add_glob(set: &mut GlobSetBuilder, pattern: &str, path: &Path) -> Result<(), String> {
    let glob = Glob::new(pattern)
        .map_err(|e| format!("{}: the glob {pattern:?} is not valid: {e}", path.display()))?;
    set.add(glob);
    if !pattern.contains('/') {
        set.add(Glob::new(&format!("**/{pattern}")).expect("a valid glob stays valid"));
    }
    Ok(())
}

fn build_set(set: GlobSetBuilder, path: &Path) -> Result<GlobSet, String> {
    set.build().map_err(|e| format!("{}: {e}", path.display()))
}

impl Config {
    /// The configuration that applies from folder `start`: the first file
    /// found there or above, read; `None` when there is none.
    pub fn discover(start: &Path) -> Result<Option<Config>, String> {
        let start = std::fs::canonicalize(start).unwrap_or_else(|_| start.to_owned());
        for folder in start.ancestors() {
            for name in FILE_NAMES {
                let path = folder.join(name);
                if path.is_file() {
                    return Config::read(&path).map(Some);
                }
            }
        }
        Ok(None)
    }

    /// Reads and checks the configuration file at `path`.
    pub fn read(path: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: cannot read it: {e}", path.display()))?;
        let file: ConfigFile =
            toml::from_str(&text).map_err(|e| format!("{}: {}", path.display(), e.message()))?;
        let root = path.parent().unwrap_or(Path::new(".")).to_owned();
        for (name, value) in [
            ("min-confidence", file.min_confidence),
            ("fix-threshold", file.fix_threshold),
        ] {
            if value.is_some_and(|v| !(0.0..=1.0).contains(&v)) {
                return Err(format!("{}: {name} must be within 0..1", path.display()));
            }
        }
        let resolve = |p: &String| root.join(p).to_string_lossy().into_owned();
        let mut ignore = GlobSetBuilder::new();
        for pattern in &file.ignore {
            add_glob(&mut ignore, pattern, path)?;
        }
        let ignore = build_set(ignore, path)?;
        let mut markup = Vec::new();
        for (pattern, format) in &file.markup {
            let format: Markup = format.parse().map_err(|_| {
                format!(
                    "{}: markup {format:?} for {pattern:?} is not text, markdown or html",
                    path.display()
                )
            })?;
            let mut set = GlobSetBuilder::new();
            add_glob(&mut set, pattern, path)?;
            markup.push((build_set(set, path)?, format));
        }
        Ok(Config {
            path: path.to_owned(),
            min_confidence: file.min_confidence,
            fix_threshold: file.fix_threshold,
            dictionaries: file.dictionaries.iter().map(resolve).collect(),
            only: file.only,
            no_default_dictionaries: file.no_default_dictionaries,
            allow: file.allow,
            allow_files: file.allow_files.iter().map(resolve).collect(),
            skip_quotes: file.skip_quotes,
            ignore,
            markup,
            root,
        })
    }

    /// `path` relative to the configuration's folder, if it lies inside it.
    fn relative(&self, path: &Path) -> Option<PathBuf> {
        let absolute = std::fs::canonicalize(path).ok()?;
        let root = std::fs::canonicalize(&self.root).ok()?;
        absolute.strip_prefix(root).ok().map(Path::to_owned)
    }

    /// Whether the file at `path` is left unchecked by `ignore`.
    pub fn ignores(&self, path: &Path) -> bool {
        self.relative(path)
            .is_some_and(|relative| self.ignore.is_match(relative))
    }

    /// The markup the file's globs give `path`, if one matches (the first
    /// pattern in the file's order of keys wins).
    pub fn markup_for(&self, path: &Path) -> Option<Markup> {
        let relative = self.relative(path)?;
        self.markup
            .iter()
            .find(|(set, _)| set.is_match(&relative))
            .map(|(_, markup)| *markup)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn the_nearest_file_upward_applies_and_its_paths_are_its_own() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "unspun.toml", "allow = [\"outer\"]\n");
        write(
            dir.path(),
            "site/.unspun.toml",
            "allow = [\"inner\"]\nallow-files = [\"words.txt\"]\nignore = [\"vendor/**\", \"*.min.html\"]\n[markup]\n\"*.mdx\" = \"markdown\"\n",
        );
        let deep = dir.path().join("site/posts/2026");
        std::fs::create_dir_all(&deep).unwrap();
        let config = Config::discover(&deep).unwrap().unwrap();
        assert_eq!(config.allow, ["inner"]);
        assert!(config.allow_files[0].ends_with("site/words.txt"));
        let vendored = write(dir.path(), "site/vendor/a.md", "x");
        let minified = write(dir.path(), "site/posts/b.min.html", "x");
        let post = write(dir.path(), "site/posts/c.mdx", "x");
        assert!(config.ignores(&vendored) && config.ignores(&minified));
        assert!(!config.ignores(&post));
        assert_eq!(config.markup_for(&post), Some(Markup::Markdown));
        assert_eq!(config.markup_for(&vendored), None);
        let outer = Config::discover(dir.path()).unwrap().unwrap();
        assert_eq!(outer.allow, ["outer"]);
    }

    #[test]
    fn mistakes_are_reported_with_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let error = |text: &str| {
            let path = write(dir.path(), "unspun.toml", text);
            Config::read(&path).unwrap_err()
        };
        assert!(error("min-confidense = 0.5\n").contains("unknown field"));
        assert!(error("min-confidence = 2.0\n").contains("within 0..1"));
        assert!(error("ignore = [\"a[\"]\n").contains("not valid"));
        assert!(error("[markup]\n\"*.x\" = \"rtf\"\n").contains("not text, markdown or html"));
        assert!(error("allow = \"one\"\n").contains("unspun.toml"));
    }
}
