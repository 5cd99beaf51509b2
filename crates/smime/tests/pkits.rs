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

use std::time::Instant;

use smimetrust_path::{Revocation, TrustAnchor, Validator};
use smimetrust_smime::{Options, Status, Verifier};
use smimetrust_x509::Certificate;

// The corpus, row settings and exception list, shared with smimetrust-path's PKITS test.
#[path = "../../path/tests/common/pkits.rs"]
mod pkits_common;

use pkits_common::{apply_policy, corpus, exceptions, rows};

#[test]
fn pkits_messages() {
    let Some(dir) = corpus(env!("CARGO_MANIFEST_DIR")) else {
        return;
    };
    let rows = rows(&dir);
    let exceptions = exceptions(env!("CARGO_MANIFEST_DIR"));

    let anchor_der = std::fs::read(dir.join("certs/TrustAnchorRootCertificate.crt")).unwrap();
    let anchors = [TrustAnchor::new(Certificate::from_der(anchor_der))];
    let validator = Validator::new(&anchors, &[], &[], smimetrust_sig::default_verifier());
    let time = time::macros::datetime!(2025-01-01 0:00 UTC);

    let mut failures = Vec::new();
    let (mut agree, mut excepted) = (0, 0);
    let started = Instant::now();
    for row in &rows {
        let case = row["case"].as_str().unwrap();
        let expected_valid = row["expected"].as_str().unwrap() == "VALID";
        let mut options = Options::at(time);
        options.chain.revocation = Revocation::Required;
        apply_policy(row, &mut options.chain);
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
