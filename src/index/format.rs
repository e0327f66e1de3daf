//! The on-disk layout of an index file, and safe little-endian readers for mapped bytes.
//!
//! ```text
//! ┌──────────────────────────── header (64 bytes) ─────────────────────────────┐
//! │ magic "SARINGIX" │ version u32 │ section count u32 │ file length u64        │
//! │ checksum u64 (xxh3 of every byte after the header) │ build time u64 (unix)│
//! │ entities u32 │ names u32 │ terms u32 │ analysis fingerprint u64 │ crc32 u32│
//! ├──────────────── section table: count × (id u32, 0 u32, offset u64, len u64) ┤
//! │ META (JSON) │ TERMS fst │ KEYS fst │ POSTINGS │ NAME offsets + records     │
//! │ ENTITY offsets + records │ FACTS offsets + records │ IDS fst               │
//! │ NAME_INFO (32 bytes a name) │ TERM offsets + records │ TYPOS fst + lists  │
//! │ REVERSED fst                                                                │
//! └─────────────────────────────────────────────────────────────────────────────┘
//! ```
//!
//! All integers are little-endian. The header CRC covers the header (without the CRC field) and the
//! section table, so [`Index::open`](super::Index::open) can check them in O(1); the xxh3 checksum
//! covers everything after the header and is only checked by [`Index::verify`](super::Index::verify).
//! Postings are a varint count followed by varint deltas of ascending posting entries. Name records, entity
//! records and fact records are located through tables of `u64` offsets (`n + 1` entries, the last one
//! being the end of the data). A name record keeps all its strings in two contiguous blocks ahead of its
//! binary fields and string lengths ([`encode_name`]), so decoding checks their UTF-8 in place, once a
//! block. A posting entry packs the name number with the position of the token the
//! term comes from ([`posting_entry`]), so candidate ranking can pair each list token with one query
//! token. `NAME_INFO` is a fixed-width table the candidate ranking reads for every
//! name it touches: entity number (`u32`), total token weight (`f32`), the cost of leaving every
//! token unmatched (`f32`), the number of tokens (`u16`), which tokens are name words or numbers (`u16`,
//! a bit each), and the first eight tokens' own weights and miss costs (a byte each, [`NameInfo`]), so an
//! estimate counts each matched list token at its own weight and knows whether name words are left. An
//! entity record is three length-prefixed parts ([`encode_entity`]): what a hit shows (the names' full
//! texts and the dates of birth, in binary), the entity's JSON with `raw` set to `null`, and the raw
//! record's JSON; a hit reads the first and copies the last without parsing the middle one. Term records (one per TERMS key, in key order, so a term's
//! ordinal is its rank) are a varint postings offset followed by the term's bytes. Terms and keys with the
//! same list of 64 names or more share one offset (the list is written once). The TYPOS FST maps deletion
//! variants of terms, their consonant skeletons (`#…`) and those skeletons one consonant shorter (`%…`,
//! format 10; see [`typo`](super::typo)) to `ordinal << 1 | 1` when one term has the variant,
//! else to `offset << 1`, the offset of a varint count and delta-coded ordinals in `TYPO_LISTS`. The
//! REVERSED FST maps each term of 4 to [`typo::MAX_TERM_LEN`](super::typo::MAX_TERM_LEN) bytes, written
//! backwards, to its ordinal (thorough screening walks it from a word's end).
//!
//! Every read of mapped bytes goes through [`Reader`] (bounds-checked slicing and `from_le_bytes`), so a
//! corrupt file gives an error, never a panic or an out-of-bounds read.

use crate::model::{DateValue, EntityKind, Gender, NameQuality, NameType, PartialDate, Publisher};
use crate::text::{Name, NameKind, Script, Token, TokenTag};

/// File magic.
pub const MAGIC: &[u8; 8] = b"SARINGIX";
/// The format version this build writes and reads. Bump it on any layout change, and when what is
/// indexed changes (older files would lack the new keys).
pub const FORMAT_VERSION: u32 = 10;
/// The oldest format version whose entities this build reads ([`Index::open_older`](super::Index::open_older)):
/// format 10 only added typo keys (skeletons one consonant shorter) to format 9's layout. Raise it to
/// [`FORMAT_VERSION`] when a change touches the layout of the entity store or of the sections before it.
pub const OLDEST_READABLE_VERSION: u32 = 9;
/// Length of the fixed header.
pub const HEADER_LEN: usize = 64;
/// Length of one section table entry.
pub const SECTION_ENTRY_LEN: usize = 24;

/// Section ids.
pub mod section {
    /// JSON metadata: build time, sources, counts.
    pub const META: u32 = 1;
    /// FST of searchable terms (canonical tokens, alternates, joined adjacent tokens) → postings offset.
    pub const TERMS: u32 = 2;
    /// FST of exact-only keys (`v` + variant key, `p` + phonetic key) → postings offset.
    pub const KEYS: u32 = 3;
    /// Posting lists of name ids.
    pub const POSTINGS: u32 = 4;
    /// Offsets of name records (`u64` × names + 1).
    pub const NAME_OFFSETS: u32 = 5;
    /// Name records.
    pub const NAME_DATA: u32 = 6;
    /// Offsets of entity records (`u64` × entities + 1).
    pub const ENTITY_OFFSETS: u32 = 7;
    /// Entity records: hit fields, JSON of the [`Entity`](crate::Entity) without `raw`, raw JSON.
    pub const ENTITY_DATA: u32 = 8;
    /// Offsets of fact records (`u64` × entities + 1).
    pub const FACT_OFFSETS: u32 = 9;
    /// Fact records: what screening needs of an entity without decoding its JSON.
    pub const FACT_DATA: u32 = 10;
    /// FST of entity ids → entity number.
    pub const IDS: u32 = 11;
    /// Per name: entity number, total token weight, cost of every token unmatched, token count.
    pub const NAME_INFO: u32 = 12;
    /// Offsets of term records (`u64` × terms + 1).
    pub const TERM_OFFSETS: u32 = 13;
    /// Term records: varint postings offset, then the term's bytes.
    pub const TERM_DATA: u32 = 14;
    /// FST of deletion variants of terms → one term ordinal or a list offset.
    pub const TYPOS: u32 = 15;
    /// Lists of term ordinals of the TYPOS FST.
    pub const TYPO_LISTS: u32 = 16;
    /// FST of terms written backwards → term ordinal.
    pub const REVERSED: u32 = 17;
    /// Every section this version writes, in file order.
    pub const ALL: [u32; 17] = [
        META,
        TERMS,
        KEYS,
        POSTINGS,
        NAME_OFFSETS,
        NAME_DATA,
        ENTITY_OFFSETS,
        ENTITY_DATA,
        FACT_OFFSETS,
        FACT_DATA,
        IDS,
        NAME_INFO,
        TERM_OFFSETS,
        TERM_DATA,
        TYPOS,
        TYPO_LISTS,
        REVERSED,
    ];
}

/// The fixed header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Header {
    /// Format version.
    pub version: u32,
    /// Number of sections in the table.
    pub section_count: u32,
    /// Total file length in bytes.
    pub file_len: u64,
    /// xxh3-64 of every byte after the header.
    pub checksum: u64,
    /// Build time, seconds since the Unix epoch (UTC).
    pub build_time: u64,
    /// Number of entities.
    pub entities: u32,
    /// Number of names.
    pub names: u32,
    /// Number of distinct searchable terms.
    pub terms: u32,
    /// Fingerprint of the name analysis the index was built with.
    pub analysis_fingerprint: u64,
}

impl Header {
    /// Encodes the header without its CRC (the first 60 bytes).
    pub fn encode(&self) -> [u8; HEADER_LEN] {
        let mut b = [0u8; HEADER_LEN];
        b[0..8].copy_from_slice(MAGIC);
        b[8..12].copy_from_slice(&self.version.to_le_bytes());
        b[12..16].copy_from_slice(&self.section_count.to_le_bytes());
        b[16..24].copy_from_slice(&self.file_len.to_le_bytes());
        b[24..32].copy_from_slice(&self.checksum.to_le_bytes());
        b[32..40].copy_from_slice(&self.build_time.to_le_bytes());
        b[40..44].copy_from_slice(&self.entities.to_le_bytes());
        b[44..48].copy_from_slice(&self.names.to_le_bytes());
        b[48..52].copy_from_slice(&self.terms.to_le_bytes());
        b[52..60].copy_from_slice(&self.analysis_fingerprint.to_le_bytes());
        b
    }

