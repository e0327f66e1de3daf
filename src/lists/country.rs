//! One country table (`data/countries.tsv`) mapping English names, Indonesian names, demonyms, ISO codes
//! and Dow Jones codes to ISO 3166-1 alpha-2.
//!
//! Lists write countries in every way there is: `IQ`, `IRQ`, `Iraq`, `Iraqi`, `Irak` (Indonesian),
//! `IRAQ` (Dow Jones), `Korea, North`, `Iran (Islamic Republic of)`. The table is compiled into the
//! binary and loaded once; lookups ignore case, diacritics and punctuation. [`split_countries`] reads
//! cells naming several countries (`Perancis,Tunisia`, `Mauritania atau Mali`, `1) Saudi Arabia 2) Qatar`).

use std::collections::HashMap;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

const TABLE: &str = include_str!("../../data/countries.tsv");

/// One row of the country table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code.
    pub alpha2: &'static str,
    /// ISO 3166-1 alpha-3 code.
    pub alpha3: &'static str,
    /// English short name.
    pub name: &'static str,
}

struct Table {
    rows: Vec<Country>,
    /// Normalised key → index into `rows`.
    keys: HashMap<String, usize>,
    /// Upper-case alpha-2 code (`26 × first + second` letter) → index into `rows` plus 1 (0: none).
    codes: Vec<u16>,
}

/// The [`Table::codes`] slot of an upper-case two-letter code.
fn code_slot(code: &str) -> Option<usize> {
    match code.as_bytes() {
        &[a, b] if a.is_ascii_uppercase() && b.is_ascii_uppercase() => {
            Some(usize::from(a - b'A') * 26 + usize::from(b - b'A'))
        }
        _ => None,
    }
}

fn table() -> &'static Table {
    static TABLE_CELL: OnceLock<Table> = OnceLock::new();
    TABLE_CELL.get_or_init(|| {
        let mut rows = Vec::new();
        // Keys by priority: codes first, then names, then Dow Jones codes; a lower-priority key never
        // overrides a higher-priority one (e.g. a Dow Jones code equal to another country's alpha-3).
        let mut tiers: [Vec<(String, usize)>; 3] = [Vec::new(), Vec::new(), Vec::new()];
        for line in TABLE.lines() {
            if line.starts_with('#') || line.starts_with("alpha2\t") || line.trim().is_empty() {
                continue;
            }
            let cols: Vec<&'static str> = line.split('\t').collect();
            let col = |i: usize| cols.get(i).copied().unwrap_or("");
            let idx = rows.len();
            rows.push(Country { alpha2: col(0), alpha3: col(1), name: col(2) });
            tiers[0].push((normalize(col(0)), idx));
            tiers[0].push((normalize(col(1)), idx));
            for n in std::iter::once(col(2)).chain(col(4).split('|')).chain(col(5).split('|')) {
                tiers[1].push((normalize(n), idx));
            }
            for code in col(3).split('|') {
                tiers[2].push((normalize(code), idx));
            }
        }
        let mut keys = HashMap::new();
        for tier in tiers {
            for (k, idx) in tier {
                if !k.is_empty() {
                    keys.entry(k).or_insert(idx);
                }
            }
        }
        let mut codes = vec![0u16; 26 * 26];
        for (idx, c) in rows.iter().enumerate() {
            if let Some(slot) = code_slot(c.alpha2) {
                codes[slot] = idx as u16 + 1;
            }
        }
        Table { rows, keys, codes }
    })
}

/// Lowercases, strips diacritics, drops `.` and `'`, turns other punctuation into spaces, collapses
/// whitespace, and drops a leading `the`.
fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if c == '.' || c == '\'' || c == '’' || c == '`' {
            continue;
        }
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else {
            space = true;
        }
    }
    match out.strip_prefix("the ") {
        Some(rest) => rest.to_string(),
        None => out,
    }
}

