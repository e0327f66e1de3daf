//! Reader (to be written).

use super::ListReader;
use crate::{Error, Result};
use std::path::Path;

/// Reads the list at `path`.
pub fn read(path: &Path) -> Result<ListReader> {
    Err(Error::ListFormat { file: path.to_path_buf(), reason: "reader not implemented".into() })
}
