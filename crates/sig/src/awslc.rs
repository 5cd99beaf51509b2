//! The fastest [`SignatureVerifier`]: [aws-lc-rs](https://docs.rs/aws-lc-rs/1.19) 1.19
//! (AWS-LC) where it computes exactly what [`RustCrypto`](crate::RustCrypto) computes,
//! RustCrypto for everything else.
//!
//! Every provider shares the front half (module `front`: the algorithm identifier, the key
//! encoding and the [`AlgorithmPolicy`]), so what the policy or an encoding decides is decided
//! identically, with the same [`Reason`](crate::Reason) and detail. Only the arithmetic differs:
//!
//! | operation | aws-lc | otherwise (RustCrypto) |
//! | --- | --- | --- |
//! | RSA PKCS #1 v1.5, SHA-1/256/512, 1024–8192 bits; SHA-384, 2048–8192 bits | yes | SHA-224; SHA-384 under 2048 bits; over 8192 bits; DigestInfo without NULL |
//! | RSASSA-PSS, SHA-256/384/512, MGF1 with the same hash, salt length = hash length, 2048–8192 bits | yes | every other parameter set or size |
//! | ECDSA P-256 with SHA-1/256/384/512, P-384 with SHA-256/384/512, P-521 with SHA-1/224/256/384/512; uncompressed points | yes | P-256 or P-384 with SHA-224, P-384 with SHA-1; compressed points |
//! | Ed25519 | no: AWS-LC accepts small-order keys and `R` values that `verify_strict` rejects | always |
//! | DSA | no (aws-lc-rs has no DSA verification) | always |
//!
//! aws-lc answers only "verified" or "not": when it does not verify (a bad signature, a key it
//! refuses, the DigestInfo variant without the NULL parameters, which AWS-LC does not accept),
//! the same operation is handed to RustCrypto, whose answer (and error reason) is final. A
//! signature aws-lc verifies is one RustCrypto verifies too: AWS-LC's RSA key checks (odd
//! modulus, odd exponent from 3 to 2^33 - 1) are the `rsa` crate's (which also wants `e < n`,
//! true of any such exponent with a modulus of 1024 bits or more), aws-lc is only asked within
//! its size limits, its PKCS #1 v1.5 and PSS checks are exact (the whole encoded
//! message, the salt length), and the signature encodings it accepts are a subset of
//! RustCrypto's (an RSA signature of exactly the modulus length, shorter ones left-padded here
//! as RustCrypto does; a DER `ECDSA-Sig-Value` with `0 < r, s < n`). aws-lc is handed only the
//! modulus and exponent, or an uncompressed point of the curve's length, never an encoding it
//! would parse itself (aws-lc-rs also reads a SubjectPublicKeyInfo where a point is expected).
//! Everything else gets RustCrypto's exact outcome, so the providers agree (the tests compare
//! them on every corpus signature and on thousands of mutations); a failing signature costs
//! both.
//!
//! RSA keys are prepared (`ParsedPublicKey`: the key built once, and AWS-LC keeps the
//! Montgomery constants of the modulus with it after its first verification) on their second
//! use, and kept in a small cache by parameters, modulus and exponent: a batch of S/MIME
//! messages verifies hundreds of leaf certificates with the same CA key, and a prepared key
//! verifies faster; but each message's own signature is by a key used once, and preparing and
//! caching that costs more than verifying without (so a key used once is only noted, by a 64-bit
//! fingerprint). ECDSA keys are not cached (preparing saves little). The figures behind these
//! choices, and for each provider: `docs/performance.md`.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, LazyLock, Mutex};

use aws_lc_rs::signature as aws;

use crate::front::{Curve, Hash, Op, RsaOp, RsaPadding, bit_len};
use crate::{AlgorithmPolicy, Error, SignatureVerifier, Weakness, rustcrypto};

