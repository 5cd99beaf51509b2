//! The shared front half of every provider: reading the signature AlgorithmIdentifier and the
//! signer's SubjectPublicKeyInfo, and the algorithm policy ([`AlgorithmPolicy`]), all before
//! any public-key arithmetic. [`prepare`] turns the inputs into an [`Op`] (what to compute,
//! with which key) plus the weaknesses found so far; each provider's back half does the math.
//!
//! Keeping this in one place is what gives the providers identical accept/reject outcomes and
//! error reasons for everything the policy or the encodings decide.

use const_oid::ObjectIdentifier;
use der::asn1::{AnyRef, UintRef};
use der::{Decode, Reader, SliceReader, Tag, TagMode, TagNumber, Tagged};
use spki::{AlgorithmIdentifierRef, SubjectPublicKeyInfoRef};

use super::{AlgorithmPolicy, Weakness, invalid};
use crate::{Error, Reason};

// ---- object identifiers ----

pub(super) const fn oid(s: &str) -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap(s)
}

// Hash functions.
pub(super) const ID_SHA1: ObjectIdentifier = const_oid::db::rfc5912::ID_SHA_1;
pub(super) const ID_SHA224: ObjectIdentifier = const_oid::db::rfc5912::ID_SHA_224;
pub(super) const ID_SHA256: ObjectIdentifier = const_oid::db::rfc5912::ID_SHA_256;
pub(super) const ID_SHA384: ObjectIdentifier = const_oid::db::rfc5912::ID_SHA_384;
pub(super) const ID_SHA512: ObjectIdentifier = const_oid::db::rfc5912::ID_SHA_512;

// RSA (PKCS #1, RFC 8017 / RFC 4055) and the OIW variants.
pub(super) const RSA_ENCRYPTION: ObjectIdentifier = const_oid::db::rfc5912::RSA_ENCRYPTION;
pub(super) const MD2_WITH_RSA: ObjectIdentifier = const_oid::db::rfc5912::MD_2_WITH_RSA_ENCRYPTION;
pub(super) const MD4_WITH_RSA: ObjectIdentifier = oid("1.2.840.113549.1.1.3");
pub(super) const MD5_WITH_RSA: ObjectIdentifier = const_oid::db::rfc5912::MD_5_WITH_RSA_ENCRYPTION;
pub(super) const SHA1_WITH_RSA: ObjectIdentifier =
    const_oid::db::rfc5912::SHA_1_WITH_RSA_ENCRYPTION;
pub(super) const ID_MGF1: ObjectIdentifier = const_oid::db::rfc5912::ID_MGF_1;
pub(super) const ID_RSASSA_PSS: ObjectIdentifier = const_oid::db::rfc5912::ID_RSASSA_PSS;
pub(super) const SHA256_WITH_RSA: ObjectIdentifier =
    const_oid::db::rfc5912::SHA_256_WITH_RSA_ENCRYPTION;
pub(super) const SHA384_WITH_RSA: ObjectIdentifier =
    const_oid::db::rfc5912::SHA_384_WITH_RSA_ENCRYPTION;
pub(super) const SHA512_WITH_RSA: ObjectIdentifier =
    const_oid::db::rfc5912::SHA_512_WITH_RSA_ENCRYPTION;
pub(super) const SHA224_WITH_RSA: ObjectIdentifier =
    const_oid::db::rfc5912::SHA_224_WITH_RSA_ENCRYPTION;
pub(super) const OIW_MD4_WITH_RSA: ObjectIdentifier = oid("1.3.14.3.2.2");
pub(super) const OIW_MD5_WITH_RSA: ObjectIdentifier = oid("1.3.14.3.2.3");
pub(super) const OIW_MD2_WITH_RSA_SIGNATURE: ObjectIdentifier = oid("1.3.14.3.2.24");
pub(super) const OIW_MD4_WITH_RSA_ENCRYPTION: ObjectIdentifier = oid("1.3.14.3.2.4");
pub(super) const OIW_MD5_WITH_RSA_SIGNATURE: ObjectIdentifier = oid("1.3.14.3.2.25");
pub(super) const OIW_SHA1_WITH_RSA: ObjectIdentifier = oid("1.3.14.3.2.29");

