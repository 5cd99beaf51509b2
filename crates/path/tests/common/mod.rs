//! Helpers shared by this crate's integration tests (and, by path, smimetrust-smime's).

pub mod pkits;
