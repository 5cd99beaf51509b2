//! The default [`SignatureVerifier`]: pure Rust over the RustCrypto crates.
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
//! Policy ([`AlgorithmPolicy`]) is applied before any public-key arithmetic, from the algorithm
//! identifier and the key alone: MD2/MD4/MD5, RSA keys under 1024 bits and DSA keys under 1024
//! bits are always [`Reason::WeakAlgorithm`]; SHA-1 and RSA/DSA keys under 2048 bits are
//! accepted with a [`Weakness`] by default and rejected under [`AlgorithmPolicy::STRICT`]. RSA
//! moduli over 16384 bits are [`Reason::BadPublicKey`] (they bound the work an input can ask
//! for).

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use const_oid::ObjectIdentifier;
use der::asn1::{AnyRef, UintRef};
use der::{Decode, Encode, Header, Length, Reader, SliceReader, Tag, TagMode, TagNumber, Tagged};
use signature::hazmat::PrehashVerifier;
use spki::{AlgorithmIdentifierRef, SubjectPublicKeyInfoRef};

use super::{AlgorithmPolicy, SignatureVerifier, Weakness, invalid};
use crate::reason::{Invalid, Reason};

/// The default signature verification provider: pure Rust over RustCrypto (`rsa`, `p256`,
/// `p384`, `p521`, `ed25519-dalek`, `dsa`). See the [module documentation](self) for what it
/// supports.
///
/// ```
/// use smimetrust_chain::Reason;
/// use smimetrust_chain::sig::{AlgorithmPolicy, RustCrypto, SignatureVerifier};
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

// ---- object identifiers ----

const fn oid(s: &str) -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap(s)
}

// Hash functions.
const ID_SHA1: ObjectIdentifier = oid("1.3.14.3.2.26");
const ID_SHA224: ObjectIdentifier = oid("2.16.840.1.101.3.4.2.4");
const ID_SHA256: ObjectIdentifier = oid("2.16.840.1.101.3.4.2.1");
const ID_SHA384: ObjectIdentifier = oid("2.16.840.1.101.3.4.2.2");
const ID_SHA512: ObjectIdentifier = oid("2.16.840.1.101.3.4.2.3");

// RSA (PKCS #1, RFC 8017 / RFC 4055) and the OIW variants.
const RSA_ENCRYPTION: ObjectIdentifier = oid("1.2.840.113549.1.1.1");
const MD2_WITH_RSA: ObjectIdentifier = oid("1.2.840.113549.1.1.2");
const MD4_WITH_RSA: ObjectIdentifier = oid("1.2.840.113549.1.1.3");
const MD5_WITH_RSA: ObjectIdentifier = oid("1.2.840.113549.1.1.4");
const SHA1_WITH_RSA: ObjectIdentifier = oid("1.2.840.113549.1.1.5");
const ID_MGF1: ObjectIdentifier = oid("1.2.840.113549.1.1.8");
const ID_RSASSA_PSS: ObjectIdentifier = oid("1.2.840.113549.1.1.10");
const SHA256_WITH_RSA: ObjectIdentifier = oid("1.2.840.113549.1.1.11");
const SHA384_WITH_RSA: ObjectIdentifier = oid("1.2.840.113549.1.1.12");
const SHA512_WITH_RSA: ObjectIdentifier = oid("1.2.840.113549.1.1.13");
const SHA224_WITH_RSA: ObjectIdentifier = oid("1.2.840.113549.1.1.14");
const OIW_MD4_WITH_RSA: ObjectIdentifier = oid("1.3.14.3.2.2");
const OIW_MD5_WITH_RSA: ObjectIdentifier = oid("1.3.14.3.2.3");
const OIW_MD2_WITH_RSA_SIGNATURE: ObjectIdentifier = oid("1.3.14.3.2.24");
const OIW_MD4_WITH_RSA_ENCRYPTION: ObjectIdentifier = oid("1.3.14.3.2.4");
const OIW_MD5_WITH_RSA_SIGNATURE: ObjectIdentifier = oid("1.3.14.3.2.25");
const OIW_SHA1_WITH_RSA: ObjectIdentifier = oid("1.3.14.3.2.29");