// ECDSA (RFC 5758, RFC 5480).
pub(super) const ID_EC_PUBLIC_KEY: ObjectIdentifier = const_oid::db::rfc5912::ID_EC_PUBLIC_KEY;
pub(super) const ECDSA_WITH_SHA1: ObjectIdentifier = oid("1.2.840.10045.4.1");
pub(super) const ECDSA_WITH_SHA224: ObjectIdentifier = const_oid::db::rfc5912::ECDSA_WITH_SHA_224;
pub(super) const ECDSA_WITH_SHA256: ObjectIdentifier = const_oid::db::rfc5912::ECDSA_WITH_SHA_256;
pub(super) const ECDSA_WITH_SHA384: ObjectIdentifier = const_oid::db::rfc5912::ECDSA_WITH_SHA_384;
pub(super) const ECDSA_WITH_SHA512: ObjectIdentifier = const_oid::db::rfc5912::ECDSA_WITH_SHA_512;
pub(super) const SECP256R1: ObjectIdentifier = const_oid::db::rfc5912::SECP_256_R_1;
pub(super) const SECP384R1: ObjectIdentifier = const_oid::db::rfc5912::SECP_384_R_1;
pub(super) const SECP521R1: ObjectIdentifier = const_oid::db::rfc5912::SECP_521_R_1;

// EdDSA (RFC 8410).
pub(super) const ID_ED25519: ObjectIdentifier = const_oid::db::rfc8410::ID_ED_25519;

// DSA (RFC 3279, RFC 5758) and the OIW variant.
pub(super) const ID_DSA: ObjectIdentifier = const_oid::db::rfc5912::ID_DSA;
pub(super) const DSA_WITH_SHA1: ObjectIdentifier = const_oid::db::rfc5912::DSA_WITH_SHA_1;
pub(super) const OIW_DSA_WITH_SHA1: ObjectIdentifier = oid("1.3.14.3.2.27");
pub(super) const DSA_WITH_SHA224: ObjectIdentifier = const_oid::db::rfc5912::DSA_WITH_SHA_224;
pub(super) const DSA_WITH_SHA256: ObjectIdentifier = const_oid::db::rfc5912::DSA_WITH_SHA_256;

/// RSA moduli above this many bits are refused (bounds the work an input can ask for).
pub(super) const RSA_MAX_BITS: usize = 16384;
/// RSA and DSA keys under this many bits are always rejected.
pub(super) const MIN_BITS: usize = 1024;
/// RSA and DSA keys under this many bits are weak (rejected by the strict policy).
pub(super) const STRONG_BITS: usize = 2048;

// ---- hashes ----

/// A hash function used by a signature algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Hash {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

/// A hash value (up to 64 octets) on the stack.
pub(super) struct HashValue {
    bytes: [u8; 64],
    len: usize,
}

impl HashValue {
    pub(super) fn as_slice(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or_default()
    }
}

impl Hash {
    pub(super) const ALL: [Hash; 5] = [
        Hash::Sha1,
        Hash::Sha224,
        Hash::Sha256,
        Hash::Sha384,
        Hash::Sha512,
    ];

    /// The hash algorithm's OID (as in a DigestInfo or RSASSA-PSS parameters).
    pub(super) fn oid(self) -> ObjectIdentifier {
        match self {
            Hash::Sha1 => ID_SHA1,
            Hash::Sha224 => ID_SHA224,
            Hash::Sha256 => ID_SHA256,
            Hash::Sha384 => ID_SHA384,
            Hash::Sha512 => ID_SHA512,
        }
    }

