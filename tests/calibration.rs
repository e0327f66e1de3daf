//! The score calibration promised in the README, and the seed examples.

use saring::{compare, CompareOptions, Decision, NameKind, Thresholds};

fn score(a: &str, b: &str, kind: NameKind) -> f64 {
    compare(a, b, &CompareOptions { kind, ..Default::default() }).score
}

fn check(rows: &[(&str, &str)], kind: NameKind, lo: f64, hi: f64, what: &str) {
    for (a, b) in rows {
        let s = score(a, b, kind);
        assert!((lo..=hi).contains(&s), "{what}: {a:?} vs {b:?} scored {s}, expected {lo}..={hi}");
    }
}

#[test]
fn identical_after_analysis_is_100() {
    check(
        &[
            ("Kim Kyong Ok", "KIM KYONG OK"),
            ("AKILOV, Farkhad Ataullaevich", "Farkhad Ataullaevich Akilov"),
            ("Nicolás Maduro", "NICOLAS MADURO"),
            ("Mr. John Smith", "John Smith"),
            ("Ahmed Hassan", "Hassan Ahmed"),
        ],
        NameKind::Person,
        100.0,
        100.0,
        "identical",
    );
}

#[test]
fn one_typo_in_a_long_name_is_at_least_90() {
    check(
        &[
            ("Farkhad Ataullaevich Akilov", "Farkhad Ataullaevicj Akilov"),
            ("Abubakar Shekau", "Abubakar Shekua"),
            ("Nicolas Maduro Moros", "Nicolas Madura Moros"),
        ],
        NameKind::Person,
        90.0,
        100.0,
        "one typo",
    );
}

#[test]
fn transliteration_variants_score_80_to_100() {
    check(
        &[
            ("Muammar Gaddafi", "Muammar Qadhafi"),
            ("Osama bin Laden", "Usama bin Ladin"),
            ("Mohammed Ali", "Muhammad Aly"),
            ("Sergei Shoigu", "Сергей Шойгу"),
            ("Abubakar Bashir", "Abubakar Ba'asyir"),
            ("Soekarno", "Sukarno"),
            ("Djoko Tjandra", "Joko Candra"),
            ("Abdulrahman Yusuf", "Abdul Rahman Yousef"),
            ("Kim Jong Un", "김정은"),
            ("Xi Jinping", "习近平"),
            ("Vladimir Putin", "Владимир Путин"),
            ("Nurdin M Top", "Noordin Mohammad Top"),
        ],
        NameKind::Person,
        80.0,
        100.0,
        "transliteration variant",
    );
}

#[test]
fn missing_middle_name() {
    // The list name has a middle name the query lacks: a small cost.
    check(&[("Farkhad Akilov", "Farkhad Ataullaevich Akilov")], NameKind::Person, 85.0, 95.0, "list has more");
    // The query has a middle name the list name lacks: costs more, still a MATCH.
    check(&[("Farkhad Ataullaevich Akilov", "Farkhad Akilov")], NameKind::Person, 80.0, 90.0, "query has more");
}

#[test]
fn same_surname_only_is_below_60() {
    check(
        &[("John Smith", "Mary Smith"), ("Kim Yong Chol", "Kim Song Hak"), ("Ali Gholami", "Mohammad Gholami")],
        NameKind::Person,
        0.0,
        59.9,
        "same surname only",
    );
}

#[test]
fn unrelated_is_below_30() {
    check(
        &[("John Smith", "Vladimir Putin"), ("Kim Kyong Ok", "Farkhad Akilov"), ("Ahmad Yani", "Budi Santoso")],
        NameKind::Person,
        0.0,
        29.9,
        "unrelated",
    );
    check(
        &[("11420 CORP", "BELLETECH CORP"), ("Acme Trading Ltd", "Globex Shipping LLC")],
        NameKind::Entity,
        0.0,
        29.9,
        "unrelated",
    );
}

#[test]
fn a_surname_written_first_and_joined_to_the_given_name() {
    // The list reads `KALED, Belkasam` as `belkasam kaled`: the joined word is the two in the other order
    // (two words), or the last joined to the first (three words).
    check(
        &[
            ("Kaledbelkasam", "KALED, Belkasam"),
            ("Kaledbelkasam Abdul", "KALED, Belkasam Abdul"),
            ("Belkasam Kaled", "KALEDBELKASAM"),
        ],
        NameKind::Person,
        95.0,
        100.0,
        "surname joined first",
    );
    let s =
        compare("Kaledbelkasam", "KALED, Belkasam", &CompareOptions { kind: NameKind::Person, ..Default::default() });
    let joined = &s.explanation.tokens[0];
    assert_eq!(
        (joined.query.as_str(), joined.candidate.as_str(), joined.how.as_str()),
        ("kaledbelkasam", "kaled belkasam", "joined")
    );
    // Joined in a free order, short words and particles would fit many a long word loosely: they are
    // not joined so, nor are words that only come close.
    check(
        &[("Jinghu", "Ha Jang"), ("Handal", "Al And"), ("Mun Kil", "Gilman")],
        NameKind::Person,
        0.0,
        35.0,
        "loose joins",
    );
    assert!(score("Abdulrahman Yusuf", "Abdul Rahman Yusuf", NameKind::Person) >= 95.0);
}

