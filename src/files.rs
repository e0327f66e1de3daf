//! The files a command reads and writes: none may be written over another. A rescreen given its
//! customer file as `--out`, or an index build given one of its list files as `--out`, would destroy
//! its input; these checks turn that into an error before anything is opened for writing.

use crate::{Error, Result};
use std::path::{Path, PathBuf};

/// Files a command reads or writes, each with what it is (`"the customer file"`), for
/// [`distinct_files`].
pub type Described = Vec<(&'static str, PathBuf)>;

/// Checks that no file a command writes is a file it reads or another file it writes: each entry is
/// what the file is and its path. Paths that exist are compared as files (so `./a` and a link to `a`
/// are the same file); paths that do not exist yet, by their resolved directory and name.
///
/// ```
/// use saring::files::distinct_files;
/// let dir = tempfile::tempdir().unwrap();
/// let customers = dir.path().join("customers.csv");
/// std::fs::write(&customers, "customer_id,name\n").unwrap();
/// let out = dir.path().join("hits.jsonl");
/// let reads = [("the customer file", customers.clone())];
/// assert!(distinct_files(&reads, &[("the output file", out.clone())]).is_ok());
/// let e = distinct_files(&reads, &[("the output file", dir.path().join(".").join("customers.csv"))]);
/// assert!(e.unwrap_err().to_string().contains("the output file is the customer file"));
/// let e = distinct_files(&reads, &[("the output file", out.clone()), ("the summary", out)]);
/// assert!(e.unwrap_err().to_string().contains("the summary is the output file"));
/// ```
pub fn distinct_files(reads: &[(&str, PathBuf)], writes: &[(&str, PathBuf)]) -> Result<()> {
    for (k, (what, path)) in writes.iter().enumerate() {
        if let Some((other, _)) = writes[..k].iter().chain(reads).find(|(_, p)| same_file(path, p)) {
            return Err(Error::InvalidInput(format!(
                "{what} is {other} ({}): give each file its own path",
                path.display()
            )));
        }
    }
    Ok(())
}

/// Whether `a` and `b` are one file: compared on disk when both exist, by resolved directory and name
/// when neither does (a path that exists is never one that does not).
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.exists(), b.exists()) {
        (true, true) => same_file::is_same_file(a, b).unwrap_or(false),
        (false, false) => match (resolved(a), resolved(b)) {
            (Some(x), Some(y)) => x == y,
            _ => a == b,
        },
        _ => false,
    }
}

/// `path` with its directory resolved (links followed, `.` and `..` gone), for a file not yet created.
fn resolved(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    Some(dir.canonicalize().ok()?.join(name))
}
