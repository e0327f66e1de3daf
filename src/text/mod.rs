//! Name analysis: one pipeline, used identically for list names and query names.
//!
//! A raw name becomes a [`Name`]: a list of [`Token`]s, each with its canonical form (lower-case ASCII
//! after Unicode normalisation and transliteration), the original text, the script it came from, a tag
//! (name word, particle, legal form, number, initial), a weight, a phonetic key, and equivalence keys
//! (name-variant classes such as Muhammad/Mohammed/Mohd, and cross-script dictionary equivalents) that
//! count as equal tokens in scoring and become keys in the index.

mod analyze;
pub mod dictionary;
mod names;
mod phonetic;
mod translit;

pub use analyze::analyze;
pub(crate) use phonetic::skeleton_chars;
pub use phonetic::{phonetic_key, skeleton};
pub(crate) use translit::is_abjad;

use serde::{Deserialize, Serialize};

/// Whether a name belongs to a person or an organisation; `Unknown` lets the analyser guess.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NameKind {
    /// A natural person.
    Person,
    /// An organisation (company, group, vessel).
    Entity,
    /// Not known: detected from legal forms in the name.
    #[default]
    Unknown,
}

/// The writing system a token came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Script {
    /// Latin letters (with or without diacritics) and digits.
    Latin,
    /// Cyrillic.
    Cyrillic,
    /// Greek.
    Greek,
    /// Arabic and Persian.
    Arabic,
    /// Hebrew.
    Hebrew,
    /// Chinese characters (and Japanese kanji).
    Han,
    /// Korean Hangul.
    Hangul,
    /// Japanese kana.
    Kana,
    /// Thai.
    Thai,
    /// Devanagari.
    Devanagari,
    /// Anything else.
    Other,
}

/// The role of a token in a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenTag {
    /// An ordinary name word.
    Name,
    /// A light particle (bin, binti, al, van, de, ...).
    Particle,
    /// A legal form of an organisation (LTD, PT, GmbH, ...), canonicalised.
    LegalForm,
    /// A number (kept and significant).
    Number,
    /// A single-letter initial.
    Initial,
}

impl TokenTag {
    /// A name word or a number: what identifies someone (particles, legal forms and initials do not).
    pub(crate) fn is_name_word_or_number(self) -> bool {
        matches!(self, TokenTag::Name | TokenTag::Number)
    }
}

/// One analysed token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Token {
    /// Canonical form: lower-case ASCII letters and digits.
    pub text: String,
    /// The token as it appeared in the input.
    pub original: String,
    /// The script of the original.
    pub script: Script,
    /// Name word, particle, legal form, number or initial.
    pub tag: TokenTag,
    /// Relative weight in scoring (rare tokens weigh more than common ones).
    pub weight: f32,
    /// Phonetic key of `text`.
    pub phonetic: String,
    /// Equivalence keys: variant-class keys and cross-script dictionary equivalents.
    /// Two tokens sharing a key count as equal.
    pub keys: Vec<String>,
    /// Other romanisations of the same original (where transliterators disagree).
    pub alternates: Vec<String>,
}

/// An analysed name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Name {
    /// The input as given.
    pub original: String,
    /// Person or organisation (resolved when the input said `Unknown` and a legal form was seen).
    pub kind: NameKind,
    /// The tokens, in order (for `SURNAME, Given` input: given names first).
    pub tokens: Vec<Token>,
}

impl Name {
    /// Every string under which this name should be found in an index: each token's canonical form,
    /// its alternates and its equivalence keys (deduplicated, in a stable order).
    ///
    /// ```
    /// let name = saring::analyze("Mohammed Ali", saring::NameKind::Person);
    /// assert!(name.index_keys().iter().any(|k| k == "ali"));
    /// ```
    pub fn index_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = Vec::new();
        for t in &self.tokens {
            for k in std::iter::once(&t.text).chain(&t.alternates).chain(&t.keys) {
                if !k.is_empty() && !keys.contains(k) {
                    keys.push(k.clone());
                }
            }
        }
        keys
    }

    /// The canonical tokens joined by single spaces.
    pub fn canonical(&self) -> String {
        let mut s = String::with_capacity(self.tokens.iter().map(|t| t.text.len() + 1).sum());
        for (k, t) in self.tokens.iter().enumerate() {
            if k > 0 {
                s.push(' ');
            }
            s.push_str(&t.text);
        }
        s
    }
}
