//! Property ids (`CERT_*_PROP_ID` in `wincrypt.h`) and typed decoding of their values.

use const_oid::ObjectIdentifier;
use der::Decode;

use crate::Error;

/// `CERT_KEY_PROV_INFO_PROP_ID`: where the private key lives (Windows CSP/KSP container).
pub const KEY_PROV_INFO: u32 = 2;
/// `CERT_SHA1_HASH_PROP_ID`: SHA-1 of the element data (the thumbprint Windows shows).
pub const SHA1_HASH: u32 = 3;
/// `CERT_MD5_HASH_PROP_ID`: MD5 of the element data.
pub const MD5_HASH: u32 = 4;
/// `CERT_ENHKEY_USAGE_PROP_ID`: purposes the certificate is trusted for (DER `SEQUENCE OF OID`).
pub const ENHKEY_USAGE: u32 = 9;
/// `CERT_FRIENDLY_NAME_PROP_ID`: display name, UTF-16LE with a terminating NUL.
pub const FRIENDLY_NAME: u32 = 11;
/// `CERT_DESCRIPTION_PROP_ID`: description, UTF-16LE with a terminating NUL.
pub const DESCRIPTION: u32 = 13;
/// `CERT_SIGNATURE_HASH_PROP_ID`: hash of the to-be-signed part with the signature's hash.
pub const SIGNATURE_HASH: u32 = 15;
/// `CERT_KEY_IDENTIFIER_PROP_ID`: the subject key identifier.
pub const KEY_IDENTIFIER: u32 = 20;
/// `CERT_SUBJECT_PUBLIC_KEY_MD5_HASH_PROP_ID`: MD5 of the public key bits.
pub const SUBJECT_PUBLIC_KEY_MD5_HASH: u32 = 25;
/// `CERT_DATE_STAMP_PROP_ID`: a FILETIME.
pub const DATE_STAMP: u32 = 27;
/// `CERT_SUBJECT_NAME_MD5_HASH_PROP_ID`: MD5 of the subject name DER.
pub const SUBJECT_NAME_MD5_HASH: u32 = 29;
/// `CERT_ROOT_PROGRAM_CERT_POLICIES_PROP_ID`: root program policies (DER).
pub const ROOT_PROGRAM_CERT_POLICIES: u32 = 83;
/// `CERT_AUTH_ROOT_SHA256_HASH_PROP_ID`: SHA-256 of the element data.
pub const AUTH_ROOT_SHA256_HASH: u32 = 98;
/// `CERT_DISALLOWED_FILETIME_PROP_ID`: when the root was disallowed (FILETIME, may be empty).
pub const DISALLOWED_FILETIME: u32 = 104;
/// `CERT_ROOT_PROGRAM_CHAIN_POLICIES_PROP_ID`: DER `SEQUENCE OF OID`.
pub const ROOT_PROGRAM_CHAIN_POLICIES: u32 = 105;
/// `CERT_SHA256_HASH_PROP_ID`: SHA-256 of the element data.
pub const SHA256_HASH: u32 = 107;
/// `CERT_DISALLOWED_ENHKEY_USAGE_PROP_ID`: DER `SEQUENCE OF OID`.
pub const DISALLOWED_ENHKEY_USAGE: u32 = 122;
/// `CERT_NOT_BEFORE_FILETIME_PROP_ID`: FILETIME before which the root is not trusted (may be empty).
pub const NOT_BEFORE_FILETIME: u32 = 126;
/// `CERT_NOT_BEFORE_ENHKEY_USAGE_PROP_ID`: DER `SEQUENCE OF OID`.
pub const NOT_BEFORE_ENHKEY_USAGE: u32 = 127;
/// `CERT_DISALLOWED_CA_FILETIME_PROP_ID`: a FILETIME.
pub const DISALLOWED_CA_FILETIME: u32 = 128;