    /// Decodes the header fields (magic and CRC are checked by the caller).
    pub fn decode(b: &[u8]) -> Option<Header> {
        let r = Reader::new(b);
        Some(Header {
            version: r.u32_at(8)?,
            section_count: r.u32_at(12)?,
            file_len: r.u64_at(16)?,
            checksum: r.u64_at(24)?,
            build_time: r.u64_at(32)?,
            entities: r.u32_at(40)?,
            names: r.u32_at(44)?,
            terms: r.u32_at(48)?,
            analysis_fingerprint: r.u64_at(52)?,
        })
    }
}

/// CRC of the header (bytes 0..60) followed by the section table.
pub fn header_crc(header: &[u8], table: &[u8]) -> u32 {
    let mut h = crc32fast::Hasher::new();
    h.update(header.get(..60).unwrap_or(header));
    h.update(table);
    h.finalize()
}

/// One section table entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SectionEntry {
    /// Section id (see [`section`]).
    pub id: u32,
    /// Offset from the start of the file.
    pub offset: u64,
    /// Length in bytes.
    pub len: u64,
}

impl SectionEntry {
    /// Encodes the entry.
    pub fn encode(&self) -> [u8; SECTION_ENTRY_LEN] {
        let mut b = [0u8; SECTION_ENTRY_LEN];
        b[0..4].copy_from_slice(&self.id.to_le_bytes());
        b[8..16].copy_from_slice(&self.offset.to_le_bytes());
        b[16..24].copy_from_slice(&self.len.to_le_bytes());
        b
    }

    /// Decodes an entry.
    pub fn decode(b: &[u8]) -> Option<SectionEntry> {
        let r = Reader::new(b);
        Some(SectionEntry { id: r.u32_at(0)?, offset: r.u64_at(8)?, len: r.u64_at(16)? })
    }
}

/// Bounds-checked little-endian reads over a byte slice. Every method returns `None` past the end.
#[derive(Debug, Clone, Copy)]
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, pos: 0 }
    }

    /// A reader at `pos`.
    pub fn at(bytes: &'a [u8], pos: usize) -> Self {
        Reader { bytes, pos }
    }

    /// Current position.
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// Reads `N` bytes at an absolute position.
    fn array_at<const N: usize>(&self, at: usize) -> Option<[u8; N]> {
        let end = at.checked_add(N)?;
        self.bytes.get(at..end)?.try_into().ok()
    }

    /// `u32` at an absolute position.
    pub fn u32_at(&self, at: usize) -> Option<u32> {
        self.array_at::<4>(at).map(u32::from_le_bytes)
    }

    /// `u64` at an absolute position.
    pub fn u64_at(&self, at: usize) -> Option<u64> {
        self.array_at::<8>(at).map(u64::from_le_bytes)
    }

    /// Next byte.
    pub fn u8(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    /// Next `u16`.
    pub fn u16(&mut self) -> Option<u16> {
        let v = self.array_at::<2>(self.pos).map(u16::from_le_bytes)?;
        self.pos += 2;
        Some(v)
    }

    /// Next `u32`.
    pub fn u32(&mut self) -> Option<u32> {
        let v = self.u32_at(self.pos)?;
        self.pos += 4;
        Some(v)
    }

    /// Next `u64`.
    pub fn u64(&mut self) -> Option<u64> {
        let v = self.u64_at(self.pos)?;
        self.pos += 8;
        Some(v)
    }

    /// Next `f32`.
    pub fn f32(&mut self) -> Option<f32> {
        self.u32().map(f32::from_bits)
    }

    /// Next LEB128 varint (at most 10 bytes).
    #[inline]
    pub fn varint(&mut self) -> Option<u64> {
        // Most varints (string lengths, counts) are one byte.
        match self.bytes.get(self.pos) {
            Some(&b) if b < 0x80 => {
                self.pos += 1;
                Some(u64::from(b))
            }
            _ => self.varint_long(),
        }
    }

    /// [`varint`](Reader::varint) of more than one byte, or past the end.
    fn varint_long(&mut self) -> Option<u64> {
        let mut v: u64 = 0;
        for shift in (0..70).step_by(7) {
            let b = self.u8()?;
            if shift == 63 && b > 1 {
                return None;
            }
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }

    /// Next `n` bytes.
    pub fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let s = self.bytes.get(self.pos..end)?;
        self.pos = end;
        Some(s)
    }

    /// Next varint-length-prefixed UTF-8 string.
    pub fn str(&mut self) -> Option<&'a str> {
        let n = usize::try_from(self.varint()?).ok()?;
        std::str::from_utf8(self.bytes(n)?).ok()
    }
}

/// Appends a LEB128 varint.
pub fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Appends a varint-length-prefixed string.
pub fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// Slice `[i]` of an offset table (`u64` × n + 1) as a byte range into its data section.
pub fn record_range(offsets: &[u8], data_len: usize, i: usize) -> Option<std::ops::Range<usize>> {
    let r = Reader::new(offsets);
    let start = usize::try_from(r.u64_at(i.checked_mul(8)?)?).ok()?;
    let end = usize::try_from(r.u64_at(i.checked_add(1)?.checked_mul(8)?)?).ok()?;
    (start <= end && end <= data_len).then_some(start..end)
}

// ---------------------------------------------------------------------------------------------
// Name records
// ---------------------------------------------------------------------------------------------

/// A decoded name record: which entity it belongs to, its role and quality, and the analysed name.
#[derive(Debug, Clone, PartialEq)]
pub struct NameRecord {
    /// Entity number (position in the entity store).
    pub entity: u32,
    /// Primary, aka, ...
    pub name_type: NameType,
    /// Strong or weak.
    pub quality: NameQuality,
    /// The analysed name (as the builder analysed it).
    pub name: Name,
}

fn name_type_code(t: NameType) -> u8 {
    match t {
        NameType::Primary => 0,
        NameType::Aka => 1,
        NameType::Fka => 2,
        NameType::Nka => 3,
        NameType::SpellingVariant => 4,
        NameType::OriginalScript => 5,
    }
}

fn name_type_from(c: u8) -> NameType {
    match c {
        1 => NameType::Aka,
        2 => NameType::Fka,
        3 => NameType::Nka,
        4 => NameType::SpellingVariant,
        5 => NameType::OriginalScript,
        _ => NameType::Primary,
    }
}

fn name_kind_code(k: NameKind) -> u8 {
    match k {
        NameKind::Person => 1,
        NameKind::Entity => 2,
        NameKind::Unknown => 0,
    }
}

fn name_kind_from(c: u8) -> NameKind {
    match c {
        1 => NameKind::Person,
        2 => NameKind::Entity,
        _ => NameKind::Unknown,
    }
}

#[allow(unreachable_patterns)]
fn script_code(s: Script) -> u8 {
    match s {
        Script::Latin => 0,
        Script::Cyrillic => 1,
        Script::Greek => 2,
        Script::Arabic => 3,
        Script::Hebrew => 4,
        Script::Han => 5,
        Script::Hangul => 6,
        Script::Kana => 7,
        Script::Thai => 8,
        Script::Devanagari => 9,
        Script::Other => 10,
        _ => 10,
    }
}

fn script_from(c: u8) -> Script {
    match c {
        0 => Script::Latin,
        1 => Script::Cyrillic,
        2 => Script::Greek,
        3 => Script::Arabic,
        4 => Script::Hebrew,
        5 => Script::Han,
        6 => Script::Hangul,
        7 => Script::Kana,
        8 => Script::Thai,
        9 => Script::Devanagari,
        _ => Script::Other,
    }
}

#[allow(unreachable_patterns)]
fn tag_code(t: TokenTag) -> u8 {
    match t {
        TokenTag::Name => 0,
        TokenTag::Particle => 1,
        TokenTag::LegalForm => 2,
        TokenTag::Number => 3,
        TokenTag::Initial => 4,
        _ => 0,
    }
}

