//! The library's one error type.
//!
//! Faces render it their own way: the CLI as a one-line message, the HTTP server as
//! a problem-details body.

/// Everything that can go wrong when building a [`crate::Checker`] or validating
/// [`crate::CheckOptions`]. Checking a text itself never fails.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A dictionary or allowlist file is malformed.
    #[error("{path}:{line}: {reason}")]
    Dictionary {
        /// The file name as given.
        path: String,
        /// 1-based line number of the offending line.
        line: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// A dictionary file takes the name of a built-in dictionary, which would
    /// silently put it in the built-in's place.
    #[error(
        "{path}: the dictionary name `{name}` is taken by a built-in dictionary; \
         give the file a name of its own (`#! name: ...`), or leave the built-in \
         dictionaries out to use it instead"
    )]
    DictionaryNameTaken {
        /// The file name as given.
        path: String,
        /// The name in its header (or its file stem).
        name: String,
    },
    /// A file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file name as given.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// An option names a dictionary that is not loaded.
    #[error("unknown dictionary '{name}' (known: {known})")]
    UnknownDictionary {
        /// The name asked for.
        name: String,
        /// The loaded dictionaries' names, comma-separated.
        known: String,
    },
    /// An option has a value out of its range.
    #[error("invalid value for {option}: {reason}")]
    InvalidOption {
        /// The option's name.
        option: &'static str,
        /// Why the value is refused.
        reason: String,
    },
}

/// `Result` with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
