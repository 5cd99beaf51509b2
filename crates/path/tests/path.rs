//! Path validation over the Contoso demo PKI (`fixtures/demo`, see its README):
//!
//! ```text
//! Contoso Demo Root CA (RSA 3072)
//! ├── Contoso Demo S/MIME CA 2024 (RSA 2048, pathlen 0, EKU emailProtection)
//! │   ├── Alice (RSA 2048)   2025-01-01 .. 2035-01-01
//! │   └── Bob (P-256)        2025-01-01 .. 2035-01-01
//! └── Contoso Demo S/MIME CA 2019 (P-256)  2019-06-01 .. 2024-06-01
//!     └── Carol (RSA 2048)   2023-01-01 .. 2024-06-01
//! ```
//!
//! Certificates that must differ from the fixtures (same name, other signature) are made here
//! by changing bytes of a fixture's signature, never its signed part.

#![allow(clippy::unwrap_used)] // test code: a panic is a failed test

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use const_oid::ObjectIdentifier;
use smimetrust_path::{
    Budget, Invalid, Options, Purpose, Reason, Revocation, TrustAnchor, Validator,
};
use smimetrust_sig::{AlgorithmPolicy, RustCrypto, SignatureVerifier, Weakness};
use smimetrust_store::{Object, ObjectKind, Source, load_bytes};
use smimetrust_x509::Certificate;
use time::OffsetDateTime;
use time::macros::datetime;

const SERVER_AUTH: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.1");
const EMAIL_PROTECTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.4");
const NOW: OffsetDateTime = datetime!(2026-06-01 0:00 UTC);

fn demo(file: &str) -> Certificate {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/demo")
        .join(file);
    let bytes = std::fs::read(&path).unwrap();
    let objects = load_bytes(file, &bytes).unwrap();
    assert_eq!(objects.len(), 1, "{file}");
    objects[0].certificate().unwrap()
}

fn root() -> Certificate {
    demo("ca/root.cer")
}
fn ca2024() -> Certificate {
    demo("ca/smime-ca-2024.pem")
}
fn ca2019() -> Certificate {
    demo("ca/smime-ca-2019-expired.pem")
}
fn alice() -> Certificate {
    demo("leaves/alice.pem")
}
fn bob() -> Certificate {
    demo("leaves/bob.pem")
}
fn carol() -> Certificate {
    demo("leaves/carol.pem")
}

/// A copy of `cert` whose signature's byte `from_end` places before the end is XORed with
/// `x`: same name, same key, same signed part, a signature that no longer verifies.
fn resigned(cert: &Certificate, from_end: usize, x: u8) -> Certificate {
    let mut der = cert.der().to_vec();
    let at = der.len() - 1 - from_end;
    der[at] ^= x;
    Certificate::from_der(der)
}

fn smime(email: &str, at: OffsetDateTime) -> Options {
    let mut o = Options::at(at);
    o.purpose = Purpose::Smime;
    o.email = Some(email.to_owned());
    o
}

fn verify(
    anchors: &[TrustAnchor],
    pool: &[Certificate],
    leaf: &Certificate,
    options: &Options,
) -> Result<Vec<String>, Invalid> {
    let v = Validator::new(anchors, pool, &[], &RustCrypto);
    v.verify(leaf, options)
        .map(|p| p.path.into_iter().map(|c| c.subject).collect())
}

fn reason(r: Result<Vec<String>, Invalid>) -> Reason {
    match r {
        Ok(p) => panic!("validated: {p:?}"),
        Err(e) => {
            // Messages name a certificate and are lower case apart from names.
            assert!(
                e.certificate.is_some() || e.reason == Reason::BudgetExceeded,
                "{e:?}"
            );
            e.reason
        }
    }
}

