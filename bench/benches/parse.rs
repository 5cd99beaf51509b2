//! Framing and thumbprint throughput on a large store.
//!
//! Input: `$SMIMETRUST_BENCH_SST`, else `target/bench-corpus/big.sst` (made by `bench/sst.sh`,
//! 10,000 CA certificates from `make-corpus.py`), else the largest Windows store of the shared
//! corpus. Prints throughput; the SHA-1-only row is the reference the thumbprint row is
//! compared against.
#![allow(missing_docs, clippy::unwrap_used, clippy::print_stderr)]

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sha1::{Digest, Sha1};

fn input() -> (PathBuf, Vec<u8>) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let candidates = [
        std::env::var_os("SMIMETRUST_BENCH_SST").map(PathBuf::from),
        Some(root.join("target/bench-corpus/big.sst")),
        Some(root.join("../shared/corpus/sst/windows-generateSSTFromWU-root-2025-08-29.sst")),
    ];
    for path in candidates.into_iter().flatten() {
        if let Ok(bytes) = std::fs::read(&path) {
            eprintln!("bench input: {} ({} bytes)", path.display(), bytes.len());
            return (path, bytes);
        }
    }
    panic!("no bench input: run bench/sst.sh or set SMIMETRUST_BENCH_SST");
}

fn bench(c: &mut Criterion) {
    let (_, bytes) = input();
    let n = smimetrust_sst::parse(&bytes).unwrap().elements().len();
    eprintln!("{n} elements");
    let mut g = c.benchmark_group("sst");
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function("framing", |b| {
        b.iter(|| {
            smimetrust_sst::parse(black_box(&bytes))
                .unwrap()
                .elements()
                .len()
        })
    });
    g.bench_function("framing+sha1 thumbprints", |b| {
        b.iter(|| {
            let view = smimetrust_sst::parse(black_box(&bytes)).unwrap();
            view.elements()
                .iter()
                .map(|e| Sha1::digest(e.data)[0] as usize)
                .sum::<usize>()
        })
    });
    g.bench_function("sha1 of the whole file (reference)", |b| {
        b.iter(|| Sha1::digest(black_box(&bytes)))
    });
    g.bench_function("owned copy + write", |b| {
        b.iter(|| {
            smimetrust_sst::parse(black_box(&bytes))
                .unwrap()
                .to_owned()
                .to_bytes()
                .unwrap()
                .len()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
