//! The signature verifiers (`RustCrypto`, and `AwsLc` with the `aws-lc` feature)
//! against real certificates: each certificate's signature over its TBSCertificate, checked
//! with its issuer's SubjectPublicKeyInfo, all sliced from the original DER (never re-encoded).
//! Every test runs once per provider and asserts the same outcomes for each; the differential
//! tests (`providers_agree_*`, and every mutation in `garbage_never_panics`) compare the
//! providers' whole results, error details included.
//!
//! Sources: the committed fixtures in `tests/data/sig/` (minted with OpenSSL, see its README),
//! the demo PKI in `fixtures/demo/`, and the shared corpus (Windows root store, PKITS, generated
//! inputs). Corpus tests say so and pass when `../shared` is absent.
#![allow(clippy::unwrap_used, clippy::print_stderr, clippy::print_stdout)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use der::asn1::BitStringRef;
use der::{Decode, Encode, Reader, SliceReader, Tag, TagNumber};
use smimetrust_sig::{self as sig, AlgorithmPolicy, SignatureVerifier, Weakness};
use smimetrust_sig::{Error as Invalid, Reason};
use smimetrust_store::{ObjectKind, load_bytes};
use spki::{AlgorithmIdentifierRef, SubjectPublicKeyInfoRef};

const MANIFEST: &str = env!("CARGO_MANIFEST_DIR");
const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus");

const DEFAULT: AlgorithmPolicy = AlgorithmPolicy::DEFAULT;
const STRICT: AlgorithmPolicy = AlgorithmPolicy::STRICT;

// ---- the providers ----

/// Every provider this build has, by name.
fn providers() -> Vec<(&'static str, &'static dyn SignatureVerifier)> {
    #[cfg_attr(not(feature = "aws-lc"), allow(unused_mut))]
    let mut all: Vec<(&'static str, &'static dyn SignatureVerifier)> =
        vec![("rustcrypto", &sig::RustCrypto)];
    #[cfg(feature = "aws-lc")]
    all.push(("aws-lc", &sig::AwsLc));
    all
}

/// A `#[test]` per name, running `name(v)` once for each provider.
macro_rules! for_each_provider {
    ($($name:ident),* $(,)?) => {
        mod each_provider {
            $(
                #[test]
                fn $name() {
                    for (provider, v) in super::providers() {
                        eprintln!("{}: provider {provider}", stringify!($name));
                        super::$name(v);
                    }
                }
            )*
        }
    };
}

for_each_provider!(
    rsa_pkcs1_sha2_and_digest_info_without_null,
    rsa_sha1_is_weak_and_strict_rejects_it,
    small_rsa_keys,
    md5_is_always_rejected,
    rsa_pss,
    ecdsa_p384_p521_and_mixed_hashes,
    dsa_2048_sha256,
    flipped_signature_bits_fail,
    wrong_key_type_for_the_algorithm,
    oversized_and_degenerate_rsa_keys,
    demo_pki,
    generated_inputs,
    pkits_named_cases,
    pkits_all,
    windows_roots_self_signatures,
    other_windows_stores_self_signatures,
);

/// Every provider's result for one call, all equal (errors with the same reason and detail);
/// the common result.
fn agreed(
    spki: &[u8],
    algorithm: &[u8],
    message: &[u8],
    signature: &[u8],
    policy: AlgorithmPolicy,
) -> Result<Vec<Weakness>, Invalid> {
    let mut results = providers()
        .into_iter()
        .map(|(name, v)| (name, v.verify(spki, algorithm, message, signature, policy)));
    let (first_name, first) = results.next().unwrap();
    for (name, r) in results {
        assert_eq!(r, first, "{name} and {first_name} disagree");
    }
    first
}

// ---- slicing certificates ----

/// The parts of a certificate the signature check needs, sliced from its DER.
#[derive(Debug, Clone, Copy)]
struct Parts<'a> {
    tbs: &'a [u8],
    algorithm: &'a [u8],
    signature: &'a [u8],
    issuer: &'a [u8],
    subject: &'a [u8],
    spki: &'a [u8],
}

fn parts(der: &[u8]) -> Parts<'_> {
    let mut r = SliceReader::new(der).unwrap();
    let (tbs, algorithm, signature) = r
        .sequence(|r| {
            let tbs = r.tlv_bytes()?;
            let algorithm = r.tlv_bytes()?;
            let bits = BitStringRef::decode(r)?;
            // PKITS BadSignedCACert has an unused-bits octet of 1: take the octets as they are.
            Ok::<_, der::Error>((tbs, algorithm, bits.raw_bytes()))
        })
        .unwrap();
    r.finish().unwrap();
    let mut r = SliceReader::new(tbs).unwrap();
    let (issuer, subject, spki) = r
        .sequence(|r| {
            let version = Tag::ContextSpecific {
                constructed: true,
                number: TagNumber(0),
            };
            if Tag::peek(r)? == version {
                r.tlv_bytes()?;
            }
            let _serial = r.tlv_bytes()?;
            let _signature = r.tlv_bytes()?;
            let issuer = r.tlv_bytes()?;
            let _validity = r.tlv_bytes()?;
            let subject = r.tlv_bytes()?;
            let spki = r.tlv_bytes()?;
            while !r.is_finished() {
                r.tlv_bytes()?;
            }
            Ok::<_, der::Error>((issuer, subject, spki))
        })
        .unwrap();
    Parts {
        tbs,
        algorithm,
        signature,
        issuer,
        subject,
        spki,
    }
}