    pub(super) fn from_oid(oid: &ObjectIdentifier) -> Option<Hash> {
        Hash::ALL.into_iter().find(|h| h.oid() == *oid)
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            Hash::Sha1 => "sha-1",
            Hash::Sha224 => "sha-224",
            Hash::Sha256 => "sha-256",
            Hash::Sha384 => "sha-384",
            Hash::Sha512 => "sha-512",
        }
    }

    pub(super) fn index(self) -> usize {
        match self {
            Hash::Sha1 => 0,
            Hash::Sha224 => 1,
            Hash::Sha256 => 2,
            Hash::Sha384 => 3,
            Hash::Sha512 => 4,
        }
    }

    pub(super) fn output_len(self) -> usize {
        match self {
            Hash::Sha1 => 20,
            Hash::Sha224 => 28,
            Hash::Sha256 => 32,
            Hash::Sha384 => 48,
            Hash::Sha512 => 64,
        }
    }

    pub(super) fn digest(self, message: &[u8]) -> HashValue {
        use sha2::Digest;
        fn fill(out: &mut HashValue, value: &[u8]) {
            if let Some(slot) = out.bytes.get_mut(..value.len()) {
                slot.copy_from_slice(value);
                out.len = value.len();
            }
        }
        let mut out = HashValue {
            bytes: [0; 64],
            len: 0,
        };
        match self {
            Hash::Sha1 => fill(&mut out, &sha1::Sha1::digest(message)),
            Hash::Sha224 => fill(&mut out, &sha2::Sha224::digest(message)),
            Hash::Sha256 => fill(&mut out, &sha2::Sha256::digest(message)),
            Hash::Sha384 => fill(&mut out, &sha2::Sha384::digest(message)),
            Hash::Sha512 => fill(&mut out, &sha2::Sha512::digest(message)),
        }
        out
    }
}

// ---- signature algorithms ----

/// RSASSA-PSS parameters (RFC 4055), as far as they matter here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct PssParams {
    /// The message hash; the MGF1 hash is the same (anything else is refused).
    pub(super) hash: Hash,
    /// The salt length in octets.
    pub(super) salt_len: usize,
}

/// What a signature AlgorithmIdentifier asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Scheme {
    RsaPkcs1(Hash),
    RsaPss(PssParams),
    Ecdsa(Hash),
    Ed25519,
    Dsa(Hash),
}

impl Scheme {
    pub(super) fn hash(self) -> Option<Hash> {
        match self {
            Scheme::RsaPkcs1(h) | Scheme::Ecdsa(h) | Scheme::Dsa(h) => Some(h),
            Scheme::RsaPss(p) => Some(p.hash),
            Scheme::Ed25519 => None,
        }
    }
}

/// Parameters that carry no information: absent, or NULL.
pub(super) fn absent_or_null(params: Option<AnyRef<'_>>) -> bool {
    params.is_none_or(|p| p.tag() == Tag::Null && p.value().is_empty())
}

/// Reads a signature AlgorithmIdentifier.
pub(super) fn scheme(algorithm: &[u8]) -> Result<Scheme, Error> {
    let alg = AlgorithmIdentifierRef::from_der(algorithm).map_err(|e| {
        invalid(
            Reason::UnsupportedAlgorithm,
            format!("signature algorithm identifier does not decode: {e}"),
        )
    })?;
    let oid = alg.oid;
    let plain = |scheme: Scheme| {
        if absent_or_null(alg.parameters) {
            Ok(scheme)
        } else {
            Err(invalid(
                Reason::UnsupportedAlgorithm,
                format!("signature algorithm {oid} with unexpected parameters"),
            ))
        }
    };
    match oid {
        MD2_WITH_RSA | OIW_MD2_WITH_RSA_SIGNATURE => Err(weak(oid, "md2")),
        MD4_WITH_RSA | OIW_MD4_WITH_RSA | OIW_MD4_WITH_RSA_ENCRYPTION => Err(weak(oid, "md4")),
        MD5_WITH_RSA | OIW_MD5_WITH_RSA | OIW_MD5_WITH_RSA_SIGNATURE => Err(weak(oid, "md5")),
        SHA1_WITH_RSA | OIW_SHA1_WITH_RSA => plain(Scheme::RsaPkcs1(Hash::Sha1)),
        SHA224_WITH_RSA => plain(Scheme::RsaPkcs1(Hash::Sha224)),
        SHA256_WITH_RSA => plain(Scheme::RsaPkcs1(Hash::Sha256)),
        SHA384_WITH_RSA => plain(Scheme::RsaPkcs1(Hash::Sha384)),
        SHA512_WITH_RSA => plain(Scheme::RsaPkcs1(Hash::Sha512)),
        ID_RSASSA_PSS => match alg.parameters {
            Some(params) => pss_params(params)
                .map(Scheme::RsaPss)
                .map_err(|detail| invalid(Reason::UnsupportedAlgorithm, detail)),
            None => Err(invalid(
                Reason::UnsupportedAlgorithm,
                format!("signature algorithm {oid} (rsassa-pss) without parameters"),
            )),
        },
        ECDSA_WITH_SHA1 => plain(Scheme::Ecdsa(Hash::Sha1)),
        ECDSA_WITH_SHA224 => plain(Scheme::Ecdsa(Hash::Sha224)),
        ECDSA_WITH_SHA256 => plain(Scheme::Ecdsa(Hash::Sha256)),
        ECDSA_WITH_SHA384 => plain(Scheme::Ecdsa(Hash::Sha384)),
        ECDSA_WITH_SHA512 => plain(Scheme::Ecdsa(Hash::Sha512)),
        ID_ED25519 => {
            if alg.parameters.is_none() {
                Ok(Scheme::Ed25519)
            } else {
                Err(invalid(
                    Reason::UnsupportedAlgorithm,
                    format!("signature algorithm {oid} (ed25519) with parameters"),
                ))
            }
        }
        DSA_WITH_SHA1 | OIW_DSA_WITH_SHA1 => plain(Scheme::Dsa(Hash::Sha1)),
        DSA_WITH_SHA224 => plain(Scheme::Dsa(Hash::Sha224)),
        DSA_WITH_SHA256 => plain(Scheme::Dsa(Hash::Sha256)),
        _ => Err(invalid(
            Reason::UnsupportedAlgorithm,
            format!("signature algorithm {oid}"),
        )),
    }
}