#[test]
fn alice_and_bob_validate_for_smime() {
    let anchors = [TrustAnchor::new(root())];
    let pool = [ca2024(), ca2019()];
    let path = verify(
        &anchors,
        &pool,
        &alice(),
        &smime("alice@contoso.example", NOW),
    )
    .unwrap();
    assert_eq!(
        path,
        [
            "emailAddress=alice@contoso.example,CN=Alice Example,O=Contoso Demo,C=US",
            "CN=Contoso Demo S/MIME CA 2024,O=Contoso Demo,C=US",
            "CN=Contoso Demo Root CA,O=Contoso Demo,C=US",
        ]
    );
    let path = verify(&anchors, &pool, &bob(), &smime("bob@contoso.example", NOW)).unwrap();
    assert_eq!(path.len(), 3);
    // The domain compares ignoring case.
    verify(&anchors, &pool, &bob(), &smime("bob@Contoso.EXAMPLE", NOW)).unwrap();
}

#[test]
fn email_mismatch() {
    let anchors = [TrustAnchor::new(root())];
    let pool = [ca2024()];
    let r = verify(
        &anchors,
        &pool,
        &alice(),
        &smime("bob@contoso.example", NOW),
    );
    assert_eq!(reason(r), Reason::NameMismatch);
    let r = verify(
        &anchors,
        &pool,
        &alice(),
        &smime("Alice@contoso.example", NOW),
    );
    assert_eq!(reason(r), Reason::NameMismatch, "the local part is exact");
}

#[test]
fn carol_expired_now_valid_then() {
    let anchors = [TrustAnchor::new(root())];
    let pool = [ca2024(), ca2019()];
    let r = verify(
        &anchors,
        &pool,
        &carol(),
        &smime("carol@contoso.example", NOW),
    );
    assert_eq!(reason(r), Reason::Expired);
    let then = datetime!(2024-03-01 0:00 UTC);
    let path = verify(
        &anchors,
        &pool,
        &carol(),
        &smime("carol@contoso.example", then),
    )
    .unwrap();
    assert_eq!(path.len(), 3);
    assert!(path[1].contains("CA 2019"));
}

#[test]
fn not_yet_valid() {
    let anchors = [TrustAnchor::new(root())];
    let pool = [ca2024()];
    let r = verify(
        &anchors,
        &pool,
        &alice(),
        &smime("alice@contoso.example", datetime!(2024-06-01 0:00 UTC)),
    );
    assert_eq!(reason(r), Reason::NotYetValid);
}

#[test]
fn wrong_anchor_is_unknown_issuer() {
    let anchors = [TrustAnchor::new(ca2019())];
    let r = verify(
        &anchors,
        &[ca2024()],
        &alice(),
        &smime("alice@contoso.example", NOW),
    );
    assert_eq!(reason(r), Reason::UnknownIssuer);
    let r = verify(&anchors, &[], &alice(), &Options::at(NOW));
    let e = r.unwrap_err();
    assert_eq!(e.reason, Reason::UnknownIssuer);
    assert!(e.detail.contains("CN=Contoso Demo S/MIME CA 2024"), "{e}");
}

#[test]
fn intermediate_as_anchor() {
    let anchors = [TrustAnchor::new(ca2024())];
    let path = verify(
        &anchors,
        &[],
        &alice(),
        &smime("alice@contoso.example", NOW),
    )
    .unwrap();
    assert_eq!(path.len(), 2);
}

#[test]
fn leaf_that_is_an_anchor_is_a_path_of_one() {
    let anchors = [TrustAnchor::new(alice())];
    let path = verify(
        &anchors,
        &[],
        &alice(),
        &smime("alice@contoso.example", NOW),
    )
    .unwrap();
    assert_eq!(path.len(), 1);
    // Its validity still counts.
    let r = verify(
        &anchors,
        &[],
        &alice(),
        &smime("alice@contoso.example", datetime!(2040-01-01 0:00 UTC)),
    );
    assert_eq!(reason(r), Reason::Expired);
}

#[test]
fn anchor_restricted_to_server_auth() {
    let restricted = [TrustAnchor::with_purposes(root(), vec![SERVER_AUTH])];
    let pool = [ca2024()];
    let r = verify(
        &restricted,
        &pool,
        &alice(),
        &smime("alice@contoso.example", NOW),
    );
    assert_eq!(reason(r), Reason::AnchorRestricted);
    // Purpose "any" ignores the restriction.
    let mut any = Options::at(NOW);
    any.purpose = Purpose::Any;
    verify(&restricted, &pool, &alice(), &any).unwrap();
    // Restricted to nothing.
    let nothing = [TrustAnchor::with_purposes(root(), vec![])];
    let r = verify(
        &nothing,
        &pool,
        &alice(),
        &smime("alice@contoso.example", NOW),
    );
    assert_eq!(reason(r), Reason::AnchorRestricted);
    // Restricted to S/MIME.
    let ok = [TrustAnchor::with_purposes(root(), vec![EMAIL_PROTECTION])];
    verify(&ok, &pool, &alice(), &smime("alice@contoso.example", NOW)).unwrap();
}