/// Verifies `cert`'s signature with `issuer_spki`.
fn check_with(
    v: &dyn SignatureVerifier,
    cert: &[u8],
    issuer_spki: &[u8],
    policy: AlgorithmPolicy,
) -> Result<Vec<Weakness>, Invalid> {
    let p = parts(cert);
    v.verify(issuer_spki, p.algorithm, p.tbs, p.signature, policy)
}

/// Verifies `cert`'s signature with the key of `issuer`.
fn check(
    v: &dyn SignatureVerifier,
    cert: &[u8],
    issuer: &[u8],
    policy: AlgorithmPolicy,
) -> Result<Vec<Weakness>, Invalid> {
    check_with(v, cert, parts(issuer).spki, policy)
}

fn reason<T: std::fmt::Debug>(r: Result<T, Invalid>) -> Reason {
    r.expect_err("should fail").reason
}

fn algorithm_name(algorithm: &[u8]) -> String {
    let oid = AlgorithmIdentifierRef::from_der(algorithm).unwrap().oid;
    const_oid::db::DB
        .by_oid(&oid)
        .map_or_else(|| oid.to_string(), str::to_string)
}

// ---- reading files ----

/// The single certificate in a DER or PEM file.
fn cert_file(path: &Path) -> Vec<u8> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut objects = load_bytes(&path.display().to_string(), &bytes).unwrap();
    assert_eq!(objects.len(), 1, "{}", path.display());
    objects.remove(0).der
}

fn fixture(name: &str) -> Vec<u8> {
    cert_file(&Path::new(MANIFEST).join("tests/data/sig").join(name))
}

fn demo(name: &str) -> Vec<u8> {
    cert_file(&Path::new(MANIFEST).join("../../fixtures/demo").join(name))
}

/// A folder of the shared corpus, or `None` (with a message) when it is absent.
fn shared(test: &str, sub: &str) -> Option<PathBuf> {
    let dir = Path::new(SHARED).join(sub);
    if dir.is_dir() {
        Some(dir)
    } else {
        assert!(
            std::env::var_os("SMIMETRUST_REQUIRE_CORPUS").is_none(),
            "the shared corpus is absent and SMIMETRUST_REQUIRE_CORPUS is set"
        );
        eprintln!("{test}: skipped, {} is absent", dir.display());
        None
    }
}

// ---- committed fixtures ----

fn rsa_pkcs1_sha2_and_digest_info_without_null(v: &dyn SignatureVerifier) {
    for name in [
        "rsa2048-sha224.der",
        "rsa2048-sha512.der",
        "rsa2048-sha256-nonull.der",
    ] {
        let c = fixture(name);
        assert_eq!(check(v, &c, &c, DEFAULT), Ok(vec![]), "{name}");
        assert_eq!(check(v, &c, &c, STRICT), Ok(vec![]), "{name}");
    }
}

fn rsa_sha1_is_weak_and_strict_rejects_it(v: &dyn SignatureVerifier) {
    let c = fixture("rsa2048-sha1.der");
    assert_eq!(check(v, &c, &c, DEFAULT), Ok(vec![Weakness::Sha1]));
    let err = check(v, &c, &c, STRICT).unwrap_err();
    assert_eq!(err.reason, Reason::WeakAlgorithm);
    assert!(err.detail.contains("sha-1"), "{}", err.detail);
}

fn small_rsa_keys(v: &dyn SignatureVerifier) {
    let c = fixture("rsa1024-sha256.der");
    assert_eq!(
        check(v, &c, &c, DEFAULT),
        Ok(vec![Weakness::SmallKey(1024)])
    );
    assert_eq!(reason(check(v, &c, &c, STRICT)), Reason::WeakAlgorithm);

    let c = fixture("rsa512-sha256.der");
    for policy in [DEFAULT, STRICT] {
        let err = check(v, &c, &c, policy).unwrap_err();
        assert_eq!(err.reason, Reason::WeakAlgorithm);
        assert!(err.detail.contains("512 bits"), "{}", err.detail);
    }
}