pub(super) fn weak(oid: ObjectIdentifier, hash: &str) -> Error {
    invalid(
        Reason::WeakAlgorithm,
        format!("signature algorithm {oid} uses {hash}, which is always rejected"),
    )
}

/// A hash AlgorithmIdentifier inside RSASSA-PSS parameters (parameters absent or NULL).
pub(super) fn pss_hash(alg: &AlgorithmIdentifierRef<'_>) -> Result<Hash, String> {
    match Hash::from_oid(&alg.oid) {
        Some(h) if absent_or_null(alg.parameters) => Ok(h),
        Some(_) => Err(format!("rsassa-pss hash {} with parameters", alg.oid)),
        None => Err(format!("rsassa-pss hash {} is not supported", alg.oid)),
    }
}

/// Decodes RSASSA-PSS-params (RFC 4055 §3.1), defaults filled in. The error is the detail.
pub(super) fn pss_params(params: AnyRef<'_>) -> Result<PssParams, String> {
    if params.tag() != Tag::Sequence {
        return Err(format!(
            "rsassa-pss parameters are a {}, not a sequence",
            params.tag()
        ));
    }
    let malformed = |e: der::Error| format!("rsassa-pss parameters do not decode: {e}");
    let mut r = SliceReader::new(params.value()).map_err(malformed)?;
    let hash: Option<AlgorithmIdentifierRef<'_>> = r
        .context_specific(TagNumber(0), TagMode::Explicit)
        .map_err(malformed)?;
    let mgf: Option<AlgorithmIdentifierRef<'_>> = r
        .context_specific(TagNumber(1), TagMode::Explicit)
        .map_err(malformed)?;
    let salt_len: Option<u32> = r
        .context_specific(TagNumber(2), TagMode::Explicit)
        .map_err(malformed)?;
    let trailer: Option<u32> = r
        .context_specific(TagNumber(3), TagMode::Explicit)
        .map_err(malformed)?;
    r.finish().map_err(malformed)?;

    let hash = match hash {
        Some(alg) => pss_hash(&alg)?,
        None => Hash::Sha1,
    };
    let mgf_hash = match mgf {
        None => Hash::Sha1,
        Some(mgf) if mgf.oid == ID_MGF1 => {
            let inner = mgf
                .parameters
                .ok_or("rsassa-pss mgf1 without a hash")?
                .decode_as::<AlgorithmIdentifierRef<'_>>()
                .map_err(malformed)?;
            pss_hash(&inner)?
        }
        Some(mgf) => {
            return Err(format!(
                "rsassa-pss mask generation function {} is not supported",
                mgf.oid
            ));
        }
    };
    if mgf_hash != hash {
        return Err(format!(
            "rsassa-pss with mgf1 hash {} differing from message hash {}",
            mgf_hash.name(),
            hash.name()
        ));
    }
    let trailer = trailer.unwrap_or(1);
    if trailer != 1 {
        return Err(format!(
            "rsassa-pss trailer field {trailer} (only 1 is defined)"
        ));
    }
    let salt_len = usize::try_from(salt_len.unwrap_or(20))
        .map_err(|_| "rsassa-pss salt length too large".to_string())?;
    Ok(PssParams { hash, salt_len })
}

