//! Revocation from CRLs made here, signed with the demo CA 2019's P-256 key
//! (`fixtures/demo/keys/smime-ca-2019-expired.key.pem`) for Carol's certificate:
//!
//! ```text
//! Contoso Demo Root CA                     2024-01-01 .. 2044-01-01
//! └── Contoso Demo S/MIME CA 2019 (P-256)  2019-06-01 .. 2024-06-01
//!     └── Carol (serial 0x3003)            2023-01-01 .. 2024-06-01
//! ```
//!
//! Each case is validated with its CRLs in every order, which must give the same result.

#![allow(clippy::unwrap_used)] // test code: a panic is a failed test

use std::path::Path;
use std::time::Duration;

use der::asn1::{BitString, OctetString};
use der::{Decode, Encode};
use p256::ecdsa::signature::Signer;
use smimetrust_path::{
    Invalid, NoticeCode, Options, Purpose, Reason, Revocation, TrustAnchor, Validator,
    VerifiedPath, WarningCode,
};
use smimetrust_sig::RustCrypto;
use smimetrust_store::load_bytes;
use smimetrust_x509::Certificate;
use time::OffsetDateTime;
use time::macros::datetime;
use x509_cert::crl::{CertificateList, RevokedCert, TbsCertList};
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::crl::CrlReason;

/// The validation time of most cases: Carol and her CA are valid.
const T: OffsetDateTime = datetime!(2024-03-01 0:00 UTC);

fn demo_bytes(file: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/demo")
            .join(file),
    )
    .unwrap()
}

fn demo(file: &str) -> Certificate {
    let objects = load_bytes(file, &demo_bytes(file)).unwrap();
    objects[0].certificate().unwrap()
}

fn root() -> Certificate {
    demo("ca/root.cer")
}
fn ca2019() -> Certificate {
    demo("ca/smime-ca-2019-expired.pem")
}
fn carol() -> Certificate {
    demo("leaves/carol.pem")
}

/// The CA 2019's key: PKCS#8 PrivateKeyInfo { version, algorithm, OCTET STRING ECPrivateKey
/// { version, OCTET STRING secret, … } }.
fn ca_key() -> p256::ecdsa::SigningKey {
    let pem = demo_bytes("keys/smime-ca-2019-expired.key.pem");
    let blocks = smimetrust_x509::pem::blocks(&pem).unwrap();
    let der = blocks[0].decode().unwrap();
    let info = Vec::<der::Any>::from_der(&der).unwrap();
    let ec = Vec::<der::Any>::from_der(info[2].value()).unwrap();
    p256::ecdsa::SigningKey::from_slice(ec[1].value()).unwrap()
}

fn x509_time(t: OffsetDateTime) -> x509_cert::time::Time {
    let secs = u64::try_from(t.unix_timestamp()).unwrap();
    der::DateTime::from_unix_duration(Duration::from_secs(secs))
        .unwrap()
        .into()
}

fn extension(oid: der::oid::ObjectIdentifier, critical: bool, value: &impl Encode) -> Extension {
    Extension {
        extn_id: oid,
        critical,
        extn_value: OctetString::new(value.to_der().unwrap()).unwrap(),
    }
}

/// A CRL entry for Carol.
struct Listed {
    date: OffsetDateTime,
    reason: Option<CrlReason>,
}

fn listed(date: OffsetDateTime, reason: CrlReason) -> Listed {
    Listed {
        date,
        reason: Some(reason),
    }
}