#[test]
fn anchor_from_store_object_reads_property_9() {
    let data = smimetrust_sst::prop::encode_oids(&[SERVER_AUTH]).unwrap();
    let source = Source::new("root.sst", 0, smimetrust_store::InputFormat::Sst);
    let mut object = Object::new(ObjectKind::Certificate, root().into_der(), source);
    object.properties = vec![smimetrust_sst::Property::new(
        smimetrust_sst::prop::ENHKEY_USAGE,
        data,
    )];
    let anchor = smimetrust_store::anchor(&object).unwrap();
    assert_eq!(anchor.purposes(), Some(&[SERVER_AUTH][..]));
    let r = verify(
        &[anchor],
        &[ca2024()],
        &alice(),
        &smime("alice@contoso.example", NOW),
    );
    assert_eq!(reason(r), Reason::AnchorRestricted);
    // Without the property: unrestricted. A CRL object is no anchor.
    let mut plain = object.clone();
    plain.properties.clear();
    assert_eq!(smimetrust_store::anchor(&plain).unwrap().purposes(), None);
    let mut crl = object;
    crl.kind = ObjectKind::Crl;
    assert!(smimetrust_store::anchor(&crl).is_none());
}

#[test]
fn purpose_server_is_refused_by_the_eku() {
    let anchors = [TrustAnchor::new(root())];
    let mut o = Options::at(NOW);
    o.purpose = Purpose::Server;
    let r = verify(&anchors, &[ca2024()], &alice(), &o);
    assert_eq!(reason(r), Reason::ExtendedKeyUsage);
    o.purpose = Purpose::Any;
    verify(&anchors, &[ca2024()], &alice(), &o).unwrap();
}

#[test]
fn tampered_signatures() {
    let anchors = [TrustAnchor::new(root())];
    let r = verify(
        &anchors,
        &[ca2024()],
        &resigned(&alice(), 3, 0x01),
        &smime("alice@contoso.example", NOW),
    );
    assert_eq!(
        reason(r),
        Reason::Signature(smimetrust_sig::Reason::BadSignature)
    );
    let r = verify(
        &anchors,
        &[resigned(&ca2024(), 3, 0x01)],
        &alice(),
        &smime("alice@contoso.example", NOW),
    );
    assert_eq!(
        reason(r),
        Reason::Signature(smimetrust_sig::Reason::BadSignature)
    );
    // A bad copy of the CA next to the good one: the good one is found.
    verify(
        &anchors,
        &[resigned(&ca2024(), 3, 0x01), ca2024()],
        &alice(),
        &smime("alice@contoso.example", NOW),
    )
    .unwrap();
}

#[test]
fn malformed_leaf() {
    let anchors = [TrustAnchor::new(root())];
    let leaf = Certificate::from_der(vec![0x30, 0x03, 0x02, 0x01, 0x05]);
    let e = Validator::new(&anchors, &[], &[], &RustCrypto)
        .verify(&leaf, &Options::at(NOW))
        .unwrap_err();
    assert_eq!(e.reason, Reason::Malformed);
    // Cut short: still no panic.
    let der = alice().into_der();
    for len in [0, 1, 10, der.len() / 2, der.len() - 1] {
        let leaf = Certificate::from_der(der[..len].to_vec());
        let e = Validator::new(&anchors, &[ca2024()], &[], &RustCrypto)
            .verify(&leaf, &Options::at(NOW))
            .unwrap_err();
        assert_eq!(e.reason, Reason::Malformed);
    }
}