/// The ISO 3166-1 alpha-2 code for a country name or code, if known.
///
/// Accepts ISO alpha-2 and alpha-3 codes, English names and their common variants, demonyms,
/// Indonesian names and Dow Jones country codes.
///
/// ```
/// use saring::lists::country::to_iso;
/// assert_eq!(to_iso("Korea, North"), Some("KP"));
/// assert_eq!(to_iso("Republik Arab Suriah"), Some("SY"));
/// assert_eq!(to_iso("THAIL"), Some("TH"));
/// assert_eq!(to_iso("deu"), Some("DE"));
/// assert_eq!(to_iso("Côte d'Ivoire"), Some("CI"));
/// assert_eq!(to_iso("Asia Tenggara"), None);
/// ```
pub fn to_iso(name_or_code: &str) -> Option<&'static str> {
    let t = table();
    let key = normalize(name_or_code);
    if key.is_empty() {
        return None;
    }
    t.keys.get(&key).and_then(|&i| t.rows.get(i)).map(|c| c.alpha2)
}

/// The table row for an ISO alpha-2 code (either case).
///
/// ```
/// use saring::lists::country::by_alpha2;
/// assert_eq!(by_alpha2("sg").map(|c| c.alpha3), Some("SGP"));
/// assert_eq!(by_alpha2("XK").map(|c| c.name), Some("Kosovo"));
/// assert!(by_alpha2("ZZ").is_none() && by_alpha2("SGP").is_none());
/// ```
pub fn by_alpha2(alpha2: &str) -> Option<&'static Country> {
    let t = table();
    let slot = code_slot(&alpha2.to_ascii_uppercase())?;
    let row = usize::from(t.codes[slot]).checked_sub(1)?;
    t.rows.get(row)
}

/// Whether `code` is an ISO 3166-1 alpha-2 code of the table, written in upper case.
pub fn is_alpha2(code: &str) -> bool {
    code_slot(code).is_some_and(|slot| table().codes[slot] != 0)
}

/// All countries in the table.
pub fn all() -> &'static [Country] {
    &table().rows
}

/// Splits a cell naming one or several countries into ISO alpha-2 codes (unknown parts are skipped;
/// duplicates removed, order kept).
///
/// Separators: `,` `;` `/` `&` newlines, the words `atau` / `dan` / `or` / `and`, and `1)`, `2)`
/// enumerations. Commas inside a name (`Korea, North`) are kept when the joined text is a country.
///
/// ```
/// use saring::lists::country::split_countries;
/// assert_eq!(split_countries("Perancis,Tunisia"), vec!["FR", "TN"]);
/// assert_eq!(split_countries("Jerman; Maroko"), vec!["DE", "MA"]);
/// assert_eq!(split_countries("Mauritania atau Mali"), vec!["MR", "ML"]);
/// assert_eq!(split_countries("Afganistan/Pakistan"), vec!["AF", "PK"]);
/// assert_eq!(split_countries("1) Saudi Arabia 2) Qatar"), vec!["SA", "QA"]);
/// assert_eq!(split_countries("Korea, North"), vec!["KP"]);
/// ```
pub fn split_countries(cell: &str) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    let mut push = |c: &'static str| {
        if !out.contains(&c) {
            out.push(c);
        }
    };
    if let Some(c) = to_iso(cell) {
        push(c);
        return out;
    }
    for segment in strong_segments(cell) {
        if let Some(c) = lookup_loose(&segment, false) {
            push(c);
            continue;
        }
        // Comma-separated pieces: greedily join the longest run that is a country.
        let pieces: Vec<&str> = segment.split(',').map(str::trim).filter(|p| !p.is_empty()).collect();
        let mut i = 0;
        while i < pieces.len() {
            let mut found = None;
            for j in (i + 1..=pieces.len()).rev() {
                let joined = pieces.get(i..j).map(|p| p.join(", ")).unwrap_or_default();
                if let Some(c) = lookup_loose(&joined, j == i + 1) {
                    found = Some((c, j));
                    break;
                }
            }
            match found {
                Some((c, j)) => {
                    push(c);
                    i = j;
                }
                None => i += 1,
            }
        }
    }
    out
}