fn md5_is_always_rejected(v: &dyn SignatureVerifier) {
    let c = fixture("rsa2048-md5.der");
    for policy in [DEFAULT, STRICT] {
        let err = check(v, &c, &c, policy).unwrap_err();
        assert_eq!(err.reason, Reason::WeakAlgorithm);
        assert!(err.detail.contains("md5"), "{}", err.detail);
    }
}

fn rsa_pss(v: &dyn SignatureVerifier) {
    // rsaEncryption key, SHA-256, MGF1-SHA-256, salt 32.
    let c = fixture("rsa-pss-sha256.der");
    assert_eq!(check(v, &c, &c, STRICT), Ok(vec![]));
    // id-RSASSA-PSS key restricted to SHA-384 / salt 48, signed with SHA-384.
    let pss_key = fixture("rsa-pss-sha384-psskey.der");
    assert_eq!(check(v, &pss_key, &pss_key, STRICT), Ok(vec![]));
    // An MGF1 hash other than the message hash is not supported.
    let c = fixture("rsa-pss-sha256-mgf1-sha1.der");
    let err = check(v, &c, &c, DEFAULT).unwrap_err();
    assert_eq!(err.reason, Reason::UnsupportedAlgorithm);
    assert!(err.detail.contains("mgf1"), "{}", err.detail);

    // A PSS-restricted key cannot check a PKCS #1 v1.5 signature, nor a PSS signature with
    // another hash.
    let pkcs1 = fixture("rsa2048-sha512.der");
    assert_eq!(
        reason(check(v, &pkcs1, &pss_key, DEFAULT)),
        Reason::BadPublicKey
    );
    let pss256 = fixture("rsa-pss-sha256.der");
    let err = check(v, &pss256, &pss_key, DEFAULT).unwrap_err();
    assert_eq!(err.reason, Reason::BadPublicKey, "{err:?}");

    // The parameters are honoured: the same signature with another salt length or hash fails.
    let p = parts(&pss256);
    let honest = p.algorithm.to_vec();
    let mut other_salt = honest.clone();
    // The salt length is the last INTEGER of the parameters: [2] { INTEGER 32 }.
    let at = other_salt.len() - 1;
    assert_eq!(other_salt[at], 32);
    other_salt[at] = 20;
    assert_eq!(
        reason(v.verify(p.spki, &other_salt, p.tbs, p.signature, DEFAULT)),
        Reason::BadSignature
    );
    assert_eq!(
        v.verify(p.spki, &honest, p.tbs, p.signature, DEFAULT),
        Ok(vec![])
    );
}

fn ecdsa_p384_p521_and_mixed_hashes(v: &dyn SignatureVerifier) {
    for name in ["p384-sha384.der", "p521-sha512.der", "p384-sha256.der"] {
        let c = fixture(name);
        assert_eq!(check(v, &c, &c, STRICT), Ok(vec![]), "{name}");
    }
    let c = fixture("p256-sha1.der");
    assert_eq!(check(v, &c, &c, DEFAULT), Ok(vec![Weakness::Sha1]));
    assert_eq!(reason(check(v, &c, &c, STRICT)), Reason::WeakAlgorithm);
}

fn dsa_2048_sha256(v: &dyn SignatureVerifier) {
    let c = fixture("dsa2048-sha256.der");
    assert_eq!(check(v, &c, &c, STRICT), Ok(vec![]));
}

fn flipped_signature_bits_fail(v: &dyn SignatureVerifier) {
    for name in [
        "rsa2048-sha224.der",
        "rsa2048-sha256-nonull.der",
        "rsa-pss-sha256.der",
        "rsa-pss-sha384-psskey.der",
        "p384-sha384.der",
        "p521-sha512.der",
        "dsa2048-sha256.der",
    ] {
        let c = fixture(name);
        let p = parts(&c);
        // The last octet: for RSA the low bits of the signature, for ECDSA/DSA of s.
        let mut signature = p.signature.to_vec();
        *signature.last_mut().unwrap() ^= 0x01;
        assert_eq!(
            reason(v.verify(p.spki, p.algorithm, p.tbs, &signature, DEFAULT)),
            Reason::BadSignature,
            "{name}"
        );
        // And a changed message.
        let mut tbs = p.tbs.to_vec();
        *tbs.last_mut().unwrap() ^= 0x80;
        assert_eq!(
            reason(v.verify(p.spki, p.algorithm, &tbs, p.signature, DEFAULT)),
            Reason::BadSignature,
            "{name}"
        );
    }
}

