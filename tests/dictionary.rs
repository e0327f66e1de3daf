//! The shipped cross-script dictionary (`data/translit.fst`), through the public API only.
//!
//! Every expected value below was checked by hand in the source files (Wikidata word pairs); the
//! counts quoted in comments are the source counts. The brief's `麦克里里` → `McCrear` and
//! `ザポトッキー` → `Zapotocky` are not in the source data; the pairs that are (`mccreary`,
//! `zaporozhets`) are tested instead.

use saring::text::dictionary::{self, equivalents, has_equivalent, is_known, segment, Dictionary};

#[test]
fn dictionary_is_loaded_and_large() {
    let dict = dictionary::embedded().expect("embedded dictionary opens");
    assert!(dict.len() > 350_000, "{} foreign words", dict.len());
}

#[test]
fn chinese_transliteration_of_a_western_surname() {
    // wd_chinese: mccreary 麦 克 里 里 1 (the only pair of this word).
    assert_eq!(equivalents("麦克里里"), ["mccreary"]);
}

#[test]
fn katakana_with_and_without_long_vowel_mark() {
    // wd_japanese / wd_katakana: zaporozhets ザ ポ ロ ー ジ ェ ツ 1.
    assert_eq!(equivalents("ザポロージェツ"), ["zaporozhets"]);
    assert_eq!(equivalents("ザポロジェツ"), ["zaporozhets"]);
    // Half-width katakana normalise to the same key.
    assert_eq!(equivalents("ｻﾞﾎﾟﾛｰｼﾞｪﾂ"), ["zaporozhets"]);
}

#[test]
fn russian_first_name_has_several_romanisations() {
    // wd_russian_80: sergei 170, sergey 139, sergej 33; wd_russian_20: serguei 2, sergueï (80) 8.
    let e = equivalents("Сергей");
    assert_eq!(e.len(), 5);
    assert_eq!(&e[..3], ["sergei", "sergey", "sergej"]);
    assert_eq!(equivalents("СЕРГЕЙ"), e);
    assert!(has_equivalent("сергей", "Sergei"));
    assert!(has_equivalent("сергей", "SERGEY"));
    // A rarer spelling is still known, beyond the first five.
    assert!(has_equivalent("сергей", "serhiy")); // wd_russian_20: serhiy 7
                                                 // Misalignments far below the main spellings are filtered out (wd_russian_20: sidorenko 1).
    assert!(!has_equivalent("сергей", "sidorenko"));
}

#[test]
fn arabic_name_variants() {
    // wd_arabic: mohamed 553, mohammed 297, muhammad 171, mohammad 140, muhammed 19.
    let e = equivalents("محمد");
    assert_eq!(&e[..4], ["mohamed", "mohammed", "muhammad", "mohammad"]);
    assert!(has_equivalent("محمد", "Muhammed"));
    // Harakat are ignored.
    assert_eq!(equivalents("مُحَمَّد"), e);
    // wd_arabic: ahmed 544, ahmad 200, ahmet 29 under أحمد; a bare alef finds the same.
    assert_eq!(&equivalents("أحمد")[..3], ["ahmed", "ahmad", "ahmet"]);
    assert_eq!(equivalents("احمد"), equivalents("أحمد"));
}

#[test]
fn hebrew_and_korean() {
    // wd_hebrew: moshe 219, moses 48, mosheh 7, moishe 5.
    assert_eq!(&equivalents("משה")[..2], ["moshe", "moses"]);
    // wd_korean: vladimir 69, wladimir 2 (vladimír 6 folds into vladimir); donald 30.
    assert_eq!(equivalents("블라디미르"), ["vladimir", "wladimir"]);
    assert_eq!(equivalents("도널드"), ["donald"]);
}

#[test]
fn single_han_characters_keep_only_frequent_readings() {
    // wd_chinese: lee 李 262, leigh 10, li 6, lie 4, lea 3; yi 3 too, beyond the first five.
    assert_eq!(equivalents("李"), ["lee", "leigh", "li", "lie", "lea"]);
    // wd_chinese: king 金 96, kim 78; kym 2 and keen 1 are below the single-character minimum (3).
    assert_eq!(equivalents("金"), ["king", "kim"]);
}

#[test]
fn traditional_and_simplified_chinese_meet() {
    // wd_chinese: george 喬 治 352 (traditional); giorgio 乔 治 (simplified) is rarer.
    assert_eq!(equivalents("乔治").first().map(String::as_str), Some("george"));
    assert_eq!(equivalents("喬治"), equivalents("乔治"));
    // wd_chinese: vladimir 弗 拉 基 米 爾 43, written here in simplified characters.
    assert_eq!(equivalents("弗拉基米尔").first().map(String::as_str), Some("vladimir"));
}

#[test]
fn unknown_words() {
    assert!(equivalents("Smith").is_empty());
    assert!(!is_known("Smith"));
    assert!(equivalents("щщщщщщ").is_empty());
    assert!(!is_known("щщщщщщ"));
    assert!(equivalents("").is_empty());
    assert!(equivalents("・ー").is_empty());
    assert!(is_known("Сергей"));
    assert!(!has_equivalent("сергей", ""));
}

#[test]
fn segment_splits_a_han_run_into_two_names() {
    // wd_chinese: jackson 杰 克 逊 46; michaël 迈 克 尔 2 (→ michael).
    let pieces = segment("迈克尔杰克逊").expect("covered");
    assert_eq!(pieces.len(), 2);
    assert_eq!(pieces[0].0, "迈克尔");
    assert!(pieces[0].1.iter().any(|w| w == "michael"));
    assert_eq!(pieces[1].0, "杰克逊");
    assert_eq!(pieces[1].1, ["jackson"]);
}

#[test]
fn segment_katakana_full_name_with_middle_dot() {
    // wd_japanese: vladimir ウ ラ ジ ー ミ ル 163, putin プ ー チ ン 2.
    let pieces = segment("ウラジーミル・プーチン").expect("covered");
    assert_eq!(pieces.len(), 2);
    assert_eq!(pieces[0].1.first().map(String::as_str), Some("vladimir"));
    assert_eq!(pieces[1].1, ["putin"]);
    // One known word stays whole.
    let whole = segment("麦克里里").expect("covered");
    assert_eq!(whole, [("麦克里里".to_string(), vec!["mccreary".to_string()])]);
}

#[test]
fn segment_gives_none_when_not_covered() {
    assert_eq!(segment("Smith"), None);
    // Alphabetic scripts are not split into pieces (президент is not a dictionary word).
    assert_eq!(segment("Президент"), None);
    assert!(segment("Сергей").is_none());
    assert_eq!(segment(""), None);
    assert_eq!(segment(&"麦".repeat(65)), None);
}

#[test]
fn corrupt_bytes_are_an_error_not_a_panic() {
    assert!(Dictionary::from_bytes(b"").is_err());
    assert!(Dictionary::from_bytes(b"SARDICT1").is_err());
    let mut bytes = dictionary::compile(vec![("сергей".into(), "sergei".into(), 3)]).expect("compiles");
    assert!(Dictionary::from_bytes(&bytes).is_ok());
    bytes.push(0);
    assert!(Dictionary::from_bytes(&bytes).is_err());
}
