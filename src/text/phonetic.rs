//! Phonetic keys and consonant skeletons.
//!
//! The phonetic key folds spelling variation that is common across romanisations of the same name:
//! Indonesian/Malay old spelling (`oe`→`u`, `dj`→`j`, `tj`→`c`, `sj`→`sy`, `ch`→`kh`), `sy`/`sh`, `kh`/`h`,
//! `ph`/`f`, `q`/`k`, `z`/`s`, `w`/`v`, `y`/`i`, doubled letters, and a silent `h` after the first letter.
//! The rules are the table `data/spelling_rules.tsv`. Equal keys are evidence of the same name, not proof:
//! the scorer gives them less than an exact match.
//!
//! ```
//! use saring::text::phonetic_key;
//! assert_eq!(phonetic_key("soekarno"), phonetic_key("sukarno"));
//! assert_eq!(phonetic_key("djoko"), phonetic_key("joko"));
//! assert_eq!(phonetic_key("baasyir"), phonetic_key("bashir"));
//! assert_ne!(phonetic_key("bush"), phonetic_key("habbash"));
//! ```

use super::names::{rewrite, tables};

/// The phonetic key of a canonical (lower-case ASCII) token.
pub fn phonetic_key(text: &str) -> String {
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return text.to_string();
    }
    let rewritten = rewrite(text, &tables().spelling_rules);
    let mut out = String::with_capacity(rewritten.len());
    let mut prev = '\0';
    for (i, c) in rewritten.chars().enumerate() {
        if c == 'h' && i > 0 {
            continue;
        }
        if c != prev {
            out.push(c);
        }
        prev = c;
    }
    out
}

/// The consonant skeleton: vowels, `w`, `y`, `v` and an `h` inside the word dropped, close consonants
/// merged (`q`, `c` → `k`; `p` → `b`; not `z` and `s`, which Arabic writes apart: `nazer` is not
/// `ansar`), and a consonant repeated across vowels counted once (`janan` and the unvocalised `jnn`
/// give `jn`). An `h` is kept at the start of a word and ends a run of repeated consonants inside it,
/// so that `mohammed` and `mhmd` (`mmd`) stay apart from `ahmed` (`md`), and `hussein` (`hsn`) from
/// `snny` (`sn`). Used to compare abjad-script tokens (Arabic, Hebrew) with Latin ones.
///
/// ```
/// use saring::text::skeleton;
/// assert_eq!(skeleton("mohammed"), "mmd");
/// assert_eq!(skeleton("mohammed"), skeleton("mhmd"));
/// assert_ne!(skeleton("mohammed"), skeleton("ahmed"));
/// assert_eq!(skeleton("hussein"), skeleton("hsyn"));
/// ```
pub fn skeleton(text: &str) -> String {
    skeleton_chars(text).collect()
}

/// The characters of [`skeleton`], without allocating.
pub(crate) fn skeleton_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    let mut prev = '\0';
    let mut first = true;
    text.chars().filter_map(move |c| {
        if std::mem::take(&mut first) && c == 'h' {
            return Some('h');
        }
        if matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'h' | 'w' | 'y' | 'v') {
            if c == 'h' {
                prev = '\0';
            }
            return None;
        }
        let c = match c {
            'q' | 'c' => 'k',
            'p' => 'b',
            _ => c,
        };
        let keep = c != prev;
        prev = c;
        keep.then_some(c)
    })
}
