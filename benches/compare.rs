//! Pairwise comparison speed, single thread, on a handful of realistic pairs.
//!
//! Groups:
//! - `score_names`: both names pre-analysed, score only (the screening hot loop);
//! - `compare_names`: both names pre-analysed, score, decision and explanation;
//! - `analyze_both`: analysing the two names alone (where the rest of `compare`'s time goes);
//! - `compare`: raw strings in, analysis of both included (`saring compare`, batch mode).
//!
//! Targets: pre-analysed ≤ 2 µs per pair, with analysis ≤ 15 µs per pair.
//! Run: `cargo bench --bench compare -- --measurement-time 3 --warm-up-time 1`.
//!
//! Times are the benchmark thread's own CPU time (`/proc/thread-self/schedstat`, in nanoseconds) rather
//! than wall-clock time, so figures stay meaningful on a shared, busy machine; where that file cannot be
//! read (not Linux), wall-clock time is used instead. The kernel updates that counter at scheduler ticks,
//! so every sample runs the same, large number of iterations (flat sampling): the tick error at each
//! end of a sample is a small, unbiased fraction of it.

use criterion::measurement::{Measurement, ValueFormatter};
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput};
use saring::score::score_names;
use saring::{analyze, compare, compare_names, CompareOptions, NameKind};
use std::time::Instant;

/// (label, query, candidate).
const PAIRS: &[(&str, &str, &str)] = &[
    ("latin_person", "Nicolás Maduro Moros", "Nicolas MADURO MOROS"),
    ("ofac_surname_first", "Farkhad Ataullaevich Akilov", "AKILOV, Farkhad Ataullaevich"),
    ("entity_legal_forms", "PT Bank Rakyat Indonesia (Persero) Tbk", "BANK RAKYAT INDONESIA PT"),
    ("arabic_vs_latin", "أسامة بن محمد بن لادن", "Usama bin Muhammad bin Laden"),
    ("cyrillic_vs_latin", "Сергей Кужугетович Шойгу", "Sergei Kuzhugetovich Shoigu"),
    ("long_6_tokens", "Mohammed bin Abdulrahman bin Jassim Al Thani", "Muhammad Abdul Rahman Jasim Al-Thani"),
];

/// CPU time of the current thread in nanoseconds, if the kernel tells us.
fn thread_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

/// Criterion measurement: the thread's CPU time (wall-clock time where that is unavailable).
struct ThreadCpu {
    available: bool,
}

impl ThreadCpu {
    fn new() -> Self {
        ThreadCpu { available: thread_cpu_ns().is_some() }
    }
}

impl Measurement for ThreadCpu {
    type Intermediate = (u64, Instant);
    type Value = u64;

    fn start(&self) -> Self::Intermediate {
        (if self.available { thread_cpu_ns().unwrap_or(0) } else { 0 }, Instant::now())
    }

    fn end(&self, (cpu, wall): Self::Intermediate) -> Self::Value {
        match self.available.then(thread_cpu_ns).flatten() {
            Some(now) => now.saturating_sub(cpu),
            None => wall.elapsed().as_nanos() as u64,
        }
    }

    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }

    fn zero(&self) -> u64 {
        0
    }

    fn to_f64(&self, value: &u64) -> f64 {
        *value as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        &Nanoseconds
    }
}

/// Formats nanoseconds as ns/µs/ms/s, and throughput as elements per second.
struct Nanoseconds;

impl ValueFormatter for Nanoseconds {
    fn scale_values(&self, typical: f64, values: &mut [f64]) -> &'static str {
        let (factor, unit) = if typical < 1e3 {
            (1.0, "ns")
        } else if typical < 1e6 {
            (1e-3, "µs")
        } else if typical < 1e9 {
            (1e-6, "ms")
        } else {
            (1e-9, "s")
        };
        values.iter_mut().for_each(|v| *v *= factor);
        unit
    }

    fn scale_throughputs(&self, _typical: f64, throughput: &Throughput, values: &mut [f64]) -> &'static str {
        let per = match *throughput {
            Throughput::Bytes(n) | Throughput::BytesDecimal(n) | Throughput::Elements(n) => n as f64,
        };
        values.iter_mut().for_each(|v| *v = per * 1e9 / *v);
        match throughput {
            Throughput::Elements(_) => "elem/s (CPU)",
            _ => "B/s (CPU)",
        }
    }

    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        "ns"
    }
}

fn bench(c: &mut Criterion<ThreadCpu>) {
    let options = CompareOptions::default();
    let kind = NameKind::Unknown;

    let mut group = c.benchmark_group("score_names");
    group.throughput(Throughput::Elements(1)).sampling_mode(SamplingMode::Flat);
    for &(label, a, b) in PAIRS {
        let (na, nb) = (analyze(a, kind), analyze(b, kind));
        group.bench_function(BenchmarkId::from_parameter(label), |bench| {
            bench.iter(|| score_names(black_box(&na), black_box(&nb)))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("compare_names");
    group.throughput(Throughput::Elements(1)).sampling_mode(SamplingMode::Flat);
    for &(label, a, b) in PAIRS {
        let (na, nb) = (analyze(a, kind), analyze(b, kind));
        group.bench_function(BenchmarkId::from_parameter(label), |bench| {
            bench.iter(|| compare_names(black_box(&na), black_box(&nb), &options))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("analyze_both");
    group.throughput(Throughput::Elements(1)).sampling_mode(SamplingMode::Flat);
    for &(label, a, b) in PAIRS {
        group.bench_function(BenchmarkId::from_parameter(label), |bench| {
            bench.iter(|| (analyze(black_box(a), kind), analyze(black_box(b), kind)))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("compare");
    group.throughput(Throughput::Elements(1)).sampling_mode(SamplingMode::Flat);
    for &(label, a, b) in PAIRS {
        group.bench_function(BenchmarkId::from_parameter(label), |bench| {
            bench.iter(|| compare(black_box(a), black_box(b), &options))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().with_measurement(ThreadCpu::new());
    targets = bench
}
criterion_main!(benches);
