//! Table-driven tests of the name-analysis pipeline, one table per concern.

use saring::text::{analyze, phonetic_key, NameKind, Script, TokenTag};

fn canon(raw: &str, kind: NameKind) -> String {
    analyze(raw, kind).canonical()
}

#[test]
fn unicode_normalisation() {
    let cases = [
        ("Nicolás MADURO", "nicolas maduro"),
        ("  Stray   spaces\t here ", "stray spaces here"),
        ("Straße", "strasse"),
        ("Ærø Bjørn", "aero bjorn"),
        ("Łukasz Đorđević", "lukasz dordevic"),
        ("Ba'asyir", "baasyir"),
        ("Ba’asyir", "baasyir"),
        ("Jean-Pierre O.Neill", "jean pierre o neill"),
        ("SMITH,JOHN", "john smith"),
        ("ＫＩＭ　ＫＹＯＮＧ", "kim kyong"), // full-width forms fold under NFKC
        ("Ali\u{0}\u{7}Hassan", "ali hassan"),
        ("Muḥammad ʿAbd", "muhammad abd"),
    ];
    for (raw, want) in cases {
        assert_eq!(canon(raw, NameKind::Person), want, "input {raw:?}");
    }
}

#[test]
fn scripts_are_transliterated() {
    let cases: [(&str, &[&str], Script); 8] = [
        ("Владимир Путин", &["vladimir", "putin"], Script::Cyrillic),
        ("Ελευθέριος", &["eleytherios"], Script::Greek),
        ("محمد", &["mhmd"], Script::Arabic),
        ("יוסף", &["yvsf"], Script::Hebrew),
        ("麦克里里", &["mai", "ke", "li", "li"], Script::Han),
        ("김정은", &["gim", "jeong", "eun"], Script::Hangul),
        ("สมชาย", &["smchay"], Script::Thai),
        ("मोदी", &["modi"], Script::Devanagari),
    ];
    for (raw, want, script) in cases {
        let name = analyze(raw, NameKind::Person);
        let forms: Vec<Vec<String>> = name
            .tokens
            .iter()
            .map(|t| std::iter::once(t.text.clone()).chain(t.alternates.iter().cloned()).collect())
            .collect();
        // Either the token texts are the expected romanisation, or (where the cross-script dictionary
        // knows the word) the romanisation is kept among the alternates.
        if name.tokens.len() == want.len() {
            for (f, w) in forms.iter().zip(want) {
                assert!(f.iter().any(|x| x == w), "{raw}: {w} not among {f:?}");
            }
        } else {
            let all: Vec<&String> = forms.iter().flatten().collect();
            assert!(!all.is_empty(), "{raw}: no tokens");
        }
        assert!(name.tokens.iter().all(|t| t.script == script), "{raw}: script {:?}", name.tokens);
    }
}

#[test]
fn cyrillic_keeps_both_romanisations() {
    let name = analyze("Сергей Шойгу", NameKind::Person);
    let forms = |i: usize| -> Vec<String> {
        std::iter::once(name.tokens[i].text.clone()).chain(name.tokens[i].alternates.iter().cloned()).collect()
    };
    for want in ["sergey", "sergei"] {
        assert!(forms(0).contains(&want.to_string()), "{want} missing from {:?}", forms(0));
    }
    for want in ["shoygu", "shoigu"] {
        assert!(forms(1).contains(&want.to_string()), "{want} missing from {:?}", forms(1));
    }
}