fn wrong_key_type_for_the_algorithm(v: &dyn SignatureVerifier) {
    let rsa = fixture("rsa2048-sha224.der");
    let ec = fixture("p384-sha384.der");
    let dsa = fixture("dsa2048-sha256.der");
    // RSA signature, EC key; ECDSA signature, RSA key; DSA signature, EC key.
    for (cert, key) in [
        (&rsa, &ec),
        (&ec, &rsa),
        (&dsa, &ec),
        (&ec, &dsa),
        (&rsa, &dsa),
    ] {
        let err = check(v, cert, key, DEFAULT).unwrap_err();
        assert_eq!(err.reason, Reason::BadPublicKey, "{err:?}");
    }
    // ECDSA signature checked with another curve's key: a bad signature, not a panic.
    let p521 = fixture("p521-sha512.der");
    assert_eq!(reason(check(v, &ec, &p521, DEFAULT)), Reason::BadSignature);
    // Ed25519 signature with an RSA key.
    if let Some(dir) = shared("wrong_key_type_for_the_algorithm", "sst/inputs") {
        let ed = cert_file(&dir.join("gen-ed25519-selfsigned.der"));
        assert_eq!(reason(check(v, &ed, &rsa, DEFAULT)), Reason::BadPublicKey);
        assert_eq!(reason(check(v, &rsa, &ed, DEFAULT)), Reason::BadPublicKey);
    }
}

/// Mutated and truncated inputs: every call returns, and the providers agree on each.
#[test]
fn garbage_never_panics() {
    let mut inputs = vec![
        fixture("rsa2048-sha256-nonull.der"),
        fixture("rsa2048-sha512.der"),
        fixture("rsa-pss-sha256.der"),
        fixture("rsa-pss-sha384-psskey.der"),
        fixture("rsa1024-sha256.der"),
        fixture("p256-sha1.der"),
        fixture("p384-sha384.der"),
        fixture("p521-sha512.der"),
        fixture("dsa2048-sha256.der"),
    ];
    if let Some(dir) = shared("garbage_never_panics", "sst/inputs") {
        inputs.push(cert_file(&dir.join("gen-ed25519-selfsigned.der")));
    }
    let mut tried = 0usize;
    for c in &inputs {
        let p = parts(c);
        let verify = |spki: &[u8], alg: &[u8], sig: &[u8]| {
            // The result does not matter (beyond being the same for every provider); the call
            // must return.
            let _ = agreed(spki, alg, p.tbs, sig, DEFAULT);
        };
        // Every truncation of each input.
        for n in 0..p.spki.len() {
            verify(&p.spki[..n], p.algorithm, p.signature);
        }
        for n in 0..p.algorithm.len() {
            verify(p.spki, &p.algorithm[..n], p.signature);
        }
        for n in 0..p.signature.len() {
            verify(p.spki, p.algorithm, &p.signature[..n]);
        }
        // Each octet of the key and algorithm changed, a few ways (but not every octet of an
        // RSA modulus or DSA p: those only cost time).
        for (i, _) in p
            .spki
            .iter()
            .enumerate()
            .filter(|(i, _)| *i < 64 || i % 17 == 0)
        {
            for x in [0x01u8, 0x80, 0xff] {
                let mut spki = p.spki.to_vec();
                spki[i] ^= x;
                verify(&spki, p.algorithm, p.signature);
                tried += 1;
            }
        }
        for i in 0..p.algorithm.len() {
            for x in [0x01u8, 0x80, 0xff] {
                let mut alg = p.algorithm.to_vec();
                alg[i] ^= x;
                verify(p.spki, &alg, p.signature);
                tried += 1;
            }
        }
        for i in 0..p.signature.len().min(16) {
            let mut s = p.signature.to_vec();
            s[i] ^= 0xff;
            verify(p.spki, p.algorithm, &s);
        }
        // Random octets of the signature set to random values (a fixed xorshift sequence).
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..24 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let mut s = p.signature.to_vec();
            let at = usize::try_from(x % s.len() as u64).unwrap();
            s[at] = x.to_be_bytes()[0];
            verify(p.spki, p.algorithm, &s);
        }
        // Empty and oversized everything.
        verify(&[], &[], &[]);
        verify(p.spki, p.algorithm, &vec![0xff; 70_000]);
    }
    // Every supported signature algorithm against every key, mixed and matched.
    for a in &inputs {
        for b in &inputs {
            let (pa, pb) = (parts(a), parts(b));
            let _ = agreed(pb.spki, pa.algorithm, pa.tbs, pa.signature, STRICT);
        }
    }
    assert!(tried > 1000);
}

fn oversized_and_degenerate_rsa_keys(v: &dyn SignatureVerifier) {
    // An RSA key of 16392 bits (over the limit): BadPublicKey, before any arithmetic.
    let rsa = fixture("rsa2048-sha224.der");
    let p = parts(&rsa);
    let big_key = rsa_spki(&[0xc1; 2049], &[1, 0, 1]);
    let err = sig::default_verifier()
        .verify(&big_key, p.algorithm, p.tbs, p.signature, DEFAULT)
        .unwrap_err();
    assert_eq!(err.reason, Reason::BadPublicKey);
    assert!(err.detail.contains("16392 bits"), "{}", err.detail);
    // An even modulus, a huge exponent, an exponent of 1.
    for (n, e) in [
        (vec![0xc0u8; 256], vec![1u8, 0, 1]),
        (vec![0xc1; 256], vec![0x7f; 64]),
        (vec![0xc1; 256], vec![1]),
    ] {
        let key = rsa_spki(&n, &e);
        assert_eq!(
            reason(v.verify(&key, p.algorithm, p.tbs, p.signature, DEFAULT)),
            Reason::BadPublicKey
        );
    }
}