// ECDSA (RFC 5758, RFC 5480).
const ID_EC_PUBLIC_KEY: ObjectIdentifier = oid("1.2.840.10045.2.1");
const ECDSA_WITH_SHA1: ObjectIdentifier = oid("1.2.840.10045.4.1");
const ECDSA_WITH_SHA224: ObjectIdentifier = oid("1.2.840.10045.4.3.1");
const ECDSA_WITH_SHA256: ObjectIdentifier = oid("1.2.840.10045.4.3.2");
const ECDSA_WITH_SHA384: ObjectIdentifier = oid("1.2.840.10045.4.3.3");
const ECDSA_WITH_SHA512: ObjectIdentifier = oid("1.2.840.10045.4.3.4");
const SECP256R1: ObjectIdentifier = oid("1.2.840.10045.3.1.7");
const SECP384R1: ObjectIdentifier = oid("1.3.132.0.34");
const SECP521R1: ObjectIdentifier = oid("1.3.132.0.35");

// EdDSA (RFC 8410).
const ID_ED25519: ObjectIdentifier = oid("1.3.101.112");

// DSA (RFC 3279, RFC 5758) and the OIW variant.
const ID_DSA: ObjectIdentifier = oid("1.2.840.10040.4.1");
const DSA_WITH_SHA1: ObjectIdentifier = oid("1.2.840.10040.4.3");
const OIW_DSA_WITH_SHA1: ObjectIdentifier = oid("1.3.14.3.2.27");
const DSA_WITH_SHA224: ObjectIdentifier = oid("2.16.840.1.101.3.4.3.1");
const DSA_WITH_SHA256: ObjectIdentifier = oid("2.16.840.1.101.3.4.3.2");

/// RSA moduli above this many bits are refused (bounds the work an input can ask for).
const RSA_MAX_BITS: usize = 16384;
/// RSA and DSA keys under this many bits are always rejected.
const MIN_BITS: usize = 1024;
/// RSA and DSA keys under this many bits are weak (rejected by the strict policy).
const STRONG_BITS: usize = 2048;

// ---- hashes ----

/// A hash function used by a signature algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hash {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

/// A hash value (up to 64 octets) on the stack.
struct HashValue {
    bytes: [u8; 64],
    len: usize,
}

impl HashValue {
    fn as_slice(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or_default()
    }
}

impl Hash {
    const ALL: [Hash; 5] = [
        Hash::Sha1,
        Hash::Sha224,
        Hash::Sha256,
        Hash::Sha384,
        Hash::Sha512,
    ];

    /// The hash algorithm's OID (as in a DigestInfo or RSASSA-PSS parameters).
    fn oid(self) -> ObjectIdentifier {
        match self {
            Hash::Sha1 => ID_SHA1,
            Hash::Sha224 => ID_SHA224,
            Hash::Sha256 => ID_SHA256,
            Hash::Sha384 => ID_SHA384,
            Hash::Sha512 => ID_SHA512,
        }
    }

    fn from_oid(oid: &ObjectIdentifier) -> Option<Hash> {
        Hash::ALL.into_iter().find(|h| h.oid() == *oid)
    }

    fn name(self) -> &'static str {
        match self {
            Hash::Sha1 => "sha-1",
            Hash::Sha224 => "sha-224",
            Hash::Sha256 => "sha-256",
            Hash::Sha384 => "sha-384",
            Hash::Sha512 => "sha-512",
        }
    }

    fn index(self) -> usize {
        match self {
            Hash::Sha1 => 0,
            Hash::Sha224 => 1,
            Hash::Sha256 => 2,
            Hash::Sha384 => 3,
            Hash::Sha512 => 4,
        }
    }

    fn output_len(self) -> usize {
        match self {
            Hash::Sha1 => 20,
            Hash::Sha224 => 28,
            Hash::Sha256 => 32,
            Hash::Sha384 => 48,
            Hash::Sha512 => 64,
        }
    }

    fn digest(self, message: &[u8]) -> HashValue {
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
struct PssParams {
    /// The message hash; the MGF1 hash is the same (anything else is refused).
    hash: Hash,
    /// The salt length in octets.
    salt_len: usize,
}

/// What a signature AlgorithmIdentifier asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    RsaPkcs1(Hash),
    RsaPss(PssParams),
    Ecdsa(Hash),
    Ed25519,
    Dsa(Hash),
}