#[test]
fn latin_words_joined_meet_an_arabic_compound_by_its_consonants() {
    // Arabic writes compounds such as عبدالرحمان (`bdlrhmn`) as one word; Latin names often apart.
    let opts = CompareOptions { kind: NameKind::Person, ..Default::default() };
    let s = compare("Abdul Rahman Zahed", "عبدالرحمان زاهد", &opts);
    assert!(s.explanation.tokens.iter().any(|t| t.query == "abdul rahman" && t.how == "joined"), "{:?}", s.explanation);
    assert_eq!(s.decision, Decision::Match);
    let s = compare("Muhammad Abd al-Karim al-Ghamari", "محمد عبدالكريم الغماري", &opts);
    assert_eq!(s.decision, Decision::Match, "{:?}", s.explanation);
    // Other consonants joined do not meet it.
    let s = compare("Abdul Karim Zahed", "عبدالرحمان زاهد", &opts);
    assert!(s.explanation.tokens.iter().all(|t| t.how != "joined"), "{:?}", s.explanation);
    assert!(s.score < 80.0, "{}", s.score);
}

#[test]
fn initials_alone_identify_no_one() {
    let s = compare("chongsng ionhap", "C.I. DISERCOM S.A.", &CompareOptions::default());
    assert!(s.score <= 35.0, "{s:?}");
    // With a full word matched as well, an initial is good evidence.
    assert!(score("Noordin M Top", "Noordin Mohammad Top", NameKind::Person) >= 90.0);
}

#[test]
fn seed_examples() {
    let opts = CompareOptions::default();
    assert_eq!(compare("Farkhad Ataullaevich Akilov", "AKILOV, Farkhad Ataullaevich", &opts).decision, Decision::Match);
    let s = compare("A. Alexandru Dan Darabonc", "Dan Alexandru Darabonc", &opts);
    assert!(s.score >= 75.0, "{s:?}");
    assert_eq!(compare("Kim Kyong Ok", "KIM KYONG OK", &opts).score, 100.0);
    let entity = CompareOptions { kind: NameKind::Entity, ..Default::default() };
    assert_eq!(compare("Yuk Tung Energy", "YUK TUNG ENERGY PTE LTD", &entity).decision, Decision::Match);
    assert_ne!(compare("George Bush", "George Habbash", &opts).decision, Decision::Match);
    assert_ne!(compare("Emma Daniels", "EMMA LLC", &opts).decision, Decision::Match);
    assert_ne!(compare("11420 CORP", "BELLETECH CORP", &opts).decision, Decision::Match);
    assert_eq!(compare("JSC ARGUMENT", "JSCARGUMENT", &entity).decision, Decision::Match);
    assert_eq!(compare("Noordin M Top", "Noordin Mohammad Top", &opts).decision, Decision::Match);
    assert_eq!(compare("H. Abu Bakar Ba'asyir, S.H.", "Abu Bakar Bashir", &opts).decision, Decision::Match);
}

#[test]
fn explanation_accounts_for_every_point() {
    let s = compare("Farkhad Ataullaevich Akilov", "AKILOV, Farkhad", &CompareOptions::default());
    let lost: f64 = s.explanation.tokens.iter().map(|t| t.cost).sum();
    assert!((100.0 - s.score - lost).abs() < 0.5, "score {} but costs add to {lost}: {:?}", s.score, s.explanation);
    let miss = s.explanation.tokens.iter().find(|t| t.query == "ataullaevich").expect("middle name listed");
    assert_eq!(miss.how, "unmatched");
    assert!(miss.cost > 0.0);
    let hit = s.explanation.tokens.iter().find(|t| t.query == "akilov").expect("surname listed");
    assert_eq!((hit.candidate.as_str(), hit.how.as_str()), ("akilov", "exact"));
}

#[test]
fn thresholds_decide_with_one_boundary_rule() {
    let t = Thresholds::new(80.0, 40.0).unwrap();
    assert_eq!(t.decide(100.0), Decision::Match);
    assert_eq!(t.decide(80.0), Decision::Match);
    assert_eq!(t.decide(79.99), Decision::Unclear);
    assert_eq!(t.decide(40.0), Decision::Unclear);
    assert_eq!(t.decide(39.99), Decision::NotMatch);
    let same = Thresholds::new(60.0, 60.0).unwrap();
    for s in [0.0, 59.9, 60.0, 60.1, 100.0] {
        assert_ne!(same.decide(s), Decision::Unclear, "upper == lower never gives UNCLEAR ({s})");
    }
    for (u, l) in [(30.0, 50.0), (101.0, 40.0), (80.0, -1.0), (f64::NAN, 40.0), (80.0, f64::INFINITY)] {
        assert!(Thresholds::new(u, l).is_err(), "{u}/{l} accepted");
    }
    let opts = CompareOptions { thresholds: Thresholds::new(100.0, 100.0).unwrap(), ..Default::default() };
    assert_eq!(compare("Kim Kyong Ok", "KIM KYONG OK", &opts).decision, Decision::Match);
}
