//! A fast [`SignatureVerifier`]: [ring](https://docs.rs/ring/0.17) 0.17 where it computes
//! exactly what [`RustCrypto`](super::RustCrypto) computes, RustCrypto for everything else.
//! Feature `ring`, off by default: `sig::AwsLc` (feature `aws-lc`) is about 15–20% faster per
//! S/MIME message (ring has no prepared RSA keys: it rebuilds the modulus's Montgomery
//! constants on every call); with both features on, `AwsLc` is the default.
//!
//! Every provider shares the front half (`sig::front`: the algorithm identifier, the key
//! encoding and the [`AlgorithmPolicy`]), so what the policy or an encoding decides is decided
//! identically, with the same [`Reason`](crate::Reason) and detail. Only the arithmetic differs:
//!
//! | operation | ring | otherwise (RustCrypto) |
//! | --- | --- | --- |
//! | RSA PKCS #1 v1.5, SHA-1/256/512, 1024–8192 bits; SHA-384, 2048–8192 bits | yes | SHA-224; SHA-384 under 2048 bits; over 8192 bits; DigestInfo without NULL |
//! | RSASSA-PSS, SHA-256/384/512, MGF1 with the same hash, salt length = hash length, 2048–8192 bits | yes | every other parameter set or size |
//! | ECDSA P-256 and P-384 with SHA-256 or SHA-384, uncompressed points | yes | SHA-1, SHA-224, SHA-512; P-521; compressed points |
//! | Ed25519 | no: ring accepts small-order keys and `R` values that `verify_strict` rejects | always |
//! | DSA | no | always |
//!
//! ring answers only "verified" or "not": when it does not verify (a bad signature, a key it
//! refuses, the DigestInfo variant without the NULL parameters, which ring does not accept), the
//! same operation is handed to RustCrypto, whose answer (and error reason) is final. A
//! signature ring verifies is one RustCrypto verifies too: ring's RSA key checks (odd modulus,
//! odd exponent from 3 to 2^33 - 1) are the `rsa` crate's, ring is only asked within its size
//! limits, and the signature encodings it accepts are a subset of RustCrypto's.
//! Everything else gets RustCrypto's exact outcome, so the providers agree (the tests compare
//! them on every corpus signature and on thousands of mutations); a failing signature costs
//! both.
//!
//! Measured (release, 2-core machine shared with other builds; `cargo bench -p smimetrust-chain
//! --bench verify`): RSA-2048 PKCS #1 v1.5 SHA-256 about 18–20 µs against 48–53 µs for
//! RustCrypto (ring called directly: the same, the front half costs well under 1 µs), ECDSA
//! P-256 40–60 µs against 155–165 µs; ring's P-384 is no faster than `p384` (about 500 µs
//! each).

use ::ring::signature as ring_sig;

use super::front::{Curve, Hash, Op, RsaOp, RsaPadding, bit_len};
use super::{AlgorithmPolicy, SignatureVerifier, Weakness, rustcrypto};
use crate::reason::Invalid;

/// The ring signature verification provider (the default with the `ring` feature and without
/// `aws-lc`, which is faster: see `sig::AwsLc`): ring 0.17 for RSA PKCS #1 v1.5 and PSS, ECDSA
/// P-256/P-384, with [`RustCrypto`](super::RustCrypto) as the fallback for the rest and for
/// whatever ring does not verify. Its outcomes are [`RustCrypto`](super::RustCrypto)'s; see the
/// [module documentation](self).
///
/// ```
/// use smimetrust_chain::Reason;
/// use smimetrust_chain::sig::{AlgorithmPolicy, Ring, SignatureVerifier};
///
/// // md5WithRSAEncryption is always rejected, before the key is looked at.
/// let md5_with_rsa = [0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01,
///     0x04, 0x05, 0x00];
/// let err = Ring.verify(&[], &md5_with_rsa, b"tbs", &[], AlgorithmPolicy::DEFAULT)
///     .unwrap_err();
/// assert_eq!(err.reason, Reason::WeakAlgorithm);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Ring;