/// An rsaEncryption SPKI for modulus `n` and exponent `e` (big-endian, unsigned), encoded with
/// `der`.
fn rsa_spki(n: &[u8], e: &[u8]) -> Vec<u8> {
    use der::asn1::{AnyRef, UintRef};
    let mut content = UintRef::new(n).unwrap().to_der().unwrap();
    content.extend(UintRef::new(e).unwrap().to_der().unwrap());
    let len = der::Length::try_from(content.len()).unwrap();
    let mut key = der::Header::new(Tag::Sequence, len).to_der().unwrap();
    key.extend(content);
    SubjectPublicKeyInfoRef {
        algorithm: AlgorithmIdentifierRef {
            oid: const_oid::db::rfc5912::RSA_ENCRYPTION,
            parameters: Some(AnyRef::NULL),
        },
        subject_public_key: BitStringRef::from_bytes(&key).unwrap(),
    }
    .to_der()
    .unwrap()
}

// ---- the providers agree ----

/// One signature checked by every provider as it is, with a flipped bit in the signature and
/// in the message, and with one octet dropped from the signature, under both policies: the
/// results must be equal (reason and detail). Returns the unchanged signature's result.
fn all_agree(cert: &[u8], issuer_spki: &[u8]) -> Result<Vec<Weakness>, Invalid> {
    let p = parts(cert);
    let first = agreed(issuer_spki, p.algorithm, p.tbs, p.signature, DEFAULT);
    agreed(issuer_spki, p.algorithm, p.tbs, p.signature, STRICT).ok();
    if let Some(last) = p.signature.len().checked_sub(1) {
        let mut s = p.signature.to_vec();
        s[last] ^= 0x01;
        let flipped = agreed(issuer_spki, p.algorithm, p.tbs, &s, DEFAULT);
        assert!(flipped.is_err(), "a flipped signature bit verifies");
        agreed(issuer_spki, p.algorithm, p.tbs, &p.signature[1..], DEFAULT).ok();
    }
    if let Some(last) = p.tbs.len().checked_sub(1) {
        let mut tbs = p.tbs.to_vec();
        tbs[last] ^= 0x80;
        let changed = agreed(issuer_spki, p.algorithm, &tbs, p.signature, DEFAULT);
        assert!(changed.is_err(), "a changed message verifies");
    }
    first
}

#[test]
fn providers_agree_on_the_fixtures_and_demo_pki() {
    let dir = Path::new(MANIFEST).join("tests/data/sig");
    let mut certs: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "der"))
        .map(|p| cert_file(&p))
        .collect();
    for name in [
        "ca/root.cer",
        "ca/smime-ca-2024.pem",
        "ca/smime-ca-2019-expired.pem",
        "leaves/alice.pem",
        "leaves/bob.pem",
        "leaves/carol.pem",
    ] {
        certs.push(demo(name));
    }
    if let Some(dir) = shared("providers_agree_on_the_fixtures_and_demo_pki", "sst/inputs") {
        for name in [
            "gen-ed25519-selfsigned.der",
            "gen-rsa2048-root-ca.der",
            "gen-p256-smime-leaf.der",
        ] {
            certs.push(cert_file(&dir.join(name)));
        }
    }
    // Every certificate against every key (most pairs fail, for many different reasons).
    let mut verified = 0;
    for c in &certs {
        for k in &certs {
            if all_agree(c, parts(k).spki).is_ok() {
                verified += 1;
            }
        }
    }
    // The 16 self-signed fixtures less MD5 and RSA-512, the demo PKI's 6, the generated 3.
    assert!(verified >= 14 + 6, "{verified}");
}

#[test]
fn providers_agree_on_pkits() {
    let Some(dir) = shared("providers_agree_on_pkits", "pkits/certs") else {
        return;
    };
    let certs: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "crt"))
        .map(|p| std::fs::read(&p).unwrap())
        .collect();
    let mut verified = 0;
    for c in &certs {
        let issuer = parts(c).issuer;
        for k in certs.iter().filter(|k| parts(k).subject == issuer) {
            if all_agree(c, parts(k).spki).is_ok() {
                verified += 1;
            }
        }
    }
    assert!(verified > 300, "{verified}");
}

