//! What the index tests share: an index file's bytes as another build would have written them.
// Each test crate uses part of this module.
#![allow(dead_code)]

use saring::index::format::{header_crc, HEADER_LEN, SECTION_ENTRY_LEN};

/// An index file's bytes with another format version in its header, and the header checksum to match
/// (the whole-file checksum covers the body only).
pub fn with_version(bytes: &[u8], version: u32) -> Vec<u8> {
    with_header_field(bytes, 8, &version.to_le_bytes())
}

/// An index file's bytes with another name-analysis fingerprint in its header, as a build of saring
/// whose name analysis differs would have written it.
pub fn with_analysis(bytes: &[u8], fingerprint: u64) -> Vec<u8> {
    with_header_field(bytes, 52, &fingerprint.to_le_bytes())
}

/// `bytes` with `value` written at `at` in the header, and the header checksum to match.
fn with_header_field(bytes: &[u8], at: usize, value: &[u8]) -> Vec<u8> {
    let mut b = bytes.to_vec();
    b[at..at + value.len()].copy_from_slice(value);
    let sections = u32::from_le_bytes(b[12..16].try_into().unwrap()) as usize;
    let crc = header_crc(&b[..HEADER_LEN], &b[HEADER_LEN..HEADER_LEN + sections * SECTION_ENTRY_LEN]);
    b[60..64].copy_from_slice(&crc.to_le_bytes());
    b
}
