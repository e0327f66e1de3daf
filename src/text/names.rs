//! Data-driven name tables: honorifics, particles, legal forms, name-variant classes, token frequencies
//! and romanisation/spelling rules. Every table is a file in `data/`, compiled into the binary and parsed
//! once on first use.

use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// The tables are fixed and looked up a few times per token of every name analysed: a small fast hash
/// (the multiply-rotate hash of rustc, "FxHash") instead of the default SipHash, which costs more than
/// the look-up itself for such short keys. The keys are the tables' own, so hash flooding is not a concern.
#[derive(Default, Clone, Copy)]
pub(crate) struct FastHasher(u64);

impl FastHasher {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::SEED);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

pub(crate) type HashMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<FastHasher>>;
pub(crate) type HashSet<K> = std::collections::HashSet<K, BuildHasherDefault<FastHasher>>;

/// All tables, parsed.
pub(crate) struct Tables {
    /// Honorifics dropped whether or not written with dots.
    pub honorifics: HashSet<String>,
    /// Honorific phrases dropped only when every letter group was followed by a dot (`S.H.`, `H.`).
    pub dotted_honorifics: HashSet<Vec<String>>,
    /// Light particles.
    pub particles: HashSet<String>,
    /// Legal-form phrases by their first token: (phrase tokens, canonical form), longest first.
    pub legal_forms: HashMap<String, Vec<(Vec<String>, String)>>,
    /// Legal forms strong enough to mark a name as an organisation on their own.
    pub strong_legal_forms: HashSet<String>,
    /// Spelling → variant class key.
    pub variant_class: HashMap<String, String>,
    /// Token → number of list names containing it.
    pub token_freq: HashMap<String, u32>,
    /// Total number of names the frequencies were counted over.
    pub token_freq_total: u32,
    /// Phonetic rewrite rules.
    pub spelling_rules: Rules,
    /// Second Cyrillic romanisation rules.
    pub cyrillic_alt: Rules,
}

fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
}

/// Splits a table phrase into normalised tokens (same tokenisation as names).
fn phrase(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_ascii_alphanumeric()).filter(|t| !t.is_empty()).map(|t| t.to_ascii_lowercase()).collect()
}

/// Rewrite rules grouped by the first character of their pattern, longest pattern first.
pub(crate) struct Rules {
    /// Rules whose pattern starts with an ASCII character, by that character.
    ascii: Vec<Vec<(String, String)>>,
    /// The others.
    other: HashMap<char, Vec<(String, String)>>,
}

impl Rules {
    /// The rules whose pattern starts with `c`, longest pattern first.
    fn starting_with(&self, c: char) -> &[(String, String)] {
        if c.is_ascii() {
            &self.ascii[c as usize]
        } else {
            self.other.get(&c).map(Vec::as_slice).unwrap_or(&[])
        }
    }
}

fn rules(text: &str) -> Rules {
    let mut rules: Vec<(String, String)> = lines(text)
        .filter_map(|l| {
            let mut it = l.splitn(2, '\t');
            let pat = it.next()?.to_string();
            let rep = it.next().unwrap_or("").to_string();
            (!pat.is_empty()).then_some((pat, rep))
        })
        .collect();
    // Longest pattern first, so that a scan tries `shch` before `sh`.
    rules.sort_by_key(|(p, _)| std::cmp::Reverse(p.chars().count()));
    let mut ascii: Vec<Vec<(String, String)>> = vec![Vec::new(); 128];
    let mut other: HashMap<char, Vec<(String, String)>> = HashMap::default();
    for (p, r) in rules {
        match p.chars().next() {
            Some(c) if c.is_ascii() => ascii[c as usize].push((p, r)),
            Some(c) => other.entry(c).or_default().push((p, r)),
            None => {}
        }
    }
    Rules { ascii, other }
}

pub(crate) fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut honorifics = HashSet::default();
        let mut dotted_honorifics = HashSet::default();
        for l in lines(include_str!("../../data/honorifics.txt")) {
            let l = l.trim();
            if let Some(d) = l.strip_prefix('=') {
                dotted_honorifics.insert(phrase(d));
            } else {
                honorifics.insert(l.to_string());
            }
        }
        let particles = lines(include_str!("../../data/particles.txt")).map(|l| l.trim().to_string()).collect();
        let mut legal_forms: HashMap<String, Vec<(Vec<String>, String)>> = HashMap::default();
        for l in lines(include_str!("../../data/legal_forms.tsv")) {
            if let Some((alias, canon)) = l.split_once('\t') {
                let p = phrase(alias);
                if let Some(first) = p.first() {
                    legal_forms.entry(first.clone()).or_default().push((p, canon.trim().to_string()));
                }
            }
        }
        // A canonical form is itself a legal form (so that re-analysing a canonical name finds it again), and
        // one reached through a phrase of several words is distinctive enough to mark an organisation.
        let mut strong_legal_forms = HashSet::default();
        let canon_phrases: Vec<(String, bool)> = legal_forms
            .values()
            .flatten()
            .map(|(p, c): &(Vec<String>, String)| (c.clone(), p.len() >= 2 && c.len() >= 4))
            .collect();
        for (canon, strong) in canon_phrases {
            if strong {
                strong_legal_forms.insert(canon.clone());
            }
            let entry = legal_forms.entry(canon.clone()).or_default();
            if !entry.iter().any(|(p, _)| p.len() == 1 && p[0] == canon) {
                entry.push((vec![canon.clone()], canon));
            }
        }
        for phrases in legal_forms.values_mut() {
            phrases.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
        }
        for l in lines(include_str!("../../data/legal_forms_extra.tsv")) {
            if let Some((_, canon)) = l.split_once('\t') {
                strong_legal_forms.insert(canon.trim().replace(' ', ""));
            }
        }
        let mut variant_class = HashMap::default();
        for l in lines(include_str!("../../data/name_variants.tsv")) {
            let forms: Vec<&str> = l.split_whitespace().collect();
            if let Some(first) = forms.first() {
                let key = format!("~{first}");
                for f in &forms {
                    // A spelling in several classes keeps its first (hand-written classes come first).
                    variant_class.entry(f.to_string()).or_insert_with(|| key.clone());
                }
            }
        }
        let mut token_freq = HashMap::default();
        let mut token_freq_total = 0;
        for l in lines(include_str!("../../data/token_freq.tsv")) {
            if let Some((tok, n)) = l.split_once('\t') {
                let n: u32 = n.trim().parse().unwrap_or(0);
                if tok == "*" {
                    token_freq_total = n;
                } else {
                    token_freq.insert(tok.to_string(), n);
                }
            }
        }
        Tables {
            honorifics,
            dotted_honorifics,
            particles,
            legal_forms,
            strong_legal_forms,
            variant_class,
            token_freq,
            token_freq_total: token_freq_total.max(1),
            spelling_rules: rules(include_str!("../../data/spelling_rules.tsv")),
            cyrillic_alt: rules(include_str!("../../data/cyrillic_alt.tsv")),
        }
    })
}

/// Applies rewrite rules left to right, trying the longest pattern first at each position.
pub(crate) fn rewrite(text: &str, rules: &Rules) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    'outer: while let Some(first) = rest.chars().next() {
        for (pat, rep) in rules.starting_with(first) {
            if let Some(tail) = rest.strip_prefix(pat.as_str()) {
                out.push_str(rep);
                rest = tail;
                continue 'outer;
            }
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            out.push(c);
        }
        rest = chars.as_str();
    }
    out
}
