//! The preflight reports each thing Exchange refuses or an admin should fix, with stable codes.

#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use smimetrust_audit::Severity;
use smimetrust_exchange::{Options, preflight};
use smimetrust_sst::{Element, Store};
use time::macros::datetime;

const CA_2019: &str = "8B99F5DBA45E942AF75B6973DDA8F54178A0AAFC";
const CA_2024: &str = "7B4FF124986A7B31B604E2124ADB13F4C0B5AE35";

fn codes(store: &Store, options: &Options) -> Vec<(&'static str, Severity, Option<String>)> {
    let bytes = store.to_bytes().unwrap();
    preflight(store, &bytes, options)
        .findings
        .into_iter()
        .map(|f| (f.code.as_str(), f.severity, f.sha1))
        .collect()
}

#[test]
fn each_check_has_its_code() {
    let at = Options::at(datetime!(2026-06-01 00:00 UTC));
    // Expired: an error naming the certificate by SHA-1, as Exchange does.
    let (store, _) = common::build(
        &[
            "ca/root.cer",
            "ca/smime-ca-2024.pem",
            "ca/smime-ca-2019-expired.pem",
        ],
        &[],
    );
    assert_eq!(
        codes(&store, &at),
        [("expired", Severity::Error, Some(CA_2019.to_string()))]
    );
    // Not yet valid (before the 2024 CA's notBefore): a warning.
    let (store, _) = common::build(&["ca/root.cer", "ca/smime-ca-2024.pem"], &[]);
    let early = Options::at(datetime!(2023-06-01 00:00 UTC));
    let found = codes(&store, &early);
    assert!(
        found.iter().any(|(c, s, sha1)| *c == "not-yet-valid"
            && *s == Severity::Warning
            && sha1.as_deref() == Some(CA_2024)),
        "{found:?}"
    );
    assert!(preflight(&store, &store.to_bytes().unwrap(), &early).ready());
    // Chain incomplete: the intermediate without its root.
    let (store, _) = common::build(&["ca/smime-ca-2024.pem"], &[]);
    assert_eq!(
        codes(&store, &at),
        [(
            "chain-incomplete",
            Severity::Warning,
            Some(CA_2024.to_string())
        )]
    );
    // A leaf in a CA list.
    let (store, _) = common::build(
        &["ca/root.cer", "ca/smime-ca-2024.pem", "leaves/alice.pem"],
        &[],
    );
    let found = codes(&store, &at);
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].0, found[0].1), ("not-a-ca", Severity::Warning));
    // Duplicates inside one .sst.
    let (mut store, _) = common::build(&["ca/root.cer", "ca/smime-ca-2024.pem"], &[]);
    let copy: Element = store.elements[1].clone();
    store.elements.push(copy);
    assert_eq!(
        codes(&store, &at),
        [(
            "duplicate-certificate",
            Severity::Warning,
            Some(CA_2024.to_string())
        )]
    );
    // Too large for Exchange.
    let (store, bytes) = common::build(&["ca/root.cer", "ca/smime-ca-2024.pem"], &[]);
    let mut small = at;
    small.max_bytes = bytes.len() - 1;
    let report = preflight(&store, &bytes, &small);
    assert!(!report.ready());
    assert_eq!(report.findings[0].code, "store-too-large");
    assert!(
        report.findings[0]
            .message
            .contains("1 over Exchange's limit")
    );
    small.max_bytes = bytes.len();
    assert!(preflight(&store, &bytes, &small).ready());
}