#[test]
fn providers_agree_on_windows_roots() {
    let Some(dir) = shared("providers_agree_on_windows_roots", "sst") else {
        return;
    };
    let path = dir.join("windows-generateSSTFromWU-root-2025-08-29.sst");
    let objects = load_bytes("root.sst", &std::fs::read(path).unwrap()).unwrap();
    let mut verified = 0;
    for o in objects.iter().filter(|o| o.kind == ObjectKind::Certificate) {
        if all_agree(&o.der, parts(&o.der).spki).is_ok() {
            verified += 1;
        }
    }
    assert_eq!(verified, 497);
}

// ---- the demo PKI and generated inputs ----

fn demo_pki(v: &dyn SignatureVerifier) {
    let root = demo("ca/root.cer");
    let ca2024 = demo("ca/smime-ca-2024.pem");
    let ca2019 = demo("ca/smime-ca-2019-expired.pem");
    let alice = demo("leaves/alice.pem");
    let bob = demo("leaves/bob.pem");
    let carol = demo("leaves/carol.pem");
    for (name, cert, issuer) in [
        ("root", &root, &root),
        ("smime-ca-2024", &ca2024, &root),
        ("smime-ca-2019", &ca2019, &root),
        ("alice", &alice, &ca2024),
        ("bob", &bob, &ca2024),
        ("carol", &carol, &ca2019),
    ] {
        assert_eq!(parts(cert).issuer, parts(issuer).subject, "{name}");
        assert_eq!(check(v, cert, issuer, STRICT), Ok(vec![]), "{name}");
    }
    // Signed by someone else.
    assert_eq!(
        reason(check(v, &alice, &root, DEFAULT)),
        Reason::BadSignature
    );
    assert_eq!(
        reason(check(v, &carol, &bob, DEFAULT)),
        Reason::BadSignature
    );
}

fn generated_inputs(v: &dyn SignatureVerifier) {
    let Some(dir) = shared("generated_inputs", "sst/inputs") else {
        return;
    };
    let ed = cert_file(&dir.join("gen-ed25519-selfsigned.der"));
    assert_eq!(algorithm_name(parts(&ed).algorithm), "id-Ed25519");
    assert_eq!(check(v, &ed, &ed, STRICT), Ok(vec![]));
    let root = cert_file(&dir.join("gen-rsa2048-root-ca.der"));
    let leaf = cert_file(&dir.join("gen-p256-smime-leaf.der"));
    assert_eq!(check(v, &root, &root, STRICT), Ok(vec![]));
    assert_eq!(check(v, &leaf, &root, STRICT), Ok(vec![]));
    // Flipped bit in the Ed25519 signature.
    let p = parts(&ed);
    let mut s = p.signature.to_vec();
    s[0] ^= 0x01;
    assert_eq!(
        reason(v.verify(p.spki, p.algorithm, p.tbs, &s, DEFAULT)),
        Reason::BadSignature
    );
}

// ---- PKITS ----

fn pkits(name: &str, dir: &Path) -> Vec<u8> {
    std::fs::read(dir.join(format!("{name}.crt"))).unwrap()
}

fn pkits_named_cases(v: &dyn SignatureVerifier) {
    let Some(dir) = shared("pkits_named_cases", "pkits/certs") else {
        return;
    };
    let ta = pkits("TrustAnchorRootCertificate", &dir);
    assert_eq!(check(v, &ta, &ta, STRICT), Ok(vec![]));
    let good = pkits("GoodCACert", &dir);
    assert_eq!(check(v, &good, &ta, STRICT), Ok(vec![]));
    let bad = pkits("BadSignedCACert", &dir);
    assert_eq!(reason(check(v, &bad, &ta, DEFAULT)), Reason::BadSignature);

    // DSA: the DSA CA (RSA-signed), then DSA-1024 / SHA-1 signatures under it.
    let dsa_ca = pkits("DSACACert", &dir);
    assert_eq!(check(v, &dsa_ca, &ta, STRICT), Ok(vec![]));
    let ee = pkits("ValidDSASignaturesTest4EE", &dir);
    assert_eq!(
        check(v, &ee, &dsa_ca, DEFAULT),
        Ok(vec![Weakness::Sha1, Weakness::SmallKey(1024)])
    );
    assert_eq!(
        reason(check(v, &ee, &dsa_ca, STRICT)),
        Reason::WeakAlgorithm
    );
    let bad_ee = pkits("InvalidDSASignatureTest6EE", &dir);
    assert_eq!(
        reason(check(v, &bad_ee, &dsa_ca, DEFAULT)),
        Reason::BadSignature
    );

    // Inherited parameters: the key alone is not usable ...
    let inherited = pkits("DSAParametersInheritedCACert", &dir);
    assert_eq!(
        check(v, &inherited, &dsa_ca, DEFAULT),
        Ok(vec![Weakness::Sha1, Weakness::SmallKey(1024)])
    );
    let ee5 = pkits("ValidDSAParameterInheritanceTest5EE", &dir);
    let err = check(v, &ee5, &inherited, DEFAULT).unwrap_err();
    assert_eq!(err.reason, Reason::BadPublicKey);
    assert_eq!(err.detail, "DSA key without parameters");
    // ... but with the issuer's parameters put in (as the path validator does), it verifies.
    let ca_spki = SubjectPublicKeyInfoRef::from_der(parts(&dsa_ca).spki).unwrap();
    let own_spki = SubjectPublicKeyInfoRef::from_der(parts(&inherited).spki).unwrap();
    assert!(own_spki.algorithm.parameters.is_none());
    let rebuilt = SubjectPublicKeyInfoRef {
        algorithm: ca_spki.algorithm,
        subject_public_key: own_spki.subject_public_key,
    }
    .to_der()
    .unwrap();
    assert_eq!(
        check_with(v, &ee5, &rebuilt, DEFAULT),
        Ok(vec![Weakness::Sha1, Weakness::SmallKey(1024)])
    );
}

