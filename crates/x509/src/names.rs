//! Names for object identifiers and RFC 4514 strings for X.501 names.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Mutex, OnceLock, PoisonError};

use const_oid::ObjectIdentifier;
use const_oid::db::DB;
use der::{Encode, Tag, Tagged};
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::name::Name;

/// Names of the OIDs every certificate and message has: the database's names (a test checks),
/// found without the database's linear scan or the cache's lock.
const COMMON_NAMES: &[(ObjectIdentifier, &str)] = &[
    (const_oid::db::rfc5912::RSA_ENCRYPTION, "rsaEncryption"),
    (
        const_oid::db::rfc5912::SHA_1_WITH_RSA_ENCRYPTION,
        "sha1WithRSAEncryption",
    ),
    (const_oid::db::rfc5912::ID_RSASSA_PSS, "id-RSASSA-PSS"),
    (
        const_oid::db::rfc5912::SHA_256_WITH_RSA_ENCRYPTION,
        "sha256WithRSAEncryption",
    ),
    (
        const_oid::db::rfc5912::SHA_384_WITH_RSA_ENCRYPTION,
        "sha384WithRSAEncryption",
    ),
    (
        const_oid::db::rfc5912::SHA_512_WITH_RSA_ENCRYPTION,
        "sha512WithRSAEncryption",
    ),
    (const_oid::db::rfc5912::ID_EC_PUBLIC_KEY, "id-ecPublicKey"),
    (
        const_oid::db::rfc5912::ECDSA_WITH_SHA_256,
        "ecdsa-with-SHA256",
    ),
    (
        const_oid::db::rfc5912::ECDSA_WITH_SHA_384,
        "ecdsa-with-SHA384",
    ),
    (
        const_oid::db::rfc5912::ECDSA_WITH_SHA_512,
        "ecdsa-with-SHA512",
    ),
    (const_oid::db::rfc8410::ID_ED_25519, "id-Ed25519"),
    (const_oid::db::rfc5912::ID_DSA, "id-dsa"),
    (const_oid::db::rfc5911::ID_DATA, "id-data"),
    (const_oid::db::rfc5912::ID_SHA_1, "id-sha1"),
    (const_oid::db::rfc5912::ID_SHA_256, "id-sha256"),
    (const_oid::db::rfc5912::ID_SHA_384, "id-sha384"),
    (const_oid::db::rfc5912::ID_SHA_512, "id-sha512"),
    (const_oid::db::rfc5912::ID_SHA_224, "id-sha224"),
];

/// The database name of an OID (`sha256WithRSAEncryption`, `id-Ed25519`, …), or the dotted form.
///
/// `const-oid`'s database is a list scanned linearly (thousands of entries): the common OIDs
/// come from a table, and the few other distinct OIDs a run meets are looked up once and
/// remembered.
pub fn oid_name(oid: &ObjectIdentifier) -> String {
    if let Some((_, name)) = COMMON_NAMES.iter().find(|(known, _)| known == oid) {
        return (*name).to_owned();
    }
    static CACHE: OnceLock<Mutex<HashMap<ObjectIdentifier, Option<&'static str>>>> =
        OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    // A poisoned lock only means another thread panicked mid-insert; the map is still usable.
    let mut map = cache.lock().unwrap_or_else(PoisonError::into_inner);
    let name = *map
        .entry(*oid)
        .or_insert_with(|| DB.by_oid(oid).or_else(|| extra_name(oid)));
    drop(map);
    match name {
        Some(name) => name.to_owned(),
        None => oid.to_string(),
    }
}

/// Names the database lacks that real certificates use.
fn extra_name(oid: &ObjectIdentifier) -> Option<&'static str> {
    const TABLE: &[(ObjectIdentifier, &str)] = &[
        // OIW secsig (1990s certificates, e.g. in .NET's test data and old Windows roots).
        (
            ObjectIdentifier::new_unwrap("1.3.14.3.2.29"),
            "sha1WithRSASignature",
        ),
        (ObjectIdentifier::new_unwrap("1.3.14.3.2.3"), "md5WithRSA"),
        (ObjectIdentifier::new_unwrap("1.3.14.3.2.27"), "dsaWithSHA1"),
    ];
    TABLE.iter().find(|(o, _)| o == oid).map(|(_, n)| *n)
}