fn tag_from(c: u8) -> TokenTag {
    match c {
        1 => TokenTag::Particle,
        2 => TokenTag::LegalForm,
        3 => TokenTag::Number,
        4 => TokenTag::Initial,
        _ => TokenTag::Name,
    }
}

/// Encodes a name record: the fixed fields and the counts, the lengths of the two text blocks, the
/// text blocks, then each token's binary fields and the lengths of its strings.
///
/// ```text
/// entity u32 │ flags u8 (name type << 1 | weak) │ kind u8 │ tokens varint │ texts len varint │ originals len varint
/// texts: per token its text, phonetic key, keys, alternates │ originals: each token's unlike its text, then the name's
/// per token: script u8 │ tag u8 │ weight f32 │ text len │ original (0 = the text, else len + 1) │ phonetic len
///            │ key count │ key lens │ alternate count │ alternate lens           (counts and lengths are varints)
/// ```
///
/// Every string is in one of the two blocks, so a decoder checks the UTF-8 of a block once, in place,
/// and slices the strings out of it; scoring never reads the originals block (unless the name has no
/// tokens).
pub fn encode_name(out: &mut Vec<u8>, entity: u32, name_type: NameType, quality: NameQuality, name: &Name) {
    out.extend_from_slice(&entity.to_le_bytes());
    let flags = name_type_code(name_type) << 1 | u8::from(quality == NameQuality::Weak);
    out.push(flags);
    out.push(name_kind_code(name.kind));
    put_varint(out, name.tokens.len() as u64);
    let strings = |t: &Token| {
        let lists = t.keys.iter().chain(&t.alternates).map(String::len).sum::<usize>();
        t.text.len() + t.phonetic.len() + lists
    };
    let originals = |t: &Token| if t.original == t.text { 0 } else { t.original.len() };
    put_varint(out, name.tokens.iter().map(strings).sum::<usize>() as u64);
    put_varint(out, (name.original.len() + name.tokens.iter().map(originals).sum::<usize>()) as u64);
    for t in &name.tokens {
        out.extend_from_slice(t.text.as_bytes());
        out.extend_from_slice(t.phonetic.as_bytes());
        for s in t.keys.iter().chain(&t.alternates) {
            out.extend_from_slice(s.as_bytes());
        }
    }
    for t in name.tokens.iter().filter(|t| t.original != t.text) {
        out.extend_from_slice(t.original.as_bytes());
    }
    out.extend_from_slice(name.original.as_bytes());
    for t in &name.tokens {
        out.push(script_code(t.script));
        out.push(tag_code(t.tag));
        out.extend_from_slice(&t.weight.to_bits().to_le_bytes());
        put_varint(out, t.text.len() as u64);
        put_varint(out, if t.original == t.text { 0 } else { t.original.len() as u64 + 1 });
        put_varint(out, t.phonetic.len() as u64);
        for list in [&t.keys, &t.alternates] {
            put_varint(out, list.len() as u64);
            for s in list {
                put_varint(out, s.len() as u64);
            }
        }
    }
}

/// The entity number of a name record, without decoding the rest.
pub fn name_entity(record: &[u8]) -> Option<u32> {
    Reader::new(record).u32_at(0)
}

/// Decodes a name record.
pub fn decode_name(record: &[u8]) -> Option<NameRecord> {
    let mut out = NameRecord {
        entity: 0,
        name_type: NameType::Primary,
        quality: NameQuality::Strong,
        name: Name { original: String::new(), kind: NameKind::Unknown, tokens: Vec::new() },
    };
    decode_name_into(record, &mut out)?;
    Some(out)
}

/// What decoding into a reused [`NameRecord`] keeps between calls on one thread, so that it allocates
/// nothing once its buffers have grown: the tokens and strings a shorter record cut off the previous
/// one (handed to the next longer one instead of being freed and allocated again).
#[derive(Default)]
struct Scratch {
    tokens: Vec<Token>,
    strings: Vec<String>,
}

/// At most this many spare tokens and strings are kept per thread.
const SPARE_MAX: usize = 64;

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = const {
        std::cell::RefCell::new(Scratch { tokens: Vec::new(), strings: Vec::new() })
    };
}

/// Runs `f` with this thread's scratch (with a fresh one if it is in use or already destroyed).
fn with_scratch<T>(mut f: impl FnMut(&mut Scratch) -> T) -> T {
    SCRATCH
        .try_with(|cell| cell.try_borrow_mut().ok().map(|mut s| f(&mut s)))
        .ok()
        .flatten()
        .unwrap_or_else(|| f(&mut Scratch::default()))
}

fn empty_token() -> Token {
    Token {
        text: String::new(),
        original: String::new(),
        script: Script::Latin,
        tag: TokenTag::Name,
        weight: 0.0,
        phonetic: String::new(),
        keys: Vec::new(),
        alternates: Vec::new(),
    }
}

/// Sets `v` to `n` items, keeping cut-off items in `spare` and taking new ones from it.
#[inline(always)]
fn resize_from<T>(v: &mut Vec<T>, n: usize, spare: &mut Vec<T>, new: impl Fn() -> T) {
    // Most often the record has as many as the previous one (no keys, no alternates).
    if v.len() != n {
        resize_differently(v, n, spare, new);
    }
}

/// [`resize_from`] when `v` has more or fewer than `n` items.
#[inline(never)]
fn resize_differently<T>(v: &mut Vec<T>, n: usize, spare: &mut Vec<T>, new: impl Fn() -> T) {
    if v.len() > n {
        let keep = v.len().min(n + SPARE_MAX.saturating_sub(spare.len()));
        spare.extend(v.drain(n..keep));
        v.truncate(n);
    }
    while v.len() < n {
        v.push(spare.pop().unwrap_or_else(&new));
    }
}

/// A text block of a name record (checked UTF-8) and how much of it has been read.
struct Block<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Block<'a> {
    /// The next string, `n` bytes long (`None` past the end or off a character boundary).
    fn take(&mut self, n: usize) -> Option<&'a str> {
        let end = self.at.checked_add(n)?;
        let s = self.text.get(self.at..end)?;
        self.at = end;
        Some(s)
    }

    /// The length (a varint of `r`) and then the text of the next string.
    fn next(&mut self, r: &mut Reader) -> Option<&'a str> {
        let n = usize::try_from(r.varint()?).ok()?;
        self.take(n)
    }
}

/// The strings of a fact record, read through one UTF-8 check of its tail where possible.
struct Texts<'a> {
    record: &'a [u8],
    /// Where `checked` starts in the record.
    base: usize,
    /// The record from `base` on, when that is valid UTF-8, as it is for a well-formed record.
    checked: Option<&'a str>,
}

impl<'a> Texts<'a> {
    /// The string of `record[range]`.
    fn get(&self, range: std::ops::Range<usize>) -> Option<&'a str> {
        // Both ends are character boundaries of `checked` for a well-formed record (a string follows a
        // length and precedes a code or a length, all below 128); else check the string alone.
        let inner = range.start.checked_sub(self.base).zip(range.end.checked_sub(self.base));
        match self.checked.zip(inner).and_then(|(c, (a, b))| c.get(a..b)) {
            Some(s) => Some(s),
            None => std::str::from_utf8(self.record.get(range)?).ok(),
        }
    }

    /// Reads the next string of `r` (its length, then its bytes).
    fn next(&self, r: &mut Reader) -> Option<&'a str> {
        let n = usize::try_from(r.varint()?).ok()?;
        let at = r.pos();
        r.bytes(n)?;
        self.get(at..at + n)
    }
}

/// Reads a list of strings of a name record (its count and lengths from `r`, its texts from `texts`)
/// into `list`.
#[inline(always)]
fn read_list(list: &mut Vec<String>, r: &mut Reader, texts: &mut Block, spare: &mut Vec<String>) -> Option<()> {
    // A corrupt count cannot make this allocate much: a string's length takes at least one byte.
    let k = usize::try_from(r.varint()?).ok().filter(|&k| k <= r.bytes.len())?;
    resize_from(list, k, spare, String::new);
    for s in list.iter_mut() {
        s.clear();
        s.push_str(texts.next(r)?);
    }
    Some(())
}

