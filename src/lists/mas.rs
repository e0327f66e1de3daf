//! Reader (to be written).

use super::ListReader;
use crate::{Error, Result};
use std::path::Path;

/// Reads the list at `path`.
pub fn read(path: &Path) -> Result<ListReader> {
    Err(Error::ListFormat { file: path.to_path_buf(), reason: "reader not implemented".into() })
}

/// Whether `path` (with `head`, its first bytes; empty for a directory) looks like this format.
pub(crate) fn sniff(path: &Path, head: &[u8]) -> Option<super::ListFormat> {
    let _ = (path, head);
    None
}
