//! NIST PKITS (2011) as S/MIME messages: every row of `shared/corpus/pkits/expected.json`
//! verified end to end with `Verifier::verify_message` (the opaque signed-data message, its
//! signature, the certificates and CRLs it carries), trust anchor
//! `certs/TrustAnchorRootCertificate.crt`, at 2025-01-01T00:00:00Z, revocation required, each
//! row's initial policy settings, purpose S/MIME.
//!
//! A row agrees when PKITS' VALID is `valid` or `valid-weak` (PKITS signs with 1024-bit RSA and
//! DSA keys, which are weak) and INVALID is `invalid`. Rows in `tests/data/pkits-exceptions.tsv`
//! are expected to disagree; the test fails when one starts agreeing, and on any other
//! disagreement.
//!
//! Skipped, with a message, when `../shared` (beside the repository) is absent.

#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)] // test code

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use const_oid::ObjectIdentifier;
use smimetrust_chain::{Certificate, Revocation, TrustAnchor, Validator};
use smimetrust_smime::{Options, Status, Verifier};

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/pkits");
    dir.join("expected.json").is_file().then_some(dir)
}

fn policy_oid(s: &str) -> ObjectIdentifier {
    if s == "anyPolicy" {
        ObjectIdentifier::new_unwrap("2.5.29.32.0")
    } else {
        ObjectIdentifier::new(s).expect("policy oid")
    }
}

#[test]
fn pkits_messages() {
    let Some(dir) = corpus() else {
        eprintln!("skipped: ../shared/corpus/pkits is absent");
        return;
    };
    let rows: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(dir.join("expected.json")).unwrap()).unwrap();
    assert_eq!(rows.len(), 247);
    let exceptions: HashMap<String, String> = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/pkits-exceptions.tsv"),
    )
    .unwrap()
    .lines()
    .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    .map(|l| {
        let (case, reason) = l.split_once('\t').expect("case<TAB>reason");
        (case.to_owned(), reason.to_owned())
    })
    .collect();

    let anchor_der = std::fs::read(dir.join("certs/TrustAnchorRootCertificate.crt")).unwrap();
    let anchors = [TrustAnchor::new(Certificate::from_der(anchor_der))];
    let validator = Validator::new(
        &anchors,
        &[],
        &[],
        smimetrust_chain::sig::default_verifier(),
    );
    let time = time::macros::datetime!(2025-01-01 0:00 UTC);

    let mut failures = Vec::new();
    let (mut agree, mut excepted) = (0, 0);
    let started = Instant::now();
    for row in &rows {
        let case = row["case"].as_str().unwrap();
        let expected_valid = row["expected"].as_str().unwrap() == "VALID";
        let mut options = Options::at(time);
        options.chain.revocation = Revocation::Required;
        options.chain.policy.initial_policy_set = row["initial_policy_set"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| policy_oid(v.as_str().unwrap()))
            .collect();
        options.chain.policy.require_explicit_policy =
            row["initial_explicit_policy"].as_bool().unwrap();
        options.chain.policy.inhibit_policy_mapping =
            row["initial_policy_mapping_inhibit"].as_bool().unwrap();
        options.chain.policy.inhibit_any_policy =
            row["initial_any_policy_inhibit"].as_bool().unwrap();
        let verifier = Verifier::new(&validator, options);
        let eml = std::fs::read(dir.join(row["eml"].as_str().unwrap())).unwrap();
        let report = verifier.verify(&eml, None);
        assert!(
            matches!(
                report.status,
                Status::Valid | Status::ValidWeak | Status::Invalid
            ),
            "{case}: {report:?}"
        );
        assert_eq!(report.layers.len(), 1, "{case}: {report:?}");
        let agrees = report.status.is_valid() == expected_valid;
        let outcome = format!(
            "{} {}",
            report.status,
            report.message.as_deref().unwrap_or_default()
        );
        match (exceptions.get(case), agrees) {
            (Some(why), true) => failures.push(format!(
                "{case}: listed as an exception ({why}) but now agrees; remove it"
            )),
            (Some(_), false) => excepted += 1,
            (None, true) => agree += 1,
            (None, false) => failures.push(format!(
                "{case} {}: {}: expected {}, got {outcome}",
                row["title"].as_str().unwrap(),
                if expected_valid {
                    "false reject"
                } else {
                    "FALSE ACCEPT"
                },
                row["expected"].as_str().unwrap()
            )),
        }
    }
    println!(
        "PKITS messages: {agree}/{} agree, {excepted} listed exceptions, {} failures ({:.2?})",
        rows.len(),
        failures.len(),
        started.elapsed()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