/// Decodes a name record into `out`, reusing its strings and vectors: screening decodes hundreds of
/// names a query, and this allocates nothing once the buffers have grown (tokens and strings a
/// shorter record leaves over are kept per thread for the next longer one).
pub fn decode_name_into(record: &[u8], out: &mut NameRecord) -> Option<()> {
    with_scratch(|s| decode_name_parts(record, out, true, s))
}

/// Decodes what scoring reads of a name record into `out`, like [`decode_name_into`] but leaving the
/// original texts (of the name and of its tokens) empty: [`score_names`](crate::score::score_names)
/// reads neither, except the name's text when it has no tokens, which is then decoded too. The
/// originals are neither copied nor checked.
pub fn decode_name_for_scoring(record: &[u8], out: &mut NameRecord) -> Option<()> {
    with_scratch(|s| decode_name_parts(record, out, false, s))
}

fn decode_name_parts(record: &[u8], out: &mut NameRecord, originals: bool, scratch: &mut Scratch) -> Option<()> {
    fn set(s: &mut String, v: &str) {
        s.clear();
        s.push_str(v);
    }
    let Scratch { tokens: spare_tokens, strings: spare_strings } = scratch;
    let mut r = Reader::new(record);
    out.entity = r.u32()?;
    let flags = r.u8()?;
    out.name_type = name_type_from(flags >> 1);
    out.quality = if flags & 1 == 1 { NameQuality::Weak } else { NameQuality::Strong };
    out.name.kind = name_kind_from(r.u8()?);
    let n = usize::try_from(r.varint()?).ok()?;
    let texts_len = usize::try_from(r.varint()?).ok()?;
    let originals_len = usize::try_from(r.varint()?).ok()?;
    let mut texts = Block { text: std::str::from_utf8(r.bytes(texts_len)?).ok()?, at: 0 };
    let originals_bytes = r.bytes(originals_len)?;
    let mut olds = Block { text: "", at: 0 };
    let read_originals = originals || n == 0;
    if read_originals {
        olds.text = std::str::from_utf8(originals_bytes).ok()?;
    }
    // A corrupt count cannot make this allocate much: a token takes at least 11 bytes.
    let tokens = &mut out.name.tokens;
    resize_from(tokens, n.min(record.len() / 11), spare_tokens, empty_token);
    for i in 0..n {
        let t = tokens.get_mut(i)?;
        t.script = script_from(r.u8()?);
        t.tag = tag_from(r.u8()?);
        t.weight = r.f32()?;
        set(&mut t.text, texts.next(&mut r)?);
        let original = usize::try_from(r.varint()?).ok()?;
        t.original.clear();
        if originals {
            match original.checked_sub(1) {
                None => t.original.push_str(&t.text),
                Some(len) => t.original.push_str(olds.take(len)?),
            }
        }
        set(&mut t.phonetic, texts.next(&mut r)?);
        read_list(&mut t.keys, &mut r, &mut texts, spare_strings)?;
        read_list(&mut t.alternates, &mut r, &mut texts, spare_strings)?;
    }
    // The name's own text is what follows its tokens' originals.
    if read_originals {
        set(&mut out.name.original, olds.text.get(olds.at..)?);
    } else {
        out.name.original.clear();
    }
    (texts.at == texts_len && r.pos() == record.len()).then_some(())
}

/// Length of one `NAME_INFO` entry.
pub const NAME_INFO_LEN: usize = 32;

/// Tokens whose own weight and miss cost a `NAME_INFO` entry keeps (later ones count as the name's
/// average token).
pub const NAME_INFO_TOKENS: usize = 8;

/// Scale of a token weight kept in a byte of `NAME_INFO` (rounded up: estimates err high).
const WEIGHT_SCALE: f32 = 128.0;
/// Scale of a token miss cost kept in a byte of `NAME_INFO` (rounded down: estimates err high).
const MISS_SCALE: f32 = 256.0;

/// What candidate ranking needs of a name without decoding it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct NameInfo {
    /// Entity number.
    pub entity: u32,
    /// Sum of the token weights.
    pub weight: f32,
    /// What leaving every token unmatched would add to the score's denominator (as a candidate).
    pub miss: f32,
    /// Number of tokens.
    pub tokens: u16,
    /// Which of the first 16 tokens are name words or numbers, one bit each (what a conflict needs).
    pub heavy: u16,
    /// The first [`NAME_INFO_TOKENS`] tokens' weights, in 128ths rounded up.
    pub token_weights: [u8; NAME_INFO_TOKENS],
    /// The first [`NAME_INFO_TOKENS`] tokens' miss costs, in 256ths rounded down.
    pub token_misses: [u8; NAME_INFO_TOKENS],
}

impl NameInfo {
    /// The entry of a name whose tokens have these (weight, miss cost, name word or number) facts.
    ///
    /// ```
    /// use saring::index::format::NameInfo;
    /// let info = NameInfo::new(7, &[(1.0, 0.32, true), (0.2, 0.064, false)]);
    /// assert_eq!((info.entity, info.tokens, info.weight), (7, 2, 1.2));
    /// // Token 0 matched: its weight, and the other token's miss cost left (a particle: no name word).
    /// let (w, miss, words_left) = info.list_side(0b01);
    /// assert!((w - 1.0).abs() < 0.01 && (miss - 0.064).abs() < 0.01 && !words_left);
    /// assert!(info.list_side(0b10).2);
    /// ```
    pub fn new(entity: u32, tokens: &[(f32, f32, bool)]) -> NameInfo {
        let mut info = NameInfo {
            entity,
            weight: tokens.iter().map(|t| t.0).sum(),
            miss: tokens.iter().map(|t| t.1).sum(),
            tokens: tokens.len().min(usize::from(u16::MAX)) as u16,
            ..NameInfo::default()
        };
        for (k, &(w, m, _)) in tokens.iter().take(NAME_INFO_TOKENS).enumerate() {
            info.token_weights[k] = (w * WEIGHT_SCALE).ceil().clamp(0.0, 255.0) as u8;
            info.token_misses[k] = (m * MISS_SCALE).floor().clamp(0.0, 255.0) as u8;
        }
        for (k, _) in tokens.iter().take(16).enumerate().filter(|(_, t)| t.2) {
            info.heavy |= 1 << k;
        }
        info
    }

    /// The list side of a name whose token positions `used` were matched (a bit past the last token
    /// stands for the first: the last token joined to the first sets it): the weight matched, what the
    /// other tokens cost unmatched, and whether a name word or number is left unmatched among the first
    /// 16 tokens (past them none is assumed: estimates err high).
    #[inline]
    pub fn list_side(&self, used: u32) -> (f32, f32, bool) {
        let n = u32::from(self.tokens).min(32);
        let all = if n >= 32 { u32::MAX } else { (1u32 << n) - 1 };
        let mut real = used & all;
        if used & !all != 0 {
            real |= 1;
        }
        // Each token: its weight if matched, else its miss cost (later tokens count as the average one).
        let (mut w, mut m) = (0.0f32, 0.0f32);
        let count = n.max(1) as f32;
        for p in 0..n as usize {
            let matched = real & (1 << p) != 0;
            match (self.token_weights.get(p), self.token_misses.get(p), matched) {
                (Some(&tw), _, true) => w += f32::from(tw) / WEIGHT_SCALE,
                (_, Some(&tm), false) => m += f32::from(tm) / MISS_SCALE,
                (None, _, true) => w += self.weight / count,
                (_, None, false) => m += self.miss / count,
            }
        }
        (w, m, u32::from(self.heavy) & !real != 0)
    }

    /// Encodes the entry.
    pub fn encode(&self) -> [u8; NAME_INFO_LEN] {
        let mut b = [0u8; NAME_INFO_LEN];
        b[0..4].copy_from_slice(&self.entity.to_le_bytes());
        b[4..8].copy_from_slice(&self.weight.to_bits().to_le_bytes());
        b[8..12].copy_from_slice(&self.miss.to_bits().to_le_bytes());
        b[12..14].copy_from_slice(&self.tokens.to_le_bytes());
        b[14..16].copy_from_slice(&self.heavy.to_le_bytes());
        b[16..24].copy_from_slice(&self.token_weights);
        b[24..32].copy_from_slice(&self.token_misses);
        b
    }

