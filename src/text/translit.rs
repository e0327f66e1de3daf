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
    // Fast paths, without the Unicode tables: ASCII and Latin-1 to Latin Extended-B (all Latin, Common or
    // Inherited), and the plain letters of Cyrillic, Hebrew and Arabic.
    match c {
        '\u{0}'..='\u{024F}' => return Script::Latin,
        '\u{0410}'..='\u{044F}' | '\u{0451}' => return Script::Cyrillic,
        '\u{05D0}'..='\u{05EA}' => return Script::Hebrew,
        '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' => return Script::Arabic,
        _ => {}
    }
    table_script(c)
}

/// The script of a character from the Unicode tables (no fast path).
fn table_script(c: char) -> Script {
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
    if s.is_ascii() {
        // `any_ascii` leaves ASCII as it is.
        return s.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect();
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_fast_paths_agree_with_the_tables() {
        for c in ('\u{0}'..='\u{07FF}').chain('\u{3000}'..='\u{33FF}') {
            assert_eq!(char_script(c), table_script(c), "{c:?}");
        }
    }
}
