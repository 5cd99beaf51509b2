//! Every self-signed root of the Windows root store (`generateSSTFromWU`, 2025-08-29, in
//! `../shared/corpus/sst`) validated as its own trust anchor and leaf, purpose any, at
//! 2025-01-01: the RFC 5280 profile rules (`path/profile.rs`) must not reject a real root for
//! being merely old (version 1, no subjectKeyIdentifier, non-critical basicConstraints, serial
//! number 0, …). Roots whose validity period excludes that date may fail only as expired or not
//! yet valid. Skips with a message when the corpus is absent.

#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)] // test code

use std::path::Path;

use smimetrust_path::{Options, Purpose, Reason, TrustAnchor, Validator};
use smimetrust_store::load_bytes;
use smimetrust_x509::Certificate;
use time::macros::datetime;

#[test]
fn windows_roots_validate_as_their_own_anchor() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/sst/windows-generateSSTFromWU-root-2025-08-29.sst");
    let Ok(bytes) = std::fs::read(&path) else {
        assert!(
            std::env::var_os("SMIMETRUST_REQUIRE_CORPUS").is_none(),
            "the shared corpus is absent and SMIMETRUST_REQUIRE_CORPUS is set"
        );
        eprintln!("skipping: {} not found", path.display());
        return;
    };
    let roots: Vec<Certificate> = load_bytes("windows roots", &bytes)
        .unwrap()
        .iter()
        .filter_map(smimetrust_store::Object::certificate)
        .filter(|c| c.info().is_some_and(|i| i.self_issued))
        .collect();
    assert!(roots.len() > 400, "only {} roots", roots.len());

    let mut options = Options::at(datetime!(2025-01-01 0:00 UTC));
    options.purpose = Purpose::Any;
    let verifier = smimetrust_sig::default_verifier();
    let (mut valid, mut out_of_date) = (0, 0);
    let mut rejected = Vec::new();
    for root in &roots {
        let anchors = [TrustAnchor::new(root.clone())];
        let validator = Validator::new(&anchors, &[], &[], verifier);
        match validator.verify(root, &options) {
            Ok(_) => valid += 1,
            Err(e) if matches!(e.reason, Reason::Expired | Reason::NotYetValid) => {
                out_of_date += 1;
            }
            Err(e) => rejected.push(format!("{}: {}", e.reason.as_str(), e)),
        }
    }
    println!(
        "windows roots: {} self-signed, {valid} valid, {out_of_date} out of their validity period",
        roots.len()
    );
    assert!(
        rejected.is_empty(),
        "roots rejected:\n{}",
        rejected.join("\n")
    );
}
