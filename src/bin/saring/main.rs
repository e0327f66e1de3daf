//! `saring`: the command-line interface. Thin: parse arguments, call the library, print.

/// `println!` that returns the error (with `?`) instead of panicking when standard output is closed
/// (`saring screen … | head`): [`main`] then exits quietly.
macro_rules! outln {
    () => {
        std::io::Write::write_all(&mut std::io::stdout(), b"\n")?
    };
    ($($arg:tt)*) => {
        std::io::Write::write_fmt(&mut std::io::stdout(), format_args!("{}\n", format_args!($($arg)*)))?
    };
}

mod compare;
mod index;
mod lists;
mod rescreen;
mod screen;
mod verify;

use anyhow::Context;
use clap::{Parser, Subcommand};
use saring::index::Index;
use std::path::Path;
use std::process::ExitCode;

/// Offline fuzzy name matching and sanctions/PEP watchlist screening.
///
/// Scores are 0–100. Decisions follow upper/lower thresholds (defaults 80/40): a score at or above
/// the upper threshold is MATCH, below the lower threshold NOT_MATCH, anything between UNCLEAR.
#[derive(Parser)]
#[command(name = "saring", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compare two names (or a CSV of pairs) and print a 0–100 score and a decision.
    Compare(compare::Args),
    /// Inspect list files: detected format, publication date, counts and warnings.
    Lists(lists::Args),
    /// Build, verify or diff index files.
    Index(index::Args),
    /// Screen a name (or a JSONL file of queries) against the lists.
    Screen(screen::Args),
    /// Rescreen a whole customer base (CSV or JSONL), in full or against list changes only.
    Rescreen(rescreen::Args),
    /// Screen locally and with a commercial provider, and show both answers side by side.
    Verify(verify::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Compare(args) => compare::run(args),
        Command::Lists(args) => lists::run(args),
        Command::Index(args) => index::run(args),
        Command::Screen(args) => screen::run(args),
        Command::Rescreen(args) => rescreen::run(args),
        Command::Verify(args) => verify::run(args),
    };
    match result {
        Ok(code) => code,
        // `saring screen … | head`: a reader that stops reading is not an error.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", message(&e));
            ExitCode::from(2)
        }
    }
}

/// Whether the error comes from writing to a closed pipe (saring's I/O errors give theirs as source).
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}

/// The error and its causes, joined by `: `, each said once: a cause whose text the message already ends
/// with is left out (an I/O error of saring's names its cause, which is also its source), and so is a
/// cause's leading `PATH: ` when the message already ends with that path (`building out.sidx` then
/// `out.sidx: Is a directory`).
fn message(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if out.ends_with(&text) {
            continue;
        }
        let said = text.match_indices(": ").map(|(k, _)| k).find(|&k| k > 0 && out.ends_with(&text[..k]));
        match said {
            Some(k) => out.push_str(&text[k..]),
            None => {
                if !out.is_empty() {
                    out.push_str(": ");
                }
                out.push_str(&text);
            }
        }
    }
    out
}

/// Opens the index file given, or the cached index of the bundled lists. Warns when the file was built
/// with another version of the name analysis: its names are matched as they were analysed then.
pub(crate) fn open_index(path: Option<&Path>) -> anyhow::Result<Index> {
    let index = match path {
        Some(p) => Index::open(p).context("opening the index")?,
        None => Index::open_bundled().with_context(|| {
            format!(
                "opening the index of the bundled lists, cached in {} (set SARING_CACHE_DIR to a writable \
                 directory, or build an index with `saring index --out FILE` and pass `--index FILE`)",
                saring::index::cache::cache_dir().display()
            )
        })?,
    };
    if !index.is_current_analysis() {
        eprintln!(
            "warning: {} was built with another version of saring's name analysis; rebuild it with `saring index` \
             for the results of this version",
            index.path().display()
        );
    }
    Ok(index)
}
