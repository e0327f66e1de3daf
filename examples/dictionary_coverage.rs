//! Coverage of the shipped cross-script dictionary on names written in non-Latin scripts.
//!
//! ```text
//! cargo run --release --example dictionary_coverage -- \
//!     /work/shared/data/name_pairs/cross_script_pairs.csv /work/shared/data/name_pairs/putin_names.txt
//! ```
//!
//! Each line's first comma-separated field is a name; lines starting with `#` are skipped. The optional
//! second field is the expected Latin name (as in `cross_script_pairs.csv`); without it the expected
//! words are `vladimir vladimirovich putin` (as for `putin_names.txt`). Names with no non-Latin letter
//! are skipped. For every non-Latin token (split on spaces, punctuation and middle dots; one-letter
//! initials of alphabetic scripts skipped) it counts whether
//! the dictionary knows it (as a word, or split by `segment`) and whether one of its equivalents is an
//! expected word, and prints the unknown tokens.

use std::time::Instant;

use saring::text::dictionary::{equivalents, is_known, is_unspaced_script, normalize_latin, segment};

fn main() {
    let mut tokens = 0usize;
    let mut known = 0usize;
    let mut segmented = 0usize;
    let mut correct = 0usize;
    let mut names = 0usize;
    let mut in_script_tokens = 0usize;
    let mut in_script_found = 0usize;
    let mut names_all_known = 0usize;
    let mut missing = Vec::new();
    let mut wrong = Vec::new();
    let mut article_stem_known = 0usize;
    for path in std::env::args().skip(1) {
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(1);
            }
        };
        for line in text.lines() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            // `name,Expected Latin name,...` when the second field is Latin; otherwise the whole line.
            let mut fields = line.split(',');
            let first = fields.next().unwrap_or_default();
            let second = fields.next().unwrap_or_default();
            let (name, expected): (&str, Vec<String>) = if second.chars().any(|c| c.is_ascii_alphabetic()) {
                (first, second.split_whitespace().map(normalize_latin).collect())
            } else {
                (line, ["vladimir", "vladimirovich", "putin"].map(String::from).to_vec())
            };
            if !name.chars().any(|c| c.is_alphabetic() && !c.is_ascii() && any_latin(c).is_none()) {
                continue;
            }
            names += 1;
            let mut all = true;
            for token in name.split(|c: char| !c.is_alphabetic() && !is_mark(c)) {
                if token.is_empty() || !token.chars().any(|c| c.is_alphabetic() && any_latin(c).is_none()) {
                    continue;
                }
                // One letter of an alphabetic script is an initial, not a name word.
                if token.chars().count() == 1 && !token.chars().all(is_unspaced_script) {
                    continue;
                }
                tokens += 1;
                let in_scripts = token.chars().all(is_dictionary_script);
                in_script_tokens += usize::from(in_scripts);
                let eq: Vec<String> = if is_known(token) {
                    known += 1;
                    in_script_found += usize::from(in_scripts);
                    equivalents(token)
                } else if let Some(pieces) = segment(token) {
                    segmented += 1;
                    in_script_found += usize::from(in_scripts);
                    pieces.into_iter().flat_map(|(_, e)| e).collect()
                } else {
                    all = false;
                    missing.push(token.to_string());
                    if token.strip_prefix("ال").is_some_and(is_known) {
                        article_stem_known += 1;
                    }
                    Vec::new()
                };
                if eq.iter().any(|e| expected.contains(e)) {
                    correct += 1;
                } else if !eq.is_empty() {
                    wrong.push(format!("{token}={}", eq.join("/")));
                }
            }
            if all {
                names_all_known += 1;
            }
        }
    }
    let pct = |n: usize, d: usize| if d == 0 { 0.0 } else { 100.0 * n as f64 / d as f64 };
    println!(
        "{names} non-Latin names, {tokens} tokens: {known} known as words, {segmented} by segment \
         ({:.1}% covered); {correct} with an expected English word among the equivalents ({:.1}%); \
         {names_all_known} names fully covered ({:.1}%)",
        pct(known + segmented, tokens),
        pct(correct, tokens),
        pct(names_all_known, names),
    );
    println!(
        "tokens in the dictionary's scripts (Arabic, Cyrillic, Han, Hangul, Hebrew, Kana): {in_script_found} of \
         {in_script_tokens} found ({:.1}%)",
        pct(in_script_found, in_script_tokens)
    );
    println!(
        "not found: {} tokens, of which {article_stem_known} Arabic words known without the article ال",
        missing.len()
    );
    println!("not found: {}", missing.join(" "));
    println!("found, but no expected word: {}", wrong.join(" "));

    // Lookup speed: every token of a fixed list, many times.
    let words = ["сергей", "Владимир", "محمد", "משה", "麦克里里", "ウラジーミル", "블라디미르", "щщщщщщ"];
    let rounds = 20_000;
    let start = Instant::now();
    let mut n = 0usize;
    for _ in 0..rounds {
        for w in words {
            n += equivalents(w).len();
        }
    }
    let per = start.elapsed().as_secs_f64() * 1e9 / (rounds * words.len()) as f64;
    println!("equivalents(): {per:.0} ns per word ({n} results)");
}

/// `Some` if the character is a Latin letter (ASCII or not).
fn any_latin(c: char) -> Option<char> {
    use unicode_script::{Script, UnicodeScript};
    (c.script() == Script::Latin).then_some(c)
}

/// Whether a character (other than a mark) is in one of the scripts the dictionary covers.
fn is_dictionary_script(c: char) -> bool {
    use unicode_script::{Script, UnicodeScript};
    is_mark(c)
        || matches!(
            c.script(),
            Script::Arabic
                | Script::Cyrillic
                | Script::Han
                | Script::Hangul
                | Script::Hebrew
                | Script::Katakana
                | Script::Hiragana
        )
}

fn is_mark(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
}
