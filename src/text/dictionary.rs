//! Cross-script name dictionary (placeholder until the compiled dictionary lands).

/// English (Latin) equivalents of one non-Latin name word, most frequent first.
pub fn equivalents(word: &str) -> Vec<String> {
    let _ = word;
    Vec::new()
}

/// Splits a run written without spaces (Han, Kana, Hangul) into dictionary words with their equivalents.
pub fn segment(run: &str) -> Option<Vec<(String, Vec<String>)>> {
    let _ = run;
    None
}

/// Whether a word is in the dictionary.
pub fn is_known(word: &str) -> bool {
    !equivalents(word).is_empty()
}
