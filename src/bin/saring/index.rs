//! `saring index`: build (the default), verify, show and diff index files.

#[path = "index_diff.rs"]
mod index_diff;

use anyhow::Context;
use clap::Subcommand;
use saring::index::{build_from_lists, Index, IndexInfo};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Arguments of `saring index`.
///
/// `saring index [--out FILE] [LIST_FILE_OR_DIR ...]` builds an index (the same as `saring index build`);
/// with no list arguments it indexes the bundled lists.
#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct Args {
    #[command(subcommand)]
    command: Option<IndexCommand>,
    #[command(flatten)]
    build: BuildArgs,
}

#[derive(Subcommand)]
enum IndexCommand {
    /// Build one index file from list files and directories (formats detected).
    Build(BuildArgs),
    /// Check an index file completely: checksum and every record.
    Verify {
        /// The index file.
        file: PathBuf,
    },
    /// Show an index file's header: build time, sources (file hash, publication date), counts.
    Info {
        /// The index file.
        file: PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show what changed between two index files.
    Diff(index_diff::DiffArgs),
}

#[derive(clap::Args)]
struct BuildArgs {
    /// Where to write the index.
    #[arg(long, short, value_name = "FILE", default_value = "saring.sidx")]
    out: PathBuf,
    /// List files or directories (default: the bundled lists).
    #[arg(value_name = "LIST_FILE_OR_DIR")]
    lists: Vec<PathBuf>,
    /// Print the build report as JSON.
    #[arg(long)]
    json: bool,
    /// Print every list warning (default: a count and the first 10).
    #[arg(long)]
    all_warnings: bool,
}

/// Runs `saring index`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        None => build(args.build),
        Some(IndexCommand::Build(b)) => build(b),
        Some(IndexCommand::Verify { file }) => {
            let index = Index::open(&file)?;
            let start = Instant::now();
            index.verify()?;
            outln!(
                "{}: OK ({} entities, {} names, checked in {:.2} s)",
                file.display(),
                index.entity_count(),
                index.name_count(),
                start.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(IndexCommand::Info { file, json }) => {
            let info = Index::open(&file)?.info()?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&info)?);
            } else {
                print_info(&file, &info)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(IndexCommand::Diff(d)) => index_diff::run_diff(d),
    }
}

fn build(args: BuildArgs) -> anyhow::Result<ExitCode> {
    let lists = if args.lists.is_empty() { saring::index::cache::bundled_sources()? } else { args.lists };
    let start = Instant::now();
    let report = build_from_lists(&lists, &args.out).with_context(|| format!("building {}", args.out.display()))?;
    let secs = start.elapsed().as_secs_f64();
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    let shown = if args.all_warnings { report.warnings.len() } else { 10 };
    for w in report.warnings.iter().take(shown) {
        eprintln!("warning: {}:{}: {}", w.file.display(), w.line, w.reason);
    }
    if report.warnings.len() > shown {
        eprintln!("... {} more warnings (--all-warnings shows them)", report.warnings.len() - shown);
    }
    print_info(&args.out, &report.info)?;
    outln!("built in {secs:.2} s");
    Ok(ExitCode::SUCCESS)
}

fn print_info(file: &std::path::Path, info: &IndexInfo) -> std::io::Result<()> {
    outln!("index     {}", file.display());
    outln!("format    version {}, built {} by saring {}", info.format_version, info.build_time, info.saring_version);
    outln!(
        "contents  {} entities, {} names, {} terms, {} phonetic keys, {} bytes",
        info.entities,
        info.names,
        info.terms,
        info.phonetic_keys,
        info.file_size
    );
    outln!("warnings  {}", info.warnings);
    for s in &info.sources {
        outln!(
            "source    {} [{} {}] published {} hash {} ({} entities, {} warnings)",
            s.path,
            s.publisher,
            s.format,
            s.publication_date.as_deref().unwrap_or("?"),
            s.file_hash,
            s.entities,
            s.warnings
        );
    }
    Ok(())
}