/// A lookup that also tries the text without a parenthesised part (`Afghanistan (since 2009)`), and with
/// `trim_words`, without up to four leading or trailing words (`Possibly Ethiopian`).
fn lookup_loose(s: &str, trim_words: bool) -> Option<&'static str> {
    if let Some(c) = to_iso(s) {
        return Some(c);
    }
    let without: String = {
        let mut depth = 0usize;
        s.chars()
            .filter(|&ch| match ch {
                '(' => {
                    depth += 1;
                    false
                }
                ')' => {
                    depth = depth.saturating_sub(1);
                    false
                }
                _ => depth == 0,
            })
            .collect()
    };
    if without.len() != s.len() {
        if let Some(c) = to_iso(&without) {
            return Some(c);
        }
    }
    if !trim_words {
        return None;
    }
    // Filler words around a name: "Possibly Ethiopian", "Iranian citizenship", "Pakistan (reportedly)".
    let words: Vec<&str> = without.split_whitespace().collect();
    let n = words.len();
    for total in 1..n {
        for skip_front in 0..=total.min(4) {
            let skip_back = total - skip_front;
            if skip_back > 4 || skip_front + skip_back >= n {
                continue;
            }
            let inner = words.get(skip_front..n - skip_back).map(|w| w.join(" ")).unwrap_or_default();
            // Only names here, never bare codes: "to" in free text is not Tonga.
            if inner.chars().count() > 3 {
                if let Some(c) = to_iso(&inner) {
                    return Some(c);
                }
            }
        }
    }
    None
}