/// The short name of a property id (the `wincrypt.h` constant without `CERT_` and `_PROP_ID`,
/// lower-cased), or `None` for ids this crate does not name.
pub fn name(id: u32) -> Option<&'static str> {
    Some(match id {
        1 => "key_prov_handle",
        KEY_PROV_INFO => "key_prov_info",
        SHA1_HASH => "sha1_hash",
        MD5_HASH => "md5_hash",
        5 => "key_context",
        6 => "key_spec",
        7 => "ie30_reserved",
        8 => "pubkey_hash_reserved",
        ENHKEY_USAGE => "enhkey_usage",
        10 => "next_update_location",
        FRIENDLY_NAME => "friendly_name",
        12 => "pvk_file",
        DESCRIPTION => "description",
        14 => "access_state",
        SIGNATURE_HASH => "signature_hash",
        16 => "smart_card_data",
        17 => "efs",
        18 => "fortezza_data",
        19 => "archived",
        KEY_IDENTIFIER => "key_identifier",
        21 => "auto_enroll",
        22 => "pubkey_alg_para",
        23 => "cross_cert_dist_points",
        24 => "issuer_public_key_md5_hash",
        SUBJECT_PUBLIC_KEY_MD5_HASH => "subject_public_key_md5_hash",
        26 => "enrollment",
        DATE_STAMP => "date_stamp",
        28 => "issuer_serial_number_md5_hash",
        SUBJECT_NAME_MD5_HASH => "subject_name_md5_hash",
        30 => "extended_error_info",
        64 => "renewal",
        65 => "archived_key_hash",
        66 => "auto_enroll_retry",
        67 => "aia_url_retrieved",
        68 => "authority_info_access",
        69 => "backed_up",
        70 => "ocsp_response",
        71 => "request_originator",
        72 => "source_location",
        73 => "source_url",
        74 => "new_key",
        75 => "ocsp_cache_prefix",
        76 => "smart_card_root_info",
        77 => "no_auto_expire_check",
        78 => "ncrypt_key_handle",
        79 => "hcryptprov_or_ncrypt_key_handle",
        80 => "subject_info_access",
        81 => "ca_ocsp_authority_info_access",
        82 => "ca_disable_crl",
        ROOT_PROGRAM_CERT_POLICIES => "root_program_cert_policies",
        84 => "root_program_name_constraints",
        85 => "subject_ocsp_authority_info_access",
        86 => "subject_disable_crl",
        87 => "cep",
        89 => "sign_hash_cng_alg",
        90 => "scard_pin_id",
        91 => "scard_pin_info",
        92 => "subject_pub_key_bit_length",
        93 => "pub_key_cng_alg_bit_length",
        94 => "issuer_pub_key_bit_length",
        95 => "issuer_chain_sign_hash_cng_alg",
        96 => "issuer_chain_pub_key_cng_alg_bit_length",
        97 => "no_expire_notification",
        AUTH_ROOT_SHA256_HASH => "auth_root_sha256_hash",
        99 => "ncrypt_key_handle_transfer",
        100 => "hcryptprov_transfer",
        101 => "smart_card_reader",
        102 => "send_as_trusted_issuer",
        103 => "key_repair_attempted",
        DISALLOWED_FILETIME => "disallowed_filetime",
        ROOT_PROGRAM_CHAIN_POLICIES => "root_program_chain_policies",
        106 => "smart_card_reader_non_removable",
        SHA256_HASH => "sha256_hash",
        108 => "scep_server_certs",
        109 => "scep_ra_signature_cert",
        110 => "scep_ra_encryption_cert",
        111 => "scep_ca_cert",
        112 => "scep_signer_cert",
        113 => "scep_nonce",
        114 => "scep_enroller",
        115 => "scep_flags",
        116 => "scep_guid",
        117 => "serialized",
        118 => "iso_meta_data",
        119 => "pin_sha256_hash",
        120 => "cert_metadata_reserved",
        121 => "isolated_key",
        DISALLOWED_ENHKEY_USAGE => "disallowed_enhkey_usage",
        123 => "cloud_key_info",
        124 => "hcryptprov_or_ncrypt_key_handle_transfer",
        125 => "key_class",
        NOT_BEFORE_FILETIME => "not_before_filetime",
        NOT_BEFORE_ENHKEY_USAGE => "not_before_enhkey_usage",
        DISALLOWED_CA_FILETIME => "disallowed_ca_filetime",
        _ => return None,
    })
}

