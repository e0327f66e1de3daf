//! `saring compare`: score two names, or every pair in a CSV file.
//!
//! One pair prints a human summary (or one JSON object with `--json`); `--pairs FILE.csv` prints one JSON
//! line per data row, in input order. Batch rows are read in chunks, scored in parallel with rayon (order
//! kept) and written through one buffered, locked stdout.

use anyhow::{bail, Context};
use rayon::prelude::*;
use saring::score::Explanation;
use saring::{compare, CompareOptions, Decision, NameKind, Similarity, Thresholds};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::{self, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Rows read, scored and written per batch.
const CHUNK: usize = 8192;

const AFTER_HELP: &str = "\
Decisions: a score at or above --upper is MATCH, a score below --lower is
NOT_MATCH, anything in between is UNCLEAR (with --upper equal to --lower there
is never UNCLEAR).

Examples:
  saring compare \"Farkhad Ataullaevich Akilov\" \"AKILOV, Farkhad Ataullaevich\"
  saring compare \"Yuk Tung Energy\" \"YUK TUNG ENERGY PTE LTD\" --kind entity --explain
  saring compare \"George Bush\" \"George Habbash\" --upper 90 --lower 50 --json
  saring compare --pairs pairs.csv > scores.jsonl
  cat pairs.csv | saring compare --pairs - --kind person

Batch input (--pairs): a CSV file whose header row names the columns name_a
and name_b; other columns are ignored. An optional kind column (or, failing
that, schema) sets the kind per row: person, entity, auto, or a schema word
such as Person, Organization, Company, Vessel, Airplane; an empty cell falls
back to --kind. Output is one JSON line per data row, in input order, rows
numbered from 1 for the first data row:
  {\"row\":1,\"score\":87.5,\"decision\":\"MATCH\"}
  {\"row\":2,\"error\":\"no name_b field\"}
A row that cannot be read (missing or empty name, invalid UTF-8, unknown kind)
gets an error line and the run goes on.

Exit status: 0 when the names or the file were read (even with error rows);
2 on a usage error, invalid thresholds, an unreadable file, or a header
without name_a and name_b (or naming one of its columns twice).";

/// Compare two names (or a CSV of pairs) and print a 0–100 score and a decision.
#[derive(clap::Args, Debug)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// The query name (e.g. the customer).
    #[arg(value_name = "NAME_A", required_unless_present = "pairs", conflicts_with = "pairs")]
    name_a: Option<String>,

    /// The candidate name (e.g. the list entry).
    #[arg(value_name = "NAME_B", required_unless_present = "pairs", conflicts_with = "pairs")]
    name_b: Option<String>,

    /// Read the names as a person, an organisation (entity), or let the analyser decide (auto: a legal
    /// form such as LTD or PT in either name makes both organisations).
    #[arg(long, value_enum, default_value_t = KindArg::Auto)]
    kind: KindArg,

    /// Upper threshold, 0–100: scores at or above it are MATCH.
    #[arg(long, value_name = "N", default_value_t = 80.0, value_parser = parse_threshold, allow_negative_numbers = true)]
    upper: f64,

    /// Lower threshold, 0–100, not above --upper: scores below it are NOT_MATCH.
    #[arg(long, value_name = "N", default_value_t = 40.0, value_parser = parse_threshold, allow_negative_numbers = true)]
    lower: f64,

    /// Print one JSON object: score, decision, kind, upper, lower (and explanation with --explain).
    #[arg(long)]
    json: bool,

    /// Show how the tokens were aligned: each pairing, how it matched, its similarity and what it cost.
    #[arg(long)]
    explain: bool,

    /// Score every row of a CSV file with `name_a` and `name_b` columns (`-` reads standard input);
    /// prints JSON lines (with --explain, each line also carries the explanation).
    #[arg(long, value_name = "FILE.csv")]
    pairs: Option<PathBuf>,
}

/// `--kind` values.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum KindArg {
    /// A natural person.
    Person,
    /// An organisation, company, vessel or aircraft.
    Entity,
    /// Detect from the names.
    Auto,
}

impl KindArg {
    fn name_kind(self) -> NameKind {
        match self {
            KindArg::Person => NameKind::Person,
            KindArg::Entity => NameKind::Entity,
            KindArg::Auto => NameKind::Unknown,
        }
    }
}

/// The word printed for a kind (`auto` for `Unknown`, as on the command line).
fn kind_word(kind: NameKind) -> &'static str {
    match kind {
        NameKind::Person => "person",
        NameKind::Entity => "entity",
        NameKind::Unknown => "auto",
    }
}