/// The fastest signature verification provider (the default with the `aws-lc` feature):
/// aws-lc-rs for RSA PKCS #1 v1.5 and PSS and ECDSA P-256/P-384/P-521, with
/// [`RustCrypto`](crate::RustCrypto) as the fallback for the rest and for whatever aws-lc does
/// not verify. Its outcomes are [`RustCrypto`](crate::RustCrypto)'s; see the
/// [module documentation](self).
///
/// ```
/// use smimetrust_sig::Reason;
/// use smimetrust_sig::{AlgorithmPolicy, AwsLc, SignatureVerifier};
///
/// // md5WithRSAEncryption is always rejected, before the key is looked at.
/// let md5_with_rsa = [0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01,
///     0x04, 0x05, 0x00];
/// let err = AwsLc.verify(&[], &md5_with_rsa, b"tbs", &[], AlgorithmPolicy::DEFAULT)
///     .unwrap_err();
/// assert_eq!(err.reason, Reason::WeakAlgorithm);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct AwsLc;

/// aws-lc-rs's largest RSA modulus, in bits.
const AWS_RSA_MAX_BITS: usize = 8192;
/// aws-lc-rs's smallest RSA modulus for its legacy PKCS #1 v1.5 parameters, in bits.
const AWS_RSA_LEGACY_MIN_BITS: usize = 1024;
/// aws-lc-rs's smallest RSA modulus for PSS and PKCS #1 v1.5 with SHA-384, in bits.
const AWS_RSA_MIN_BITS: usize = 2048;

/// The aws-lc-rs RSA parameters this provider uses; the discriminant is part of the cache key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RsaParams {
    Pkcs1Sha1,
    Pkcs1Sha256,
    Pkcs1Sha384,
    Pkcs1Sha512,
    PssSha256,
    PssSha384,
    PssSha512,
}

impl RsaParams {
    fn get(self) -> &'static aws::RsaParameters {
        match self {
            RsaParams::Pkcs1Sha1 => &aws::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY,
            RsaParams::Pkcs1Sha256 => &aws::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY,
            RsaParams::Pkcs1Sha384 => &aws::RSA_PKCS1_2048_8192_SHA384,
            RsaParams::Pkcs1Sha512 => &aws::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY,
            RsaParams::PssSha256 => &aws::RSA_PSS_2048_8192_SHA256,
            RsaParams::PssSha384 => &aws::RSA_PSS_2048_8192_SHA384,
            RsaParams::PssSha512 => &aws::RSA_PSS_2048_8192_SHA512,
        }
    }
}

/// The aws-lc-rs parameters that compute exactly `padding` for a modulus of `bits` bits, if
/// any.
fn rsa_parameters(padding: RsaPadding, bits: usize) -> Option<RsaParams> {
    if !(AWS_RSA_LEGACY_MIN_BITS..=AWS_RSA_MAX_BITS).contains(&bits) {
        return None;
    }
    let strong = bits >= AWS_RSA_MIN_BITS;
    match padding {
        RsaPadding::Pkcs1(Hash::Sha1) => Some(RsaParams::Pkcs1Sha1),
        RsaPadding::Pkcs1(Hash::Sha256) => Some(RsaParams::Pkcs1Sha256),
        RsaPadding::Pkcs1(Hash::Sha384) if strong => Some(RsaParams::Pkcs1Sha384),
        RsaPadding::Pkcs1(Hash::Sha512) => Some(RsaParams::Pkcs1Sha512),
        // aws-lc-rs's PSS: MGF1 with the message hash (the front half allows nothing else),
        // salt length equal to the hash length, trailer field 1.
        RsaPadding::Pss(p) if strong && p.salt_len == p.hash.output_len() => match p.hash {
            Hash::Sha256 => Some(RsaParams::PssSha256),
            Hash::Sha384 => Some(RsaParams::PssSha384),
            Hash::Sha512 => Some(RsaParams::PssSha512),
            Hash::Sha1 | Hash::Sha224 => None,
        },
        _ => None,
    }
}

