//! NIST PKITS (2011 edition) through the path validator, chain only (no S/MIME signature
//! checks): every row of `shared/corpus/pkits/expected.json` at 2025-01-01T00:00:00Z, trust
//! anchor `certs/TrustAnchorRootCertificate.crt`, the row's initial policy settings, revocation
//! required from the CRLs the message carries.
//!
//! Each row's certificates and CRLs come from its S/MIME message: the SignedData (in the
//! `application/pkcs7-signature` part of a `multipart/signed` message, or an opaque
//! `application/pkcs7-mime` body) carries every certificate and CRL of the path. The leaf is the
//! certificate that issued no other certificate in the message.
//!
//! Rows listed in `tests/data/pkits-exceptions.tsv` (case, reason) are expected to disagree with
//! PKITS; the test fails if one of them now agrees (remove it from the list), and fails on any
//! other disagreement, in particular any row PKITS calls INVALID that is accepted, and on any
//! INVALID row rejected for a reason unrelated to OpenSSL's verdict (which could hide a false
//! accept).
//!
//! Each row is also validated with the default signature provider (`sig::AwsLc` with the
//! `aws-lc` feature, `sig::Ring` with only the `ring` feature), which must give exactly
//! RustCrypto's result.
//!
//! Skipped, with a message, when `../shared` (beside the repository) is absent.

#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)] // test code: a panic is a failed test; the summary is printed

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use smimetrust_path::{Options, Purpose, Revocation, TrustAnchor, Validator};
use smimetrust_sig::{self as sig, RustCrypto};
use smimetrust_x509::{Certificate, pkcs7};

mod common;

use common::pkits::{apply_policy, exceptions, rows};

fn corpus() -> Option<PathBuf> {
    common::pkits::corpus(env!("CARGO_MANIFEST_DIR"))
}

/// The SignedData of an S/MIME message: the first `application/(x-)pkcs7-signature` or
/// `-mime` part, decoded.
fn signed_data(mail: &mailparse::ParsedMail<'_>) -> Option<Vec<u8>> {
    let ct = mail.ctype.mimetype.to_ascii_lowercase();
    if ct.ends_with("pkcs7-signature") || ct.ends_with("pkcs7-mime") {
        return mail.get_body_raw().ok();
    }
    mail.subparts.iter().find_map(signed_data)
}

/// A name as compared here: RFC 4514 text, white space folded, lower case (enough for PKITS).
fn fold(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The certificate that issued no other certificate of the message. A certificate the strict
/// parser rejects (4.2.3's leaf, whose 1950 UTCTime it refuses) is taken as the leaf.
fn leaf_of(certs: &[Certificate], p7: &[u8]) -> Certificate {
    if let Some(unparsed) = certs.iter().find(|c| c.info().is_none()) {
        return unparsed.clone();
    }
    let info: Vec<_> = certs.iter().filter_map(Certificate::info).collect();
    let candidates: Vec<usize> = (0..certs.len())
        .filter(|&i| {
            let subject = fold(&info[i].subject);
            !(0..certs.len()).any(|j| j != i && fold(&info[j].issuer) == subject)
        })
        .collect();
    let chosen = if candidates.len() == 1 {
        candidates[0]
    } else {
        // Several (a CRL signing certificate issues no certificate either): the signer.
        let serial = signer_serial(p7);
        let signers: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&i| Some(&info[i].serial) == serial.as_ref())
            .collect();
        assert_eq!(
            signers.len(),
            1,
            "cannot tell the leaf among {candidates:?}"
        );
        signers[0]
    };
    certs[chosen].clone()
}

/// The certificates (leaf first) and CRLs of one message.
fn message(dir: &Path, eml: &str) -> (Certificate, Vec<Certificate>, Vec<Vec<u8>>) {
    let eml = std::fs::read(dir.join(eml)).unwrap();
    let mail = mailparse::parse_mail(&eml).unwrap();
    let p7 = signed_data(&mail).unwrap();
    let (cert_ders, crls) = pkcs7::read(&p7).unwrap();
    let certs: Vec<Certificate> = cert_ders.into_iter().map(Certificate::from_der).collect();
    (leaf_of(&certs, &p7), certs, crls)
}

/// The serial number (upper-case hex) of the first signer of a SignedData.
fn signer_serial(p7: &[u8]) -> Option<String> {
    use der::{Decode, Encode};
    let ci = cms::content_info::ContentInfo::from_der(p7).ok()?;
    let sd = cms::signed_data::SignedData::from_der(&ci.content.to_der().ok()?).ok()?;
    match &sd.signer_infos.0.get(0)?.sid {
        cms::signed_data::SignerIdentifier::IssuerAndSerialNumber(ias) => Some(
            ias.serial_number
                .as_bytes()
                .iter()
                .map(|b| format!("{b:02X}"))
                .collect(),
        ),
        cms::signed_data::SignerIdentifier::SubjectKeyIdentifier(_) => None,
    }
}

