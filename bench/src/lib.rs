//! Nothing but the benchmarks in `benches/`; see `Cargo.toml`.