#[test]
fn revocation_required_without_crls() {
    let anchors = [TrustAnchor::new(root())];
    let mut o = smime("alice@contoso.example", NOW);
    o.revocation = Revocation::Required;
    let r = verify(&anchors, &[ca2024()], &alice(), &o);
    assert_eq!(reason(r), Reason::RevocationUnknown);
    o.revocation = Revocation::Off;
    verify(&anchors, &[ca2024()], &alice(), &o).unwrap();
}

#[test]
fn budget_with_many_same_name_intermediates() {
    let anchors = [TrustAnchor::new(root())];
    let ca = ca2024();
    // 300 distinct certificates named like the CA, with its key, none validly signed.
    let mut pool: Vec<Certificate> = (0..300)
        .map(|i| resigned(&ca, 1 + i / 255, (i % 255 + 1) as u8))
        .collect();
    let r = verify(
        &anchors,
        &pool,
        &alice(),
        &smime("alice@contoso.example", NOW),
    );
    assert_eq!(reason(r), Reason::BudgetExceeded);
    // With the real CA after 20 bad copies: found within the default budget…
    pool.truncate(20);
    pool.push(ca.clone());
    verify(
        &anchors,
        &pool,
        &alice(),
        &smime("alice@contoso.example", NOW),
    )
    .unwrap();
    // …but not within 5 build steps.
    let mut o = smime("alice@contoso.example", NOW);
    o.budget.build_steps = 5;
    let r = verify(&anchors, &pool, &alice(), &o);
    assert_eq!(reason(r), Reason::BudgetExceeded);
    // Nor within 5 signatures.
    let mut o = smime("alice@contoso.example", NOW);
    o.budget.signatures = 5;
    let r = verify(&anchors, &pool, &alice(), &o);
    assert_eq!(reason(r), Reason::BudgetExceeded);
}

#[test]
fn cross_certificates_and_loops() {
    // The root is also in the pool, and the pool holds CA 2024 twice: no loop, no failure.
    let anchors = [TrustAnchor::new(root())];
    let pool = [root(), ca2024(), ca2024(), ca2019()];
    let path = verify(
        &anchors,
        &pool,
        &alice(),
        &smime("alice@contoso.example", NOW),
    )
    .unwrap();
    assert_eq!(path.len(), 3);
    // Without an anchor the root self-signature does not loop forever.
    let r = verify(&[], &pool, &alice(), &smime("alice@contoso.example", NOW));
    assert_eq!(reason(r), Reason::UnknownIssuer);
}

/// Counts calls to the real provider.
struct Counting(AtomicUsize);

impl SignatureVerifier for Counting {
    fn verify(
        &self,
        spki: &[u8],
        algorithm: &[u8],
        message: &[u8],
        signature: &[u8],
        policy: AlgorithmPolicy,
    ) -> Result<Vec<Weakness>, smimetrust_sig::Error> {
        self.0.fetch_add(1, Ordering::Relaxed);
        RustCrypto.verify(spki, algorithm, message, signature, policy)
    }
}

#[test]
fn signatures_are_verified_once_across_threads() {
    let anchors = [TrustAnchor::new(root())];
    let pool = [ca2024(), ca2019()];
    let counting = Counting(AtomicUsize::new(0));
    let validator = Validator::new(&anchors, &pool, &[], &counting);
    let (a, b) = (alice(), bob());
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                for _ in 0..25 {
                    validator
                        .verify(&a, &smime("alice@contoso.example", NOW))
                        .unwrap();
                    validator
                        .verify(&b, &smime("bob@contoso.example", NOW))
                        .unwrap();
                }
            });
        }
    });
    // alice←CA, bob←CA, CA←root; racing threads may each verify one before the cache has it.
    let calls = counting.0.load(Ordering::Relaxed);
    assert!((3..=12).contains(&calls), "{calls} signature checks");
    let before = calls;
    for _ in 0..100 {
        validator
            .verify(&a, &smime("alice@contoso.example", NOW))
            .unwrap();
    }
    assert_eq!(counting.0.load(Ordering::Relaxed), before);
}

