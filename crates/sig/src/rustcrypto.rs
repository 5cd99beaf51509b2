//! The pure-Rust [`SignatureVerifier`] over the RustCrypto crates (the default without the
//! `aws-lc` and `ring` features, and the fallback of `sig::AwsLc` and `sig::Ring` for what
//! aws-lc and ring do not do).
//!
//! | signature algorithm | key (SPKI) | hashes |
//! | --- | --- | --- |
//! | RSA PKCS #1 v1.5 (`sha*WithRSAEncryption`, OIW `sha1WithRSASignature`) | `rsaEncryption` | SHA-1, SHA-224/256/384/512 |
//! | RSASSA-PSS (parameters honoured: hash, MGF1 hash, salt length, trailer field 1) | `rsaEncryption` or `id-RSASSA-PSS` | the same |
//! | ECDSA (`ecdsa-with-SHA*`, DER `ECDSA-Sig-Value`) | `id-ecPublicKey` on P-256, P-384, P-521 | the same |
//! | Ed25519 (pure) | `id-Ed25519` | — |
//! | DSA (`dsa-with-sha1/224/256`) | `id-dsa` with parameters, L/N 1024/160, 2048/224, 2048/256, 3072/256 | SHA-1, SHA-224, SHA-256 |
//!
//! PKCS #1 v1.5 signatures verify whether the signer's DigestInfo carries the NULL hash
//! parameters or omits them (both are seen in the wild), and signatures one or more octets
//! shorter than the modulus (a leading zero octet dropped) are left-padded, as OpenSSL and
//! CryptoAPI do.
//!
//! Policy ([`AlgorithmPolicy`], in the front half every provider shares) is applied before any
//! public-key arithmetic, from the algorithm
//! identifier and the key alone: MD2/MD4/MD5, RSA keys under 1024 bits and DSA keys under 1024
//! bits are always [`Reason::WeakAlgorithm`]; SHA-1 and RSA/DSA keys under 2048 bits are
//! accepted with a [`Weakness`] by default and rejected under [`AlgorithmPolicy::STRICT`]. RSA
//! moduli over 16384 bits are [`Reason::BadPublicKey`] (they bound the work an input can ask
//! for).

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use const_oid::ObjectIdentifier;
use der::asn1::AnyRef;
use der::{Decode, Encode, Header, Length, Tag};
use signature::hazmat::PrehashVerifier;
use spki::AlgorithmIdentifierRef;

use super::front::{
    self, Curve, DsaOp, Hash, MIN_BITS, Op, RSA_MAX_BITS, RsaOp, RsaPadding, bad_key, bit_len,
};
use super::{AlgorithmPolicy, SignatureVerifier, Weakness, invalid};
use crate::{Error, Reason};

/// The pure-Rust signature verification provider over RustCrypto (`rsa`, `p256`,
/// `p384`, `p521`, `ed25519-dalek`, `dsa`). See the [module documentation](self) for what it
/// supports.
///
/// ```
/// use smimetrust_sig::Reason;
/// use smimetrust_sig::{AlgorithmPolicy, RustCrypto, SignatureVerifier};
///
/// // md5WithRSAEncryption is always rejected, before the key is looked at.
/// let md5_with_rsa = [0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01,
///     0x04, 0x05, 0x00];
/// let err = RustCrypto.verify(&[], &md5_with_rsa, b"tbs", &[], AlgorithmPolicy::DEFAULT)
///     .unwrap_err();
/// assert_eq!(err.reason, Reason::WeakAlgorithm);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct RustCrypto;

/// A big-endian unsigned integer as a `BoxedUint` of `precision` bits (`None` if it does not
/// fit).
fn boxed_uint(bytes: &[u8], precision: usize) -> Option<crypto_bigint::BoxedUint> {
    let precision = u32::try_from(precision).ok()?;
    crypto_bigint::BoxedUint::from_be_slice(bytes, precision).ok()
}

// ---- RSA ----

/// One hash's DigestInfo prefixes: with the NULL parameters, without (`None`: cannot happen,
/// `der` failed to encode it, and that variant is not tried).
type DigestInfoPrefixes = [Option<Box<[u8]>>; 2];