fn parse_threshold(s: &str) -> Result<f64, String> {
    let v: f64 = s.trim().parse().map_err(|_| format!("`{s}` is not a number (expected 0–100)"))?;
    if !v.is_finite() || !(0.0..=100.0).contains(&v) {
        return Err(format!("{s} is outside 0–100"));
    }
    Ok(v)
}

/// Runs the subcommand.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let thresholds = Thresholds::new(args.upper, args.lower)?;
    let options = CompareOptions { kind: args.kind.name_kind(), thresholds };
    // `saring compare --pairs big.csv | head`: a closed pipe ends the run quietly (see `main`).
    match &args.pairs {
        Some(path) => run_pairs(path, &options, args.explain),
        None => {
            let (Some(a), Some(b)) = (&args.name_a, &args.name_b) else {
                bail!("two names are needed (or --pairs FILE.csv)");
            };
            // As in `--pairs`, where such a row is an error line.
            for (what, name) in [("name_a", a), ("name_b", b)] {
                not_empty(what, name).map_err(anyhow::Error::msg)?;
            }
            run_one(a, b, &options, &args)
        }
    }
}

/// The `--json` object for one pair.
#[derive(Serialize)]
struct PairJson<'a> {
    score: f64,
    decision: Decision,
    kind: &'static str,
    upper: f64,
    lower: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    explanation: Option<&'a Explanation>,
}

