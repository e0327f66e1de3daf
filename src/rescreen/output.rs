//! Output lines: one per (customer, hit), as JSON lines or flattened CSV; reject lines; resolved lines.
//!
//! A JSONL hit line is the customer id followed by every field of a screening [`Hit`] (the entity
//! content hash included), then, when they apply, `change` (`added`/`changed`, delta runs) and
//! `disposition` (`{status, entity_changed, note}`). A resolved line (delta runs with a previous output)
//! is the previous hit line with `"status": "resolved"` and a `resolution` reason.
//!
//! CSV columns: `customer_id, entity_id, publisher, list, kind, matched_name, score, decision,
//! entity_hash, names` (joined with ` | `), `change, disposition, status`.

use super::customers::Reject;
use super::delta::Change;
use super::dispositions::Mark;
use crate::screen::Hit;
use crate::Result;
use serde::{Deserialize, Serialize};

/// How hits are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    /// One JSON object per line (default).
    #[default]
    Jsonl,
    /// CSV with a header, one flattened row per hit.
    Csv,
}

impl std::str::FromStr for OutputFormat {
    type Err = crate::Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "jsonl" | "ndjson" | "json" => Ok(OutputFormat::Jsonl),
            "csv" => Ok(OutputFormat::Csv),
            _ => Err(crate::Error::InvalidInput(format!("unknown output format {s:?}: expected jsonl or csv"))),
        }
    }
}

/// The CSV header line.
pub const CSV_HEADER: &str =
    "customer_id,entity_id,publisher,list,kind,matched_name,score,decision,entity_hash,names,change,disposition,status\n";

#[derive(Serialize)]
struct HitLine<'a> {
    customer_id: &'a str,
    #[serde(flatten)]
    hit: &'a Hit,
    #[serde(skip_serializing_if = "Option::is_none")]
    change: Option<Change>,
    #[serde(skip_serializing_if = "Option::is_none")]
    disposition: Option<&'a Mark<'a>>,
}

/// Appends one hit line to `buf`.
pub(crate) fn write_hit(
    buf: &mut Vec<u8>,
    format: OutputFormat,
    customer_id: &str,
    hit: &Hit,
    change: Option<Change>,
    mark: Option<&Mark<'_>>,
) -> Result<()> {
    match format {
        OutputFormat::Jsonl => {
            serde_json::to_writer(&mut *buf, &HitLine { customer_id, hit, change, disposition: mark })?;
            buf.push(b'\n');
        }
        OutputFormat::Csv => {
            let disposition = mark.map(|m| {
                let status = enum_str(&m.status);
                if m.entity_changed {
                    format!("{status} (entity changed)")
                } else {
                    status
                }
            });
            let score = format_score(hit.score);
            write_csv(
                buf,
                &[
                    customer_id,
                    &hit.id,
                    hit.publisher.code(),
                    &hit.list,
                    &enum_str(&hit.kind),
                    &hit.matched_name,
                    &score,
                    hit.decision.as_str(),
                    &hit.entity_hash,
                    &hit.names.join(" | "),
                    &change.map(|c| enum_str(&c)).unwrap_or_default(),
                    disposition.as_deref().unwrap_or(""),
                    "",
                ],
            )?;
        }
    }
    Ok(())
}

/// Appends one reject line (always JSON) to `buf`.
pub(crate) fn write_reject(buf: &mut Vec<u8>, reject: &Reject) -> Result<()> {
    serde_json::to_writer(&mut *buf, reject)?;
    buf.push(b'\n');
    Ok(())
}

/// Appends a resolved line built from a previous run's hit line.
pub(crate) fn write_resolved(
    buf: &mut Vec<u8>,
    format: OutputFormat,
    mut previous: serde_json::Map<String, serde_json::Value>,
) -> Result<()> {
    match format {
        OutputFormat::Jsonl => {
            previous.insert("status".into(), "resolved".into());
            previous.insert("resolution".into(), "entity removed from the list".into());
            serde_json::to_writer(&mut *buf, &previous)?;
            buf.push(b'\n');
        }
        OutputFormat::Csv => {
            let s = |k: &str| match previous.get(k) {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            };
            let names = match previous.get("names") {
                Some(serde_json::Value::Array(a)) => {
                    a.iter().filter_map(|v| v.as_str()).collect::<Vec<_>>().join(" | ")
                }
                _ => String::new(),
            };
            let fields = [
                s("customer_id"),
                s("id"),
                s("publisher"),
                s("list"),
                s("kind"),
                s("matched_name"),
                s("score"),
                s("decision"),
                s("entity_hash"),
                names,
                String::new(),
                String::new(),
                "resolved".into(),
            ];
            let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
            write_csv(buf, &refs)?;
        }
    }
    Ok(())
}

fn write_csv(buf: &mut Vec<u8>, fields: &[&str]) -> Result<()> {
    let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(&mut *buf);
    w.write_record(fields).map_err(|e| crate::Error::Internal(format!("CSV output: {e}")))?;
    w.flush().map_err(|e| crate::Error::Internal(format!("CSV output: {e}")))?;
    Ok(())
}

/// A score as written in CSV: at most one decimal, no trailing `.0`.
fn format_score(score: f64) -> String {
    let s = format!("{:.1}", score);
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// The serde name of a unit enum variant (`individual`, `cleared`, ...).
fn enum_str<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_and_csv_quoting() {
        assert_eq!(format_score(83.0), "83");
        assert_eq!(format_score(83.27), "83.3");
        let mut buf = Vec::new();
        write_csv(&mut buf, &["a,b", "c\"d", "e"]).unwrap();
        assert_eq!(String::from_utf8(buf).unwrap(), "\"a,b\",\"c\"\"d\",e\n");
        assert_eq!(CSV_HEADER.split(',').count(), 13);
    }
}
