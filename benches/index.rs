//! Index build and open on the bundled lists.
//!
//! `cargo bench --bench index`

use criterion::{criterion_group, criterion_main, Criterion};
use saring::index::{build_from_lists, cache::bundled_sources, Index};
use std::time::Duration;

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bundled.sidx");
    let sources = bundled_sources().expect("bundled lists");
    let mut g = c.benchmark_group("index");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("build_bundled", |b| b.iter(|| build_from_lists(&sources, &path).expect("build")));
    g.finish();
    let mut g = c.benchmark_group("index");
    g.measurement_time(Duration::from_secs(3));
    g.bench_function("open_bundled_file", |b| b.iter(|| Index::open(&path).expect("open")));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
