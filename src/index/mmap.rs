//! The one place with `unsafe`: memory-mapping an index file.
//!
//! Mapped bytes are then only read through safe slicing and `from_le_bytes`
//! (see [`Reader`](super::format::Reader)).

use crate::{Error, Result};
use std::fs::File;
use std::path::Path;

/// The bytes of an index: a read-only memory map, or an owned buffer (empty files cannot be mapped).
pub enum Bytes {
    /// A memory-mapped file.
    Mapped(memmap2::Mmap),
    /// Bytes held in memory.
    Owned(Vec<u8>),
}

impl AsRef<[u8]> for Bytes {
    fn as_ref(&self) -> &[u8] {
        match self {
            Bytes::Mapped(m) => m,
            Bytes::Owned(v) => v,
        }
    }
}

/// Maps `path` read-only.
///
/// # Safety
///
/// `memmap2::Mmap::map` is unsafe because the mapped file could be changed or truncated by another
/// process while it is mapped, which would change memory Rust believes immutable (or fault on access
/// past a truncation). saring never modifies an index file in place: builders write a temporary file and
/// rename it over the old one, which leaves existing mappings of the old file intact. Users must do the
/// same (replace index files by rename, never truncate or rewrite them in place). All reads of the
/// mapping are bounds-checked against its length, so a file that is merely corrupt is reported as
/// [`Error::IndexCorrupt`], never read out of bounds.
#[allow(unsafe_code)]
pub fn map(path: &Path) -> Result<Bytes> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let meta = file.metadata().map_err(|e| Error::io(path, e))?;
    if meta.is_dir() {
        // Mapping a directory fails with "No such device", which says nothing useful.
        let e = std::io::Error::new(std::io::ErrorKind::IsADirectory, "is a directory, not an index file");
        return Err(Error::io(path, e));
    }
    let len = meta.len();
    if len == 0 {
        return Ok(Bytes::Owned(Vec::new()));
    }
    // SAFETY: see the function's `# Safety` section: index files are replaced by rename, never
    // modified in place, and every access to the mapping is bounds-checked.
    let mmap = unsafe { memmap2::Mmap::map(&file) }.map_err(|e| Error::io(path, e))?;
    Ok(Bytes::Mapped(mmap))
}