/// RSA keys prepared by aws-lc-rs, found by parameters, modulus and exponent: a batch verifies
/// many signatures by the same few CA keys. A key is prepared on its second use: most keys of a
/// batch (the message signers') are used once, and preparing one that is not used again costs
/// more than it saves.
///
/// Keys are filed under a cheap [`fingerprint`] and compared whole: building a 262-byte id of
/// each RSA-2048 key and hashing it (twice for a new key) cost more than the rest of the
/// lookup. Keys made to share a fingerprint only cost time: at most [`PER_FINGERPRINT`] are
/// kept under one, and one noted as seen may be prepared early.
#[derive(Default)]
struct KeyCache {
    /// The prepared keys, by fingerprint.
    keys: HashMap<u64, Vec<PreparedKey>>,
    /// Prepared keys kept.
    len: usize,
    /// Fingerprints of the keys used once and not prepared.
    seen: HashSet<u64>,
}

/// A key aws-lc-rs has prepared, with what it was prepared from.
struct PreparedKey {
    params: RsaParams,
    n: Box<[u8]>,
    e: Box<[u8]>,
    key: Arc<aws::ParsedPublicKey>,
}

/// A key to look up: parameters, modulus, exponent.
#[derive(Clone, Copy)]
struct KeyRef<'a> {
    params: RsaParams,
    n: &'a [u8],
    e: &'a [u8],
}

impl KeyRef<'_> {
    fn is(&self, k: &PreparedKey) -> bool {
        k.params == self.params && *k.n == *self.n && *k.e == *self.e
    }

    /// The parameters, the modulus's length and last 16 octets (as random as any other of a
    /// real modulus), the exponent's length and last 8 octets.
    fn fingerprint(&self) -> u64 {
        let tail = |b: &[u8], n: usize| -> u64 {
            b.get(b.len().saturating_sub(n)..)
                .unwrap_or_default()
                .iter()
                .fold(0u64, |h, &x| h.rotate_left(8) ^ u64::from(x))
        };
        let lengths = (self.n.len() as u64) << 16 | (self.e.len() as u64) << 8 | self.params as u64;
        tail(self.n, 16)
            ^ tail(self.n, 8).rotate_left(32)
            ^ tail(self.e, 8).rotate_left(16)
            ^ lengths
    }
}

/// What the cache knows of a key.
enum Lookup {
    /// Prepared.
    Prepared(Arc<aws::ParsedPublicKey>),
    /// Used before: to prepare (and cache) now.
    Again,
    /// Not used before (now noted), or the cache is unavailable: verify without preparing.
    First,
}

static RSA_KEYS: LazyLock<Mutex<KeyCache>> = LazyLock::new(Default::default);
/// Prepared keys kept at most; emptied when full (simple, and bounded).
const RSA_KEY_CACHE: usize = 256;
/// Prepared keys kept under one fingerprint at most.
const PER_FINGERPRINT: usize = 4;
/// Fingerprints of keys used once kept at most; emptied when full.
const RSA_KEYS_SEEN: usize = 4096;

fn lookup(key: KeyRef<'_>) -> Lookup {
    let Ok(mut cache) = RSA_KEYS.lock() else {
        return Lookup::First;
    };
    let fingerprint = key.fingerprint();
    if let Some(found) = cache
        .keys
        .get(&fingerprint)
        .and_then(|list| list.iter().find(|k| key.is(k)))
    {
        return Lookup::Prepared(found.key.clone());
    }
    if cache.seen.remove(&fingerprint) {
        return Lookup::Again;
    }
    if cache.seen.len() >= RSA_KEYS_SEEN {
        cache.seen.clear();
    }
    cache.seen.insert(fingerprint);
    Lookup::First
}

fn remember(key: KeyRef<'_>, prepared: Arc<aws::ParsedPublicKey>) {
    let Ok(mut cache) = RSA_KEYS.lock() else {
        return;
    };
    if cache.len >= RSA_KEY_CACHE {
        cache.keys.clear();
        cache.len = 0;
    }
    let list = cache.keys.entry(key.fingerprint()).or_default();
    if list.len() < PER_FINGERPRINT && !list.iter().any(|k| key.is(k)) {
        list.push(PreparedKey {
            params: key.params,
            n: key.n.into(),
            e: key.e.into(),
            key: prepared,
        });
        cache.len += 1;
    }
}