    /// Entry `i` of a `NAME_INFO` table.
    #[inline]
    pub fn decode(table: &[u8], i: usize) -> Option<NameInfo> {
        let at = i.checked_mul(NAME_INFO_LEN)?;
        let b: &[u8; NAME_INFO_LEN] = table.get(at..at.checked_add(NAME_INFO_LEN)?)?.try_into().ok()?;
        let word = |k: usize| u32::from_le_bytes([b[k], b[k + 1], b[k + 2], b[k + 3]]);
        Some(NameInfo {
            entity: word(0),
            weight: f32::from_bits(word(4)),
            miss: f32::from_bits(word(8)),
            tokens: u16::from_le_bytes([b[12], b[13]]),
            heavy: u16::from_le_bytes([b[14], b[15]]),
            token_weights: b[16..24].try_into().ok()?,
            token_misses: b[24..32].try_into().ok()?,
        })
    }
}

/// Posting lists longer than this are stored as fixed-width little-endian `u32` entries (fast to scan,
/// and searchable by bisection when only a few names need checking); shorter ones as varint deltas.
pub const LONG_POSTINGS: usize = 512;

/// Appends a posting list of ascending entries: a varint count, then varint deltas, or fixed-width
/// entries for a list longer than [`LONG_POSTINGS`].
pub fn put_postings(out: &mut Vec<u8>, entries: &[u32]) {
    put_varint(out, entries.len() as u64);
    if entries.len() > LONG_POSTINGS {
        for e in entries {
            out.extend_from_slice(&e.to_le_bytes());
        }
        return;
    }
    let mut prev = 0u32;
    for &e in entries {
        put_varint(out, u64::from(e.wrapping_sub(prev)));
        prev = e;
    }
}

/// Calls `f` with every entry of the posting list at `start`; `None` if it runs past the end.
///
/// ```
/// use saring::index::format::{put_postings, read_postings, LONG_POSTINGS};
/// for n in [0, 3, 40, LONG_POSTINGS + 1] {
///     // Deltas of one to five varint bytes.
///     let entries: Vec<u32> = (0..n as u32).map(|i| i * 7 + if i > 0 { 1 << (i % 32) } else { 0 }).collect();
///     let entries: Vec<u32> = entries.iter().scan(0u32, |a, e| { *a = a.wrapping_add(*e); Some(*a) }).collect();
///     let mut b = vec![0xff];
///     put_postings(&mut b, &entries);
///     let mut back = Vec::new();
///     read_postings(&b, 1, |e| back.push(e)).unwrap();
///     assert_eq!(back, entries);
///     for cut in 1..b.len() {
///         assert!(read_postings(&b[..cut], 1, |_| {}).is_none());
///     }
/// }
/// ```
#[inline]
pub fn read_postings(bytes: &[u8], start: usize, mut f: impl FnMut(u32)) -> Option<()> {
    if let Some(body) = long_postings(bytes, start)? {
        long_entries(body).for_each(f);
        return Some(());
    }
    let mut r = Reader::at(bytes, start);
    let n = r.varint()?;
    let mut pos = r.pos();
    let mut e = 0u32;
    for _ in 0..n {
        // A delta of up to four bytes is read directly, a longer one as any varint.
        let mut delta = 0u64;
        let mut k = 0;
        loop {
            let b = *bytes.get(pos + k)?;
            delta |= u64::from(b & 0x7f) << (7 * k);
            k += 1;
            if b < 0x80 {
                pos += k;
                break;
            }
            if k == 4 {
                let mut r = Reader::at(bytes, pos);
                delta = r.varint()?;
                pos = r.pos();
                break;
            }
        }
        e = e.wrapping_add(u32::try_from(delta).ok()?);
        f(e);
    }
    Some(())
}

/// The fixed-width entries of the posting list at `start` if it is a long one (`Some(None)` for a
/// short list, `None` if it runs past the end).
pub fn long_postings(bytes: &[u8], start: usize) -> Option<Option<&[u8]>> {
    let mut r = Reader::at(bytes, start);
    let n = usize::try_from(r.varint()?).ok()?;
    if n <= LONG_POSTINGS {
        return Some(None);
    }
    let from = r.pos();
    bytes.get(from..from.checked_add(n.checked_mul(4)?)?).map(Some)
}

/// The entries of a long posting list's body ([`long_postings`]), in order.
#[inline]
pub fn long_entries(body: &[u8]) -> impl Iterator<Item = u32> + '_ {
    body.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
}

/// Entry `k` of a long posting list's body (`k` below its `len() / 4`).
#[inline]
pub fn long_entry(body: &[u8], k: usize) -> u32 {
    let c = &body[4 * k..4 * k + 4];
    u32::from_le_bytes([c[0], c[1], c[2], c[3]])
}

/// Largest name number a posting entry can hold.
pub const MAX_NAME: u32 = (1 << 26) - 1;

/// A posting entry: the name number, whether the term is the concatenation of two adjacent tokens, and
/// the position of its (first) token, capped at 31: `name << 6 | joined << 5 | position`.
pub fn posting_entry(name: u32, position: usize, joined: bool) -> u32 {
    name << 6 | u32::from(joined) << 5 | position.min(31) as u32
}

/// The candidate-token positions a posting entry covers, as a bit set, and its name number.
///
/// ```
/// use saring::index::format::{posting_entry, posting_parts};
/// assert_eq!(posting_parts(posting_entry(7, 2, false)), (7, 0b100));
/// assert_eq!(posting_parts(posting_entry(7, 2, true)), (7, 0b1100));
/// assert_eq!(posting_parts(posting_entry(7, 31, true)), (7, 1 << 31));
/// ```
#[inline]
pub fn posting_parts(entry: u32) -> (u32, u32) {
    // One bit at the position, and the next one too for a joined pair (none past bit 31).
    let span = (1 | (entry >> 4 & 2)) << (entry & 31);
    (entry >> 6, span)
}

/// Encodes a term record.
pub fn encode_term(out: &mut Vec<u8>, postings: u64, term: &[u8]) {
    put_varint(out, postings);
    out.extend_from_slice(term);
}

/// Decodes a term record: (postings offset, term bytes).
pub fn decode_term(record: &[u8]) -> Option<(u64, &[u8])> {
    let mut r = Reader::new(record);
    let postings = r.varint()?;
    Some((postings, record.get(r.pos()..)?))
}

// ---------------------------------------------------------------------------------------------
// Entity records
// ---------------------------------------------------------------------------------------------

/// An entity record cut into its parts, borrowed from the record bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntityParts<'a> {
    /// What a hit shows, in binary (see [`decode_hit_fields`]).
    pub hit: &'a [u8],
    /// JSON of the entity with `raw` set to `null`.
    pub json: &'a [u8],
    /// JSON of the entity's raw record (compact, as `serde_json` wrote it).
    pub raw: &'a [u8],
}

/// Encodes an entity record: the hit fields (name count, each name's full text, date count, each date
/// as `y u16, m u8, d u8`), then the entity JSON and the raw JSON, each part prefixed by its varint length.
pub fn encode_entity<'n>(
    out: &mut Vec<u8>,
    names: impl ExactSizeIterator<Item = &'n str>,
    dates: &[PartialDate],
    json: &[u8],
    raw: &[u8],
) {
    let mut hit = Vec::with_capacity(64);
    put_varint(&mut hit, names.len() as u64);
    for n in names {
        put_str(&mut hit, n);
    }
    put_varint(&mut hit, dates.len() as u64);
    for d in dates {
        hit.extend_from_slice(&d.y.to_le_bytes());
        hit.push(d.m);
        hit.push(d.d);
    }
    for part in [&hit[..], json, raw] {
        put_varint(out, part.len() as u64);
        out.extend_from_slice(part);
    }
}

/// Cuts an entity record into its parts (`None` if the lengths do not add up to the record exactly).
pub fn entity_parts(record: &[u8]) -> Option<EntityParts<'_>> {
    let mut r = Reader::new(record);
    let mut part = || -> Option<&[u8]> {
        let n = usize::try_from(r.varint()?).ok()?;
        r.bytes(n)
    };
    let parts = EntityParts { hit: part()?, json: part()?, raw: part()? };
    (r.pos() == record.len()).then_some(parts)
}

