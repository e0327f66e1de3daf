//! `saring lists`: look at list files before indexing them.

use saring::lists::{self, ListEvent, ListInfo, ListWarning};
use saring::model::{EntityKind, NameQuality, NameType};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Arguments.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: ListsCommand,
}

#[derive(clap::Subcommand)]
enum ListsCommand {
    /// Read list files (or directories of lists) and print, per source, the detected format,
    /// publisher, publication date, counts by kind, names, aliases and warnings.
    ///
    /// Exit code 0 when every source was read, 2 when one could not be read at all.
    Inspect(InspectArgs),
}

#[derive(clap::Args)]
struct InspectArgs {
    /// List files, OFAC CSV set directories, or directories of lists.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Print JSON (one array of sources) instead of text.
    #[arg(long)]
    json: bool,
    /// How many warnings to show per source.
    #[arg(long, default_value_t = 5)]
    show_warnings: usize,
}

/// What one source held.
#[derive(Serialize, Default)]
struct Report {
    /// The source as discovered (the list's own `path` comes with `info`).
    source: PathBuf,
    #[serde(flatten)]
    info: Option<ListInfo>,
    entities: u64,
    kinds: BTreeMap<String, u64>,
    names: u64,
    aliases_strong: u64,
    aliases_weak: u64,
    original_script_names: u64,
    dates_of_birth: u64,
    addresses: u64,
    identifiers: u64,
    warnings: u64,
    first_warnings: Vec<ListWarning>,
    error: Option<String>,
    elapsed_ms: u128,
}

/// Runs the subcommand.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        ListsCommand::Inspect(a) => inspect(a),
    }
}

fn inspect(args: InspectArgs) -> anyhow::Result<ExitCode> {
    let mut reports = Vec::new();
    for path in &args.paths {
        match lists::discover(path) {
            Ok(sources) if sources.is_empty() => reports.push(Report {
                source: path.clone(),
                error: Some("no list files found in this directory".into()),
                ..Default::default()
            }),
            Ok(sources) => reports.extend(sources.into_iter().map(|s| read_one(s, args.show_warnings))),
            Err(e) => reports.push(Report { source: path.clone(), error: Some(e.to_string()), ..Default::default() }),
        }
    }
    let failed = reports.iter().any(|r| r.error.is_some());
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&reports)?);
        for r in reports.iter().filter(|r| r.error.is_some()) {
            eprintln!("error: {}", source_error(r));
        }
    } else {
        for r in &reports {
            print_report(r)?;
        }
    }
    Ok(if failed { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

fn kind_name(k: EntityKind) -> &'static str {
    match k {
        EntityKind::Individual => "individual",
        EntityKind::Entity => "entity",
        EntityKind::Vessel => "vessel",
        EntityKind::Aircraft => "aircraft",
        EntityKind::Unknown => "unknown",
    }
}

fn read_one(path: PathBuf, show: usize) -> Report {
    let start = Instant::now();
    let mut r = Report { source: path.clone(), ..Default::default() };
    let reader = match lists::open(&path) {
        Ok(reader) => reader,
        Err(e) => {
            r.error = Some(e.to_string());
            return r;
        }
    };
    r.info = Some(reader.info.clone());
    for ev in reader {
        match ev {
            Ok(ListEvent::Entity(e)) => {
                r.entities += 1;
                *r.kinds.entry(kind_name(e.kind).to_string()).or_default() += 1;
                r.names += e.names.len() as u64;
                for n in &e.names {
                    match (n.name_type, n.quality) {
                        (NameType::Primary, _) => {}
                        (NameType::OriginalScript, _) => r.original_script_names += 1,
                        (_, NameQuality::Strong) => r.aliases_strong += 1,
                        (_, NameQuality::Weak) => r.aliases_weak += 1,
                    }
                }
                r.dates_of_birth += e.dates_of_birth.len() as u64;
                r.addresses += e.addresses.len() as u64;
                r.identifiers += e.identifiers.len() as u64;
            }
            Ok(ListEvent::Warning(w)) => {
                r.warnings += 1;
                if r.first_warnings.len() < show {
                    r.first_warnings.push(w);
                }
            }
            Err(e) => {
                r.error = Some(e.to_string());
                break;
            }
        }
    }
    r.elapsed_ms = start.elapsed().as_millis();
    r
}

fn print_report(r: &Report) -> std::io::Result<()> {
    outln!("{}", r.source.display());
    if let Some(info) = &r.info {
        let fmt = serde_json::to_value(info.format).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
        outln!(
            "  format {fmt}, publisher {}, published {}",
            info.publisher,
            info.publication_date.as_deref().unwrap_or("(not stated)")
        );
        let kinds: Vec<String> = r.kinds.iter().map(|(k, n)| format!("{k} {n}")).collect();
        outln!("  entities {} ({})", r.entities, kinds.join(", "));
        outln!(
            "  names {}: aliases {} strong, {} weak; {} in original script",
            r.names,
            r.aliases_strong,
            r.aliases_weak,
            r.original_script_names
        );
        outln!(
            "  dates of birth {}, addresses {}, identifiers {}; read in {} ms",
            r.dates_of_birth,
            r.addresses,
            r.identifiers,
            r.elapsed_ms
        );
        outln!("  warnings {}", r.warnings);
        for w in &r.first_warnings {
            outln!("    {}:{}: {}", w.file.display(), w.line, w.reason);
        }
    }
    if let Some(e) = &r.error {
        outln!("  error: {e}");
        eprintln!("error: {}", source_error(r));
    }
    Ok(())
}

/// A source's error, naming the source once (most errors name their file already).
fn source_error(r: &Report) -> String {
    let e = r.error.as_deref().unwrap_or_default();
    let source = r.source.display().to_string();
    if e.starts_with(&source) {
        e.to_string()
    } else {
        format!("{source}: {e}")
    }
}