/// Every PKITS certificate against every certificate whose subject is its issuer: each has one
/// that verifies, except those PKITS signs badly on purpose.
fn pkits_all(v: &dyn SignatureVerifier) {
    let Some(dir) = shared("pkits_all", "pkits/certs") else {
        return;
    };
    let mut certs: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "crt"))
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    certs.sort();
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    let mut failed = Vec::new();
    for (name, der) in &certs {
        let p = parts(der);
        let candidates: Vec<_> = certs
            .iter()
            .filter(|(_, c)| parts(c).subject == p.issuer)
            .collect();
        if candidates.is_empty() {
            *outcomes.entry("no issuer in the set".into()).or_default() += 1;
            continue;
        }
        let results: Vec<_> = candidates
            .iter()
            .map(|(_, issuer)| check(v, der, issuer, DEFAULT))
            .collect();
        let outcome = match results.iter().find(|r| r.is_ok()) {
            Some(_) => "verifies".to_string(),
            None => {
                let best = results
                    .iter()
                    .map(|r| r.as_ref().unwrap_err())
                    .max_by_key(|e| smimetrust_path::Reason::from(e.reason).rank())
                    .unwrap();
                failed.push((name.clone(), best.reason));
                best.reason.as_str().to_string()
            }
        };
        *outcomes
            .entry(format!("{} {outcome}", algorithm_name(p.algorithm)))
            .or_default() += 1;
    }
    println!("pkits: {} certificates", certs.len());
    for (k, v) in &outcomes {
        println!("  {v:4}  {k}");
    }
    for (name, reason) in &failed {
        println!("  failed: {name}: {}", reason.as_str());
    }
    // What fails is exactly what PKITS signs badly or with inherited DSA parameters.
    for (name, reason) in &failed {
        let expected =
            if name.contains("DSAParameterInheritance") || name == "DSAParametersInheritedCACert" {
                // The EE under the inherited-parameters CA needs the parameters put in.
                Reason::BadPublicKey
            } else {
                Reason::BadSignature
            };
        assert!(
            (name.starts_with("BadSigned")
                || name.contains("Signature")
                || name.contains("DSAParameterInheritance"))
                && *reason == expected,
            "{name}: {reason:?}"
        );
    }
    assert!(failed.len() <= 6, "{failed:?}");
    assert!(
        outcomes
            .get("sha256WithRSAEncryption verifies")
            .copied()
            .unwrap_or(0)
            > 300
    );
}

// ---- the Windows root store ----

/// Checks the self-signature of every self-issued certificate in a store: outcome counts by
/// "algorithm: outcome", and the number of certificates that are not self-issued.
fn self_signatures(v: &dyn SignatureVerifier, path: &Path) -> (BTreeMap<String, usize>, usize) {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let objects = load_bytes(&name, &std::fs::read(path).unwrap()).unwrap();
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    let mut not_self_issued = 0;
    let mut short_signatures = 0;
    for o in objects.iter().filter(|o| o.kind == ObjectKind::Certificate) {
        let p = parts(&o.der);
        if p.issuer != p.subject {
            not_self_issued += 1;
            continue;
        }
        let alg = algorithm_name(p.algorithm);
        let outcome = match check(v, &o.der, &o.der, DEFAULT) {
            Ok(w) if w.is_empty() => "verifies".to_string(),
            Ok(w) => {
                let codes: Vec<_> = w.iter().map(|w| w.code().as_str()).collect();
                format!("verifies, {}", codes.join(" "))
            }
            Err(e) => format!("{} ({})", e.reason.as_str(), e.detail),
        };
        // A signature with a leading zero octet still verifies with that octet dropped.
        if p.signature.first() == Some(&0) && alg.contains("RSA") && outcome.contains("verifies") {
            short_signatures += 1;
            let r = v.verify(p.spki, p.algorithm, p.tbs, &p.signature[1..], DEFAULT);
            assert!(r.is_ok(), "{alg}: {r:?}");
        }
        *outcomes.entry(format!("{alg}: {outcome}")).or_default() += 1;
    }
    println!(
        "{name}: {} objects, {not_self_issued} certificates not self-issued, {short_signatures} \
         rsa signatures with a leading zero octet",
        objects.len()
    );
    for (k, v) in &outcomes {
        println!("  {v:4}  {k}");
    }
    // Everything verifies, save for what the policy always rejects (MD2/MD5, RSA < 1024).
    for k in outcomes.keys() {
        assert!(
            k.contains(": verifies") || k.contains("weak-algorithm"),
            "{name}: unexpected outcome: {k}"
        );
        if k.contains("weak-algorithm") {
            let always = k.starts_with("md5") || k.starts_with("md2") || k.contains("bits (under");
            assert!(always, "{name}: {k}");
        }
    }
    (outcomes, not_self_issued)
}