/// Splits on separators that never occur inside a country name.
fn strong_segments(cell: &str) -> Vec<String> {
    let mut segs = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = cell.chars().collect();
    let mut i = 0;
    let flush = |cur: &mut String, segs: &mut Vec<String>| {
        let t = cur.trim().trim_matches(|c: char| c == '-' || c == '.').trim().to_string();
        if !t.is_empty() {
            segs.push(t);
        }
        cur.clear();
    };
    while let Some(&c) = chars.get(i) {
        match c {
            ';' | '/' | '&' | '\n' | '\r' | '|' => {
                flush(&mut cur, &mut segs);
                i += 1;
            }
            // A sentence end: "United States of America. Also believed to hold Syrian nationality".
            '.' if chars.get(i + 1).is_some_and(|c| c.is_whitespace()) => {
                flush(&mut cur, &mut segs);
                i += 1;
            }
            // Enumerations: "1)", "(a)", "a)", "b)" (a letter alone before ")").
            d if d.is_ascii_digit() && chars.get(i + 1) == Some(&')') => {
                flush(&mut cur, &mut segs);
                i += 2;
            }
            '(' if chars.get(i + 1).is_some_and(|c| c.is_ascii_alphanumeric()) && chars.get(i + 2) == Some(&')') => {
                flush(&mut cur, &mut segs);
                i += 3;
            }
            l if l.is_ascii_lowercase()
                && chars.get(i + 1) == Some(&')')
                && (i == 0 || chars.get(i - 1).is_some_and(|c| c.is_whitespace())) =>
            {
                flush(&mut cur, &mut segs);
                i += 2;
            }
            _ => {
                // Word separators: " atau ", " dan ", " or ", " and ".
                let rest: String = chars.get(i..).map(|r| r.iter().take(7).collect()).unwrap_or_default();
                let lower = rest.to_lowercase();
                let word = [" atau ", " dan ", " or ", " and "].iter().find(|w| lower.starts_with(*w));
                if let Some(w) = word {
                    flush(&mut cur, &mut segs);
                    i += w.chars().count();
                } else {
                    cur.push(c);
                    i += 1;
                }
            }
        }
    }
    flush(&mut cur, &mut segs);
    segs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_codes_and_variants() {
        let cases = [
            ("Korea, North", "KP"),
            ("North Korea", "KP"),
            ("DPRK", "KP"),
            ("Iran (Islamic Republic of)", "IR"),
            ("Russian Federation", "RU"),
            ("Federasi Rusia", "RU"),
            ("Syrian Arab Republic", "SY"),
            ("Republik Arab Suriah", "SY"),
            ("United Kingdom", "GB"),
            ("Britania Raya", "GB"),
            ("Jerman", "DE"),
            ("Perancis", "FR"),
            ("Maroko", "MA"),
            ("Philippina", "PH"),
            ("Afganistan", "AF"),
            ("Malaysia", "MY"),
            ("MALAY", "MY"),
            ("INDON", "ID"),
            ("RUSS", "RU"),
            ("THAIL", "TH"),
            ("USA", "US"),
            ("us", "US"),
            ("gbr", "GB"),
            ("Iraqi", "IQ"),
            ("Afghan", "AF"),
            ("Saudi Arabian", "SA"),
            ("the Gambia", "GM"),
            ("Türkiye", "TR"),
            ("Viet Nam", "VN"),
            ("Kosovo", "XK"),
            ("  saudi   arabia ", "SA"),
        ];
        for (input, want) in cases {
            assert_eq!(to_iso(input), Some(want), "{input}");
        }
        for bad in ["", "00", "UNKNOWN", "Asia Tenggara", "Eks Uni Soviet", "xyzzy"] {
            assert_eq!(to_iso(bad), None, "{bad}");
        }
    }

    #[test]
    fn covers_every_iso_country() {
        let rows = all();
        assert!(rows.len() >= 249, "{}", rows.len());
        for c in rows {
            assert_eq!(c.alpha2.len(), 2, "{c:?}");
            assert_eq!(c.alpha3.len(), 3, "{c:?}");
            assert_eq!(to_iso(c.alpha2), Some(c.alpha2));
            assert_eq!(to_iso(c.alpha3), Some(c.alpha2));
            assert_eq!(to_iso(c.name), Some(c.alpha2), "{}", c.name);
            assert!(is_alpha2(c.alpha2), "{c:?}");
            assert_eq!(by_alpha2(&c.alpha2.to_ascii_lowercase()), Some(c));
        }
        // 250 codes of the 676 two-letter ones, upper case only.
        let codes = (b'A'..=b'Z').flat_map(|a| (b'A'..=b'Z').map(move |b| String::from_utf8(vec![a, b]).unwrap()));
        assert_eq!(codes.filter(|c| is_alpha2(c)).count(), rows.len());
        for bad in ["id", "Id", "IDN", "I", "", "ZZ", "UK", "É1"] {
            assert!(!is_alpha2(bad), "{bad}");
        }
        assert_eq!(by_alpha2("id").map(|c| c.name), Some("Indonesia"));
        // Every Dow Jones code and Indonesian name resolves to its own row (no key is shadowed).
        for line in TABLE.lines().filter(|l| !l.starts_with('#') && !l.starts_with("alpha2\t")) {
            let cols: Vec<&str> = line.split('\t').collect();
            let a2 = cols[0];
            for key in cols[3].split('|').chain(cols[4].split('|')).filter(|k| !k.is_empty()) {
                assert_eq!(to_iso(key), Some(a2), "{key} in row {a2}");
            }
        }
    }

    #[test]
    fn splits_multi_country_cells() {
        assert_eq!(split_countries("Perancis,Tunisia"), vec!["FR", "TN"]);
        assert_eq!(split_countries("Jerman; Maroko"), vec!["DE", "MA"]);
        assert_eq!(split_countries("Mauritania atau Mali"), vec!["MR", "ML"]);
        assert_eq!(split_countries("Afganistan/Pakistan"), vec!["AF", "PK"]);
        assert_eq!(split_countries("Indonesia\nMalaysia"), vec!["ID", "MY"]);
        assert_eq!(split_countries("1) Saudi Arabia 2) Qatar"), vec!["SA", "QA"]);
        assert_eq!(split_countries("Iran (Islamic Republic of)"), vec!["IR"]);
        assert_eq!(split_countries("Afghanistan (since 2009)"), vec!["AF"]);
        assert_eq!(split_countries("Korea, North, Syria"), vec!["KP", "SY"]);
        assert_eq!(split_countries("(a) Malaysia (b) Indonesia"), vec!["MY", "ID"]);
        assert_eq!(split_countries("a) Syrian Arab Republic b) State of Palestine"), vec!["SY", "PS"]);
        assert_eq!(split_countries("Possibly Ethiopian"), vec!["ET"]);
        assert_eq!(split_countries("Iranian citizenship"), vec!["IR"]);
        assert_eq!(
            split_countries("United States of America. Also believed to hold Syrian nationality"),
            vec!["US", "SY"]
        );
        assert_eq!(split_countries("Asia Tenggara"), Vec::<&str>::new());
        assert_eq!(split_countries("-"), Vec::<&str>::new());
    }
}