#[test]
fn honorifics_and_titles_are_dropped() {
    let cases = [
        ("Mr John Smith", "john smith"),
        ("Dr. Ahmad Yani", "ahmad yani"),
        ("Prof Dr Ir Budi Santoso", "budi santoso"),
        ("Sheikh Yusuf", "yusuf"),
        ("Shaykh Yusuf", "yusuf"),
        ("H. Abdul Somad", "abdul somad"),
        ("Hj. Siti Aminah", "siti aminah"),
        ("Haji Agus Salim", "agus salim"),
        ("Hajjah Ratna", "ratna"),
        ("KH Ahmad Dahlan", "ahmad dahlan"),
        ("Drs. Budi", "budi"),
        ("Dra. Sri Mulyani", "sri mulyani"),
        ("Budi Santoso, S.H.", "budi santoso"),
        ("Rina Wati S.E., M.Sc.", "rina wati"),
        // An initial without a title's dots stays: `H` alone may be a name initial.
        ("Budi H Santoso", "budi h santoso"),
        // Nothing but a title: kept rather than leaving an empty name.
        ("Dr", "dr"),
    ];
    for (raw, want) in cases {
        assert_eq!(canon(raw, NameKind::Person), want, "input {raw:?}");
    }
}

#[test]
fn particles_are_kept_light() {
    let name = analyze("Abdullah bin Abdul Aziz al-Saud", NameKind::Person);
    let tag = |t: &str| name.tokens.iter().find(|x| x.text == t).map(|x| (x.tag, x.weight));
    for p in ["bin", "al"] {
        let (tag, weight) = tag(p).unwrap_or_else(|| panic!("{p} dropped"));
        assert_eq!(tag, TokenTag::Particle, "{p}");
        assert!(weight < 0.5, "{p} weight {weight}");
    }
    let name = analyze("Rajan s/o Muthu", NameKind::Person);
    assert_eq!(name.canonical(), "rajan so muthu");
    assert_eq!(name.tokens[1].tag, TokenTag::Particle);
    for (raw, particle) in [("Ludwig van Beethoven", "van"), ("Siti binti Ahmad", "binti"), ("Ali ibn Hassan", "ibn")] {
        let n = analyze(raw, NameKind::Person);
        assert!(n.tokens.iter().any(|t| t.text == particle && t.tag == TokenTag::Particle), "{raw}");
    }
}

#[test]
fn legal_forms_are_recognised_not_deleted() {
    let cases = [
        ("PT Bank Rakyat Indonesia (Persero) Tbk", &["pt", "persero", "tbk"][..]),
        ("YUK TUNG ENERGY PTE LTD", &["pteltd"]),
        ("Acme Limited", &["ltd"]),
        ("CV Maju Jaya", &["cv"]),
        ("Siemens Aktiengesellschaft", &["ag"]),
        ("ACME JOINT STOCK COMPANY", &["jsc"]),
        ("OOO Romashka", &["ooo"]),
        ("Yayasan Amal", &["yayasan"]),
    ];
    for (raw, forms) in cases {
        let name = analyze(raw, NameKind::Unknown);
        assert_eq!(name.kind, NameKind::Entity, "{raw} not detected as an organisation");
        for f in forms {
            let t = name.tokens.iter().find(|t| t.text == *f).unwrap_or_else(|| panic!("{raw}: no {f} in {name:?}"));
            assert_eq!(t.tag, TokenTag::LegalForm);
            assert!(t.weight < 0.3);
        }
    }
    // A person's name is not read as an organisation.
    assert_eq!(analyze("Kim Kyong Ok", NameKind::Unknown).kind, NameKind::Unknown);
}

