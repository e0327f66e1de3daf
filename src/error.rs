//! The crate's one error type.
//!
//! User errors (bad input: a malformed file, an invalid threshold, an unknown format) are kept apart from
//! internal ones (I/O, a corrupt index). Every variant carries the context a user needs to fix the problem.

use std::path::PathBuf;

/// `Result` with the crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// Everything that can go wrong in saring.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An argument or option is out of its valid range (thresholds, limits, query fields).
    #[error("invalid input: {0}")]
    InvalidInput(String),

    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },

    /// A list file could not be read at all (wrong format, truncated, wrong encoding).
    #[error("{}: {reason}", file.display())]
    ListFormat {
        /// The file involved.
        file: PathBuf,
        /// Why it is not a readable list.
        reason: String,
    },

    /// One record of a list, or one row of an input file, is malformed.
    #[error("{}:{line}: {reason}", file.display())]
    ListParse {
        /// The file involved.
        file: PathBuf,
        /// Line (or record number, for XML) where the problem is.
        line: u64,
        /// What is wrong.
        reason: String,
    },

    /// An index file has another format version.
    #[error(
        "{}: index format version {got}, this build reads {}; rebuild the index with `saring index`",
        path.display(),
        readable_versions(*oldest, *expected)
    )]
    IndexVersion {
        /// The index file.
        path: PathBuf,
        /// The version this build writes, the newest it reads.
        expected: u32,
        /// The oldest version the open accepted: `expected` itself, except for
        /// [`Index::open_older`](crate::index::Index::open_older).
        oldest: u32,
        /// The version found in the file.
        got: u32,
    },

    /// An index file is truncated, fails its checksum or is otherwise unreadable.
    #[error("{}: corrupt index: {reason}", path.display())]
    IndexCorrupt {
        /// The index file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },

    /// A provider call failed (see `providers` for the typed provider errors).
    #[error("provider {provider}: {message}")]
    Provider {
        /// Which provider.
        provider: String,
        /// What went wrong (never contains credentials).
        message: String,
    },

    /// A provider call failed, with the provider's typed error.
    #[cfg(feature = "providers")]
    #[error(transparent)]
    ProviderCall(crate::providers::ProviderError),

    /// JSON (de)serialisation failed.
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),

    /// An internal invariant did not hold; this is a bug.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }

    /// True for errors caused by the caller's input rather than by saring or the environment.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            Error::InvalidInput(_) | Error::ListFormat { .. } | Error::ListParse { .. } | Error::IndexVersion { .. }
        )
    }
}

/// "version 10", or "versions 9 to 10" when an open accepts older ones.
fn readable_versions(oldest: u32, newest: u32) -> String {
    if oldest >= newest {
        format!("version {newest}")
    } else {
        format!("versions {oldest} to {newest}")
    }
}