/// The reason this validator should give for an OpenSSL verdict (PKITS's INVALID rows).
fn expected_code(openssl: &str) -> &'static [&'static str] {
    match openssl {
        "CERT_SIGNATURE_FAILURE" => &["bad-signature"],
        "CERT_NOT_YET_VALID" => &["not-yet-valid"],
        "CERT_HAS_EXPIRED" => &["expired"],
        // OpenSSL drops unusable issuers before reporting; we name why (4.5.8: not a CA).
        "UNABLE_TO_GET_ISSUER_CERT_LOCALLY" => {
            &["unknown-issuer", "issuer-key-usage", "issuer-not-ca"]
        }
        "CERT_REVOKED" => &["revoked"],
        "UNABLE_TO_GET_CRL"
        | "CRL_SIGNATURE_FAILURE"
        | "UNHANDLED_CRITICAL_CRL_EXTENSION"
        | "CRL_HAS_EXPIRED"
        | "CRL_PATH_VALIDATION_ERROR"
        | "KEYUSAGE_NO_CRL_SIGN"
        | "DIFFERENT_CRL_SCOPE" => &["revocation-unknown"],
        "INVALID_CA" => &["issuer-not-ca"],
        "PATH_LENGTH_EXCEEDED" => &["path-length-exceeded"],
        "NO_EXPLICIT_POLICY" | "INVALID_POLICY_EXTENSION" => &["policy"],
        "PERMITTED_VIOLATION" | "EXCLUDED_VIOLATION" => &["name-constraints"],
        "UNHANDLED_CRITICAL_EXTENSION" => &["unknown-critical-extension"],
        _ => &[],
    }
}

fn section(case: &str) -> String {
    case.split('.').take(2).collect::<Vec<_>>().join(".")
}

#[derive(Default)]
struct Tally {
    pass: usize,
    fail: usize,
    excepted: usize,
}