impl Scheme {
    fn hash(self) -> Option<Hash> {
        match self {
            Scheme::RsaPkcs1(h) | Scheme::Ecdsa(h) | Scheme::Dsa(h) => Some(h),
            Scheme::RsaPss(p) => Some(p.hash),
            Scheme::Ed25519 => None,
        }
    }
}

/// Parameters that carry no information: absent, or NULL.
fn absent_or_null(params: Option<AnyRef<'_>>) -> bool {
    params.is_none_or(|p| p.tag() == Tag::Null && p.value().is_empty())
}

/// Reads a signature AlgorithmIdentifier.
fn scheme(algorithm: &[u8]) -> Result<Scheme, Invalid> {
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

fn weak(oid: ObjectIdentifier, hash: &str) -> Invalid {
    invalid(
        Reason::WeakAlgorithm,
        format!("signature algorithm {oid} uses {hash}, which is always rejected"),
    )
}

/// A hash AlgorithmIdentifier inside RSASSA-PSS parameters (parameters absent or NULL).
fn pss_hash(alg: &AlgorithmIdentifierRef<'_>) -> Result<Hash, String> {
    match Hash::from_oid(&alg.oid) {
        Some(h) if absent_or_null(alg.parameters) => Ok(h),
        Some(_) => Err(format!("rsassa-pss hash {} with parameters", alg.oid)),
        None => Err(format!("rsassa-pss hash {} is not supported", alg.oid)),
    }
}

/// Decodes RSASSA-PSS-params (RFC 4055 §3.1), defaults filled in. The error is the detail.
fn pss_params(params: AnyRef<'_>) -> Result<PssParams, String> {
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

fn bad_key(detail: impl Into<String>) -> Invalid {
    invalid(Reason::BadPublicKey, detail)
}

/// The bit length of a big-endian unsigned integer (leading zero octets allowed).
fn bit_len(bytes: &[u8]) -> usize {
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

/// A big-endian unsigned integer as a `BoxedUint` of `precision` bits (`None` if it does not
/// fit).
fn boxed_uint(bytes: &[u8], precision: usize) -> Option<crypto_bigint::BoxedUint> {
    let precision = u32::try_from(precision).ok()?;
    crypto_bigint::BoxedUint::from_be_slice(bytes, precision).ok()
}

/// Applies the size policy to an RSA or DSA key of `bits` bits.
fn key_size_policy(
    kind: &str,
    bits: usize,
    policy: AlgorithmPolicy,
    weaknesses: &mut Vec<Weakness>,
) -> Result<(), Invalid> {
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
fn key_octets<'a>(spki: &SubjectPublicKeyInfoRef<'a>) -> Result<&'a [u8], Invalid> {
    spki.subject_public_key
        .as_bytes()
        .ok_or_else(|| bad_key("subject public key has unused bits"))
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

fn verify_rsa(
    spki: &SubjectPublicKeyInfoRef<'_>,
    scheme: Scheme,
    hash: &[u8],
    signature: &[u8],
    policy: AlgorithmPolicy,
    weaknesses: &mut Vec<Weakness>,
) -> Result<(), Invalid> {
    use rsa::traits::PublicKeyParts;

    // Which RSA key: rsaEncryption, or id-RSASSA-PSS (PSS only, maybe restricted).
    match spki.algorithm.oid {
        RSA_ENCRYPTION => {
            if !absent_or_null(spki.algorithm.parameters) {
                return Err(bad_key("rsaEncryption key with parameters"));
            }
        }
        ID_RSASSA_PSS => {
            let Scheme::RsaPss(sig_params) = scheme else {
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
    let key = rsa_key(n, e)?;

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

    if let Scheme::RsaPss(p) = scheme
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
    let ok = match scheme {
        Scheme::RsaPkcs1(h) => {
            let prefixes = DIGEST_INFO_PREFIXES.get(h.index());
            prefixes.into_iter().flatten().flatten().any(|prefix| {
                let padding = rsa::Pkcs1v15Sign {
                    hash_len: Some(hash.len()),
                    prefix: prefix.clone(),
                };
                key.verify(padding, hash, signature).is_ok()
            })
        }
        Scheme::RsaPss(p) => {
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
        _ => false,
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
static RSA_KEYS: LazyLock<Mutex<HashMap<Vec<u8>, Arc<rsa::RsaPublicKey>>>> =
    LazyLock::new(Default::default);
/// Entries kept at most; the cache is emptied when full (simple, and bounded).
const RSA_KEY_CACHE: usize = 256;

fn rsa_key(n: &[u8], e: &[u8]) -> Result<Arc<rsa::RsaPublicKey>, Invalid> {
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
        rsa::RsaPublicKey::new_with_size_limits(n, e, MIN_BITS..=RSA_MAX_BITS)
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

/// `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }` (RFC 8017):
/// the modulus and exponent, big-endian, without leading zeros.
fn rsa_public_key(octets: &[u8]) -> der::Result<(&[u8], &[u8])> {
    let mut r = SliceReader::new(octets)?;
    let (n, e) = r.sequence(|r| Ok::<_, der::Error>((UintRef::decode(r)?, UintRef::decode(r)?)))?;
    r.finish()?;
    Ok((n.as_bytes(), e.as_bytes()))
}

// ---- ECDSA ----

fn verify_ecdsa(
    spki: &SubjectPublicKeyInfoRef<'_>,
    hash: &[u8],
    signature: &[u8],
) -> Result<(), Invalid> {
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
        SECP256R1 => ecdsa_verify!(p256),
        SECP384R1 => ecdsa_verify!(p384),
        SECP521R1 => ecdsa_verify!(p521),
        other => {
            return Err(invalid(
                Reason::UnsupportedAlgorithm,
                format!("ec curve {other} (p-256, p-384 and p-521 are supported)"),
            ));
        }
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

fn verify_ed25519(
    spki: &SubjectPublicKeyInfoRef<'_>,
    message: &[u8],
    signature: &[u8],
) -> Result<(), Invalid> {
    if spki.algorithm.oid != ID_ED25519 || spki.algorithm.parameters.is_some() {
        return Err(bad_key(format!(
            "ed25519 signature with a {} key (id-Ed25519 without parameters needed)",
            spki.algorithm.oid
        )));
    }
    let key: &[u8; 32] = key_octets(spki)?
        .try_into()
        .map_err(|_| bad_key("ed25519 public key is not 32 octets"))?;
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

/// The DSA (L, N) sizes FIPS 186-4 defines (the `dsa` crate's).
const DSA_SIZES: [(usize, usize); 4] = [(1024, 160), (2048, 224), (2048, 256), (3072, 256)];

/// The precision the `dsa` crate expects for an integer of `bits` bits: whole 64-bit limbs.
fn limb_aligned(bits: usize) -> usize {
    bits.div_ceil(64).saturating_mul(64)
}

fn verify_dsa(
    spki: &SubjectPublicKeyInfoRef<'_>,
    hash: &[u8],
    signature: &[u8],
    policy: AlgorithmPolicy,
    weaknesses: &mut Vec<Weakness>,
) -> Result<(), Invalid> {
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

/// `Dss-Parms ::= SEQUENCE { p INTEGER, q INTEGER, g INTEGER }` (RFC 3279).
fn dss_parms<'a>(params: AnyRef<'a>) -> der::Result<(&'a [u8], &'a [u8], &'a [u8])> {
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

// ---- the provider ----

impl SignatureVerifier for RustCrypto {
    fn verify(
        &self,
        spki: &[u8],
        algorithm: &[u8],
        message: &[u8],
        signature: &[u8],
        policy: AlgorithmPolicy,
    ) -> Result<Vec<Weakness>, Invalid> {
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
        match scheme {
            Scheme::RsaPkcs1(h) | Scheme::RsaPss(PssParams { hash: h, .. }) => {
                let hash = h.digest(message);
                verify_rsa(
                    &spki,
                    scheme,
                    hash.as_slice(),
                    signature,
                    policy,
                    &mut weaknesses,
                )?;
            }
            Scheme::Ecdsa(h) => {
                let hash = h.digest(message);
                verify_ecdsa(&spki, hash.as_slice(), signature)?;
            }
            Scheme::Ed25519 => verify_ed25519(&spki, message, signature)?,
            Scheme::Dsa(h) => {
                let hash = h.digest(message);
                verify_dsa(&spki, hash.as_slice(), signature, policy, &mut weaknesses)?;
            }
        }
        Ok(weaknesses)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