/// Whether aws-lc verifies the RSA signature (`false`: not verified, or not aws-lc's to do).
fn rsa_verifies(op: &RsaOp<'_>, message: &[u8], signature: &[u8]) -> bool {
    let Some(params) = rsa_parameters(op.padding, bit_len(op.n)) else {
        return false;
    };
    // A signature shorter than the modulus lost leading zero octets: put them back, as
    // RustCrypto does (AWS-LC wants exactly the modulus length).
    let k = op.n.len();
    let mut padded = [0u8; AWS_RSA_MAX_BITS / 8];
    let signature = if !signature.is_empty() && signature.len() < k {
        match padded.get_mut(k - signature.len()..k) {
            Some(tail) => tail.copy_from_slice(signature),
            None => return false,
        }
        padded.get(..k).unwrap_or_default()
    } else {
        signature
    };
    let components = aws::RsaPublicKeyComponents { n: op.n, e: op.e };
    let id = KeyRef {
        params,
        n: op.n,
        e: op.e,
    };
    match lookup(id) {
        Lookup::Prepared(key) => key.verify_sig(message, signature).is_ok(),
        Lookup::First => components.verify(params.get(), message, signature).is_ok(),
        Lookup::Again => match components.to_parsed_public_key(params.get()) {
            Ok(key) => {
                let key = Arc::new(key);
                remember(id, key.clone());
                key.verify_sig(message, signature).is_ok()
            }
            Err(_) => false,
        },
    }
}

/// The aws-lc-rs ECDSA algorithm for `curve` with `hash` (DER `ECDSA-Sig-Value`), if it has
/// one.
fn ecdsa_algorithm(curve: Curve, hash: Hash) -> Option<&'static aws::EcdsaVerificationAlgorithm> {
    match (curve, hash) {
        (Curve::P256, Hash::Sha1) => Some(&aws::ECDSA_P256_SHA1_ASN1),
        (Curve::P256, Hash::Sha256) => Some(&aws::ECDSA_P256_SHA256_ASN1),
        (Curve::P256, Hash::Sha384) => Some(&aws::ECDSA_P256_SHA384_ASN1),
        (Curve::P256, Hash::Sha512) => Some(&aws::ECDSA_P256_SHA512_ASN1),
        (Curve::P384, Hash::Sha256) => Some(&aws::ECDSA_P384_SHA256_ASN1),
        (Curve::P384, Hash::Sha384) => Some(&aws::ECDSA_P384_SHA384_ASN1),
        (Curve::P384, Hash::Sha512) => Some(&aws::ECDSA_P384_SHA512_ASN1),
        (Curve::P521, Hash::Sha1) => Some(&aws::ECDSA_P521_SHA1_ASN1),
        (Curve::P521, Hash::Sha224) => Some(&aws::ECDSA_P521_SHA224_ASN1),
        (Curve::P521, Hash::Sha256) => Some(&aws::ECDSA_P521_SHA256_ASN1),
        (Curve::P521, Hash::Sha384) => Some(&aws::ECDSA_P521_SHA384_ASN1),
        (Curve::P521, Hash::Sha512) => Some(&aws::ECDSA_P521_SHA512_ASN1),
        _ => None,
    }
}

/// Whether `point` is an uncompressed SEC 1 point of `curve`'s length (`04 || x || y`): the
/// only encoding handed to aws-lc-rs, which would also read other encodings (a compressed
/// point, a whole SubjectPublicKeyInfo).
fn uncompressed_point(curve: Curve, point: &[u8]) -> bool {
    let coordinate = match curve {
        Curve::P256 => 32,
        Curve::P384 => 48,
        Curve::P521 => 66,
    };
    point.first() == Some(&0x04) && point.len() == 1 + 2 * coordinate
}

/// Whether aws-lc verifies the operation (`false`: not verified, or not aws-lc's to do).
fn aws_verifies(op: &Op<'_>, message: &[u8], signature: &[u8]) -> bool {
    match op {
        Op::Rsa(rsa) => rsa_verifies(rsa, message, signature),
        Op::Ecdsa { curve, hash, point } => {
            uncompressed_point(*curve, point)
                && ecdsa_algorithm(*curve, *hash).is_some_and(|alg| {
                    aws::UnparsedPublicKey::new(alg, point)
                        .verify(message, signature)
                        .is_ok()
                })
        }
        Op::Ed25519 { .. } | Op::Dsa(_) => false,
    }
}