/// The DigestInfo prefixes (everything before the hash value) for each hash, with the NULL
/// hash parameters and without, encoded with `der`.
static DIGEST_INFO_PREFIXES: LazyLock<[DigestInfoPrefixes; 5]> = LazyLock::new(|| {
    Hash::ALL.map(|h| {
        [true, false].map(|null| {
            digest_info_prefix(h.oid(), h.output_len(), null)
                .ok()
                .map(Vec::into_boxed_slice)
        })
    })
});

/// `DigestInfo ::= SEQUENCE { AlgorithmIdentifier, OCTET STRING }` up to the hash value.
fn digest_info_prefix(oid: ObjectIdentifier, hash_len: usize, null: bool) -> der::Result<Vec<u8>> {
    let alg = AlgorithmIdentifierRef {
        oid,
        parameters: null.then_some(AnyRef::NULL),
    }
    .to_der()?;
    let hash_len = Length::try_from(hash_len)?;
    let octet_string = Header::new(Tag::OctetString, hash_len).to_der()?;
    let content_len =
        ((Length::try_from(alg.len())? + Length::try_from(octet_string.len())?)? + hash_len)?;
    let mut prefix = Header::new(Tag::Sequence, content_len).to_der()?;
    prefix.extend_from_slice(&alg);
    prefix.extend_from_slice(&octet_string);
    Ok(prefix)
}

/// The RSA back half: the key built (and cached), the signature checked.
fn verify_rsa(op: &RsaOp<'_>, hash: &[u8], signature: &[u8]) -> Result<(), Error> {
    use rsa::traits::PublicKeyParts;

    let key = rsa_key(op.n, op.e)?;
    // A signature shorter than the modulus lost leading zero octets: put them back.
    let k = key.size();
    let padded;
    let signature = if signature.len() < k && !signature.is_empty() {
        let mut v = vec![0u8; k];
        if let Some(tail) = v.get_mut(k - signature.len()..) {
            tail.copy_from_slice(signature);
        }
        padded = v;
        &padded[..]
    } else {
        signature
    };

    if let RsaPadding::Pss(p) = op.padding
        && p.salt_len > k
    {
        return Err(invalid(
            Reason::BadSignature,
            format!(
                "rsassa-pss salt length {} is longer than the modulus",
                p.salt_len
            ),
        ));
    }
    let ok = match op.padding {
        RsaPadding::Pkcs1(h) => {
            let prefixes = DIGEST_INFO_PREFIXES.get(h.index());
            prefixes.into_iter().flatten().flatten().any(|prefix| {
                let padding = rsa::Pkcs1v15Sign {
                    hash_len: Some(hash.len()),
                    prefix: prefix.clone(),
                };
                key.verify(padding, hash, signature).is_ok()
            })
        }
        RsaPadding::Pss(p) => {
            let salt = p.salt_len;
            match p.hash {
                Hash::Sha1 => {
                    key.verify(rsa::Pss::<sha1::Sha1>::new_with_salt(salt), hash, signature)
                }
                Hash::Sha224 => key.verify(
                    rsa::Pss::<sha2::Sha224>::new_with_salt(salt),
                    hash,
                    signature,
                ),
                Hash::Sha256 => key.verify(
                    rsa::Pss::<sha2::Sha256>::new_with_salt(salt),
                    hash,
                    signature,
                ),
                Hash::Sha384 => key.verify(
                    rsa::Pss::<sha2::Sha384>::new_with_salt(salt),
                    hash,
                    signature,
                ),
                Hash::Sha512 => key.verify(
                    rsa::Pss::<sha2::Sha512>::new_with_salt(salt),
                    hash,
                    signature,
                ),
            }
            .is_ok()
        }
    };
    if ok {
        Ok(())
    } else {
        Err(invalid(
            Reason::BadSignature,
            "rsa signature does not verify",
        ))
    }
}

/// Prepared RSA keys by their public key bits: building one (Montgomery parameters) costs about
/// a sixth of a verification, and a batch verifies many signatures by the same few CA keys.
static RSA_KEYS: LazyLock<Mutex<HashMap<Vec<u8>, Arc<rsa::PublicKey>>>> =
    LazyLock::new(Default::default);
/// Entries kept at most; the cache is emptied when full (simple, and bounded).
const RSA_KEY_CACHE: usize = 256;

