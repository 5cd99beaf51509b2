//! Thunderbird's NSS-made S/MIME messages (`shared/corpus/smime-thunderbird`), trust anchor
//! `smime/TestCA.pem`, at 2026-06-01T00:00:00Z: VALID rows are `valid`, VALID_CRYPTO_SHA1 rows
//! `valid-weak` (and `valid` with `allow_sha1`), INVALID rows `invalid`.
//!
//! Skipped, with a message, when `../shared` (beside the repository) is absent.

#![allow(clippy::unwrap_used, clippy::print_stderr)] // test code

use std::path::{Path, PathBuf};

use smimetrust_path::{TrustAnchor, Validator};
use smimetrust_smime::{Options, Status, Verifier};
use smimetrust_x509::Certificate;

fn corpus() -> Option<PathBuf> {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/smime-thunderbird");
    dir.join("expected.json").is_file().then_some(dir)
}

#[test]
fn thunderbird_messages() {
    let Some(dir) = corpus() else {
        assert!(
            std::env::var_os("SMIMETRUST_REQUIRE_CORPUS").is_none(),
            "the shared corpus is absent and SMIMETRUST_REQUIRE_CORPUS is set"
        );
        eprintln!("skipped: ../shared/corpus/smime-thunderbird is absent");
        return;
    };
    let rows: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(dir.join("expected.json")).unwrap()).unwrap();
    assert_eq!(rows.len(), 21);
    let pem = std::fs::read(dir.join("smime/TestCA.pem")).unwrap();
    let (_, der) = pem_rfc7468::decode_vec(&pem).unwrap();
    let anchors = [TrustAnchor::new(Certificate::from_der(der))];
    let validator = Validator::new(&anchors, &[], &[], smimetrust_sig::default_verifier());
    let time = time::macros::datetime!(2026-06-01 0:00 UTC);
    let strict = Verifier::new(&validator, Options::at(time));
    let mut allow = Options::at(time);
    allow.allow_sha1 = true;
    let lenient = Verifier::new(&validator, allow);
    let mut failures = Vec::new();
    for row in &rows {
        let file = row["file"].as_str().unwrap();
        let eml = std::fs::read(dir.join(file)).unwrap();
        let (want, want_allowed) = match row["expected"].as_str().unwrap() {
            "VALID" => (Status::Valid, Status::Valid),
            "VALID_CRYPTO_SHA1" => (Status::ValidWeak, Status::Valid),
            _ => (Status::Invalid, Status::Invalid),
        };
        let got = strict.verify(&eml, None);
        let got_allowed = lenient.verify(&eml, None);
        if got.status != want || got_allowed.status != want_allowed {
            failures.push(format!(
                "{file}: expected {want}/{want_allowed}, got {}/{} ({:?} {:?})",
                got.status, got_allowed.status, got.code, got.message
            ));
        }
        if got.status == Status::Invalid {
            assert!(
                got.code.is_some(),
                "{file}: an invalid message names its code"
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
