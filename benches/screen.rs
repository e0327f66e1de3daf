//! Single-thread screening on the bundled lists: a few typical queries.
//!
//! `cargo bench --bench screen`; for p50/p99 over thousands of perturbed queries run
//! `cargo run --release --example screen_latency`.

use criterion::{criterion_group, criterion_main, Criterion};
use saring::index::{build_from_lists, cache::bundled_sources, Index};
use saring::screen::Query;
use std::time::Duration;

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bundled.sidx");
    build_from_lists(&bundled_sources().expect("bundled lists"), &path).expect("build");
    let index = Index::open(&path).expect("open");
    let queries = [
        (
            "person_exact",
            Query { given_name: Some("Kim Kyong".into()), surname: Some("Ok".into()), ..Default::default() },
        ),
        (
            "entity_domicile",
            Query {
                business_name: Some("Yuk Tung Energy".into()),
                business_domicile: Some("SG".into()),
                ..Default::default()
            },
        ),
        ("typo", Query::name("Farkhad Ataulaevich Akilov")),
        ("common_tokens", Query::name("Mohammed Ali Hassan")),
    ];
    let mut g = c.benchmark_group("screen");
    g.measurement_time(Duration::from_secs(3));
    for (label, q) in &queries {
        g.bench_function(*label, |b| b.iter(|| index.screen(q).expect("screen")));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