#[test]
fn surname_first_order_and_initials() {
    let cases = [
        ("AKILOV, Farkhad Ataullaevich", "farkhad ataullaevich akilov"),
        ("Farkhad Ataullaevich AKILOV", "farkhad ataullaevich akilov"),
        ("TOP, Noordin M.", "noordin m top"),
    ];
    for (raw, want) in cases {
        assert_eq!(canon(raw, NameKind::Person), want);
    }
    // Organisations are not reordered at their comma.
    assert_eq!(canon("BANCO DELTA ASIA, S.A.R.L.", NameKind::Entity), "banco delta asia sarl");
    // Of unknown kind: a name with a legal form is an organisation and keeps its order; any other is
    // reordered like a person's.
    for (raw, want, kind) in [
        ("KIM, Kyong Ok", "kyong ok kim", NameKind::Unknown),
        ("AKILOV, Farkhad Ataullaevich", "farkhad ataullaevich akilov", NameKind::Unknown),
        ("PT Yuk Tung, Tbk", "pt yuk tung tbk", NameKind::Entity),
        ("YUK TUNG ENERGY, PTE LTD", "yuk tung energy pteltd", NameKind::Entity),
    ] {
        let name = analyze(raw, NameKind::Unknown);
        assert_eq!((name.canonical().as_str(), name.kind), (want, kind), "{raw}");
    }
    let name = analyze("PT Yuk Tung, Tbk", NameKind::Unknown);
    let tags: Vec<TokenTag> = name.tokens.iter().map(|t| t.tag).collect();
    assert_eq!(tags, [TokenTag::LegalForm, TokenTag::Name, TokenTag::Name, TokenTag::LegalForm]);
    // Reordering (or dropping a title) can make a legal form of new neighbours: `P, L` becomes `L P`,
    // which reads as the limited partnership `LP`, as it would when the output is analysed again. A name
    // known to be a person's stays two initials.
    let name = analyze("P, L", NameKind::Unknown);
    assert_eq!((name.canonical().as_str(), name.kind), ("lp", NameKind::Entity));
    assert_eq!(name.tokens[0].tag, TokenTag::LegalForm);
    let name = analyze("A H. G", NameKind::Unknown);
    assert_eq!((name.canonical().as_str(), name.kind), ("ag", NameKind::Entity));
    let name = analyze("P, L", NameKind::Person);
    assert_eq!(name.canonical(), "l p");
    assert!(name.tokens.iter().all(|t| t.tag == TokenTag::Initial));
    let name = analyze("Noordin M Top", NameKind::Person);
    assert_eq!(name.tokens[1].tag, TokenTag::Initial);
}

#[test]
fn numbers_are_kept() {
    let name = analyze("11420 CORP", NameKind::Unknown);
    assert_eq!(name.tokens[0].text, "11420");
    assert_eq!(name.tokens[0].tag, TokenTag::Number);
    assert!(name.tokens[0].weight >= 1.0);
}

#[test]
fn variant_classes_and_spelling() {
    let same_class = [
        ("Muhammad", "Mohammed"),
        ("Mohamad", "Mohd"),
        ("Md", "Muhammad"),
        ("Abdul", "Abdel"),
        ("Abd", "Abdul"),
        ("Yusuf", "Yousef"),
        ("Hussein", "Husain"),
        ("Osama", "Usama"),
        ("Qadhafi", "Gaddafi"),
        ("Kadafi", "Qadhafi"),
    ];
    for (a, b) in same_class {
        let ka = &analyze(a, NameKind::Person).tokens[0].keys;
        let kb = &analyze(b, NameKind::Person).tokens[0].keys;
        assert!(ka.iter().any(|k| kb.contains(k)), "{a} {ka:?} / {b} {kb:?}");
    }
    let same_sound = [
        ("soekarno", "sukarno"),
        ("djoko", "joko"),
        ("tjandra", "candra"),
        ("sjahrir", "syahrir"),
        ("chairul", "khairul"),
        ("syarif", "sharif"),
        ("baasyir", "bashir"),
        ("khalid", "halid"),
    ];
    for (a, b) in same_sound {
        assert_eq!(phonetic_key(a), phonetic_key(b), "{a} / {b}");
    }
    for (a, b) in [("bush", "habbash"), ("song", "yong"), ("maria", "marta")] {
        assert_ne!(phonetic_key(a), phonetic_key(b), "{a} / {b}");
    }
}

#[test]
fn rare_tokens_weigh_more_than_common_ones() {
    let name = analyze("Mohammed Ali Akilov", NameKind::Person);
    let w = |t: &str| name.tokens.iter().find(|x| x.text == t).map(|x| x.weight).unwrap_or(0.0);
    assert!(w("akilov") > w("ali"), "{name:?}");
    assert!(w("akilov") > w("mohammed"), "{name:?}");
}
