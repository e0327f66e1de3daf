//! Per-script transliteration: any string becomes lower-case ASCII romanisations.
//!
//! `any_ascii` gives the primary romanisation for every script. Where transliteration schemes commonly
//! disagree (Cyrillic `й` as `y` or `i`, `х` as `kh` or `h`), a second romanisation from
//! `data/cyrillic_alt.tsv` is kept as an alternate. Abjad scripts (Arabic, Hebrew) write no short vowels,
//! so their romanisation is consonantal (`محمد` → `mhmd`); the scorer compares such tokens with Latin ones
//! by consonant skeleton, and the cross-script dictionary supplies full spellings where it knows the word.

use super::names::{rewrite, tables};
use super::Script;
use unicode_script::{Script as U, UnicodeScript};

/// The script of one character (Common/Inherited characters count as Latin).
pub(crate) fn char_script(c: char) -> Script {
    if c.is_ascii() {
        return Script::Latin;
    }
    match c.script() {
        U::Latin | U::Common | U::Inherited => Script::Latin,
        U::Cyrillic => Script::Cyrillic,
        U::Greek => Script::Greek,
        U::Arabic => Script::Arabic,
        U::Hebrew => Script::Hebrew,
        U::Han => Script::Han,
        U::Hangul => Script::Hangul,
        U::Hiragana | U::Katakana => Script::Kana,
        U::Thai => Script::Thai,
        U::Devanagari => Script::Devanagari,
        _ => Script::Other,
    }
}

/// Lower-case ASCII letters and digits of `s`'s primary romanisation.
pub(crate) fn romanize(s: &str) -> String {
    let ascii = any_ascii::any_ascii(s);
    ascii.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect()
}

/// A second romanisation, where the script has common alternatives; `None` if it equals the first.
pub(crate) fn alternate(word: &str, script: Script, primary: &str) -> Option<String> {
    if script != Script::Cyrillic {
        return None;
    }
    let lower = word.to_lowercase();
    let alt = romanize(&rewrite(&lower, &tables().cyrillic_alt));
    (alt != primary && !alt.is_empty()).then_some(alt)
}

/// Whether a script writes consonants only (short vowels omitted).
pub(crate) fn is_abjad(script: Script) -> bool {
    matches!(script, Script::Arabic | Script::Hebrew)
}

/// Whether a script writes names without spaces between syllables or words.
pub(crate) fn is_unspaced(script: Script) -> bool {
    matches!(script, Script::Han | Script::Kana | Script::Hangul)
}
