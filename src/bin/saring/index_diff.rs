//! `saring index diff OLD NEW`: entities added, changed (content hash) and removed between two indexes.

use anyhow::Context;
use saring::index::Index;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `saring index diff`.
#[derive(clap::Args, Debug)]
pub struct DiffArgs {
    /// The older index file.
    pub old: PathBuf,
    /// The newer index file.
    pub new: PathBuf,
    /// Print JSON: `{"counts": {...}, "added": [...], "changed": [...], "removed": [...]}`.
    #[arg(long)]
    pub json: bool,
    /// Print only the counts, not the ids.
    #[arg(long, conflicts_with = "json")]
    pub counts: bool,
}

/// Runs `saring index diff`.
pub fn run_diff(args: DiffArgs) -> anyhow::Result<ExitCode> {
    let old = Index::open(&args.old).context("opening the old index")?;
    let new = Index::open(&args.new).context("opening the new index")?;
    let diff = saring::rescreen::diff(&old, &new)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        let value = serde_json::json!({
            "old": args.old.display().to_string(),
            "new": args.new.display().to_string(),
            "counts": {
                "added": diff.added.len(),
                "changed": diff.changed.len(),
                "removed": diff.removed.len(),
                "unchanged": diff.unchanged,
            },
            "added": diff.added,
            "changed": diff.changed,
            "removed": diff.removed,
        });
        serde_json::to_writer_pretty(&mut out, &value)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "{} added, {} changed, {} removed, {} unchanged",
            diff.added.len(),
            diff.changed.len(),
            diff.removed.len(),
            diff.unchanged
        )?;
        if !args.counts {
            for (label, ids) in [("added", &diff.added), ("changed", &diff.changed), ("removed", &diff.removed)] {
                for id in ids {
                    writeln!(out, "{label}\t{id}")?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
