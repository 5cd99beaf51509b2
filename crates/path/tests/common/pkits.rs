//! What the PKITS tests of smimetrust-path and smimetrust-smime share: where the corpus is, a
//! row's initial policy settings, and the list of expected disagreements.
//!
//! Included by path (`#[path = ...] mod`) from both crates' tests, so it names only
//! the crates both have as dev-dependencies.

#![allow(dead_code)] // each test uses its own part of it

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use const_oid::ObjectIdentifier;
use smimetrust_path::Options;

/// `shared/corpus/pkits` beside the repository, when it is there (else a message, and a
/// failure when `SMIMETRUST_REQUIRE_CORPUS` is set); `manifest_dir` is the test crate's
/// `CARGO_MANIFEST_DIR`.
pub fn corpus(manifest_dir: &str) -> Option<PathBuf> {
    let dir = Path::new(manifest_dir).join("../../../shared/corpus/pkits");
    if dir.join("expected.json").is_file() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("SMIMETRUST_REQUIRE_CORPUS").is_none(),
        "the shared corpus is absent and SMIMETRUST_REQUIRE_CORPUS is set"
    );
    eprintln!("skipped: ../shared/corpus/pkits is absent");
    None
}

/// The rows of `expected.json`.
pub fn rows(dir: &Path) -> Vec<serde_json::Value> {
    let rows: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(dir.join("expected.json")).unwrap()).unwrap();
    assert_eq!(rows.len(), 247, "PKITS rows in expected.json");
    rows
}

/// `anyPolicy` or a dotted OID, as the rows write policies.
pub fn policy_oid(s: &str) -> ObjectIdentifier {
    if s == "anyPolicy" {
        ObjectIdentifier::new_unwrap("2.5.29.32.0")
    } else {
        ObjectIdentifier::new(s).expect("policy oid")
    }
}

/// Sets the row's initial policy inputs (RFC 5280 6.1.1 (c), (e), (f), (g)) on `options`.
pub fn apply_policy(row: &serde_json::Value, options: &mut Options) {
    options.policy.initial_policy_set = row["initial_policy_set"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| policy_oid(v.as_str().unwrap()))
        .collect();
    options.policy.require_explicit_policy = row["initial_explicit_policy"].as_bool().unwrap();
    options.policy.inhibit_policy_mapping =
        row["initial_policy_mapping_inhibit"].as_bool().unwrap();
    options.policy.inhibit_any_policy = row["initial_any_policy_inhibit"].as_bool().unwrap();
}

/// The expected disagreements of `tests/data/pkits-exceptions.tsv` (case TAB reason; `#`
/// comments and blank lines skipped) of the test crate at `manifest_dir`.
pub fn exceptions(manifest_dir: &str) -> HashMap<String, String> {
    std::fs::read_to_string(Path::new(manifest_dir).join("tests/data/pkits-exceptions.tsv"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (case, reason) = l.split_once('\t').expect("case<TAB>reason");
            (case.to_owned(), reason.to_owned())
        })
        .collect()
}