// ---- keys ----

pub(super) fn bad_key(detail: impl Into<String>) -> Error {
    invalid(Reason::BadPublicKey, detail)
}

/// The bit length of a big-endian unsigned integer (leading zero octets allowed).
pub(super) fn bit_len(bytes: &[u8]) -> usize {
    let mut rest = bytes;
    while let [0, tail @ ..] = rest {
        rest = tail;
    }
    match rest.first() {
        Some(&first) => {
            rest.len().saturating_mul(8) - usize::try_from(first.leading_zeros()).unwrap_or(0)
        }
        None => 0,
    }
}
/// Applies the size policy to an RSA or DSA key of `bits` bits.
pub(super) fn key_size_policy(
    kind: &str,
    bits: usize,
    policy: AlgorithmPolicy,
    weaknesses: &mut Vec<Weakness>,
) -> Result<(), Error> {
    if bits < MIN_BITS {
        return Err(invalid(
            Reason::WeakAlgorithm,
            format!("{kind} key of {bits} bits (under {MIN_BITS} is always rejected)"),
        ));
    }
    if bits < STRONG_BITS {
        if policy.strict {
            return Err(invalid(
                Reason::WeakAlgorithm,
                format!("{kind} key of {bits} bits (the strict policy needs {STRONG_BITS})"),
            ));
        }
        weaknesses.push(Weakness::SmallKey(u32::try_from(bits).unwrap_or(u32::MAX)));
    }
    Ok(())
}

/// The subjectPublicKey bits as octets (no unused bits).
pub(super) fn key_octets<'a>(spki: &SubjectPublicKeyInfoRef<'a>) -> Result<&'a [u8], Error> {
    spki.subject_public_key
        .as_bytes()
        .ok_or_else(|| bad_key("subject public key has unused bits"))
}

/// `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }` (RFC 8017):
/// the modulus and exponent, big-endian, without leading zeros.
pub(super) fn rsa_public_key(octets: &[u8]) -> der::Result<(&[u8], &[u8])> {
    let mut r = SliceReader::new(octets)?;
    let (n, e) = r.sequence(|r| Ok::<_, der::Error>((UintRef::decode(r)?, UintRef::decode(r)?)))?;
    r.finish()?;
    Ok((n.as_bytes(), e.as_bytes()))
}

// ---- DSA ----

/// The DSA (L, N) sizes FIPS 186-4 defines (the `dsa` crate's).
pub(super) const DSA_SIZES: [(usize, usize); 4] =
    [(1024, 160), (2048, 224), (2048, 256), (3072, 256)];

/// `Dss-Parms ::= SEQUENCE { p INTEGER, q INTEGER, g INTEGER }` (RFC 3279).
pub(super) fn dss_parms<'a>(params: AnyRef<'a>) -> der::Result<(&'a [u8], &'a [u8], &'a [u8])> {
    if params.tag() != Tag::Sequence {
        return Err(params.tag().unexpected_error(Some(Tag::Sequence)).into());
    }
    let mut r = SliceReader::new(params.value())?;
    let p = UintRef::decode(&mut r)?;
    let q = UintRef::decode(&mut r)?;
    let g = UintRef::decode(&mut r)?;
    r.finish()?;
    Ok((p.as_bytes(), q.as_bytes(), g.as_bytes()))
}

// ---- the front half ----

/// An elliptic curve the providers know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Curve {
    P256,
    P384,
    P521,
}

/// An RSA signature's padding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RsaPadding {
    Pkcs1(Hash),
    Pss(PssParams),
}

impl RsaPadding {
    /// The message hash.
    pub(super) fn hash(self) -> Hash {
        match self {
            RsaPadding::Pkcs1(h) => h,
            RsaPadding::Pss(p) => p.hash,
        }
    }
}

/// An RSA verification: the padding and the key, policy applied.
#[derive(Debug, Clone, Copy)]
pub(super) struct RsaOp<'a> {
    pub(super) padding: RsaPadding,
    /// The modulus, big-endian, without leading zeros.
    pub(super) n: &'a [u8],
    /// The public exponent, big-endian, without leading zeros.
    pub(super) e: &'a [u8],
}