/// A complete CRL of the CA 2019 with cRLNumber `number`, valid from `this` to `next`,
/// listing Carol when `carol` says how.
fn crl(number: u8, this: OffsetDateTime, next: OffsetDateTime, carol: Option<Listed>) -> Vec<u8> {
    let ca = x509_cert::Certificate::from_der(ca2019().der()).unwrap();
    let leaf = x509_cert::Certificate::from_der(self::carol().der()).unwrap();
    let revoked = carol.map(|l| {
        vec![RevokedCert {
            serial_number: leaf.tbs_certificate().serial_number().clone(),
            revocation_date: x509_time(l.date),
            crl_entry_extensions: l.reason.map(|r| {
                vec![extension(
                    const_oid::db::rfc5280::ID_CE_CRL_REASONS,
                    false,
                    &r,
                )]
            }),
        }]
    });
    let alg = x509_cert::spki::AlgorithmIdentifierOwned {
        oid: const_oid::db::rfc5912::ECDSA_WITH_SHA_256,
        parameters: None,
    };
    let tbs = TbsCertList {
        version: x509_cert::Version::V2,
        signature: alg.clone(),
        issuer: ca.tbs_certificate().subject().clone(),
        this_update: x509_time(this),
        next_update: Some(x509_time(next)),
        revoked_certificates: revoked,
        crl_extensions: Some(vec![extension(
            const_oid::db::rfc5280::ID_CE_CRL_NUMBER,
            false,
            &der::asn1::Uint::new(&[number]).unwrap(),
        )]),
    };
    let signature: p256::ecdsa::Signature = ca_key().sign(&tbs.to_der().unwrap());
    CertificateList {
        tbs_cert_list: tbs,
        signature_algorithm: alg,
        signature: BitString::from_bytes(signature.to_der().as_bytes()).unwrap(),
    }
    .to_der()
    .unwrap()
}

fn options(time: OffsetDateTime) -> Options {
    let mut o = Options::at(time);
    o.purpose = Purpose::Smime;
    o
}

fn validate(crls: &[Vec<u8>], options: &Options) -> Result<VerifiedPath, Invalid> {
    let anchors = [TrustAnchor::new(root())];
    let pool = [ca2019()];
    Validator::new(&anchors, &pool, crls, &RustCrypto).verify(&carol(), options)
}

/// Every order of `items` (a handful).
fn orders<T: Clone>(items: &[T]) -> Vec<Vec<T>> {
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    let mut out = Vec::new();
    for i in 0..items.len() {
        let mut rest = items.to_vec();
        let first = rest.remove(i);
        for mut tail in orders(&rest) {
            tail.insert(0, first.clone());
            out.push(tail);
        }
    }
    out
}

/// The result with `crls` in every order: asserted to be one, down to the details.
fn in_every_order(crls: &[Vec<u8>], options: &Options) -> Result<VerifiedPath, Invalid> {
    let all = orders(crls);
    assert_eq!(
        all.len(),
        (1..=crls.len()).product::<usize>(),
        "every order is tried"
    );
    let first = validate(&all[0], options);
    for order in &all[1..] {
        assert_eq!(
            validate(order, options),
            first,
            "the order of the crls matters"
        );
    }
    first
}

fn revoked(r: Result<VerifiedPath, Invalid>) -> Invalid {
    let e = r.unwrap_err();
    assert_eq!(e.reason, Reason::Revoked, "{e}");
    assert!(e.certificate.as_ref().unwrap().subject.contains("Carol"));
    e
}

/// The revocation-unchecked warnings of a path, by the certificate they name.
fn unchecked(path: &VerifiedPath) -> Vec<&str> {
    path.warnings
        .iter()
        .filter(|w| w.code == WarningCode::Notice(NoticeCode::RevocationUnchecked))
        .map(|w| {
            assert_eq!(w.code, "revocation-unchecked");
            assert_eq!(w.code.weakness(), None);
            if w.message.contains("CN=Carol") {
                "carol"
            } else if w.message.contains("CN=Contoso Demo S/MIME CA 2019") {
                "ca"
            } else {
                panic!("{}", w.message)
            }
        })
        .collect()
}

#[test]
fn a_newer_crl_that_lists_the_certificate_revokes_it_in_every_order() {
    let old = crl(
        1,
        datetime!(2024-01-01 0:00 UTC),
        datetime!(2024-07-01 0:00 UTC),
        None,
    );
    let new = crl(
        2,
        datetime!(2024-02-01 0:00 UTC),
        datetime!(2024-07-01 0:00 UTC),
        Some(listed(
            datetime!(2024-01-20 0:00 UTC),
            CrlReason::KeyCompromise,
        )),
    );
    let e = revoked(in_every_order(&[old.clone(), new.clone()], &options(T)));
    assert!(e.detail.contains("keyCompromise"), "{e}");
    // The old CRL alone covers her: valid, and only the CA (the root gave no CRL) is unchecked.
    let path = validate(std::slice::from_ref(&old), &options(T)).unwrap();
    assert_eq!(unchecked(&path), ["ca"]);
    // An older CRL that lists her, a newer one that does not: still revoked.
    let listing_old = crl(
        1,
        datetime!(2024-01-01 0:00 UTC),
        datetime!(2024-07-01 0:00 UTC),
        Some(Listed {
            date: datetime!(2023-12-01 0:00 UTC),
            reason: None,
        }),
    );
    let not_listing_new = crl(
        2,
        datetime!(2024-02-01 0:00 UTC),
        datetime!(2024-07-01 0:00 UTC),
        None,
    );
    revoked(in_every_order(&[listing_old, not_listing_new], &options(T)));
}