fn windows_roots_self_signatures(v: &dyn SignatureVerifier) {
    let Some(dir) = shared("windows_roots_self_signatures", "sst") else {
        return;
    };
    let (outcomes, not_self_issued) = self_signatures(
        v,
        &dir.join("windows-generateSSTFromWU-root-2025-08-29.sst"),
    );
    assert_eq!(not_self_issued, 0);
    let count = |k: &str| outcomes.get(k).copied().unwrap_or(0);
    // The counts of the 2025-08-29 store.
    assert_eq!(count("sha256WithRSAEncryption: verifies"), 165);
    assert_eq!(count("sha384WithRSAEncryption: verifies"), 57);
    assert_eq!(count("sha512WithRSAEncryption: verifies"), 22);
    assert_eq!(count("ecdsa-with-SHA256: verifies"), 8);
    assert_eq!(count("ecdsa-with-SHA384: verifies"), 75);
    assert_eq!(count("ecdsa-with-SHA512: verifies"), 2);
    assert_eq!(count("sha1WithRSAEncryption: verifies, weak-sha1"), 165);
    assert_eq!(
        count("sha1WithRSAEncryption: verifies, weak-sha1 weak-key"),
        3
    );
    let md: usize = outcomes
        .iter()
        .filter(|(k, _)| k.starts_with("md2") || k.starts_with("md5"))
        .map(|(_, v)| v)
        .sum();
    assert_eq!(md, 10);
    assert_eq!(outcomes.values().sum::<usize>(), 507);
}

/// The other Windows stores in the corpus (older root stores, the disallowed list).
fn other_windows_stores_self_signatures(v: &dyn SignatureVerifier) {
    let Some(dir) = shared("other_windows_stores_self_signatures", "sst") else {
        return;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with("windows-") && name.ends_with(".sst") && !name.contains("2025-08-29")
        })
        .collect();
    files.sort();
    for f in files {
        self_signatures(v, &f);
    }
}

// ---- speed ----

/// `cargo test --release -p smimetrust-sig --test signatures -- --ignored --nocapture`
#[test]
#[ignore = "timing; run in release mode"]
fn speed() {
    let time = |what: &str, cert: &[u8], issuer: &[u8]| {
        let p = parts(cert);
        let spki = parts(issuer).spki;
        let n = 1000;
        for (provider, v) in providers() {
            let start = std::time::Instant::now();
            for _ in 0..n {
                v.verify(spki, p.algorithm, p.tbs, p.signature, DEFAULT)
                    .unwrap();
            }
            let us = start.elapsed().as_secs_f64() * 1e6 / f64::from(n);
            println!("{what}, {provider}: {us:.1} µs/verify");
        }
    };
    time(
        "rsa-2048 sha-256 (demo alice)",
        &demo("leaves/alice.pem"),
        &demo("ca/smime-ca-2024.pem"),
    );
    let root = demo("ca/root.cer");
    time("rsa-3072 sha-256 (demo root)", &root, &root);
    let nonull = fixture("rsa2048-sha256-nonull.der");
    time(
        "rsa-2048 sha-256, digestinfo without null",
        &nonull,
        &nonull,
    );
    let pss = fixture("rsa-pss-sha256.der");
    time("rsa-2048 pss sha-256", &pss, &pss);
    time(
        "ecdsa p-256 sha-256 (demo carol)",
        &demo("leaves/carol.pem"),
        &demo("ca/smime-ca-2019-expired.pem"),
    );
    let p384 = fixture("p384-sha384.der");
    time("ecdsa p-384 sha-384", &p384, &p384);
    let p521 = fixture("p521-sha512.der");
    time("ecdsa p-521 sha-512", &p521, &p521);
    let dsa = fixture("dsa2048-sha256.der");
    time("dsa-2048 sha-256", &dsa, &dsa);
    if let Some(dir) = shared("speed", "sst/inputs") {
        let ed = cert_file(&dir.join("gen-ed25519-selfsigned.der"));
        time("ed25519", &ed, &ed);
    }
}