/// A DSA verification: the domain parameters and key, policy applied (sizes are one of
/// [`DSA_SIZES`]).
#[derive(Debug, Clone, Copy)]
pub(super) struct DsaOp<'a> {
    pub(super) hash: Hash,
    pub(super) p: &'a [u8],
    pub(super) q: &'a [u8],
    pub(super) g: &'a [u8],
    pub(super) y: &'a [u8],
    /// The bit lengths of p and q.
    pub(super) l: usize,
    pub(super) n: usize,
}

/// What is left to compute once the algorithm identifier, the key and the policy allow it.
#[derive(Debug, Clone, Copy)]
pub(super) enum Op<'a> {
    Rsa(RsaOp<'a>),
    Ecdsa {
        curve: Curve,
        hash: Hash,
        /// The SEC 1 encoded point (the subjectPublicKey octets).
        point: &'a [u8],
    },
    Ed25519 {
        key: &'a [u8; 32],
    },
    Dsa(DsaOp<'a>),
}

/// A verification the front half let through: the math to do, and the weaknesses (warnings)
/// the signature carries if the math succeeds.
#[derive(Debug)]
pub(super) struct Prepared<'a> {
    pub(super) op: Op<'a>,
    pub(super) weaknesses: Vec<Weakness>,
}

/// The front half of [`SignatureVerifier::verify`](super::SignatureVerifier::verify): parses
/// `algorithm` and `spki`, applies `policy`. Errors here are the same for every provider.
pub(super) fn prepare<'a>(
    spki: &'a [u8],
    algorithm: &[u8],
    policy: AlgorithmPolicy,
) -> Result<Prepared<'a>, Error> {
    let scheme = scheme(algorithm)?;
    let mut weaknesses = Vec::new();
    if scheme.hash() == Some(Hash::Sha1) {
        if policy.strict {
            return Err(invalid(
                Reason::WeakAlgorithm,
                "sha-1 signature (rejected by the strict policy)",
            ));
        }
        weaknesses.push(Weakness::Sha1);
    }
    let spki = SubjectPublicKeyInfoRef::from_der(spki)
        .map_err(|e| bad_key(format!("subject public key info does not decode: {e}")))?;
    let op = match scheme {
        Scheme::RsaPkcs1(hash) => Op::Rsa(rsa_op(
            &spki,
            RsaPadding::Pkcs1(hash),
            policy,
            &mut weaknesses,
        )?),
        Scheme::RsaPss(params) => Op::Rsa(rsa_op(
            &spki,
            RsaPadding::Pss(params),
            policy,
            &mut weaknesses,
        )?),
        Scheme::Ecdsa(hash) => {
            let (curve, point) = ec_key(&spki)?;
            Op::Ecdsa { curve, hash, point }
        }
        Scheme::Ed25519 => Op::Ed25519 {
            key: ed25519_key(&spki)?,
        },
        Scheme::Dsa(hash) => Op::Dsa(dsa_op(&spki, hash, policy, &mut weaknesses)?),
    };
    Ok(Prepared { op, weaknesses })
}

fn rsa_op<'a>(
    spki: &SubjectPublicKeyInfoRef<'a>,
    padding: RsaPadding,
    policy: AlgorithmPolicy,
    weaknesses: &mut Vec<Weakness>,
) -> Result<RsaOp<'a>, Error> {
    // Which RSA key: rsaEncryption, or id-RSASSA-PSS (PSS only, maybe restricted).
    match spki.algorithm.oid {
        RSA_ENCRYPTION => {
            if !absent_or_null(spki.algorithm.parameters) {
                return Err(bad_key("rsaEncryption key with parameters"));
            }
        }
        ID_RSASSA_PSS => {
            let RsaPadding::Pss(sig_params) = padding else {
                return Err(bad_key("rsassa-pss key used for a pkcs #1 v1.5 signature"));
            };
            if let Some(params) = spki.algorithm.parameters {
                let key_params = pss_params(params).map_err(bad_key)?;
                if key_params.hash != sig_params.hash || sig_params.salt_len < key_params.salt_len {
                    return Err(bad_key(format!(
                        "rsassa-pss key restricted to {} with salt length >= {}; signature uses {} \
                         with salt length {}",
                        key_params.hash.name(),
                        key_params.salt_len,
                        sig_params.hash.name(),
                        sig_params.salt_len
                    )));
                }
            }
        }
        other => {
            return Err(bad_key(format!(
                "rsa signature with a {other} key (rsaEncryption needed)"
            )));
        }
    }

    let (n, e) = rsa_public_key(key_octets(spki)?)
        .map_err(|e| bad_key(format!("rsa public key does not decode: {e}")))?;
    let bits = bit_len(n);
    if bits > RSA_MAX_BITS {
        return Err(bad_key(format!(
            "rsa key of {bits} bits (over the {RSA_MAX_BITS}-bit limit)"
        )));
    }
    key_size_policy("rsa", bits, policy, weaknesses)?;
    Ok(RsaOp { padding, n, e })
}

