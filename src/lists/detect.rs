//! Format detection: each reader module says whether a file looks like its format.

use super::ListFormat;
use crate::{Error, Result};
use std::path::{Path, PathBuf};

/// Detects the format of a list file or OFAC CSV directory.
pub fn detect(path: &Path) -> Result<ListFormat> {
    Err(Error::ListFormat { file: path.to_path_buf(), reason: "format detection not implemented".into() })
}

/// Expands a path into list sources: a file is itself; a directory holding an OFAC CSV set is one
/// source; any other directory is searched (not recursively) for list files.
pub fn discover(path: &Path) -> Result<Vec<PathBuf>> {
    Ok(vec![path.to_path_buf()])
}
