//! The cached index of the bundled lists, so `saring screen NAME` works with no setup.
//!
//! The cache directory is `$SARING_CACHE_DIR`, else `$XDG_CACHE_HOME/saring`, else `$HOME/.cache/saring`,
//! else `saring` in the system temporary directory. The file name carries a key: a hash of the index
//! format version, the name-analysis fingerprint and the bundled files' names and contents, so the index
//! is rebuilt when the data or the analysis changes. A build writes a temporary file and renames it, so
//! concurrent first uses are safe (each builds; the last rename wins; every reader sees a whole file).

use super::{analysis_fingerprint, build_from_lists, format, source_hash, Index};
use crate::{lists, Error, Result};
use std::path::{Path, PathBuf};

/// The directory where cached indexes live.
pub fn cache_dir() -> PathBuf {
    let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(d) = env("SARING_CACHE_DIR") {
        return d;
    }
    if let Some(d) = env("XDG_CACHE_HOME") {
        return d.join("saring");
    }
    if let Some(d) = env("HOME") {
        return d.join(".cache").join("saring");
    }
    std::env::temp_dir().join("saring")
}

/// The sources of the bundled lists, in a stable order.
pub fn bundled_sources() -> Result<Vec<PathBuf>> {
    let dir = lists::bundled_dir();
    let mut entries = Vec::new();
    for e in std::fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))? {
        let e = e.map_err(|e| Error::io(&dir, e))?;
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.ends_with(".md") || name == "NOTICE" {
            continue;
        }
        entries.push(e.path());
    }
    entries.sort();
    Ok(entries)
}

/// The cache key of the bundled lists: format version, analysis fingerprint, files and contents.
pub fn bundled_key() -> Result<String> {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&format::FORMAT_VERSION.to_le_bytes());
    h.update(&analysis_fingerprint().to_le_bytes());
    for p in bundled_sources()? {
        h.update(p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default().as_bytes());
        h.update(source_hash(&p)?.as_bytes());
    }
    Ok(format!("{:016x}", h.digest()))
}

/// The path of the cached bundled index (it may not exist yet).
pub fn bundled_index_path() -> Result<PathBuf> {
    Ok(cache_dir().join(format!("bundled-{}.sidx", bundled_key()?)))
}

/// Opens the cached index of the bundled lists, building it first if it is missing or unreadable.
pub fn open_bundled() -> Result<Index> {
    let path = bundled_index_path()?;
    if path.exists() {
        if let Ok(index) = Index::open(&path) {
            return Ok(index);
        }
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    build_from_lists(&bundled_sources()?, &path)?;
    Index::open(&path)
}