#[test]
fn a_hold_is_released_by_a_newer_crl_in_every_order() {
    let held = || {
        crl(
            2,
            datetime!(2024-01-15 0:00 UTC),
            datetime!(2024-07-01 0:00 UTC),
            Some(listed(
                datetime!(2024-01-10 0:00 UTC),
                CrlReason::CertificateHold,
            )),
        )
    };
    let older = crl(
        1,
        datetime!(2024-01-01 0:00 UTC),
        datetime!(2024-07-01 0:00 UTC),
        None,
    );
    let released = crl(
        3,
        datetime!(2024-02-01 0:00 UTC),
        datetime!(2024-07-01 0:00 UTC),
        None,
    );
    let removed = crl(
        3,
        datetime!(2024-02-01 0:00 UTC),
        datetime!(2024-07-01 0:00 UTC),
        Some(listed(
            datetime!(2024-02-01 0:00 UTC),
            CrlReason::RemoveFromCRL,
        )),
    );
    // On hold in the newest CRL: revoked, with or without an older CRL.
    let e = revoked(in_every_order(&[held()], &options(T)));
    assert!(e.detail.contains("certificateHold"), "{e}");
    revoked(in_every_order(&[older.clone(), held()], &options(T)));
    // A newer CRL without her, or with removeFromCRL: released.
    for release in [released, removed] {
        let path = in_every_order(&[older.clone(), held(), release.clone()], &options(T)).unwrap();
        assert_eq!(unchecked(&path), ["ca"]);
        in_every_order(&[held(), release], &options(T)).unwrap();
    }
    // A removeFromCRL entry alone revokes nothing.
    let only_removal = crl(
        1,
        datetime!(2024-01-01 0:00 UTC),
        datetime!(2024-07-01 0:00 UTC),
        Some(listed(
            datetime!(2024-01-01 0:00 UTC),
            CrlReason::RemoveFromCRL,
        )),
    );
    validate(&[only_removal], &options(T)).unwrap();
}

#[test]
fn an_expired_crl_that_lists_the_certificate_still_revokes_it() {
    let expired = crl(
        1,
        datetime!(2023-06-01 0:00 UTC),
        datetime!(2023-12-01 0:00 UTC),
        Some(listed(
            datetime!(2023-09-01 0:00 UTC),
            CrlReason::KeyCompromise,
        )),
    );
    let current = crl(
        2,
        datetime!(2024-02-01 0:00 UTC),
        datetime!(2024-07-01 0:00 UTC),
        None,
    );
    let not_yet_valid = crl(
        3,
        datetime!(2024-04-01 0:00 UTC),
        datetime!(2024-09-01 0:00 UTC),
        None,
    );
    revoked(in_every_order(std::slice::from_ref(&expired), &options(T)));
    revoked(in_every_order(
        &[expired.clone(), current.clone()],
        &options(T),
    ));
    revoked(in_every_order(
        &[expired, current, not_yet_valid],
        &options(T),
    ));
}

#[test]
fn freshness_is_judged_on_the_newest_crl() {
    let older = crl(
        1,
        datetime!(2024-01-01 0:00 UTC),
        datetime!(2024-07-01 0:00 UTC),
        None,
    );
    let expired = crl(
        1,
        datetime!(2023-06-01 0:00 UTC),
        datetime!(2023-12-01 0:00 UTC),
        None,
    );
    let newer = crl(
        2,
        datetime!(2024-02-01 0:00 UTC),
        datetime!(2024-07-01 0:00 UTC),
        None,
    );
    let future = crl(
        3,
        datetime!(2024-04-01 0:00 UTC),
        datetime!(2024-09-01 0:00 UTC),
        None,
    );
    // An expired older CRL beside a current newer one: covered.
    let path = in_every_order(&[expired.clone(), newer.clone()], &options(T)).unwrap();
    assert_eq!(unchecked(&path), ["ca"]);
    // The newest is not yet valid at the time: revocation-unknown, however current the older.
    let e = in_every_order(&[older, newer, future], &options(T)).unwrap_err();
    assert_eq!(e.reason, Reason::RevocationUnknown, "{e}");
    assert!(e.detail.contains("not yet valid"), "{e}");
    // Only an expired CRL: revocation-unknown.
    let e = in_every_order(&[expired], &options(T)).unwrap_err();
    assert_eq!(e.reason, Reason::RevocationUnknown, "{e}");
    assert!(e.detail.contains("has expired"), "{e}");
}

