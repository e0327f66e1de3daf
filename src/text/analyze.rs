//! The analysis pipeline (first version: normalise, transliterate, split).

use super::{Name, NameKind, Script, Token, TokenTag};
use unicode_normalization::UnicodeNormalization;

/// Analyses a raw name into tokens.
///
/// ```
/// use saring::{analyze, NameKind};
/// let name = analyze("Nicolás  MADURO", NameKind::Person);
/// assert_eq!(name.canonical(), "nicolas maduro");
/// ```
pub fn analyze(raw: &str, kind: NameKind) -> Name {
    let nfkc: String = raw.nfkc().collect();
    let ascii = any_ascii::any_ascii(&nfkc).to_lowercase();
    let tokens = ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(|t| Token {
            text: t.to_string(),
            original: t.to_string(),
            script: Script::Latin,
            tag: if t.bytes().all(|b| b.is_ascii_digit()) { TokenTag::Number } else { TokenTag::Name },
            weight: 1.0,
            phonetic: t.to_string(),
            keys: Vec::new(),
            alternates: Vec::new(),
        })
        .collect();
    Name { original: raw.to_string(), kind, tokens }
}