/// ring's largest RSA modulus, in bits.
const RING_RSA_MAX_BITS: usize = 8192;
/// ring's smallest RSA modulus for its legacy PKCS #1 v1.5 parameters, in bits.
const RING_RSA_LEGACY_MIN_BITS: usize = 1024;
/// ring's smallest RSA modulus for PSS and PKCS #1 v1.5 with SHA-384, in bits.
const RING_RSA_MIN_BITS: usize = 2048;

/// The ring parameters that compute exactly `padding` for a modulus of `bits` bits, if any.
fn rsa_parameters(padding: RsaPadding, bits: usize) -> Option<&'static ring_sig::RsaParameters> {
    if !(RING_RSA_LEGACY_MIN_BITS..=RING_RSA_MAX_BITS).contains(&bits) {
        return None;
    }
    let strong = bits >= RING_RSA_MIN_BITS;
    match padding {
        RsaPadding::Pkcs1(Hash::Sha1) => {
            Some(&ring_sig::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY)
        }
        RsaPadding::Pkcs1(Hash::Sha256) => {
            Some(&ring_sig::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY)
        }
        RsaPadding::Pkcs1(Hash::Sha384) if strong => Some(&ring_sig::RSA_PKCS1_2048_8192_SHA384),
        RsaPadding::Pkcs1(Hash::Sha512) => {
            Some(&ring_sig::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY)
        }
        // ring's PSS: MGF1 with the message hash (the front half allows nothing else), salt
        // length equal to the hash length, trailer field 1.
        RsaPadding::Pss(p) if strong && p.salt_len == p.hash.output_len() => match p.hash {
            Hash::Sha256 => Some(&ring_sig::RSA_PSS_2048_8192_SHA256),
            Hash::Sha384 => Some(&ring_sig::RSA_PSS_2048_8192_SHA384),
            Hash::Sha512 => Some(&ring_sig::RSA_PSS_2048_8192_SHA512),
            Hash::Sha1 | Hash::Sha224 => None,
        },
        _ => None,
    }
}

/// Whether ring verifies the RSA signature (`false`: not verified, or not ring's to do).
fn rsa_verifies(op: &RsaOp<'_>, message: &[u8], signature: &[u8]) -> bool {
    let Some(parameters) = rsa_parameters(op.padding, bit_len(op.n)) else {
        return false;
    };
    // A signature shorter than the modulus lost leading zero octets: put them back, as
    // RustCrypto does (ring wants exactly the modulus length).
    let k = op.n.len();
    let mut padded = [0u8; RING_RSA_MAX_BITS / 8];
    let signature = if !signature.is_empty() && signature.len() < k {
        match padded.get_mut(k - signature.len()..k) {
            Some(tail) => tail.copy_from_slice(signature),
            None => return false,
        }
        padded.get(..k).unwrap_or_default()
    } else {
        signature
    };
    ring_sig::RsaPublicKeyComponents { n: op.n, e: op.e }
        .verify(parameters, message, signature)
        .is_ok()
}

/// The ring ECDSA algorithm for `curve` with `hash` (DER `ECDSA-Sig-Value`), if it has one.
fn ecdsa_algorithm(
    curve: Curve,
    hash: Hash,
) -> Option<&'static ring_sig::EcdsaVerificationAlgorithm> {
    match (curve, hash) {
        (Curve::P256, Hash::Sha256) => Some(&ring_sig::ECDSA_P256_SHA256_ASN1),
        (Curve::P256, Hash::Sha384) => Some(&ring_sig::ECDSA_P256_SHA384_ASN1),
        (Curve::P384, Hash::Sha256) => Some(&ring_sig::ECDSA_P384_SHA256_ASN1),
        (Curve::P384, Hash::Sha384) => Some(&ring_sig::ECDSA_P384_SHA384_ASN1),
        _ => None,
    }
}

/// Whether ring verifies the operation (`false`: not verified, or not ring's to do).
fn ring_verifies(op: &Op<'_>, message: &[u8], signature: &[u8]) -> bool {
    match op {
        Op::Rsa(rsa) => rsa_verifies(rsa, message, signature),
        Op::Ecdsa { curve, hash, point } => ecdsa_algorithm(*curve, *hash).is_some_and(|alg| {
            ring_sig::UnparsedPublicKey::new(alg, point)
                .verify(message, signature)
                .is_ok()
        }),
        Op::Ed25519 { .. } | Op::Dsa(_) => false,
    }
}