fn rsa_key(n: &[u8], e: &[u8]) -> Result<Arc<rsa::PublicKey>, Error> {
    let mut id = Vec::with_capacity(n.len() + e.len() + 4);
    id.extend_from_slice(&u32::try_from(n.len()).unwrap_or(u32::MAX).to_le_bytes());
    id.extend_from_slice(n);
    id.extend_from_slice(e);
    if let Ok(cache) = RSA_KEYS.lock()
        && let Some(key) = cache.get(&id)
    {
        return Ok(key.clone());
    }
    let precision = n.len().saturating_mul(8);
    let (Some(n), Some(e)) = (
        boxed_uint(n, precision),
        boxed_uint(e, e.len().saturating_mul(8)),
    ) else {
        return Err(bad_key("rsa public key does not fit its size"));
    };
    let key = Arc::new(
        rsa::PublicKey::new_with_size_limits(n, e, MIN_BITS..=RSA_MAX_BITS)
            .map_err(|e| bad_key(format!("rsa public key rejected: {e}")))?,
    );
    if let Ok(mut cache) = RSA_KEYS.lock() {
        if cache.len() >= RSA_KEY_CACHE {
            cache.clear();
        }
        cache.insert(id, key.clone());
    }
    Ok(key)
}

// ---- ECDSA ----

fn verify_ecdsa(curve: Curve, point: &[u8], hash: &[u8], signature: &[u8]) -> Result<(), Error> {
    macro_rules! ecdsa_verify {
        ($curve:ident) => {{
            let key = $curve::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(|_| {
                bad_key(concat!(stringify!($curve), " public key point is invalid"))
            })?;
            let sig = $curve::ecdsa::Signature::from_der(signature).map_err(|_| {
                invalid(
                    Reason::BadSignature,
                    "ecdsa signature is not a valid der ecdsa-sig-value",
                )
            })?;
            key.verify_prehash(hash, &sig).is_ok()
        }};
    }

    let ok = match curve {
        Curve::P256 => ecdsa_verify!(p256),
        Curve::P384 => ecdsa_verify!(p384),
        Curve::P521 => ecdsa_verify!(p521),
    };
    if ok {
        Ok(())
    } else {
        Err(invalid(
            Reason::BadSignature,
            "ecdsa signature does not verify",
        ))
    }
}

// ---- Ed25519 ----

fn verify_ed25519(key: &[u8; 32], message: &[u8], signature: &[u8]) -> Result<(), Error> {
    let key = ed25519_dalek::VerifyingKey::from_bytes(key)
        .map_err(|_| bad_key("ed25519 public key point is invalid"))?;
    let sig: &[u8; 64] = signature
        .try_into()
        .map_err(|_| invalid(Reason::BadSignature, "ed25519 signature is not 64 octets"))?;
    let sig = ed25519_dalek::Signature::from_bytes(sig);
    key.verify_strict(message, &sig)
        .map_err(|_| invalid(Reason::BadSignature, "ed25519 signature does not verify"))
}

// ---- DSA ----

/// The precision the `dsa` crate expects for an integer of `bits` bits: whole 64-bit limbs.
fn limb_aligned(bits: usize) -> usize {
    bits.div_ceil(64).saturating_mul(64)
}

fn verify_dsa(op: &DsaOp<'_>, hash: &[u8], signature: &[u8]) -> Result<(), Error> {
    let DsaOp {
        p, q, g, y, l, n, ..
    } = *op;
    if bit_len(g) > l || bit_len(y) > l {
        return Err(bad_key("dsa g or y larger than p"));
    }
    // The signature is read before the key is checked (that costs a modular exponentiation).
    // r and s are below q: anything much longer than two of them is not a signature.
    let max_len = n.div_ceil(8).saturating_mul(2).saturating_add(16);
    if signature.len() > max_len {
        return Err(invalid(Reason::BadSignature, "dsa signature is too long"));
    }
    let sig = dsa::Signature::from_der(signature).map_err(|_| {
        invalid(
            Reason::BadSignature,
            "dsa signature is not a valid der dss-sig-value",
        )
    })?;
    let (lp, np) = (limb_aligned(l), limb_aligned(n));
    let (Some(p), Some(q), Some(g), Some(y)) = (
        boxed_uint(p, lp),
        boxed_uint(q, np),
        boxed_uint(g, lp),
        boxed_uint(y, lp),
    ) else {
        return Err(bad_key("dsa key does not fit its size"));
    };
    if y >= p {
        return Err(bad_key("dsa y is not less than p"));
    }
    let components = dsa::Components::from_components(p, q, g)
        .map_err(|_| bad_key("dsa parameters are invalid"))?;
    let key = dsa::VerifyingKey::from_components(components, y)
        .map_err(|_| bad_key("dsa public key is invalid"))?;

    key.verify_prehash(hash, &sig)
        .map_err(|_| invalid(Reason::BadSignature, "dsa signature does not verify"))
}