impl SignatureVerifier for AwsLc {
    fn verify(
        &self,
        spki: &[u8],
        algorithm: &[u8],
        message: &[u8],
        signature: &[u8],
        policy: AlgorithmPolicy,
    ) -> Result<Vec<Weakness>, Error> {
        rustcrypto::verify_fast_first(spki, algorithm, message, signature, policy, aws_verifies)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::front::PssParams;

    #[test]
    fn aws_lc_parameters_only_where_aws_lc_computes_the_same() {
        let pkcs1 = RsaPadding::Pkcs1;
        assert_eq!(
            rsa_parameters(pkcs1(Hash::Sha256), 2048),
            Some(RsaParams::Pkcs1Sha256)
        );
        assert!(rsa_parameters(pkcs1(Hash::Sha256), 1024).is_some());
        assert!(rsa_parameters(pkcs1(Hash::Sha1), 1024).is_some());
        assert!(rsa_parameters(pkcs1(Hash::Sha224), 2048).is_none());
        assert!(rsa_parameters(pkcs1(Hash::Sha384), 1536).is_none());
        assert!(rsa_parameters(pkcs1(Hash::Sha384), 2048).is_some());
        assert!(rsa_parameters(pkcs1(Hash::Sha512), 8192).is_some());
        assert!(rsa_parameters(pkcs1(Hash::Sha512), 8193).is_none());
        assert!(rsa_parameters(pkcs1(Hash::Sha256), 1023).is_none());
        let pss = |hash: Hash, salt_len: usize| RsaPadding::Pss(PssParams { hash, salt_len });
        assert!(rsa_parameters(pss(Hash::Sha256, 32), 2048).is_some());
        assert!(rsa_parameters(pss(Hash::Sha256, 32), 1024).is_none());
        assert!(rsa_parameters(pss(Hash::Sha256, 20), 2048).is_none());
        assert!(rsa_parameters(pss(Hash::Sha384, 48), 3072).is_some());
        assert!(rsa_parameters(pss(Hash::Sha1, 20), 2048).is_none());
        // Each parameter set is aws-lc-rs's for that padding and hash.
        assert_eq!(
            RsaParams::Pkcs1Sha384.get(),
            &aws::RSA_PKCS1_2048_8192_SHA384
        );
        assert_eq!(RsaParams::PssSha512.get(), &aws::RSA_PSS_2048_8192_SHA512);
        assert!(ecdsa_algorithm(Curve::P256, Hash::Sha256).is_some());
        assert!(ecdsa_algorithm(Curve::P256, Hash::Sha224).is_none());
        assert!(ecdsa_algorithm(Curve::P384, Hash::Sha1).is_none());
        assert!(ecdsa_algorithm(Curve::P521, Hash::Sha512).is_some());
        let point = |first: u8, len: usize| {
            let mut p = vec![7u8; len];
            p[0] = first;
            p
        };
        assert!(uncompressed_point(Curve::P256, &point(4, 65)));
        assert!(!uncompressed_point(Curve::P256, &point(2, 33)));
        assert!(!uncompressed_point(Curve::P384, &point(4, 65)));
        assert!(uncompressed_point(Curve::P384, &point(4, 97)));
        assert!(uncompressed_point(Curve::P521, &point(4, 133)));
        assert!(!uncompressed_point(Curve::P521, &[]));
    }

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/tests/data/sig/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(path).expect("fixture")
    }

