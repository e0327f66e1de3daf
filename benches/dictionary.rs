//! Cross-script dictionary lookups: one word known / unknown, the "is F equivalent to E" check, and a
//! katakana full name split by `segment`.
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use saring::text::dictionary::{equivalents, has_equivalent, is_known, normalize, segment};

const WORDS: [&str; 8] = ["сергей", "Владимир", "محمد", "משה", "麦克里里", "ウラジーミル", "블라디미르", "щщщщщщ"];

fn bench(c: &mut Criterion) {
    // Open the embedded dictionary before timing.
    assert!(is_known("сергей"));
    let mut g = c.benchmark_group("dictionary");
    g.throughput(Throughput::Elements(WORDS.len() as u64));
    g.bench_function("normalize", |b| b.iter(|| WORDS.iter().map(|w| normalize(black_box(w)).len()).sum::<usize>()));
    g.bench_function("is_known", |b| b.iter(|| WORDS.iter().filter(|w| is_known(black_box(w))).count()));
    g.bench_function("equivalents", |b| {
        b.iter(|| WORDS.iter().map(|w| equivalents(black_box(w)).len()).sum::<usize>())
    });
    g.bench_function("has_equivalent", |b| {
        b.iter(|| WORDS.iter().filter(|w| has_equivalent(black_box(w), black_box("vladimir"))).count())
    });
    g.throughput(Throughput::Elements(1));
    g.bench_function("segment_full_name", |b| b.iter(|| segment(black_box("ウラジーミル・プーチン"))));
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2));
    targets = bench
}
criterion_main!(benches);
