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

/// Files with these extensions are always taken (a reader not recognising one is then a clear error).
/// Files with other extensions (text, HTML, JSON, ...) are taken only when their format is detected.
const LIST_EXTENSIONS: [&str; 7] = ["csv", "xml", "tsv", "xlsx", "xls", "jsonl", "ndjson"];

/// True for files that are documentation next to lists, never lists themselves.
fn is_skipped(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    l.starts_with('.')
        || l.starts_with("readme")
        || l.starts_with("notice")
        || l.starts_with("layout")
        || l.starts_with("license")
        || l.ends_with(".md")
        || l.ends_with(".xsd")
}

/// Whether a file in a searched directory is taken as a list source.
fn is_list_file(path: &Path) -> bool {
    let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    LIST_EXTENSIONS.contains(&ext.as_str()) || detect(path).is_ok()
}

/// The entries of a directory, sorted by name, without documentation files.
fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        if !is_skipped(&entry.file_name().to_string_lossy()) {
            out.push(entry.path());
        }
    }
    out.sort();
    Ok(out)
}

/// Expands a path into list sources: a file is itself; a directory holding an OFAC CSV set is one
/// source; any other directory is searched for list files and OFAC-set subdirectories, and its
/// subdirectories for list files (one level deep), sorted by path. README, NOTICE, LAYOUT, `.md` and
/// `.xsd` files are skipped.
///
/// ```
/// let sources = saring::lists::discover(&saring::lists::bundled_dir()).unwrap();
/// assert!(sources.iter().any(|p| p.ends_with("ofac_sdn_2021-07")));
/// ```
pub fn discover(path: &Path) -> Result<Vec<PathBuf>> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if !meta.is_dir() || ofac_csv::sniff(path, &[]).is_some() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut sources = Vec::new();
    for entry in sorted_entries(path)? {
        if entry.is_dir() {
            if ofac_csv::sniff(&entry, &[]).is_some() {
                sources.push(entry);
            } else {
                for inner in sorted_entries(&entry)? {
                    if inner.is_dir() {
                        if ofac_csv::sniff(&inner, &[]).is_some() {
                            sources.push(inner);
                        }
                    } else if is_list_file(&inner) {
                        sources.push(inner);
                    }
                }
            }
        } else if is_list_file(&entry) {
            sources.push(entry);
        }
    }
    Ok(sources)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_lists_are_found() {
        let dir = crate::lists::bundled_dir();
        let found: Vec<String> =
            discover(&dir).unwrap().iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
        assert_eq!(
            found,
            [
                "eu_fsf_excerpt_2026-08-05.xml",
                "ofac_cons_2025-12",
                "ofac_sdn_2021-07",
                "uk_ofsi_conlist_2018-11-29.csv",
                "uk_sanctions_list_excerpt_2026-08-14.xml",
                "un_consolidated_2026-02-27.xml"
            ]
        );
        assert_eq!(detect(&dir.join("ofac_sdn_2021-07")).unwrap(), ListFormat::OfacCsv);
        assert_eq!(detect(&dir.join("ofac_sdn_2021-07").join("alt.csv")).unwrap(), ListFormat::OfacCsv);
        assert_eq!(detect(&dir.join("un_consolidated_2026-02-27.xml")).unwrap(), ListFormat::UnXml);
        assert!(discover(Path::new("/no/such/dir")).is_err());
    }
}