#[test]
fn pkits() {
    let Some(dir) = corpus() else {
        return;
    };
    let rows = rows(&dir);
    let exceptions = exceptions(env!("CARGO_MANIFEST_DIR"));

    let anchor_der = std::fs::read(dir.join("certs/TrustAnchorRootCertificate.crt")).unwrap();
    let anchors = [TrustAnchor::new(Certificate::from_der(anchor_der))];
    let time = time::macros::datetime!(2025-01-01 0:00 UTC);

    let mut tallies: BTreeMap<(u32, u32), (String, Tally)> = BTreeMap::new();
    let mut failures: Vec<String> = Vec::new();
    let mut seen_exceptions = 0;
    let mut other_reason: Vec<String> = Vec::new();
    let started = Instant::now();
    for row in &rows {
        let case = row["case"].as_str().unwrap();
        let expected_valid = row["expected"].as_str().unwrap() == "VALID";
        let (leaf, certs, crls) = message(&dir, row["eml"].as_str().unwrap());

        let mut options = Options::at(time);
        options.purpose = Purpose::Any;
        options.revocation = Revocation::Required;
        apply_policy(row, &mut options);

        let validator = Validator::new(&anchors, &certs, &crls, &RustCrypto);
        let result = validator.verify(&leaf, &options);
        // The default provider (aws-lc or ring, with their features) agrees with RustCrypto on
        // every row, down to the error details and warnings.
        let fast = Validator::new(&anchors, &certs, &crls, sig::default_verifier())
            .verify(&leaf, &options);
        assert_eq!(
            format!("{fast:?}"),
            format!("{result:?}"),
            "{case}: the default signature provider and RustCrypto disagree"
        );
        let agrees = result.is_ok() == expected_valid;
        let outcome = match &result {
            Ok(_) => "VALID".to_owned(),
            Err(e) => format!("INVALID {}: {e}", e.reason.as_str()),
        };

        if let Err(e) = &result
            && !expected_valid
            && !exceptions.contains_key(case)
        {
            let want = expected_code(row["openssl_error"].as_str().unwrap());
            if !want.contains(&e.reason.as_str()) {
                other_reason.push(format!(
                    "{case}: openssl {} (expected {want:?}), got {}: {e}",
                    row["openssl_error"].as_str().unwrap(),
                    e.reason.as_str()
                ));
            }
        }
        let sec = section(case);
        let key = {
            let mut it = sec.split('.').map(|p| p.parse::<u32>().unwrap());
            (it.next().unwrap(), it.next().unwrap())
        };
        let tally = &mut tallies
            .entry(key)
            .or_insert_with(|| (sec.clone(), Tally::default()))
            .1;
        match (exceptions.get(case), agrees) {
            (Some(why), true) => {
                seen_exceptions += 1;
                tally.pass += 1;
                failures.push(format!(
                    "{case}: listed as an exception ({why}) but now agrees with PKITS; remove it from pkits-exceptions.tsv"
                ));
            }
            (Some(_), false) => {
                seen_exceptions += 1;
                tally.excepted += 1;
            }
            (None, true) => tally.pass += 1,
            (None, false) => {
                tally.fail += 1;
                let kind = if expected_valid {
                    "false reject"
                } else {
                    "FALSE ACCEPT"
                };
                failures.push(format!(
                    "{case} {}: {kind}: expected {}, got {outcome}",
                    row["title"].as_str().unwrap(),
                    row["expected"].as_str().unwrap()
                ));
            }
        }
    }
    let elapsed = started.elapsed();
    println!("PKITS: section, pass, fail, not implemented (exceptions)");
    let (mut p, mut f, mut x) = (0, 0, 0);
    for (name, t) in tallies.values() {
        println!("  {name:<5} {:>4} {:>4} {:>4}", t.pass, t.fail, t.excepted);
        p += t.pass;
        f += t.fail;
        x += t.excepted;
    }
    println!(
        "  total {p:>4} {f:>4} {x:>4}   ({} rows in {elapsed:.2?})",
        rows.len()
    );
    // An INVALID row rejected for an unrelated reason could hide a false accept.
    failures.extend(
        other_reason
            .iter()
            .map(|r| format!("rejected for another reason than openssl's: {r}")),
    );
    assert_eq!(
        seen_exceptions,
        exceptions.len(),
        "pkits-exceptions.tsv lists cases that are not PKITS rows"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Warnings on the DSA path (1024-bit DSA CA key, dsaWithSHA1), the strict algorithm policy, and
/// the revocation
/// modes on a CA without a CRL (4.4.1) and a revoked leaf (4.4.3).
#[test]
fn pkits_warnings_and_revocation_modes() {
    let Some(dir) = corpus() else {
        return;
    };
    let anchor_der = std::fs::read(dir.join("certs/TrustAnchorRootCertificate.crt")).unwrap();
    let anchors = [TrustAnchor::new(Certificate::from_der(anchor_der))];
    let mut options = Options::at(time::macros::datetime!(2025-01-01 0:00 UTC));
    options.purpose = Purpose::Any;

    let (leaf, certs, crls) = message(&dir, "smime/SignedValidDSASignaturesTest4.eml");
    let v = Validator::new(&anchors, &certs, &crls, &RustCrypto);
    let found = v.verify(&leaf, &options).unwrap();
    assert_eq!(found.path.len(), 3);
    let has = |code: &str, text: &str| {
        found
            .warnings
            .iter()
            .any(|w| w.code == code && w.message.contains(text))
    };
    assert!(
        has("weak-sha1", "CN=Valid DSA Signatures EE Certificate Test4")
            && has("weak-key", "1024-bit key of CN=DSA CA"),
        "{:?}",
        found.warnings
    );
    let mut strict = options.clone();
    strict.algorithms = smimetrust_sig::AlgorithmPolicy::STRICT;
    let e = v.verify(&leaf, &strict).unwrap_err();
    assert_eq!(e.reason.as_str(), "weak-algorithm");

    let (leaf, certs, crls) = message(&dir, "smime/SignedMissingCRLTest1.eml");
    let v = Validator::new(&anchors, &certs, &crls, &RustCrypto);
    options.revocation = Revocation::Required;
    assert_eq!(
        v.verify(&leaf, &options).unwrap_err().reason.as_str(),
        "revocation-unknown"
    );
    // Where available: the CA published no CRL here, so its certificates are not checked.
    options.revocation = Revocation::WhereAvailable;
    v.verify(&leaf, &options).unwrap();

    let (leaf, certs, crls) = message(&dir, "smime/SignedInvalidRevokedEETest3.eml");
    let v = Validator::new(&anchors, &certs, &crls, &RustCrypto);
    let e = v.verify(&leaf, &options).unwrap_err();
    assert_eq!(e.reason.as_str(), "revoked", "{e}");
    options.revocation = Revocation::Off;
    v.verify(&leaf, &options).unwrap();
    // Without the CRLs, where available: nothing to check.
    options.revocation = Revocation::WhereAvailable;
    Validator::new(&anchors, &certs, &[], &RustCrypto)
        .verify(&leaf, &options)
        .unwrap();
}
