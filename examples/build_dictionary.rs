//! Builds `data/translit.fst`, the cross-script name dictionary, from the Wikidata word pairs.
//!
//! ```text
//! cargo run --release --example build_dictionary -- /work/shared/data/name_pairs/translit_words data/translit.fst
//!     [--min-count N] [--min-share PERCENT] [--top K] [--single-min N]
//! ```
//!
//! Input files are tab-separated `english<TAB>f o r e i g n<TAB>count` (foreign characters separated by
//! spaces). Both sides are normalised as at lookup time (`saring::text::dictionary::{normalize,
//! normalize_latin}`); pairs whose sides normalise to the same thing are merged. Japanese and katakana
//! files overlap (two alignments of the same labels), so their counts are combined by maximum; all other
//! files are summed.
//!
//! Noise filtering (defaults in brackets):
//! - English side: must be alphabetic after ASCII transliteration (digits → pair skipped), at least 2
//!   letters.
//! - Foreign side: no Latin letters or digits; one-character words only in Han or Hangul and only with a
//!   count of at least `--single-min` [3] (a single syllable maps to many names).
//! - A pair that is not the most frequent of its foreign word needs a count of at least `--min-count` [2]
//!   and at least `--min-share` [1] percent of the most frequent one. Measured on the Russian files
//!   (a pair counts as noise when its English word is less than 50% similar to a plain transliteration
//!   of the Cyrillic): the pairs these rules drop are 27% noise, the pairs kept 2.6% (3.8% with no
//!   filter), about the rate of legitimate spelling differences. Typical drops: `сергей` → `sidorenko`.
//! - At most `--top` [10] English words per foreign word.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use saring::text::dictionary::{compile, is_valid_key, normalize, normalize_latin};
use unicode_script::{Script, UnicodeScript};

const FILES: &[&str] = &[
    "wd_arabic.normalized.aligned.tokens",
    "wd_chinese.normalized.aligned.tokens",
    "wd_hebrew.normalized.aligned.tokens",
    "wd_japanese.normalized.aligned.tokens",
    "wd_katakana.normalized.aligned.tokens",
    "wd_korean.normalized.aligned.tokens",
    "wd_russian_20",
    "wd_russian_80",
];

struct Options {
    input: PathBuf,
    output: PathBuf,
    min_count: u64,
    min_share: u64,
    top: usize,
    single_min: u64,
}

fn parse_args() -> Result<Options, String> {
    let mut args = std::env::args().skip(1);
    let mut positional = Vec::new();
    let mut opts =
        Options { input: PathBuf::new(), output: PathBuf::new(), min_count: 2, min_share: 1, top: 10, single_min: 3 };
    while let Some(a) = args.next() {
        let mut value = |name: &str| -> Result<u64, String> {
            args.next().and_then(|v| v.parse().ok()).ok_or_else(|| format!("{name} needs a non-negative integer"))
        };
        match a.as_str() {
            "--min-count" => opts.min_count = value("--min-count")?,
            "--min-share" => opts.min_share = value("--min-share")?,
            "--top" => opts.top = value("--top")? as usize,
            "--single-min" => opts.single_min = value("--single-min")?,
            _ if a.starts_with("--") => return Err(format!("unknown option {a}")),
            _ => positional.push(PathBuf::from(a)),
        }
    }
    match <[PathBuf; 2]>::try_from(positional) {
        Ok([input, output]) => {
            opts.input = input;
            opts.output = output;
            Ok(opts)
        }
        Err(_) => Err("usage: build_dictionary INPUT_DIR OUTPUT.fst [--min-count N] [--min-share PERCENT] \
                       [--top K] [--single-min N]"
            .into()),
    }
}

type Pairs = HashMap<(String, String), u64>;

