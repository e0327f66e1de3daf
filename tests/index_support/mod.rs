//! What the index tests share: an index file's bytes as another format version would have written them.

use saring::index::format::{header_crc, HEADER_LEN, SECTION_ENTRY_LEN};

/// An index file's bytes with another format version in its header, and the header checksum to match
/// (the whole-file checksum covers the body only).
pub fn with_version(bytes: &[u8], version: u32) -> Vec<u8> {
    let mut b = bytes.to_vec();
    b[8..12].copy_from_slice(&version.to_le_bytes());
    let sections = u32::from_le_bytes(b[12..16].try_into().unwrap()) as usize;
    let crc = header_crc(&b[..HEADER_LEN], &b[HEADER_LEN..HEADER_LEN + sections * SECTION_ENTRY_LEN]);
    b[60..64].copy_from_slice(&crc.to_le_bytes());
    b
}
