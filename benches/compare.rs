//! Pairwise comparison speed (to be filled).
use criterion::{criterion_group, criterion_main, Criterion};

fn bench(c: &mut Criterion) {
    c.bench_function("compare_raw", |b| {
        b.iter(|| saring::compare("Kim Kyong Ok", "KIM KYONG OK", &Default::default()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