fn run_one(a: &str, b: &str, options: &CompareOptions, args: &Args) -> anyhow::Result<ExitCode> {
    let sim = compare(a, b, options);
    let mut out = String::new();
    if args.json {
        let obj = PairJson {
            score: sim.score,
            decision: sim.decision,
            kind: kind_word(options.kind),
            upper: options.thresholds.upper,
            lower: options.thresholds.lower,
            explanation: args.explain.then_some(&sim.explanation),
        };
        out = serde_json::to_string(&obj)?;
        out.push('\n');
    } else {
        human(&mut out, &sim, options, args.explain);
    }
    let stdout = io::stdout();
    let mut w = stdout.lock();
    w.write_all(out.as_bytes())?;
    w.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The human summary: score and decision, and with `explain` the token alignment table and notes.
fn human(out: &mut String, sim: &Similarity, options: &CompareOptions, explain: bool) {
    let t = &options.thresholds;
    let _ = writeln!(out, "score:     {:.1}", sim.score);
    let _ = writeln!(out, "decision:  {}  (MATCH at >= {}, NOT_MATCH below {})", sim.decision, t.upper, t.lower);
    let _ = writeln!(out, "kind:      {}", kind_word(options.kind));
    if !explain {
        return;
    }
    let e = &sim.explanation;
    let _ = writeln!(out, "\nquery:     {}", e.query);
    let _ = writeln!(out, "candidate: {}", e.candidate);
    let headers = ["QUERY TOKEN", "CANDIDATE TOKEN", "HOW", "SIMILARITY", "COST"];
    let rows: Vec<[String; 5]> = e
        .tokens
        .iter()
        .map(|m| {
            let dash = |s: &str| if s.is_empty() { "-".to_string() } else { s.to_string() };
            [
                dash(&m.query),
                dash(&m.candidate),
                m.how.clone(),
                format!("{:.3}", m.similarity),
                format!("{:.1}", m.cost),
            ]
        })
        .collect();
    let _ = writeln!(out);
    if rows.is_empty() {
        let _ = writeln!(out, "(no tokens to align: a name has no letters or digits)");
    } else {
        let mut width = headers.map(|h| h.chars().count());
        for r in &rows {
            for (w, cell) in width.iter_mut().zip(r) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let line = |out: &mut String, cells: [&str; 5]| {
            // Text columns left-aligned, numbers right-aligned.
            let _ = writeln!(
                out,
                "{:<w0$}  {:<w1$}  {:<w2$}  {:>w3$}  {:>w4$}",
                cells[0],
                cells[1],
                cells[2],
                cells[3],
                cells[4],
                w0 = width[0],
                w1 = width[1],
                w2 = width[2],
                w3 = width[3],
                w4 = width[4]
            );
        };
        line(out, headers);
        for r in &rows {
            line(out, [&r[0], &r[1], &r[2], &r[3], &r[4]]);
        }
    }
    if !e.notes.is_empty() {
        let _ = writeln!(out, "\nnotes:");
        for n in &e.notes {
            let _ = writeln!(out, "  - {n}");
        }
    }
}

/// One data row, ready to score (or already known to be unreadable).
struct Job {
    row: u64,
    input: Result<(String, String, NameKind), String>,
}

/// One JSON output line of batch mode.
#[derive(Serialize)]
struct RowJson {
    row: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    decision: Option<Decision>,
    #[serde(skip_serializing_if = "Option::is_none")]
    explanation: Option<Explanation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// Where the needed columns are in the header.
struct Columns {
    name_a: usize,
    name_b: usize,
    kind: Option<usize>,
}

fn find_columns(header: &csv::ByteRecord, source: &str) -> anyhow::Result<Columns> {
    let names: Vec<String> = header
        .iter()
        .map(|f| String::from_utf8_lossy(f).trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    let find = |want: &str| names.iter().position(|n| n == want);
    // A column named twice would leave one of them unread.
    let read = names
        .iter()
        .map(String::as_str)
        .enumerate()
        .filter(|(_, n)| ["name_a", "name_b", "kind", "schema"].contains(n));
    if let Some((name, first, again)) = saring::records::named_twice(read) {
        bail!("{source}: the header names {name} twice (columns {} and {})", first + 1, again + 1);
    }
    let missing: Vec<&str> = ["name_a", "name_b"].into_iter().filter(|c| find(c).is_none()).collect();
    match (find("name_a"), find("name_b")) {
        (Some(name_a), Some(name_b)) => Ok(Columns { name_a, name_b, kind: find("kind").or_else(|| find("schema")) }),
        _ => bail!(
            "{source}: the header has no {} column (the header must name the columns name_a and name_b; found: {})",
            missing.join(" or "),
            if names.is_empty() { "nothing".to_string() } else { names.join(", ") }
        ),
    }
}

/// A row's `kind`/`schema` cell as a [`NameKind`]; an empty cell means the `--kind` default.
fn parse_row_kind(cell: &str, default: NameKind) -> Result<NameKind, String> {
    let k = cell.trim().to_ascii_lowercase();
    Ok(match k.as_str() {
        "" => default,
        "auto" | "unknown" | "thing" | "legalentity" => NameKind::Unknown,
        "person" | "individual" => NameKind::Person,
        "entity" | "organization" | "organisation" | "company" | "publicbody" | "vessel" | "airplane" | "aircraft" => {
            NameKind::Entity
        }
        _ => {
            return Err(format!(
                "unknown kind `{}` (expected person, entity, auto, or a schema such as Person, Organization, \
                 Company, Vessel, Airplane)",
                cell.trim()
            ))
        }
    })
}

/// A blank name is an error, in a `--pairs` row as for two names given.
fn not_empty(what: &str, text: &str) -> Result<(), String> {
    if text.trim().is_empty() {
        return Err(format!("{what} is empty"));
    }
    Ok(())
}

/// Turns one CSV record into the inputs of a comparison, or says why it cannot.
fn read_row(rec: &csv::ByteRecord, cols: &Columns, default: NameKind) -> Result<(String, String, NameKind), String> {
    let field = |idx: usize, what: &str| -> Result<String, String> {
        let bytes = rec.get(idx).ok_or_else(|| format!("no {what} field"))?;
        let text = std::str::from_utf8(bytes).map_err(|e| {
            format!(
                "{what} is not valid UTF-8 (byte 0x{:02X} at offset {}); save the file as UTF-8",
                bytes.get(e.valid_up_to()).copied().unwrap_or(0),
                e.valid_up_to()
            )
        })?;
        not_empty(what, text)?;
        Ok(text.to_string())
    };
    let a = field(cols.name_a, "name_a")?;
    let b = field(cols.name_b, "name_b")?;
    let kind = match cols.kind.and_then(|i| rec.get(i)) {
        Some(cell) => parse_row_kind(&String::from_utf8_lossy(cell), default)?,
        None => default,
    };
    Ok((a, b, kind))
}

fn run_pairs(path: &std::path::Path, options: &CompareOptions, explain: bool) -> anyhow::Result<ExitCode> {
    let source = path.display().to_string();
    let input: Box<dyn Read> = if path.as_os_str() == "-" {
        Box::new(io::stdin().lock())
    } else {
        Box::new(std::fs::File::open(path).with_context(|| format!("{source}: cannot open"))?)
    };
    let mut reader = csv::ReaderBuilder::new().flexible(true).has_headers(true).from_reader(io::BufReader::new(input));
    let header = reader.byte_headers().with_context(|| format!("{source}: cannot read the header"))?.clone();
    let cols = find_columns(&header, &source)?;

    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut record = csv::ByteRecord::new();
    let mut row: u64 = 0;
    let mut errors: u64 = 0;
    let mut done = false;
    while !done {
        let mut jobs: Vec<Job> = Vec::with_capacity(CHUNK);
        while jobs.len() < CHUNK {
            match reader.read_byte_record(&mut record) {
                Ok(false) => {
                    done = true;
                    break;
                }
                Ok(true) => {
                    row += 1;
                    jobs.push(Job { row, input: read_row(&record, &cols, options.kind) });
                }
                Err(e) => {
                    row += 1;
                    let fatal = matches!(e.kind(), csv::ErrorKind::Io(_));
                    jobs.push(Job { row, input: Err(format!("cannot read the row: {e}")) });
                    if fatal {
                        // An I/O error does not go away on retry: report it once and stop.
                        done = true;
                        break;
                    }
                }
            }
        }
        let lines: Vec<(bool, String)> = jobs
            .into_par_iter()
            .map(|job| match job.input {
                Ok((a, b, kind)) => {
                    let sim = compare(&a, &b, &CompareOptions { kind, thresholds: options.thresholds });
                    RowJson {
                        row: job.row,
                        score: Some(sim.score),
                        decision: Some(sim.decision),
                        explanation: explain.then_some(sim.explanation),
                        error: None,
                    }
                }
                Err(error) => {
                    RowJson { row: job.row, score: None, decision: None, explanation: None, error: Some(error) }
                }
            })
            .map(|line| (line.error.is_some(), serde_json::to_string(&line)))
            .map(|(failed, json)| json.map(|j| (failed, j)))
            .collect::<Result<_, _>>()?;
        for (failed, line) in &lines {
            errors += u64::from(*failed);
            out.write_all(line.as_bytes())?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;
    if errors > 0 {
        eprintln!("saring compare: {errors} of {row} rows in {source} could not be read (see the \"error\" lines)");
    }
    Ok(ExitCode::SUCCESS)
}