impl SignatureVerifier for Ring {
    fn verify(
        &self,
        spki: &[u8],
        algorithm: &[u8],
        message: &[u8],
        signature: &[u8],
        policy: AlgorithmPolicy,
    ) -> Result<Vec<Weakness>, Invalid> {
        rustcrypto::verify_fast_first(spki, algorithm, message, signature, policy, ring_verifies)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sig::front::PssParams;

    #[test]
    fn ring_parameters_only_where_ring_computes_the_same() {
        let pkcs1 = RsaPadding::Pkcs1;
        assert!(rsa_parameters(pkcs1(Hash::Sha256), 2048).is_some());
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
        assert!(ecdsa_algorithm(Curve::P256, Hash::Sha256).is_some());
        assert!(ecdsa_algorithm(Curve::P384, Hash::Sha256).is_some());
        assert!(ecdsa_algorithm(Curve::P256, Hash::Sha512).is_none());
        assert!(ecdsa_algorithm(Curve::P521, Hash::Sha512).is_none());
    }

    /// The fast path is taken where it should be (and not where it should not), for real
    /// signatures: self-signed fixtures of `tests/data/sig`.
    #[test]
    fn ring_does_the_math_it_can() {
        use der::{Decode, Encode};
        let fixture = |name: &str| {
            let path = format!("{}/tests/data/sig/{name}", env!("CARGO_MANIFEST_DIR"));
            std::fs::read(path).expect("fixture")
        };
        for (name, by_ring) in [
            ("rsa2048-sha512.der", true),
            ("rsa2048-sha1.der", true),
            ("rsa1024-sha256.der", true),
            ("rsa-pss-sha256.der", true),
            ("rsa-pss-sha384-psskey.der", true),
            ("p384-sha384.der", true),
            ("p384-sha256.der", true),
            // Not ring's: SHA-224, DigestInfo without NULL, P-256 with SHA-1, P-521, DSA.
            ("rsa2048-sha224.der", false),
            ("rsa2048-sha256-nonull.der", false),
            ("p256-sha1.der", false),
            ("p521-sha512.der", false),
            ("dsa2048-sha256.der", false),
        ] {
            let der = fixture(name);
            let parts = crate::signed_parts(&der).expect("certificate");
            let cert = x509_cert::Certificate::from_der(&der).expect("certificate");
            let spki = cert
                .tbs_certificate()
                .subject_public_key_info()
                .to_der()
                .expect("spki");
            let prepared =
                crate::sig::front::prepare(&spki, parts.algorithm, AlgorithmPolicy::DEFAULT)
                    .expect("prepared");
            assert_eq!(
                ring_verifies(&prepared.op, parts.tbs, parts.signature),
                by_ring,
                "{name}"
            );
            // Whoever does the math, the signature verifies.
            assert!(
                Ring.verify(
                    &spki,
                    parts.algorithm,
                    parts.tbs,
                    parts.signature,
                    AlgorithmPolicy::DEFAULT
                )
                .is_ok(),
                "{name}"
            );
            // A flipped bit: ring does not verify it, RustCrypto says why.
            let mut flipped = parts.signature.to_vec();
            if let Some(last) = flipped.last_mut() {
                *last ^= 1;
            }
            assert!(!ring_verifies(&prepared.op, parts.tbs, &flipped), "{name}");
        }
    }

    /// Why Ed25519 is not ring's: with the identity as the key, `R` the identity and `s = 0`,
    /// ring verifies any message (it has no small-order checks); `verify_strict` does not, so
    /// neither does `Ring`.
    #[test]
    fn ed25519_small_order_points_stay_rejected() {
        let mut identity = [0u8; 32];
        identity[0] = 1;
        let mut signature = [0u8; 64];
        signature[0] = 1;
        assert!(
            ring_sig::UnparsedPublicKey::new(&ring_sig::ED25519, &identity)
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
        let ours = Ring.verify(&spki, &alg, b"any message", &signature, policy);
        let theirs =
            super::super::RustCrypto.verify(&spki, &alg, b"any message", &signature, policy);
        assert_eq!(ours, theirs);
        assert_eq!(
            ours.map_err(|e| e.reason),
            Err(crate::reason::Reason::BadSignature)
        );
    }
}
