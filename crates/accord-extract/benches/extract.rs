//! Single-thread extraction throughput over generated pages, in bytes per second.

use accord_synth::pages as synth;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

fn extraction(c: &mut Criterion) {
    let pages = synth::generate(42, 400);
    let bytes: usize = pages.iter().map(|p| p.text.len()).sum();
    accord_extract::extract("warm-up.txt", &pages[0].text, None);
    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.bench_function("generated_pages", |b| {
        b.iter(|| {
            for p in &pages {
                black_box(accord_extract::extract(&p.name, &p.text, None));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, extraction);
criterion_main!(benches);