/// `time` (a claimed signing time) before the revocation date, CRLs judged at
/// `revocation_time` (the present): compromise revokes for every time, other reasons only from
/// their revocation date on.
#[test]
fn reason_codes_and_a_backdated_validation_time() {
    // (The root is valid from 2024-01-01.)
    let signed = datetime!(2024-01-15 0:00 UTC);
    let now = datetime!(2024-03-01 0:00 UTC);
    let revoked_on = datetime!(2024-02-01 0:00 UTC);
    let with = |reason| {
        vec![crl(
            1,
            datetime!(2024-02-10 0:00 UTC),
            datetime!(2024-04-01 0:00 UTC),
            Some(listed(revoked_on, reason)),
        )]
    };
    let mut backdated = options(signed);
    backdated.revocation_time = Some(now);
    for reason in [
        CrlReason::KeyCompromise,
        CrlReason::CaCompromise,
        CrlReason::AaCompromise,
        CrlReason::Unspecified,
    ] {
        revoked(validate(&with(reason), &backdated));
    }
    for reason in [
        CrlReason::Superseded,
        CrlReason::AffiliationChanged,
        CrlReason::CessationOfOperation,
        CrlReason::PrivilegeWithdrawn,
        CrlReason::CertificateHold,
    ] {
        // The CRL, not yet valid at the signing time but current now, covers her.
        let path = validate(&with(reason), &backdated).unwrap();
        assert_eq!(unchecked(&path), ["ca"], "{reason:?}");
        // Validated after the revocation date: revoked.
        let mut later = options(datetime!(2024-02-05 0:00 UTC));
        later.revocation_time = Some(now);
        revoked(validate(&with(reason), &later));
        revoked(validate(&with(reason), &options(now)));
    }
    // Without a revocation time the CRL is judged at the signing time: not yet valid then.
    let e = validate(&with(CrlReason::Superseded), &options(signed)).unwrap_err();
    assert_eq!(e.reason, Reason::RevocationUnknown, "{e}");
    assert!(e.detail.contains("not yet valid"), "{e}");
    // A compromise revokes at any time, the CRL's freshness aside.
    revoked(validate(&with(CrlReason::KeyCompromise), &options(signed)));
}

#[test]
fn certificates_without_a_crl_are_reported_unchecked() {
    // No CRL at all: Carol and her CA.
    let path = validate(&[], &options(T)).unwrap();
    assert_eq!(unchecked(&path), ["ca", "carol"]);
    let carol_warning = path
        .warnings
        .iter()
        .find(|w| w.message.contains("CN=Carol"))
        .unwrap();
    assert!(
        carol_warning.message.contains(
            "was not checked: no crl from CN=Contoso Demo S/MIME CA 2019,O=Contoso Demo,C=US was given"
        ),
        "{}",
        carol_warning.message
    );
    // Revocation off: the user chose it, no warning.
    let mut off = options(T);
    off.revocation = Revocation::Off;
    assert!(validate(&[], &off).unwrap().warnings.is_empty());
    // Required: the CA, whose issuer gave no CRL, fails.
    let covering = crl(
        1,
        datetime!(2024-01-01 0:00 UTC),
        datetime!(2024-07-01 0:00 UTC),
        None,
    );
    let mut required = options(T);
    required.revocation = Revocation::Required;
    let e = validate(std::slice::from_ref(&covering), &required).unwrap_err();
    assert_eq!(e.reason, Reason::RevocationUnknown, "{e}");
    assert!(e.certificate.unwrap().subject.contains("CA 2019"));
}