fn name_or_unknown(id: u32) -> &'static str {
    name(id).unwrap_or("unknown")
}

fn bad(id: u32, reason: impl Into<String>) -> Error {
    Error::BadProperty {
        id,
        name: name_or_unknown(id),
        reason: reason.into(),
    }
}

/// A Windows FILETIME: 100-nanosecond intervals since 1601-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileTime(pub u64);

impl FileTime {
    /// 100 ns intervals between 1601-01-01 and 1970-01-01.
    const UNIX_EPOCH: u64 = 116_444_736_000_000_000;

    /// Seconds since the Unix epoch (negative before 1970), rounded towards negative infinity.
    pub fn unix_seconds(self) -> i64 {
        let ticks = i128::from(self.0) - i128::from(Self::UNIX_EPOCH);
        // |ticks| < 2^64, so the quotient fits an i64.
        i64::try_from(ticks.div_euclid(10_000_000)).unwrap_or(i64::MAX)
    }

    /// The FILETIME for `seconds` since the Unix epoch, if representable.
    pub fn from_unix_seconds(seconds: i64) -> Option<Self> {
        let ticks = i128::from(seconds) * 10_000_000 + i128::from(Self::UNIX_EPOCH);
        u64::try_from(ticks).ok().map(FileTime)
    }
}

/// A property value decoded according to its id.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PropertyValue {
    /// A UTF-16LE string (friendly name, description), without its terminating NUL.
    Text(String),
    /// A fixed-size hash (SHA-1, MD5, SHA-256 properties).
    Hash(Vec<u8>),
    /// The key identifier.
    KeyIdentifier(Vec<u8>),
    /// A list of object identifiers (EKU restriction and friends).
    Oids(Vec<ObjectIdentifier>),
    /// A FILETIME, or `None` for the zero-length form Windows writes for some ids.
    FileTime(Option<FileTime>),
    /// Anything else, kept as bytes.
    Raw(Vec<u8>),
}

/// Decodes a property's data according to its id. Ids without a known layout give
/// [`PropertyValue::Raw`].
///
/// # Errors
/// [`Error::BadProperty`] when the data does not have the layout the id calls for.
pub fn decode(id: u32, data: &[u8]) -> Result<PropertyValue, Error> {
    match id {
        FRIENDLY_NAME | DESCRIPTION | 12 | 21 => decode_utf16(id, data).map(PropertyValue::Text),
        SHA1_HASH => fixed(id, data, 20).map(PropertyValue::Hash),
        MD5_HASH | SUBJECT_PUBLIC_KEY_MD5_HASH | SUBJECT_NAME_MD5_HASH | 24 | 28 => {
            fixed(id, data, 16).map(PropertyValue::Hash)
        }
        AUTH_ROOT_SHA256_HASH | SHA256_HASH | 119 => fixed(id, data, 32).map(PropertyValue::Hash),
        SIGNATURE_HASH => Ok(PropertyValue::Hash(data.to_vec())),
        KEY_IDENTIFIER => Ok(PropertyValue::KeyIdentifier(data.to_vec())),
        ENHKEY_USAGE
        | ROOT_PROGRAM_CHAIN_POLICIES
        | DISALLOWED_ENHKEY_USAGE
        | NOT_BEFORE_ENHKEY_USAGE => decode_oids(id, data).map(PropertyValue::Oids),
        DATE_STAMP | DISALLOWED_FILETIME | NOT_BEFORE_FILETIME | DISALLOWED_CA_FILETIME => {
            decode_filetime(id, data).map(PropertyValue::FileTime)
        }
        _ => Ok(PropertyValue::Raw(data.to_vec())),
    }
}