    /// The fast path is taken where it should be (and not where it should not), for real
    /// signatures: self-signed fixtures of `tests/data/sig`.
    #[test]
    fn aws_lc_does_the_math_it_can() {
        use der::{Decode, Encode};
        for (name, by_aws_lc) in [
            ("rsa2048-sha512.der", true),
            ("rsa2048-sha1.der", true),
            ("rsa1024-sha256.der", true),
            ("rsa-pss-sha256.der", true),
            ("rsa-pss-sha384-psskey.der", true),
            ("p384-sha384.der", true),
            ("p384-sha256.der", true),
            ("p521-sha512.der", true),
            ("p256-sha1.der", true),
            // Not aws-lc's: SHA-224, DigestInfo without NULL, DSA.
            ("rsa2048-sha224.der", false),
            ("rsa2048-sha256-nonull.der", false),
            ("dsa2048-sha256.der", false),
        ] {
            let der = fixture(name);
            let parts = smimetrust_x509::signed_parts(&der).expect("certificate");
            let cert = x509_cert::Certificate::from_der(&der).expect("certificate");
            let spki = cert
                .tbs_certificate()
                .subject_public_key_info()
                .to_der()
                .expect("spki");
            let prepared = crate::front::prepare(&spki, parts.algorithm, AlgorithmPolicy::DEFAULT)
                .expect("prepared");
            // Three times: not prepared, prepared (second use), the prepared key.
            for _ in 0..3 {
                assert_eq!(
                    aws_verifies(&prepared.op, parts.tbs, parts.signature),
                    by_aws_lc,
                    "{name}"
                );
            }
            // Whoever does the math, the signature verifies.
            assert!(
                AwsLc
                    .verify(
                        &spki,
                        parts.algorithm,
                        parts.tbs,
                        parts.signature,
                        AlgorithmPolicy::DEFAULT
                    )
                    .is_ok(),
                "{name}"
            );
            // A flipped bit: aws-lc does not verify it (with the cached key), RustCrypto says
            // why.
            let mut flipped = parts.signature.to_vec();
            if let Some(last) = flipped.last_mut() {
                *last ^= 1;
            }
            assert!(!aws_verifies(&prepared.op, parts.tbs, &flipped), "{name}");
            let mut message = parts.tbs.to_vec();
            if let Some(last) = message.last_mut() {
                *last ^= 1;
            }
            assert!(
                !aws_verifies(&prepared.op, &message, parts.signature),
                "{name}"
            );
        }
    }

    fn prepared() -> Arc<aws::ParsedPublicKey> {
        let key = aws::RsaPublicKeyComponents {
            n: &[0xc1; 256][..],
            e: &[1, 0, 1][..],
        }
        .to_parsed_public_key(RsaParams::PssSha384.get())
        .expect("an odd modulus");
        Arc::new(key)
    }

    /// A key is prepared on its second use, and found prepared from the third on.
    #[test]
    fn keys_are_prepared_on_their_second_use() {
        let id = KeyRef {
            params: RsaParams::PssSha384,
            n: b"a modulus of this test only",
            e: &[3],
        };
        assert!(matches!(lookup(id), Lookup::First));
        assert!(matches!(lookup(id), Lookup::Again));
        remember(id, prepared());
        assert!(matches!(lookup(id), Lookup::Prepared(_)));
        // Another parameter set with the same key is another entry.
        let other = KeyRef {
            params: RsaParams::PssSha256,
            ..id
        };
        assert!(matches!(lookup(other), Lookup::First));
    }