/// Certificates and CRLs added per message (`with_extra`) are used for that message only, and
/// share the parent's signature cache: the CA carried by every message is verified once.
#[test]
fn extra_certificates_share_the_signature_cache() {
    let anchors = [TrustAnchor::new(root())];
    let counting = Counting(AtomicUsize::new(0));
    let validator = Validator::new(&anchors, &[], &[], &counting);
    let carried = [ca2024()];
    let (a, b) = (alice(), bob());
    assert_eq!(
        reason(
            validator
                .verify(&a, &smime("alice@contoso.example", NOW))
                .map(|p| { p.path.into_iter().map(|c| c.subject).collect() })
        ),
        Reason::UnknownIssuer
    );
    for _ in 0..10 {
        let message = validator.with_extra(&carried, &[]);
        message
            .verify(&a, &smime("alice@contoso.example", NOW))
            .unwrap();
        message
            .verify(&b, &smime("bob@contoso.example", NOW))
            .unwrap();
        assert_eq!(message.anchors().len(), 1);
        assert_eq!(message.intermediates().count(), 1);
    }
    // alice←CA, bob←CA, CA←root: three checks for twenty validations.
    assert_eq!(counting.0.load(Ordering::Relaxed), 3);
    // The parent itself did not gain the carried CA.
    assert_eq!(validator.intermediates().count(), 0);
}

/// A signature that did not verify is remembered: trying it again (another signer of the same
/// message, say) costs no verification and no budget.
#[test]
fn failed_signatures_are_verified_once() {
    let anchors = [TrustAnchor::new(root())];
    let forged = [resigned(&ca2024(), 3, 0x01)];
    let counting = Counting(AtomicUsize::new(0));
    let validator = Validator::new(&anchors, &forged, &[], &counting);
    let options = smime("alice@contoso.example", NOW);
    let bad = Reason::Signature(smimetrust_sig::Reason::BadSignature);
    // alice←forged CA verifies (its key is the CA's), forged CA←root does not.
    let mut left = Budget::default();
    left.signatures = 2;
    for _ in 0..3 {
        let e = validator
            .verify_within(&alice(), &options, &mut left)
            .unwrap_err();
        assert_eq!(e.reason, bad, "{e}");
        assert!(e.detail.contains("signature by the key of"), "{e}");
    }
    // Each once, the budget's two signatures spent on them by the first call.
    assert_eq!(counting.0.load(Ordering::Relaxed), 2);
    assert_eq!(left.signatures, 0);
    // A validator for one message shares the failures too.
    let message = validator.with_extra(&[], &[]);
    assert_eq!(message.verify(&alice(), &options).unwrap_err().reason, bad);
    assert_eq!(counting.0.load(Ordering::Relaxed), 2);
}

/// One budget across several calls: what one call spends, the next does not have.
#[test]
fn a_budget_shared_across_calls() {
    let anchors = [TrustAnchor::new(root())];
    let pool = [ca2024(), ca2019()];
    let validator = Validator::new(&anchors, &pool, &[], &RustCrypto);
    let mut left = Budget::default();
    left.signatures = 3;
    let steps = left.build_steps;
    // alice←CA, CA←root: two signatures.
    validator
        .verify_within(&alice(), &smime("alice@contoso.example", NOW), &mut left)
        .unwrap();
    assert_eq!(left.signatures, 1);
    assert!(left.build_steps < steps);
    assert!(!left.is_exhausted());
    // bob←CA: the last one (CA←root is cached).
    validator
        .verify_within(&bob(), &smime("bob@contoso.example", NOW), &mut left)
        .unwrap();
    assert_eq!(left.signatures, 0);
    assert!(left.is_exhausted());
    // carol←CA 2019 needs a new signature: none is left.
    let then = smime("carol@contoso.example", datetime!(2024-03-01 0:00 UTC));
    let e = validator
        .verify_within(&carol(), &then, &mut left)
        .unwrap_err();
    assert_eq!(e.reason, Reason::BudgetExceeded, "{e}");
    // Cached signatures cost nothing, even now; and `verify` starts from the options' budget.
    validator
        .verify_within(&alice(), &smime("alice@contoso.example", NOW), &mut left)
        .unwrap();
    validator.verify(&carol(), &then).unwrap();
}

#[test]
fn validator_is_sync_and_send() {
    fn is_sync<T: Sync + Send>() {}
    is_sync::<Validator<'static>>();
}