/// The RFC 4514 short name for attribute types with a well-known one (RFC 4514's table, plus the
/// names OpenSSL prints for other common attributes).
fn attribute_short_name(oid: &ObjectIdentifier) -> Option<&'static str> {
    const fn arc(s: &str) -> ObjectIdentifier {
        ObjectIdentifier::new_unwrap(s)
    }
    const TABLE: &[(ObjectIdentifier, &str)] = &[
        (const_oid::db::rfc4519::CN, "CN"),
        (const_oid::db::rfc4519::C, "C"),
        (const_oid::db::rfc4519::L, "L"),
        (const_oid::db::rfc4519::ST, "ST"),
        (const_oid::db::rfc4519::O, "O"),
        (const_oid::db::rfc4519::OU, "OU"),
        (const_oid::db::rfc4519::STREET, "STREET"),
        (const_oid::db::rfc4519::DC, "DC"),
        (const_oid::db::rfc4519::UID, "UID"),
        (
            const_oid::db::rfc2985::PKCS_9_AT_EMAIL_ADDRESS,
            "emailAddress",
        ),
        (const_oid::db::rfc4519::SERIAL_NUMBER, "serialNumber"),
        (const_oid::db::rfc4519::SN, "SN"),
        (const_oid::db::rfc4519::GN, "GN"),
        (const_oid::db::rfc4519::TITLE, "title"),
        (const_oid::db::rfc4519::INITIALS, "initials"),
        (
            const_oid::db::rfc4519::GENERATION_QUALIFIER,
            "generationQualifier",
        ),
        (const_oid::db::rfc4519::DN_QUALIFIER, "dnQualifier"),
        (const_oid::db::rfc3280::PSEUDONYM, "pseudonym"),
        (const_oid::db::rfc4519::POSTAL_CODE, "postalCode"),
        (
            const_oid::db::rfc4519::BUSINESS_CATEGORY,
            "businessCategory",
        ),
        (arc("2.5.4.97"), "organizationIdentifier"),
        (const_oid::db::rfc4519::DESCRIPTION, "description"),
        (arc("1.3.6.1.4.1.311.60.2.1.1"), "jurisdictionL"),
        (arc("1.3.6.1.4.1.311.60.2.1.2"), "jurisdictionST"),
        (arc("1.3.6.1.4.1.311.60.2.1.3"), "jurisdictionC"),
    ];
    TABLE.iter().find(|(o, _)| o == oid).map(|(_, n)| *n)
}

/// The `emailAddress` attribute (PKCS #9).
pub const EMAIL_ADDRESS: ObjectIdentifier = const_oid::db::rfc2985::PKCS_9_AT_EMAIL_ADDRESS;

/// The text of a directory string value, when its type is a character string this crate reads.
pub fn attribute_text(atv: &AttributeTypeAndValue) -> Option<String> {
    attribute_str(atv).map(std::borrow::Cow::into_owned)
}

/// [`attribute_text`], borrowed from the value when it is UTF-8 already.
fn attribute_str(atv: &AttributeTypeAndValue) -> Option<std::borrow::Cow<'_, str>> {
    let bytes = atv.value.value();
    match atv.value.tag() {
        Tag::Utf8String
        | Tag::PrintableString
        | Tag::Ia5String
        | Tag::VisibleString
        | Tag::NumericString => Some(String::from_utf8_lossy(bytes)),
        // T.61 in theory; Latin-1 in every certificate seen in practice.
        Tag::TeletexString => Some(bytes.iter().map(|&b| char::from(b)).collect()),
        Tag::BmpString => {
            if !bytes.len().is_multiple_of(2) {
                return None;
            }
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .filter_map(|c| <[u8; 2]>::try_from(c).ok())
                .map(u16::from_be_bytes)
                .collect();
            Some(String::from_utf16_lossy(&units).into())
        }
        _ => None,
    }
}