/// A named-curve EC key: its curve and point.
fn ec_key<'a>(spki: &SubjectPublicKeyInfoRef<'a>) -> Result<(Curve, &'a [u8]), Error> {
    if spki.algorithm.oid != ID_EC_PUBLIC_KEY {
        return Err(bad_key(format!(
            "ecdsa signature with a {} key (id-ecPublicKey needed)",
            spki.algorithm.oid
        )));
    }
    let params = spki
        .algorithm
        .parameters
        .ok_or_else(|| bad_key("ec key without a named curve"))?;
    if params.tag() == Tag::Sequence {
        return Err(invalid(
            Reason::UnsupportedAlgorithm,
            "ec key with explicit curve parameters (only named curves are supported)",
        ));
    }
    let curve = params
        .decode_as::<ObjectIdentifier>()
        .map_err(|e| bad_key(format!("ec key curve does not decode: {e}")))?;
    let point = key_octets(spki)?;
    let curve = match curve {
        SECP256R1 => Curve::P256,
        SECP384R1 => Curve::P384,
        SECP521R1 => Curve::P521,
        other => {
            return Err(invalid(
                Reason::UnsupportedAlgorithm,
                format!("ec curve {other} (p-256, p-384 and p-521 are supported)"),
            ));
        }
    };
    Ok((curve, point))
}

/// An Ed25519 key: its 32 octets (not yet decoded as a point).
fn ed25519_key<'a>(spki: &SubjectPublicKeyInfoRef<'a>) -> Result<&'a [u8; 32], Error> {
    if spki.algorithm.oid != ID_ED25519 || spki.algorithm.parameters.is_some() {
        return Err(bad_key(format!(
            "ed25519 signature with a {} key (id-Ed25519 without parameters needed)",
            spki.algorithm.oid
        )));
    }
    key_octets(spki)?
        .try_into()
        .map_err(|_| bad_key("ed25519 public key is not 32 octets"))
}

fn dsa_op<'a>(
    spki: &SubjectPublicKeyInfoRef<'a>,
    hash: Hash,
    policy: AlgorithmPolicy,
    weaknesses: &mut Vec<Weakness>,
) -> Result<DsaOp<'a>, Error> {
    if spki.algorithm.oid != ID_DSA {
        return Err(bad_key(format!(
            "dsa signature with a {} key (id-dsa needed)",
            spki.algorithm.oid
        )));
    }
    // Absent (or NULL) parameters are inherited from the issuer (RFC 3279 §2.3.2): the
    // caller puts them in.
    let params = match spki.algorithm.parameters {
        Some(params) if params.tag() != Tag::Null => params,
        _ => return Err(bad_key("DSA key without parameters")),
    };
    let (p, q, g) =
        dss_parms(params).map_err(|e| bad_key(format!("dsa parameters do not decode: {e}")))?;
    let y = UintRef::from_der(key_octets(spki)?)
        .map_err(|e| bad_key(format!("dsa public key does not decode: {e}")))?
        .as_bytes();

    let (l, n) = (bit_len(p), bit_len(q));
    if l < MIN_BITS {
        // Always rejected, whatever the size of q.
        return Err(invalid(
            Reason::WeakAlgorithm,
            format!("dsa key of {l} bits (under {MIN_BITS} is always rejected)"),
        ));
    }
    if !DSA_SIZES.contains(&(l, n)) {
        return Err(invalid(
            Reason::UnsupportedAlgorithm,
            format!(
                "dsa key size l={l} n={n} (1024/160, 2048/224, 2048/256, 3072/256 are supported)"
            ),
        ));
    }
    key_size_policy("dsa", l, policy, weaknesses)?;
    Ok(DsaOp {
        hash,
        p,
        q,
        g,
        y,
        l,
        n,
    })
}