fn fixed(id: u32, data: &[u8], len: usize) -> Result<Vec<u8>, Error> {
    if data.len() == len {
        Ok(data.to_vec())
    } else {
        Err(bad(
            id,
            format!("{} bytes where {len} are expected", data.len()),
        ))
    }
}

/// Decodes a UTF-16LE string property, dropping the terminating NUL.
pub(crate) fn decode_utf16(id: u32, data: &[u8]) -> Result<String, Error> {
    if !data.len().is_multiple_of(2) {
        return Err(bad(
            id,
            format!("odd length {} for a UTF-16LE string", data.len()),
        ));
    }
    let mut units: Vec<u16> = data
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    if units.last() == Some(&0) {
        units.pop();
    }
    String::from_utf16(&units).map_err(|_| bad(id, "not valid UTF-16LE"))
}

/// Encodes a string as Windows stores it: UTF-16LE with a terminating NUL.
pub fn encode_utf16(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() * 2 + 2);
    for unit in text.encode_utf16().chain(std::iter::once(0)) {
        out.extend_from_slice(&unit.to_le_bytes());
    }
    out
}

pub(crate) fn decode_oids(id: u32, data: &[u8]) -> Result<Vec<ObjectIdentifier>, Error> {
    Vec::<ObjectIdentifier>::from_der(data)
        .map_err(|e| bad(id, format!("not a DER SEQUENCE OF OID: {e}")))
}

/// Encodes a list of OIDs as the EKU property value (DER `SEQUENCE OF OBJECT IDENTIFIER`).
///
/// # Errors
/// Only if the encoding would exceed DER length limits.
pub fn encode_oids(oids: &[ObjectIdentifier]) -> Result<Vec<u8>, Error> {
    use der::Encode;
    oids.to_vec()
        .to_der()
        .map_err(|e| bad(ENHKEY_USAGE, format!("cannot encode: {e}")))
}

fn decode_filetime(id: u32, data: &[u8]) -> Result<Option<FileTime>, Error> {
    match <[u8; 8]>::try_from(data) {
        Ok(bytes) => Ok(Some(FileTime(u64::from_le_bytes(bytes)))),
        Err(_) if data.is_empty() => Ok(None),
        Err(_) => Err(bad(
            id,
            format!("{} bytes where a FILETIME has 8", data.len()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filetime_round_trip() {
        // 00 80 d1 0b ba c7 d3 01 = 2018-03-30 (research notes).
        let ft = FileTime(u64::from_le_bytes([
            0x00, 0x80, 0xd1, 0x0b, 0xba, 0xc7, 0xd3, 0x01,
        ]));
        let secs = ft.unix_seconds();
        assert_eq!(secs / 86400, 17620); // 2018-03-30
        assert_eq!(
            FileTime::from_unix_seconds(0),
            Some(FileTime(FileTime::UNIX_EPOCH))
        );
        assert_eq!(FileTime(0).unix_seconds(), -11_644_473_600);
    }

    #[test]
    fn utf16_round_trip() {
        let enc = encode_utf16("WineTest");
        assert_eq!(enc.len(), 18);
        assert_eq!(decode_utf16(11, &enc).unwrap(), "WineTest");
        assert!(decode_utf16(11, &[0x41]).is_err());
        assert!(decode_utf16(11, &[0x00, 0xd8]).is_err());
    }

    #[test]
    fn oids_round_trip() {
        let oids = vec![ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.4")];
        let der = encode_oids(&oids).unwrap();
        assert_eq!(decode_oids(9, &der).unwrap(), oids);
        assert!(decode_oids(9, &[0x30, 0x05]).is_err());
    }
}