fn escape_into(out: &mut String, value: &str) {
    let last = value.chars().count().saturating_sub(1);
    for (i, c) in value.chars().enumerate() {
        match c {
            '#' if i == 0 => out.push_str("\\#"),
            ' ' if i == 0 || i == last => out.push_str("\\ "),
            '"' | '+' | ',' | ';' | '<' | '>' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\0'..='\x1f' | '\x7f' => {
                let _ = write!(out, "\\{:02x}", u32::from(c));
            }
            _ => out.push(c),
        }
    }
}

fn push_atv(out: &mut String, atv: &AttributeTypeAndValue) {
    let text = attribute_str(atv);
    match (attribute_short_name(&atv.oid), text) {
        (Some(short), Some(text)) => {
            out.push_str(short);
            out.push('=');
            escape_into(out, &text);
        }
        (None, Some(text)) => {
            let _ = write!(out, "{}=", atv.oid);
            escape_into(out, &text);
        }
        (short, None) => {
            // RFC 4514 2.4: the BER encoding in hex after '#'.
            match short {
                Some(s) => out.push_str(s),
                None => {
                    let _ = write!(out, "{}", atv.oid);
                }
            }
            out.push_str("=#");
            if let Ok(der) = atv.value.to_der() {
                for b in der {
                    let _ = write!(out, "{b:02x}");
                }
            }
        }
    }
}

/// The RFC 4514 string of a name: RDNs last to first, `,` between them, `+` within one.
pub fn rfc4514(name: &Name) -> String {
    let mut out = String::with_capacity(64);
    for (i, rdn) in name
        .iter_rdn()
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .enumerate()
    {
        if i > 0 {
            out.push(',');
        }
        for (j, atv) in rdn.iter().enumerate() {
            if j > 0 {
                out.push('+');
            }
            push_atv(&mut out, atv);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn common_names_are_the_database_names() {
        for (o, name) in COMMON_NAMES {
            assert_eq!(DB.by_oid(o), Some(*name), "{o}");
            assert_eq!(oid_name(o), *name);
        }
    }

    #[test]
    fn algorithm_names_match_the_database() {
        for (oid, name) in [
            ("1.2.840.113549.1.1.11", "sha256WithRSAEncryption"),
            ("1.2.840.113549.1.1.5", "sha1WithRSAEncryption"),
            ("1.2.840.10045.4.3.2", "ecdsa-with-SHA256"),
            ("1.3.101.112", "id-Ed25519"),
            ("1.2.840.113549.1.1.10", "id-RSASSA-PSS"),
        ] {
            let oid = ObjectIdentifier::new_unwrap(oid);
            assert_eq!(oid_name(&oid), name);
            assert_eq!(DB.by_oid(&oid), Some(name));
        }
        assert_eq!(
            oid_name(&ObjectIdentifier::new_unwrap("1.2.3.4.5.6")),
            "1.2.3.4.5.6"
        );
    }

    #[test]
    fn rfc4514_order_and_escaping() {
        let name = Name::from_str("CN=a\\,b,O=Org,C=DE").unwrap();
        assert_eq!(rfc4514(&name), "CN=a\\,b,O=Org,C=DE");
        let name = Name::from_str("CN=x+O=y,C=DE").unwrap();
        assert_eq!(rfc4514(&name), "CN=x+O=y,C=DE");
        let name = Name::from_str("CN=a;b").unwrap();
        assert_eq!(rfc4514(&name), "CN=a\\;b");
        let mut out = String::new();
        escape_into(&mut out, "#lead \u{1}end ");
        assert_eq!(out, "\\#lead \\01end\\ ");
    }
}
