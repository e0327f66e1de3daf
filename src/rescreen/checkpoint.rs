//! Checkpoints: what a run has durably committed, so a killed run can resume without losing or
//! duplicating a line.
//!
//! After each chunk the output and reject files are flushed and `fsync`ed, then the checkpoint
//! (`<out>.checkpoint`, JSON) is written to a temporary file, `fsync`ed and renamed over the old one.
//! It records the input's identity (size, modification time, hash of its first 64 KiB), a hash of the
//! options that shape the output, the rows committed, and the byte lengths of the output and reject
//! files at that point. Resuming truncates both files to those lengths (dropping any half-written
//! chunk) and skips the committed rows.

use super::Counters;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Format version of the checkpoint file.
pub const CHECKPOINT_VERSION: u32 = 1;

/// What identifies an input file's content cheaply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputIdentity {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, seconds since the Unix epoch.
    pub modified_secs: u64,
    /// Nanoseconds part of the modification time.
    pub modified_nanos: u32,
    /// xxh3 of the first 64 KiB, hex.
    pub head_hash: String,
}

impl InputIdentity {
    /// Reads the identity of a file.
    pub fn of(path: &Path) -> Result<InputIdentity> {
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        let modified =
            meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).unwrap_or_default();
        let mut head = Vec::new();
        File::open(path).and_then(|f| f.take(64 * 1024).read_to_end(&mut head)).map_err(|e| Error::io(path, e))?;
        Ok(InputIdentity {
            size: meta.len(),
            modified_secs: modified.as_secs(),
            modified_nanos: modified.subsec_nanos(),
            head_hash: format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&head)),
        })
    }
}

/// The durable state of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// [`CHECKPOINT_VERSION`].
    pub version: u32,
    /// The customer file, as given.
    pub input_path: String,
    /// Its identity when the run started.
    pub input: InputIdentity,
    /// Hash of everything that shapes the output (format, threshold, index, delta, dispositions).
    pub options_hash: String,
    /// Input rows (screened or rejected) whose output is committed.
    pub rows_committed: u64,
    /// Output file length at the commit.
    pub output_len: u64,
    /// Reject file length at the commit.
    pub rejects_len: u64,
    /// Summary counters at the commit.
    pub counters: Counters,
}

impl Checkpoint {
    /// The checkpoint file of an output file: `<out>.checkpoint`.
    pub fn path_for(out: &Path) -> PathBuf {
        let mut name = out.as_os_str().to_os_string();
        name.push(".checkpoint");
        PathBuf::from(name)
    }

    /// Reads a checkpoint; `Ok(None)` if there is none.
    pub fn read(path: &Path) -> Result<Option<Checkpoint>> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(path, e)),
        };
        let cp: Checkpoint = serde_json::from_slice(&bytes).map_err(|e| Error::ListParse {
            file: path.to_path_buf(),
            line: e.line() as u64,
            reason: format!("unreadable checkpoint ({e}); delete it to start over"),
        })?;
        if cp.version != CHECKPOINT_VERSION {
            return Err(Error::InvalidInput(format!(
                "{}: checkpoint version {}, this build writes {CHECKPOINT_VERSION}; delete it to start over",
                path.display(),
                cp.version
            )));
        }
        Ok(Some(cp))
    }

    /// Writes the checkpoint atomically: temporary file, fsync, rename, fsync of the directory.
    pub fn write_atomic(&self, path: &Path) -> Result<()> {
        let mut tmp = path.as_os_str().to_os_string();
        tmp.push(".tmp");
        let tmp = PathBuf::from(tmp);
        let bytes = serde_json::to_vec_pretty(self)?;
        let mut f = File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
        f.write_all(&bytes).and_then(|_| f.sync_all()).map_err(|e| Error::io(&tmp, e))?;
        drop(f);
        std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))?;
        sync_dir(path);
        Ok(())
    }
}

/// Makes a rename durable by syncing the parent directory (best effort: not every platform allows it).
pub(crate) fn sync_dir(path: &Path) {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_identity() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("c.csv");
        std::fs::write(&input, "customer_id,name\n1,a\n").unwrap();
        let id = InputIdentity::of(&input).unwrap();
        assert_eq!(id.size, 21);
        let cp = Checkpoint {
            version: CHECKPOINT_VERSION,
            input_path: input.display().to_string(),
            input: id.clone(),
            options_hash: "x".into(),
            rows_committed: 7,
            output_len: 100,
            rejects_len: 3,
            counters: Counters::default(),
        };
        let path = Checkpoint::path_for(&dir.path().join("out.jsonl"));
        assert!(path.ends_with("out.jsonl.checkpoint"));
        assert_eq!(Checkpoint::read(&path).unwrap(), None);
        cp.write_atomic(&path).unwrap();
        assert_eq!(Checkpoint::read(&path).unwrap(), Some(cp));
        std::fs::write(&input, "customer_id,name\n1,b\n").unwrap();
        assert_ne!(InputIdentity::of(&input).unwrap().head_hash, id.head_hash);
        std::fs::write(&path, "{").unwrap();
        assert!(Checkpoint::read(&path).unwrap_err().to_string().contains("delete it to start over"));
    }
}