// ---- the provider ----

/// The RustCrypto back half for a prepared operation (also the fallback of the other
/// providers for what they do not do themselves).
pub(super) fn verify_op(op: &Op<'_>, message: &[u8], signature: &[u8]) -> Result<(), Error> {
    match op {
        Op::Rsa(rsa) => verify_rsa(
            rsa,
            rsa.padding.hash().digest(message).as_slice(),
            signature,
        ),
        Op::Ecdsa { curve, hash, point } => {
            verify_ecdsa(*curve, point, hash.digest(message).as_slice(), signature)
        }
        Op::Ed25519 { key } => verify_ed25519(key, message, signature),
        Op::Dsa(dsa) => verify_dsa(dsa, dsa.hash.digest(message).as_slice(), signature),
    }
}

impl SignatureVerifier for RustCrypto {
    fn verify(
        &self,
        spki: &[u8],
        algorithm: &[u8],
        message: &[u8],
        signature: &[u8],
        policy: AlgorithmPolicy,
    ) -> Result<Vec<Weakness>, Error> {
        let prepared = front::prepare(spki, algorithm, policy)?;
        verify_op(&prepared.op, message, signature)?;
        Ok(prepared.weaknesses)
    }
}

/// The providers' common flow: the front half, then `fast` (a faster library's arithmetic,
/// `false` when it does not verify or the operation is not its to do), then RustCrypto,
/// whose answer is final, for whatever `fast` did not verify.
#[cfg(feature = "aws-lc")]
pub(super) fn verify_fast_first(
    spki: &[u8],
    algorithm: &[u8],
    message: &[u8],
    signature: &[u8],
    policy: AlgorithmPolicy,
    fast: fn(&Op<'_>, &[u8], &[u8]) -> bool,
) -> Result<Vec<Weakness>, Error> {
    let prepared = front::prepare(spki, algorithm, policy)?;
    if !fast(&prepared.op, message, signature) {
        verify_op(&prepared.op, message, signature)?;
    }
    Ok(prepared.weaknesses)
}

#[cfg(test)]
mod tests {
    use der::Tag;
    use der::asn1::UintRef;
    use spki::SubjectPublicKeyInfoRef;

    use super::*;
    use crate::front::*;

    #[test]
    fn digest_info_prefixes_match_the_rsa_crate() {
        let want = [
            rsa::Pkcs1v15Sign::new::<sha1::Sha1>().prefix,
            rsa::Pkcs1v15Sign::new::<sha2::Sha224>().prefix,
            rsa::Pkcs1v15Sign::new::<sha2::Sha256>().prefix,
            rsa::Pkcs1v15Sign::new::<sha2::Sha384>().prefix,
            rsa::Pkcs1v15Sign::new::<sha2::Sha512>().prefix,
        ];
        for h in Hash::ALL {
            let [with_null, without_null] = &DIGEST_INFO_PREFIXES[h.index()];
            assert_eq!(with_null.as_deref(), Some(&want[h.index()][..]), "{h:?}");
            let without_null = without_null.as_deref().expect("encodes");
            // The same, less the two NULL octets (and two off each enclosing length).
            assert_eq!(without_null.len() + 2, want[h.index()].len());
            let alg = AlgorithmIdentifierRef::from_der(&without_null[2..without_null.len() - 2])
                .expect("algorithm identifier");
            assert_eq!(alg.oid, h.oid());
            assert!(alg.parameters.is_none());
            assert_eq!(h.digest(b"abc").as_slice().len(), h.output_len());
        }
    }

    #[test]
    fn bit_lengths() {
        assert_eq!(bit_len(&[]), 0);
        assert_eq!(bit_len(&[0, 0]), 0);
        assert_eq!(bit_len(&[1]), 1);
        assert_eq!(bit_len(&[0, 0x80, 0]), 16);
        assert_eq!(bit_len(&[0x7f, 0xff]), 15);
        assert_eq!(limb_aligned(160), 192);
        assert_eq!(limb_aligned(1024), 1024);
    }

    #[test]
    fn pss_parameters() {
        // RFC 4055 defaults: an empty SEQUENCE is SHA-1, MGF1-SHA-1, salt 20, trailer 1.
        let empty = AnyRef::new(Tag::Sequence, &[]).expect("any");
        assert_eq!(
            pss_params(empty),
            Ok(PssParams {
                hash: Hash::Sha1,
                salt_len: 20
            })
        );
        // Not a SEQUENCE.
        assert!(pss_params(AnyRef::NULL).is_err());
    }

    #[test]
    fn algorithm_identifiers() {
        let enc = |oid: ObjectIdentifier, params: Option<AnyRef<'_>>| {
            AlgorithmIdentifierRef {
                oid,
                parameters: params,
            }
            .to_der()
            .expect("encode")
        };
        assert_eq!(
            scheme(&enc(SHA256_WITH_RSA, Some(AnyRef::NULL))),
            Ok(Scheme::RsaPkcs1(Hash::Sha256))
        );
        assert_eq!(
            scheme(&enc(SHA256_WITH_RSA, None)),
            Ok(Scheme::RsaPkcs1(Hash::Sha256))
        );
        assert_eq!(
            scheme(&enc(OIW_SHA1_WITH_RSA, Some(AnyRef::NULL))),
            Ok(Scheme::RsaPkcs1(Hash::Sha1))
        );
        assert_eq!(
            scheme(&enc(ECDSA_WITH_SHA384, None)),
            Ok(Scheme::Ecdsa(Hash::Sha384))
        );
        assert_eq!(scheme(&enc(ID_ED25519, None)), Ok(Scheme::Ed25519));
        assert_eq!(
            scheme(&enc(ID_ED25519, Some(AnyRef::NULL))).map_err(|e| e.reason),
            Err(Reason::UnsupportedAlgorithm)
        );
        assert_eq!(
            scheme(&enc(DSA_WITH_SHA256, None)),
            Ok(Scheme::Dsa(Hash::Sha256))
        );
        for md in [MD2_WITH_RSA, MD5_WITH_RSA, OIW_MD5_WITH_RSA, MD4_WITH_RSA] {
            assert_eq!(
                scheme(&enc(md, Some(AnyRef::NULL))).map_err(|e| e.reason),
                Err(Reason::WeakAlgorithm)
            );
        }
        let unknown = scheme(&enc(oid("1.2.3.4"), None)).expect_err("unknown");
        assert_eq!(unknown.reason, Reason::UnsupportedAlgorithm);
        assert!(unknown.detail.contains("1.2.3.4"), "{}", unknown.detail);
        assert_eq!(
            scheme(&enc(ID_RSASSA_PSS, None)).map_err(|e| e.reason),
            Err(Reason::UnsupportedAlgorithm)
        );
        assert_eq!(
            scheme(&[0x30, 0x00]).map_err(|e| e.reason),
            Err(Reason::UnsupportedAlgorithm)
        );
    }

    /// An SPKI, encoded with `der`.
    fn spki(oid: ObjectIdentifier, params: Option<AnyRef<'_>>, key: &[u8]) -> Vec<u8> {
        SubjectPublicKeyInfoRef {
            algorithm: AlgorithmIdentifierRef {
                oid,
                parameters: params,
            },
            subject_public_key: der::asn1::BitStringRef::from_bytes(key).expect("bits"),
        }
        .to_der()
        .expect("encode")
    }

    fn alg(oid: ObjectIdentifier, params: Option<AnyRef<'_>>) -> Vec<u8> {
        AlgorithmIdentifierRef {
            oid,
            parameters: params,
        }
        .to_der()
        .expect("encode")
    }

    /// The content octets of a SEQUENCE of unsigned INTEGERs.
    fn integers(values: &[&[u8]]) -> Vec<u8> {
        let mut out = Vec::new();
        for v in values {
            out.extend(UintRef::new(v).expect("uint").to_der().expect("encode"));
        }
        out
    }

    fn check(spki: &[u8], alg: &[u8], sig: &[u8]) -> Result<Vec<Weakness>, Reason> {
        RustCrypto
            .verify(spki, alg, b"message", sig, AlgorithmPolicy::DEFAULT)
            .map_err(|e| e.reason)
    }

    #[test]
    fn dsa_key_sizes() {
        let y = integers(&[&[3]]);
        let dsa_sha256 = alg(DSA_WITH_SHA256, None);
        let dsa = |p_len: usize, q_len: usize| {
            let (p, q) = (vec![0xf1; p_len], vec![0xf1; q_len]);
            let content = integers(&[&p, &q, &[2]]);
            let params = AnyRef::new(Tag::Sequence, &content).expect("any");
            spki(ID_DSA, Some(params), &y)
        };
        // 512 bits: always weak, before any arithmetic.
        assert_eq!(
            check(&dsa(64, 20), &dsa_sha256, &[]),
            Err(Reason::WeakAlgorithm)
        );
        // 1024/256 is not a FIPS 186 size.
        assert_eq!(
            check(&dsa(128, 32), &dsa_sha256, &[]),
            Err(Reason::UnsupportedAlgorithm)
        );
        // A standard size with a signature that is not DER.
        assert_eq!(
            check(&dsa(256, 32), &dsa_sha256, &[0x30]),
            Err(Reason::BadSignature)
        );
        // Without parameters, or with NULL.
        assert_eq!(
            check(&spki(ID_DSA, None, &y), &dsa_sha256, &[]),
            Err(Reason::BadPublicKey)
        );
        let err = RustCrypto
            .verify(
                &spki(ID_DSA, Some(AnyRef::NULL), &y),
                &dsa_sha256,
                b"m",
                &[],
                AlgorithmPolicy::DEFAULT,
            )
            .expect_err("no parameters");
        assert_eq!(err.detail, "DSA key without parameters");
    }

    #[test]
    fn ec_key_parameters() {
        let point = [4u8; 65];
        let ecdsa = alg(ECDSA_WITH_SHA256, None);
        // No curve.
        assert_eq!(
            check(&spki(ID_EC_PUBLIC_KEY, None, &point), &ecdsa, &[]),
            Err(Reason::BadPublicKey)
        );
        // secp256k1: not supported.
        let k1 = oid("1.3.132.0.10").to_der().expect("encode");
        let k1 = AnyRef::from_der(&k1).expect("any");
        assert_eq!(
            check(&spki(ID_EC_PUBLIC_KEY, Some(k1), &point), &ecdsa, &[]),
            Err(Reason::UnsupportedAlgorithm)
        );
        // Explicit curve parameters: not supported.
        let explicit = AnyRef::new(Tag::Sequence, &[0x02, 0x01, 0x01]).expect("any");
        assert_eq!(
            check(&spki(ID_EC_PUBLIC_KEY, Some(explicit), &point), &ecdsa, &[]),
            Err(Reason::UnsupportedAlgorithm)
        );
        // P-256 with a point that is not on the curve.
        let p256 = SECP256R1.to_der().expect("encode");
        let p256 = AnyRef::from_der(&p256).expect("any");
        assert_eq!(
            check(&spki(ID_EC_PUBLIC_KEY, Some(p256), &point), &ecdsa, &[]),
            Err(Reason::BadPublicKey)
        );
    }

    #[test]
    fn ed25519_sizes() {
        let ed = alg(ID_ED25519, None);
        assert_eq!(
            check(&spki(ID_ED25519, None, &[1; 31]), &ed, &[0; 64]),
            Err(Reason::BadPublicKey)
        );
        // The identity point is a valid encoding; a zero signature does not verify with it.
        let mut identity = [0u8; 32];
        identity[0] = 1;
        assert_eq!(
            check(&spki(ID_ED25519, None, &identity), &ed, &[0; 64]),
            Err(Reason::BadSignature)
        );
        assert_eq!(
            check(&spki(ID_ED25519, None, &identity), &ed, &[0; 63]),
            Err(Reason::BadSignature)
        );
    }

    #[test]
    fn rsa_pss_parameter_checks() {
        // [3] trailerField 2.
        let content = [0xa3, 0x03, 0x02, 0x01, 0x02];
        let params = AnyRef::new(Tag::Sequence, &content).expect("any");
        assert!(pss_params(params).is_err_and(|e| e.contains("trailer")));
        // [2] saltLength -1 (not an unsigned integer).
        let content = [0xa2, 0x03, 0x02, 0x01, 0xff];
        let params = AnyRef::new(Tag::Sequence, &content).expect("any");
        assert!(pss_params(params).is_err());
        // An unknown mask generation function.
        let mgf = alg(oid("1.2.3.4"), None);
        let mut content = vec![0xa1, u8::try_from(mgf.len()).expect("short")];
        content.extend(&mgf);
        let params = AnyRef::new(Tag::Sequence, &content).expect("any");
        assert!(pss_params(params).is_err_and(|e| e.contains("mask generation")));
    }
}