/// Reads one file into normalised (foreign, english) → count, summing pairs that normalise alike.
fn read_file(path: &Path, stats: &mut Stats) -> Result<Pairs, String> {
    let file = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut pairs = Pairs::new();
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| format!("{}:{}: {e}", path.display(), i + 1))?;
        let mut cols = line.split('\t');
        let (Some(english), Some(foreign), Some(count)) = (cols.next(), cols.next(), cols.next()) else {
            stats.malformed += 1;
            continue;
        };
        let Ok(count) = count.trim().parse::<u64>() else {
            stats.malformed += 1;
            continue;
        };
        stats.lines += 1;
        if english.chars().any(|c| c.is_numeric()) {
            stats.bad_english += 1;
            continue;
        }
        let english = normalize_latin(english);
        if english.len() < 2 {
            stats.bad_english += 1;
            continue;
        }
        let foreign: String = foreign.split_whitespace().collect();
        let key = normalize(&foreign);
        if !is_valid_key(&key) {
            stats.bad_foreign += 1;
            continue;
        }
        *pairs.entry((key, english)).or_insert(0) += count;
    }
    Ok(pairs)
}

#[derive(Default)]
struct Stats {
    lines: u64,
    malformed: u64,
    bad_english: u64,
    bad_foreign: u64,
    single: u64,
    low_count: u64,
    low_share: u64,
    over_top: u64,
}

fn main() {
    if let Err(e) = run() {
        eprintln!("build_dictionary: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let opts = parse_args()?;
    let mut stats = Stats::default();
    let mut japanese = Pairs::new();
    let mut all = Pairs::new();
    for name in FILES {
        let pairs = read_file(&opts.input.join(name), &mut stats)?;
        eprintln!("{name}: {} normalised pairs", pairs.len());
        let is_japanese = name.starts_with("wd_japanese") || name.starts_with("wd_katakana");
        for (k, c) in pairs {
            if is_japanese {
                let e = japanese.entry(k).or_insert(0);
                *e = (*e).max(c);
            } else {
                *all.entry(k).or_insert(0) += c;
            }
        }
    }
    for (k, c) in japanese {
        *all.entry(k).or_insert(0) += c;
    }

    // Group by foreign word.
    let mut by_key: HashMap<String, Vec<(String, u64)>> = HashMap::new();
    for ((key, english), count) in all {
        by_key.entry(key).or_default().push((english, count));
    }
    let mut entries: Vec<(String, String, u64)> = Vec::new();
    let mut keys_kept = 0usize;
    for (key, mut list) in by_key {
        list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let max = list.first().map_or(0, |p| p.1);
        let single = key.chars().count() == 1;
        let single_ok = key.chars().all(|c| matches!(c.script(), Script::Han | Script::Hangul));
        let mut kept = 0usize;
        for (english, count) in list {
            if single && (!single_ok || count < opts.single_min) {
                stats.single += 1;
                continue;
            }
            if count < max && count < opts.min_count {
                stats.low_count += 1;
                continue;
            }
            if count * 100 < max * opts.min_share {
                stats.low_share += 1;
                continue;
            }
            if kept >= opts.top {
                stats.over_top += 1;
                continue;
            }
            kept += 1;
            entries.push((key.clone(), english, count));
        }
        if kept > 0 {
            keys_kept += 1;
        }
    }
    let pairs = entries.len();
    let bytes = compile(entries).map_err(|e| e.to_string())?;
    let tmp = opts.output.with_extension("fst.tmp");
    std::fs::write(&tmp, &bytes).map_err(|e| format!("{}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, &opts.output).map_err(|e| format!("{}: {e}", opts.output.display()))?;
    let size = std::fs::metadata(&opts.output).map_err(|e| e.to_string())?.len();

    eprintln!(
        "read {} lines ({} malformed); skipped: {} bad English, {} bad foreign, {} single-character, \
         {} below --min-count, {} below --min-share, {} beyond --top",
        stats.lines,
        stats.malformed,
        stats.bad_english,
        stats.bad_foreign,
        stats.single,
        stats.low_count,
        stats.low_share,
        stats.over_top
    );
    eprintln!("wrote {}: {} pairs, {} foreign words, {} bytes", opts.output.display(), pairs, keys_kept, size);
    Ok(())
}