/// Decodes the hit fields of an entity record: the names' full texts and the dates of birth.
pub fn decode_hit_fields(hit: &[u8]) -> Option<(Vec<String>, Vec<PartialDate>)> {
    let mut r = Reader::new(hit);
    let n = usize::try_from(r.varint()?).ok()?;
    let mut names = Vec::with_capacity(n.min(64));
    for _ in 0..n {
        names.push(r.str()?.to_string());
    }
    let n = usize::try_from(r.varint()?).ok()?;
    let mut dates = Vec::with_capacity(n.min(64));
    for _ in 0..n {
        dates.push(PartialDate { y: r.u16()?, m: r.u8()?, d: r.u8()? });
    }
    (r.pos() == hit.len()).then_some((names, dates))
}

// ---------------------------------------------------------------------------------------------
// Fact records
// ---------------------------------------------------------------------------------------------

/// What screening needs to know about an entity before decoding its full JSON record.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Facts {
    /// `Entity::content_hash` as a number.
    pub hash: u64,
    /// Publisher, if the list said.
    pub publisher: Option<Publisher>,
    /// Person, organisation, ...
    pub kind: EntityKind,
    /// Gender, if stated.
    pub gender: Option<Gender>,
    /// First name number of the entity (its names are consecutive).
    pub first_name: u32,
    /// Number of names.
    pub name_count: u32,
    /// Dates of birth (or registration).
    pub dates: Vec<DateValue>,
    /// Nationalities and citizenships (ISO alpha-2).
    pub nationalities: Vec<String>,
    /// Countries of the entity's addresses (ISO alpha-2).
    pub address_countries: Vec<String>,
    /// Entity id.
    pub id: String,
    /// Sub-list / programme.
    pub list: String,
}

fn publisher_code(p: Option<Publisher>) -> u8 {
    match p {
        None => 0,
        Some(p) => Publisher::ALL.iter().position(|q| *q == p).map(|i| i as u8 + 1).unwrap_or(0),
    }
}

fn publisher_from(c: u8) -> Option<Publisher> {
    (c as usize).checked_sub(1).and_then(|i| Publisher::ALL.get(i).copied())
}

fn kind_code(k: EntityKind) -> u8 {
    match k {
        EntityKind::Individual => 1,
        EntityKind::Entity => 2,
        EntityKind::Vessel => 3,
        EntityKind::Aircraft => 4,
        EntityKind::Unknown => 0,
    }
}

fn kind_from(c: u8) -> EntityKind {
    match c {
        1 => EntityKind::Individual,
        2 => EntityKind::Entity,
        3 => EntityKind::Vessel,
        4 => EntityKind::Aircraft,
        _ => EntityKind::Unknown,
    }
}

fn put_country(out: &mut Vec<u8>, c: &str) {
    put_str(out, c);
}

/// Encodes a fact record.
pub fn encode_facts(out: &mut Vec<u8>, f: &Facts) {
    out.extend_from_slice(&f.hash.to_le_bytes());
    out.push(publisher_code(f.publisher));
    out.push(kind_code(f.kind));
    out.push(match f.gender {
        None => 0,
        Some(Gender::Male) => 1,
        Some(Gender::Female) => 2,
    });
    out.extend_from_slice(&f.first_name.to_le_bytes());
    out.extend_from_slice(&f.name_count.to_le_bytes());
    put_varint(out, f.dates.len() as u64);
    for d in &f.dates {
        out.extend_from_slice(&d.y.to_le_bytes());
        out.push(d.m);
        out.push(d.d);
        let to = d.to.unwrap_or_default();
        out.push(u8::from(d.approximate) | u8::from(d.to.is_some()) << 1);
        out.extend_from_slice(&to.y.to_le_bytes());
        out.push(to.m);
        out.push(to.d);
    }
    put_varint(out, f.nationalities.len() as u64);
    for c in &f.nationalities {
        put_country(out, c);
    }
    put_varint(out, f.address_countries.len() as u64);
    for c in &f.address_countries {
        put_country(out, c);
    }
    put_str(out, &f.id);
    put_str(out, &f.list);
}

/// Decodes only the content hash of a fact record.
pub fn facts_hash(record: &[u8]) -> Option<u64> {
    Reader::new(record).u64_at(0)
}

/// Decodes the publisher of a fact record.
pub fn facts_publisher(record: &[u8]) -> Option<Option<Publisher>> {
    record.get(8).map(|c| publisher_from(*c))
}

/// Decodes a fact record.
pub fn decode_facts(record: &[u8]) -> Option<Facts> {
    let mut f = Facts::default();
    decode_facts_into(record, &mut f)?;
    Some(f)
}