    /// Keys that share a fingerprint are told apart by their whole modulus; at most
    /// PER_FINGERPRINT of them are kept.
    #[test]
    fn keys_sharing_a_fingerprint_are_told_apart() {
        let moduli: Vec<Vec<u8>> = (0..8u8)
            .map(|i| {
                let mut n = vec![0x5a; 64];
                n[0] = i; // the fingerprint reads only the last 16 octets
                n
            })
            .collect();
        let key = |n: &'static [u8]| KeyRef {
            params: RsaParams::Pkcs1Sha512,
            n,
            e: &[7],
        };
        let moduli: &'static [Vec<u8>] = Box::leak(moduli.into_boxed_slice());
        assert!(
            moduli
                .windows(2)
                .all(|w| key(&w[0]).fingerprint() == key(&w[1]).fingerprint())
        );
        for n in moduli {
            remember(key(n), prepared());
        }
        let kept: Vec<bool> = moduli
            .iter()
            .map(|n| matches!(lookup(key(n)), Lookup::Prepared(_)))
            .collect();
        assert_eq!(kept.iter().filter(|&&k| k).count(), PER_FINGERPRINT);
        assert!(kept[..PER_FINGERPRINT].iter().all(|&k| k));
    }

    /// A cached key answers for its own parameters only: the same RSA key under another hash
    /// or padding is another entry.
    #[test]
    fn cached_keys_are_per_parameters() {
        use der::{Decode, Encode};
        let der = fixture("rsa2048-sha512.der");
        let parts = smimetrust_x509::signed_parts(&der).expect("certificate");
        let cert = x509_cert::Certificate::from_der(&der).expect("certificate");
        let spki = cert
            .tbs_certificate()
            .subject_public_key_info()
            .to_der()
            .expect("spki");
        let prepared = crate::front::prepare(&spki, parts.algorithm, AlgorithmPolicy::DEFAULT)
            .expect("prepared");
        let Op::Rsa(rsa) = prepared.op else {
            panic!("an rsa key");
        };
        assert!(rsa_verifies(&rsa, parts.tbs, parts.signature));
        for padding in [
            RsaPadding::Pkcs1(Hash::Sha256),
            RsaPadding::Pkcs1(Hash::Sha384),
            RsaPadding::Pss(PssParams {
                hash: Hash::Sha512,
                salt_len: 64,
            }),
        ] {
            let other = RsaOp { padding, ..rsa };
            assert!(
                !rsa_verifies(&other, parts.tbs, parts.signature),
                "{padding:?}"
            );
        }
        assert!(rsa_verifies(&rsa, parts.tbs, parts.signature));
    }

    /// A point encoding aws-lc-rs would read but RustCrypto does not is not handed to aws-lc:
    /// a subjectPublicKey that is itself a whole P-384 SubjectPublicKeyInfo.
    #[test]
    fn only_uncompressed_points_go_to_aws_lc() {
        use der::{Decode, Encode};
        let der = fixture("p384-sha384.der");
        let parts = smimetrust_x509::signed_parts(&der).expect("certificate");
        let cert = x509_cert::Certificate::from_der(&der).expect("certificate");
        let spki = cert
            .tbs_certificate()
            .subject_public_key_info()
            .to_der()
            .expect("spki");
        // aws-lc-rs itself verifies with the whole SPKI in place of the point.
        assert!(
            aws::UnparsedPublicKey::new(&aws::ECDSA_P384_SHA384_ASN1, &spki)
                .verify(parts.tbs, parts.signature)
                .is_ok()
        );
        let op = Op::Ecdsa {
            curve: Curve::P384,
            hash: Hash::Sha384,
            point: &spki,
        };
        assert!(!aws_verifies(&op, parts.tbs, parts.signature));
        assert!(rustcrypto::verify_op(&op, parts.tbs, parts.signature).is_err());
    }

    /// Why Ed25519 is not aws-lc's: with the identity as the key, `R` the identity and `s = 0`,
    /// AWS-LC verifies any message (it has no small-order checks); `verify_strict` does not, so
    /// neither does `AwsLc`.
    #[test]
    fn ed25519_small_order_points_stay_rejected() {
        let mut identity = [0u8; 32];
        identity[0] = 1;
        let mut signature = [0u8; 64];
        signature[0] = 1;
        assert!(
            aws::UnparsedPublicKey::new(&aws::ED25519, &identity)
                .verify(b"any message", &signature)
                .is_ok()
        );
        // SEQUENCE { SEQUENCE { id-Ed25519 }, BIT STRING { 0 unused bits, key } }
        let mut spki = vec![
            0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
        ];
        spki.extend_from_slice(&identity);
        let alg = [0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70];
        let policy = AlgorithmPolicy::DEFAULT;
        let ours = AwsLc.verify(&spki, &alg, b"any message", &signature, policy);
        let theirs = crate::RustCrypto.verify(&spki, &alg, b"any message", &signature, policy);
        assert_eq!(ours, theirs);
        assert_eq!(ours.map_err(|e| e.reason), Err(crate::Reason::BadSignature));
    }
}