/// Decodes a fact record into `out`, reusing its vectors and strings: screening reads the facts of
/// every entity it scores a name of, and this allocates nothing once the buffers have grown.
pub fn decode_facts_into(record: &[u8], out: &mut Facts) -> Option<()> {
    fn set(s: &mut String, v: &str) {
        s.clear();
        s.push_str(v);
    }
    let mut r = Reader::new(record);
    out.hash = r.u64()?;
    out.publisher = publisher_from(r.u8()?);
    out.kind = kind_from(r.u8()?);
    out.gender = match r.u8()? {
        1 => Some(Gender::Male),
        2 => Some(Gender::Female),
        _ => None,
    };
    out.first_name = r.u32()?;
    out.name_count = r.u32()?;
    let nd = usize::try_from(r.varint()?).ok()?;
    out.dates.clear();
    for _ in 0..nd {
        let y = r.u16()?;
        let m = r.u8()?;
        let d = r.u8()?;
        let flags = r.u8()?;
        let ty = r.u16()?;
        let tm = r.u8()?;
        let td = r.u8()?;
        out.dates.push(DateValue {
            y,
            m,
            d,
            approximate: flags & 1 == 1,
            to: (flags & 2 == 2).then_some(PartialDate { y: ty, m: tm, d: td }),
        });
    }
    // The rest is text, lengths and counts: one UTF-8 check for all of it.
    let base = r.pos();
    let texts = Texts { record, base, checked: record.get(base..).and_then(|t| std::str::from_utf8(t).ok()) };
    for list in [&mut out.nationalities, &mut out.address_countries] {
        // A corrupt count cannot make this allocate much: a country takes at least one byte.
        let n = usize::try_from(r.varint()?).ok().filter(|&n| n <= record.len())?;
        list.truncate(n);
        for i in 0..n {
            let v = texts.next(&mut r)?;
            match list.get_mut(i) {
                Some(s) => set(s, v),
                None => list.push(v.to_owned()),
            }
        }
    }
    set(&mut out.id, texts.next(&mut r)?);
    set(&mut out.list, texts.next(&mut r)?);
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_record_round_trip_and_damage() {
        let dates = [PartialDate { y: 1937, m: 0, d: 0 }, PartialDate { y: 1961, m: 4, d: 12 }];
        let mut rec = Vec::new();
        encode_entity(&mut rec, ["KIM KYONG OK", "Ким"].into_iter(), &dates, br#"{"id":"UN-1"}"#, br#"{"a":1}"#);
        let parts = entity_parts(&rec).unwrap();
        assert_eq!(parts.json, br#"{"id":"UN-1"}"#);
        assert_eq!(parts.raw, br#"{"a":1}"#);
        let (names, got) = decode_hit_fields(parts.hit).unwrap();
        assert_eq!(names, ["KIM KYONG OK", "Ким"]);
        assert_eq!(got, dates);
        // Name count, two names with their lengths, date count, two dates of 4 bytes.
        assert_eq!(parts.hit.len(), 1 + (1 + 12) + (1 + 6) + 1 + 2 * 4);
        // Truncated or with a byte too many: no parts, no panic.
        for n in 0..rec.len() {
            assert_eq!(entity_parts(&rec[..n]), None, "truncated to {n}");
        }
        let mut longer = rec.clone();
        longer.push(b' ');
        assert_eq!(entity_parts(&longer), None);
        for n in 0..parts.hit.len() {
            assert_eq!(decode_hit_fields(&parts.hit[..n]), None, "hit fields truncated to {n}");
        }
        // No names, no dates.
        let mut empty = Vec::new();
        encode_entity(&mut empty, std::iter::empty(), &[], b"{}", b"null");
        let parts = entity_parts(&empty).unwrap();
        assert_eq!(decode_hit_fields(parts.hit), Some((vec![], vec![])));
        assert_eq!(parts.raw, b"null");
    }

    #[test]
    fn varint_round_trip_and_truncation() {
        for v in [0u64, 1, 127, 128, 300, 1 << 32, u64::MAX] {
            let mut b = Vec::new();
            put_varint(&mut b, v);
            assert_eq!(Reader::new(&b).varint(), Some(v));
            assert_eq!(Reader::new(&b[..b.len() - 1]).varint(), None);
        }
        // 11 continuation bytes is not a varint.
        assert_eq!(Reader::new(&[0xff; 11]).varint(), None);
    }

    #[test]
    fn name_record_round_trip() {
        let name = crate::analyze("KIM Kyong Ok", NameKind::Person);
        let mut b = Vec::new();
        encode_name(&mut b, 7, NameType::Aka, NameQuality::Weak, &name);
        let rec = decode_name(&b).unwrap();
        assert_eq!(rec.entity, 7);
        assert_eq!(rec.name_type, NameType::Aka);
        assert_eq!(rec.quality, NameQuality::Weak);
        assert_eq!(rec.name, name);
        for cut in 0..b.len() {
            assert!(decode_name(&b[..cut]).is_none(), "cut at {cut}");
        }
    }

    #[test]
    fn name_record_layout() {
        let name = crate::analyze("KIM Kyong Ok", NameKind::Person);
        let mut b = Vec::new();
        encode_name(&mut b, 7, NameType::Aka, NameQuality::Weak, &name);
        let mut texts = String::new();
        let mut lengths = 0;
        for t in &name.tokens {
            texts.push_str(&t.text);
            texts.push_str(&t.phonetic);
            for s in t.keys.iter().chain(&t.alternates) {
                texts.push_str(s);
            }
            // Script, tag, weight, text, original, phonetic, two counts and the lists' lengths.
            lengths += 1 + 1 + 4 + 1 + 1 + 1 + 1 + t.keys.len() + 1 + t.alternates.len();
        }
        // The tokens' originals are their texts, so the name's text is all of the originals block.
        let originals = "KIM Kyong Ok";
        assert!(name.tokens.iter().all(|t| t.original == t.text));
        assert_eq!(b[..9], [7, 0, 0, 0, 1 << 1 | 1, 1, 3, texts.len() as u8, originals.len() as u8]);
        assert_eq!(&b[9..9 + texts.len()], texts.as_bytes());
        let at = 9 + texts.len();
        assert_eq!(&b[at..at + originals.len()], originals.as_bytes());
        assert_eq!(b.len(), at + originals.len() + lengths);
        // The first token's binary fields: Latin, a name word, its weight, then its text's length and
        // 0 for an original that is its text.
        let t = &name.tokens[0];
        let at = at + originals.len();
        assert_eq!(b[at..at + 2], [0, 0]);
        assert_eq!(b[at + 2..at + 6], t.weight.to_bits().to_le_bytes());
        assert_eq!(b[at + 6..at + 8], [3, 0]);
        // A byte too many is damage too.
        let mut longer = b.clone();
        longer.push(0);
        assert!(decode_name(&longer).is_none());
    }

    /// A name record with one token of the given text and phonetic key, no keys, no alternates.
    fn one_token(text: &str, phonetic: &str) -> Vec<u8> {
        let token = Token {
            text: text.into(),
            original: text.into(),
            script: Script::Latin,
            tag: TokenTag::Name,
            weight: 1.5,
            phonetic: phonetic.into(),
            keys: Vec::new(),
            alternates: Vec::new(),
        };
        let name = Name { original: text.into(), kind: NameKind::Person, tokens: vec![token] };
        let mut b = Vec::new();
        encode_name(&mut b, 1, NameType::Primary, NameQuality::Strong, &name);
        b
    }

    #[test]
    fn lengths_that_cut_a_character_fail_to_decode() {
        let b = one_token("aé", "b");
        let rec = decode_name(&b).unwrap();
        assert_eq!((rec.name.tokens[0].text.as_str(), rec.name.tokens[0].phonetic.as_str()), ("aé", "b"));
        // The text's length is the byte after the token's script, tag and weight.
        let at = b.len() - 5;
        assert_eq!(b[at - 6..], [0, 0, 0, 0, 0xc0, 0x3f, 3, 0, 1, 0, 0]);
        let mut bad = b.clone();
        bad[at] = 2;
        let mut rec = rec;
        assert!(decode_name_for_scoring(&bad, &mut rec).is_none());
        assert!(decode_name_into(&bad, &mut rec).is_none());
    }

    #[test]
    fn corrupt_counts_cannot_make_decoding_allocate_much() {
        let fresh = || NameRecord {
            entity: 0,
            name_type: NameType::Primary,
            quality: NameQuality::Strong,
            name: Name { original: String::new(), kind: NameKind::Unknown, tokens: Vec::new() },
        };
        // A token count of 2^40 in a record of a few bytes.
        let mut b = vec![1, 0, 0, 0, 0, 1];
        put_varint(&mut b, 1 << 40);
        b.extend_from_slice(&[0, 0]);
        let mut rec = fresh();
        assert!(decode_name_for_scoring(&b, &mut rec).is_none());
        assert!(rec.name.tokens.capacity() <= 4, "{}", rec.name.tokens.capacity());
        // A key count of 2^40, then one as large as the record, in a well-formed token.
        let good = one_token("ab", "b");
        let keys_at = good.len() - 2;
        for count in [1u64 << 40, good.len() as u64] {
            let mut b = good[..keys_at].to_vec();
            put_varint(&mut b, count);
            b.push(0);
            let mut rec = fresh();
            assert!(decode_name_into(&b, &mut rec).is_none());
            let keys = rec.name.tokens.first().map_or(0, |t| t.keys.capacity());
            assert!(keys <= good.len() + 8, "{keys}");
        }
        let mut rec = fresh();
        decode_name_into(&good, &mut rec).unwrap();
        assert_eq!(rec.name.tokens[0].keys, Vec::<String>::new());
    }

    #[test]
    fn decoding_into_a_used_record_leaves_nothing_of_the_previous_name() {
        let long = crate::analyze("Сергей Кужугетович Шойгу Mohammed bin Abdul Rahman", NameKind::Person);
        let short = crate::analyze("KIM Kyong Ok", NameKind::Person);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        encode_name(&mut a, 1, NameType::Primary, NameQuality::Strong, &long);
        encode_name(&mut b, 2, NameType::Aka, NameQuality::Weak, &short);
        let mut rec = decode_name(&a).unwrap();
        assert_eq!(rec.name, long);
        decode_name_into(&b, &mut rec).unwrap();
        assert_eq!(rec, decode_name(&b).unwrap());
        decode_name_into(&a, &mut rec).unwrap();
        assert_eq!(rec.name, long);
        assert_eq!(rec.entity, 1);
    }

    /// Names of every shape: more and fewer tokens, keys and alternates than one another, originals
    /// unlike the canonical texts, a token over 127 bytes (a two-byte length), and no tokens at all.
    fn shaped_names() -> Vec<Name> {
        let long = format!("Abdul{} Rahman", "x".repeat(140));
        let texts = [
            "محمد عبد الرحمن",
            "KIM Kyong Ok",
            "Сергей Кужугетович Шойгу",
            "!!!",
            "金正恩",
            "PT Bank Rakyat Indonesia Tbk",
            long.as_str(),
            "Ибрагим Хаджиев",
            "Ok",
        ];
        texts.iter().map(|n| crate::analyze(n, NameKind::Unknown)).collect()
    }

    fn encoded(names: &[Name]) -> Vec<Vec<u8>> {
        let types = [NameType::Primary, NameType::Aka, NameType::OriginalScript];
        let mut out = Vec::new();
        for (i, n) in names.iter().enumerate() {
            let quality = if i % 2 == 0 { NameQuality::Strong } else { NameQuality::Weak };
            let mut b = Vec::new();
            encode_name(&mut b, 100 + i as u32, types[i % 3], quality, n);
            out.push(b);
        }
        out
    }

    /// What [`decode_name_for_scoring`] should give: the record without its original texts.
    fn for_scoring(mut rec: NameRecord) -> NameRecord {
        if !rec.name.tokens.is_empty() {
            rec.name.original.clear();
        }
        for t in &mut rec.name.tokens {
            t.original.clear();
        }
        rec
    }

    #[test]
    fn a_reused_record_decodes_each_name_as_a_fresh_one_would() {
        let names = shaped_names();
        let tokens = || names.iter().flat_map(|n| &n.tokens);
        assert!(names.iter().any(|n| n.tokens.is_empty()));
        assert!(tokens().any(|t| t.text.len() >= 128));
        assert!(tokens().any(|t| t.keys.len() >= 2 && t.alternates.len() >= 5), "abdul from Arabic");
        assert!(tokens().any(|t| t.original != t.text));
        let records = encoded(&names);
        let mut full = decode_name(&records[0]).unwrap();
        let mut scoring = full.clone();
        // Every name after every other one, so each grows and shrinks every part of the buffers.
        for (i, a) in records.iter().enumerate() {
            for (j, b) in records.iter().enumerate() {
                let fresh = decode_name(b).unwrap();
                assert_eq!(fresh.name, names[j]);
                assert_eq!(fresh.entity, 100 + j as u32);
                decode_name_into(a, &mut full).unwrap();
                decode_name_into(b, &mut full).unwrap();
                assert_eq!(full, fresh, "{i} then {j}");
                decode_name_for_scoring(a, &mut scoring).unwrap();
                decode_name_for_scoring(b, &mut scoring).unwrap();
                assert_eq!(scoring, for_scoring(fresh), "{i} then {j}");
            }
        }
        // The name without tokens keeps its text: scoring compares it.
        decode_name_for_scoring(&records[3], &mut scoring).unwrap();
        assert_eq!(scoring.name.original, "!!!");
    }

    #[test]
    fn the_scoring_decode_scores_as_the_whole_record_does() {
        let names = shaped_names();
        let queries = ["Muhammad Abdurrahman", "Kim Kyong Ok", "Sergey Shoigu", "!!!", "Kim Jong Un", "Bank Rakyat"];
        let mut scoring = decode_name(&encoded(&names)[0]).unwrap();
        let mut best = 0.0f64;
        for r in encoded(&names) {
            let full = decode_name(&r).unwrap();
            decode_name_for_scoring(&r, &mut scoring).unwrap();
            for q in queries {
                let q = crate::analyze(q, NameKind::Unknown);
                let s = crate::score::score_names(&q, &full.name);
                assert_eq!(crate::score::score_names(&q, &scoring.name), s, "{:?}", full.name.original);
                best = best.max(s);
            }
        }
        assert_eq!(best, 100.0);
    }

    #[test]
    fn damaged_name_records_fail_to_decode_into_a_used_record() {
        let names = shaped_names();
        let records = encoded(&names);
        let mut rec = decode_name(&records[6]).unwrap();
        for b in &records {
            for cut in 0..b.len() {
                assert!(decode_name_into(&b[..cut], &mut rec).is_none(), "cut at {cut}");
                assert!(decode_name_for_scoring(&b[..cut], &mut rec).is_none(), "cut at {cut}");
            }
        }
        // A byte that is not UTF-8 in a token's text, then in its original (which only the whole
        // decode reads).
        let b = &records[2];
        let at = |s: &str| b.windows(s.len()).position(|w| w == s.as_bytes()).unwrap();
        let mut bad = b.clone();
        bad[at("kuzhugetovich")] = 0xff;
        assert!(decode_name_into(&bad, &mut rec).is_none());
        assert!(decode_name_for_scoring(&bad, &mut rec).is_none());
        let mut bad = b.clone();
        bad[at("кужугетович") + 1] = 0x41;
        assert!(decode_name_into(&bad, &mut rec).is_none());
        decode_name_for_scoring(&bad, &mut rec).unwrap();
        assert_eq!(rec, for_scoring(decode_name(b).unwrap()));
    }

    #[test]
    fn the_list_side_counts_each_token_matched_at_its_own_weight() {
        let close = |a: f32, b: f32| (a - b).abs() < 0.01;
        // Three tokens: a name word, a particle, a name word.
        let info = NameInfo::new(1, &[(1.0, 0.32, true), (0.2, 0.064, false), (0.5, 0.192, true)]);
        let (w, miss, words_left) = info.list_side(0b101);
        assert!(close(w, 1.5) && close(miss, 0.064) && !words_left);
        // A name word left unmatched is a conflict in the making.
        assert!(info.list_side(0b011).2);
        // Everything matched: nothing left to miss.
        assert_eq!(info.list_side(0b111), (info.list_side(0b111).0, 0.0, false));
        // The last token joined to the first sets the bit past the last token: it stands for the first.
        let (w, miss, _) = info.list_side(0b1100);
        assert!(close(w, 1.5) && close(miss, 0.064));
        // Rounding errs towards a higher estimate: weights up, misses down.
        let (w, miss, _) = info.list_side(0b001);
        assert!(w >= 1.0 && miss <= 0.064 + 0.192);
        // Tokens past the eighth count as the name's average token.
        let ten: Vec<(f32, f32, bool)> = (0..10).map(|k| (if k < 8 { 1.0 } else { 0.3 }, 0.1, true)).collect();
        let info = NameInfo::new(2, &ten);
        let (w, _, _) = info.list_side(1 << 9);
        assert!(close(w, info.weight / 10.0), "{w}");
        let (w, _, _) = info.list_side(1 << 7);
        assert!(close(w, 1.0), "{w}");
    }

    #[test]
    fn name_info_and_term_records_round_trip() {
        let info = NameInfo::new(42, &[(1.0, 0.32, true), (0.2, 0.064, false), (1.3, 0.416, true)]);
        let mut table = vec![0u8; NAME_INFO_LEN];
        table.extend_from_slice(&info.encode());
        assert_eq!(NameInfo::decode(&table, 1), Some(info));
        assert_eq!(NameInfo::decode(&table, 2), None);
        let mut t = Vec::new();
        encode_term(&mut t, 300, b"kyong");
        assert_eq!(decode_term(&t), Some((300, &b"kyong"[..])));
    }

    #[test]
    fn facts_round_trip() {
        let f = Facts {
            hash: 0xdead_beef,
            publisher: Some(Publisher::Unscr),
            kind: EntityKind::Individual,
            gender: Some(Gender::Female),
            first_name: 10,
            name_count: 3,
            dates: vec![DateValue {
                y: 1955,
                m: 0,
                d: 0,
                approximate: true,
                to: Some(PartialDate { y: 1957, m: 0, d: 0 }),
            }],
            nationalities: vec!["KP".into()],
            address_countries: vec!["CN".into(), "KP".into()],
            id: "UN-KPi.1".into(),
            list: "DPRK".into(),
        };
        let mut b = Vec::new();
        encode_facts(&mut b, &f);
        assert_eq!(decode_facts(&b).unwrap(), f);
        assert_eq!(facts_hash(&b), Some(0xdead_beef));
        assert_eq!(facts_publisher(&b), Some(Some(Publisher::Unscr)));
        for cut in 0..b.len() {
            assert!(decode_facts(&b[..cut]).is_none(), "cut at {cut}");
        }
    }

    #[test]
    fn facts_with_long_and_non_ascii_texts_round_trip() {
        let f = Facts {
            hash: 1,
            publisher: None,
            kind: EntityKind::Entity,
            gender: None,
            first_name: 0,
            name_count: 1,
            dates: Vec::new(),
            nationalities: Vec::new(),
            address_countries: vec!["ID".into()],
            id: format!("CUSTOM-{}", "9".repeat(200)),
            list: "Daftar Terduga Teroris — DTTOT".into(),
        };
        let mut b = Vec::new();
        encode_facts(&mut b, &f);
        assert_eq!(decode_facts(&b).unwrap(), f);
        let at = b.windows(5).position(|w| w == b"DTTOT").unwrap();
        b[at] = 0xff;
        assert!(decode_facts(&b).is_none());
    }

    #[test]
    fn header_round_trip() {
        let h = Header {
            version: FORMAT_VERSION,
            section_count: 11,
            file_len: 12345,
            checksum: 99,
            build_time: 1_700_000_000,
            entities: 3,
            names: 5,
            terms: 8,
            analysis_fingerprint: 42,
        };
        let b = h.encode();
        assert_eq!(&b[..8], MAGIC);
        assert_eq!(Header::decode(&b), Some(h));
    }
}
