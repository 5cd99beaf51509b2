//! The certificate model: original DER bytes, thumbprints, and what a strict parse reveals.

use std::fmt;

use const_oid::ObjectIdentifier;
use const_oid::db::rfc5912;
use der::asn1::{ObjectIdentifier as Oid, UintRef};
use der::{Decode, Reader, SliceReader, Tag, Tagged};
use sha1::{Digest, Sha1};
use sha2::Sha256;
use time::OffsetDateTime;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, SubjectAltName,
    SubjectKeyIdentifier,
};
use x509_cert::spki::SubjectPublicKeyInfoOwned;

use crate::names;

/// A certificate: its original DER bytes (never re-encoded), its SHA-1 and SHA-256 thumbprints,
/// and, when a strict RFC 5280 parser (`x509-cert`) accepts it, the parsed form and a summary.
///
/// Real stores hold certificates strict parsers reject (Windows' disallowed store has one with an
/// explicitly encoded DEFAULT value); such a certificate is still a `Certificate`, with
/// [`parse_error`](Certificate::parse_error) saying why.
#[derive(Clone)]
pub struct Certificate {
    der: Vec<u8>,
    sha1: [u8; 20],
    sha256: [u8; 32],
    parsed: Option<Box<x509_cert::Certificate>>,
    info: Option<Box<CertInfo>>,
    parse_error: Option<String>,
    /// When the validity had to be substituted for `x509-cert` to parse the certificate (see
    /// [`Certificate::parsed`]): the bytes that were parsed.
    substituted: Option<Vec<u8>>,
    /// Where [`raw_fields`](Certificate::raw_fields) are in `der`, found on first use (signer
    /// lookups ask for them several times per message).
    raw: std::sync::OnceLock<Option<RawSpans>>,
}

/// [`RawFields`] as ranges of the certificate's bytes.
#[derive(Clone)]
struct RawSpans {
    serial: std::ops::Range<usize>,
    issuer: std::ops::Range<usize>,
    subject: std::ops::Range<usize>,
    spki: std::ops::Range<usize>,
}

impl fmt::Debug for Certificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Certificate")
            .field("sha1", &self.sha1_hex())
            .field("len", &self.der.len())
            .field("info", &self.info)
            .field("parse_error", &self.parse_error)
            .finish()
    }
}

impl PartialEq for Certificate {
    fn eq(&self, other: &Self) -> bool {
        self.der == other.der
    }
}

impl Eq for Certificate {}

/// What [`Certificate::info`] reports about a certificate a strict parser accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CertInfo {
    /// The subject as an RFC 4514 string (`CN=…,O=…,C=…`, last RDN first).
    pub subject: String,
    /// The issuer, likewise.
    pub issuer: String,
    /// The serial number's content octets in upper-case hex (as encoded: a leading `00` stays).
    pub serial: String,
    /// Start of validity.
    pub not_before: OffsetDateTime,
    /// End of validity.
    pub not_after: OffsetDateTime,
    /// basicConstraints `cA` (false when the extension is absent).
    pub is_ca: bool,
    /// basicConstraints `pathLenConstraint`.
    pub path_len: Option<u8>,
    /// Whether the subject and issuer names are identical (DER-equal).
    pub self_issued: bool,
    /// Whether the certificate has a basicConstraints extension at all (v1 roots have none).
    pub has_basic_constraints: bool,
    /// The subject public key.
    pub key: KeyInfo,
    /// The signature algorithm's name (`sha256WithRSAEncryption`, `ecdsa-with-SHA256`,
    /// `id-Ed25519`, `id-RSASSA-PSS`, …), or its dotted OID when unknown.
    pub signature_algorithm: String,
    /// Mail addresses: the subjectAltName's rfc822Name entries; without a subjectAltName
    /// extension, the subject's emailAddress attributes (duplicates, ignoring ASCII case,
    /// removed).
    pub emails: Vec<String>,
    /// The subjectKeyIdentifier extension's value.
    pub subject_key_id: Option<Vec<u8>>,
    /// The authorityKeyIdentifier extension's keyIdentifier.
    pub authority_key_id: Option<Vec<u8>>,
    /// The extendedKeyUsage extension's purposes (their `Display` is the dotted form); `None`
    /// when absent.
    pub ext_key_usage: Option<Vec<const_oid::ObjectIdentifier>>,
}

/// The subject public key's algorithm and size.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct KeyInfo {
    /// `RSA`, `RSA-PSS`, `EC P-256`, `EC P-384`, `EC P-521`, `EC <curve OID>`, `Ed25519`, `Ed448`,
    /// `DSA`, else the algorithm's dotted OID.
    pub algorithm: String,
    /// RSA modulus bits, EC field size, DSA `p` bits; `None` for Ed25519/Ed448 and unknown
    /// algorithms.
    pub bits: Option<u32>,
}

impl Certificate {
    /// Wraps DER bytes. Never fails: the thumbprints are computed, and a strict parse is
    /// attempted; its failure is recorded in [`parse_error`](Certificate::parse_error).
    pub fn from_der(der: Vec<u8>) -> Certificate {
        let sha1: [u8; 20] = Sha1::digest(&der).into();
        let sha256: [u8; 32] = Sha256::digest(&der).into();
        let Parse {
            parsed,
            info,
            error: parse_error,
            substituted,
        } = parse(&der);
        Certificate {
            der,
            sha1,
            sha256,
            parsed: parsed.map(Box::new),
            info: info.map(Box::new),
            parse_error,
            substituted,
            raw: std::sync::OnceLock::new(),
        }
    }

    /// The original bytes.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The bytes, giving up the certificate.
    pub fn into_der(self) -> Vec<u8> {
        self.der
    }

    /// SHA-1 of the DER: the thumbprint Windows shows.
    pub fn sha1(&self) -> [u8; 20] {
        self.sha1
    }

    /// SHA-256 of the DER.
    pub fn sha256(&self) -> [u8; 32] {
        self.sha256
    }

    /// The SHA-1 thumbprint in upper-case hex without separators, as Windows shows it.
    pub fn sha1_hex(&self) -> String {
        crate::hex(&self.sha1)
    }

    /// The SHA-256 thumbprint in upper-case hex without separators.
    pub fn sha256_hex(&self) -> String {
        crate::hex(&self.sha256)
    }

    /// The strictly parsed certificate, when `x509-cert` accepts the bytes.
    ///
    /// One exception: validity times `x509-cert` (through `der`) cannot represent but RFC 5280
    /// allows — a UTCTime before 1970 (`YY` 50 to 69, RFC 5280 4.1.2.5.1), a GeneralizedTime
    /// with fractional seconds — are read from the original bytes into
    /// [`CertInfo::not_before`]/[`CertInfo::not_after`], and the parsed form then carries a
    /// substitute validity (clamped to 1970-01-01, fractions dropped). Everything else in it is
    /// as encoded. Read validity from [`info`](Certificate::info) (path validation does), never
    /// from the parsed form; [`validity_substituted`](Certificate::validity_substituted) says
    /// when it differs. The original bytes ([`der`](Certificate::der)) are never changed.
    pub fn parsed(&self) -> Option<&x509_cert::Certificate> {
        self.parsed.as_deref()
    }

    /// Why the strict parse failed: the certificate itself, or one of the extensions
    /// [`CertInfo`] reads (basicConstraints, subjectAltName, extendedKeyUsage, key
    /// identifiers) or its validity dates. `None` when [`info`](Certificate::info) is `Some`.
    pub fn parse_error(&self) -> Option<&str> {
        self.parse_error.as_deref()
    }

    /// Whether the parsed certificate encodes back to exactly the original bytes: `Some(false)`
    /// for certificates that are BER rather than canonical DER (an explicitly encoded DEFAULT
    /// value, a non-minimal length, …), which stricter parsers than `x509-cert` reject and
    /// which a re-encoding tool would silently change; `None` when the parse failed. Computed on
    /// each call (it re-encodes).
    pub fn is_canonical_der(&self) -> Option<bool> {
        use der::Encode;
        let parsed = self.parsed.as_deref()?;
        // With a substituted validity, compare with the bytes that were parsed: everything but
        // the validity is as in the original.
        let parsed_from = self.substituted.as_deref().unwrap_or(&self.der);
        Some(parsed.to_der().is_ok_and(|again| again == parsed_from))
    }

    /// Whether [`parsed`](Certificate::parsed) carries a substitute validity because the
    /// encoded one is outside what `x509-cert` can represent (see there).
    pub fn validity_substituted(&self) -> bool {
        self.substituted.is_some()
    }

    /// The summary; `None` when the strict parse failed.
    pub fn info(&self) -> Option<&CertInfo> {
        self.info.as_deref()
    }
}

fn to_datetime(t: &x509_cert::time::Time, what: &str) -> Result<OffsetDateTime, String> {
    let secs = i64::try_from(t.to_unix_duration().as_secs())
        .map_err(|_| format!("{what} is out of range"))?;
    OffsetDateTime::from_unix_timestamp(secs).map_err(|_| format!("{what} is out of range"))
}

fn extension<'a, T>(cert: &'a x509_cert::Certificate, name: &str) -> Result<Option<T>, String>
where
    T: Decode<'a, Error = der::Error> + const_oid::AssociatedOid,
{
    cert.tbs_certificate()
        .get_extension::<T>()
        .map(|found| found.map(|(_critical, value)| value))
        .map_err(|e| format!("malformed or repeated {name} extension: {e}"))
}

/// What parsing a certificate's bytes gave.
struct Parse {
    parsed: Option<x509_cert::Certificate>,
    info: Option<CertInfo>,
    error: Option<String>,
    substituted: Option<Vec<u8>>,
}

/// Strict parse, with the validity fallback described at [`Certificate::parsed`].
fn parse(der: &[u8]) -> Parse {
    let strict_error = match x509_cert::Certificate::from_der(der) {
        Ok(cert) => {
            return match summarize(&cert) {
                Ok(info) => Parse {
                    parsed: Some(cert),
                    info: Some(info),
                    error: None,
                    substituted: None,
                },
                Err(reason) => Parse {
                    parsed: Some(cert),
                    info: None,
                    error: Some(reason),
                    substituted: None,
                },
            };
        }
        Err(e) => e.to_string(),
    };
    let failed = |error: String| Parse {
        parsed: None,
        info: None,
        error: Some(error),
        substituted: None,
    };
    // Only when the validity is what the strict parser cannot take: read it ourselves, and
    // parse again with a representable stand-in. If that parse fails too, the problem was
    // elsewhere: report the strict parser's error.
    let Some((not_before, not_after, patched)) = validity::substitute(der) else {
        return failed(strict_error);
    };
    let Ok(cert) = x509_cert::Certificate::from_der(&patched) else {
        return failed(strict_error);
    };
    match summarize(&cert) {
        Ok(mut info) => {
            info.not_before = not_before;
            info.not_after = not_after;
            Parse {
                parsed: Some(cert),
                info: Some(info),
                error: None,
                substituted: Some(patched),
            }
        }
        Err(reason) => Parse {
            parsed: Some(cert),
            info: None,
            error: Some(reason),
            substituted: Some(patched),
        },
    }
}

/// Validity times read from the original bytes, for those `der` cannot represent.
mod validity {
    use der::{Decode, Encode, Header, Length, Tag};
    use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

    use crate::tlv::{self, Walker};

    /// Two ASCII digits.
    fn two(b: &[u8], at: usize) -> Option<u8> {
        let hi = b.get(at).filter(|c| c.is_ascii_digit())?;
        let lo = b.get(at + 1).filter(|c| c.is_ascii_digit())?;
        Some((hi - b'0') * 10 + (lo - b'0'))
    }

    /// `MMDDHHMMSS` at `at` after the year, as a UTC date-time.
    fn rest_of(b: &[u8], at: usize, year: i32) -> Option<OffsetDateTime> {
        let month = Month::try_from(two(b, at)?).ok()?;
        let date = Date::from_calendar_date(year, month, two(b, at + 2)?).ok()?;
        let time = Time::from_hms(two(b, at + 4)?, two(b, at + 6)?, two(b, at + 8)?).ok()?;
        Some(PrimitiveDateTime::new(date, time).assume_utc())
    }

    /// A UTCTime (`YYMMDDHHMMSSZ`; `YY` below 50 is 20YY, else 19YY: RFC 5280 4.1.2.5.1) or a
    /// GeneralizedTime (`YYYYMMDDHHMMSS[.fff…]Z`, the fraction dropped: validity has whole
    /// seconds) from its tag and content octets.
    pub(super) fn read(tag: Tag, b: &[u8]) -> Option<OffsetDateTime> {
        match tag {
            Tag::UtcTime => {
                if b.len() != 13 || b.get(12) != Some(&b'Z') {
                    return None;
                }
                let yy = i32::from(two(b, 0)?);
                rest_of(b, 2, if yy < 50 { 2000 + yy } else { 1900 + yy })
            }
            Tag::GeneralizedTime => {
                let (body, fraction) = match b.strip_suffix(b"Z")? {
                    whole if whole.len() == 14 => (whole, &[][..]),
                    long => {
                        let (body, dot_fraction) = long.split_at_checked(14)?;
                        let fraction = dot_fraction.strip_prefix(b".")?;
                        (body, fraction)
                    }
                };
                if !fraction.iter().all(u8::is_ascii_digit) {
                    return None;
                }
                let year = i32::from(two(body, 0)?) * 100 + i32::from(two(body, 2)?);
                rest_of(body, 4, year)
            }
            _ => None,
        }
    }

    /// A representable stand-in: the time clamped to 1970-01-01, as UTCTime before 2050 and
    /// GeneralizedTime from then on (RFC 5280 4.1.2.5), whole seconds.
    fn stand_in(t: OffsetDateTime) -> Option<Vec<u8>> {
        let t = t.max(OffsetDateTime::UNIX_EPOCH);
        let (y, m, d) = (t.year(), u8::from(t.month()), t.day());
        let (hh, mm, ss) = (t.hour(), t.minute(), t.second());
        let (tag, text) = if y < 2050 {
            (
                Tag::UtcTime,
                format!("{:02}{m:02}{d:02}{hh:02}{mm:02}{ss:02}Z", y % 100),
            )
        } else {
            (
                Tag::GeneralizedTime,
                format!("{y:04}{m:02}{d:02}{hh:02}{mm:02}{ss:02}Z"),
            )
        };
        tlv_of(tag, text.as_bytes())
    }

    fn tlv_of(tag: Tag, content: &[u8]) -> Option<Vec<u8>> {
        let mut out = Header::new(tag, Length::try_from(content.len()).ok()?)
            .to_der()
            .ok()?;
        out.extend_from_slice(content);
        Some(out)
    }

    /// The validity read from `der` (a certificate) and a copy of `der` whose validity is
    /// replaced by representable stand-ins; `None` when the structure or the times are not
    /// readable, or when the strict parser could represent both times (then the validity is
    /// not what it rejected).
    pub(super) fn substitute(der: &[u8]) -> Option<(OffsetDateTime, OffsetDateTime, Vec<u8>)> {
        // Definite lengths only (re-framing must not turn BER into DER).
        let definite = |t: &tlv::Tlv<'_>| {
            t.content_offset.checked_add(t.content.len()) == t.offset.checked_add(t.raw.len())
        };
        let outer = tlv::single_sequence(der).ok()?;
        let mut top = Walker::inside(&outer);
        let tbs = top.next_tlv()?.ok()?;
        if tbs.tag != Tag::Sequence || !definite(&outer) || !definite(&tbs) {
            return None;
        }
        let mut fields = Walker::inside(&tbs);
        let mut validity = fields.next_tlv()?.ok()?;
        if tlv::is_context(validity.tag, 0) {
            validity = fields.next_tlv()?.ok()?; // serial
        }
        for _ in 0..3 {
            validity = fields.next_tlv()?.ok()?; // signature, issuer, validity
        }
        if validity.tag != Tag::Sequence {
            return None;
        }
        let mut times = Walker::inside(&validity);
        let nb = times.next_tlv()?.ok()?;
        let na = times.next_tlv()?.ok()?;
        if !times.is_empty() {
            return None;
        }
        let not_before = read(nb.tag, nb.content)?;
        let not_after = read(na.tag, na.content)?;
        let strict_ok = |t: &tlv::Tlv<'_>| x509_cert::time::Time::from_der(t.raw).is_ok();
        if strict_ok(&nb) && strict_ok(&na) {
            return None;
        }
        let mut new_validity = stand_in(not_before)?;
        new_validity.extend(stand_in(not_after)?);
        let new_validity = tlv_of(Tag::Sequence, &new_validity)?;
        // Splice: the tbs content around the validity, then the outer content around the tbs.
        let v_start = validity.offset.checked_sub(tbs.content_offset)?;
        let v_end = v_start.checked_add(validity.raw.len())?;
        let mut tbs_content = tbs.content.get(..v_start)?.to_vec();
        tbs_content.extend_from_slice(&new_validity);
        tbs_content.extend_from_slice(tbs.content.get(v_end..)?);
        let mut outer_content = tlv_of(Tag::Sequence, &tbs_content)?;
        let t_end = tbs
            .offset
            .checked_sub(outer.content_offset)?
            .checked_add(tbs.raw.len())?;
        outer_content.extend_from_slice(outer.content.get(t_end..)?);
        Some((
            not_before,
            not_after,
            tlv_of(Tag::Sequence, &outer_content)?,
        ))
    }
}

/// Builds the [`CertInfo`] of a parsed certificate.
fn summarize(cert: &x509_cert::Certificate) -> Result<CertInfo, String> {
    let tbs = cert.tbs_certificate();
    let validity = tbs.validity();
    let basic = extension::<BasicConstraints>(cert, "basicConstraints")?;
    let san = extension::<SubjectAltName>(cert, "subjectAltName")?;
    let eku = extension::<ExtendedKeyUsage>(cert, "extendedKeyUsage")?;
    let ski = extension::<SubjectKeyIdentifier>(cert, "subjectKeyIdentifier")?;
    let aki = extension::<AuthorityKeyIdentifier>(cert, "authorityKeyIdentifier")?;

    let mut emails: Vec<String> = Vec::new();
    let mut add_email = |e: String| {
        if !emails.iter().any(|x| x.eq_ignore_ascii_case(&e)) {
            emails.push(e);
        }
    };
    for name in san.iter().flat_map(|s| s.0.iter()) {
        if let GeneralName::Rfc822Name(mail) = name {
            add_email(mail.to_string());
        }
    }
    // The subject's emailAddress only without a subjectAltName: RFC 5280 4.2.1.10 applies
    // rfc822Name constraints to it only then, so beside a subjectAltName it is unconstrained
    // and proves nothing.
    if san.is_none() {
        for atv in tbs.subject().iter() {
            if atv.oid == names::EMAIL_ADDRESS
                && let Some(text) = names::attribute_text(atv)
            {
                add_email(text);
            }
        }
    }

    Ok(CertInfo {
        subject: names::rfc4514(tbs.subject()),
        issuer: names::rfc4514(tbs.issuer()),
        serial: crate::hex(tbs.serial_number().as_bytes()),
        not_before: to_datetime(&validity.not_before, "notBefore")?,
        not_after: to_datetime(&validity.not_after, "notAfter")?,
        is_ca: basic.as_ref().is_some_and(|b| b.ca),
        path_len: basic.as_ref().and_then(|b| b.path_len_constraint),
        self_issued: tbs.subject() == tbs.issuer(),
        has_basic_constraints: basic.is_some(),
        key: key_info(tbs.subject_public_key_info()),
        signature_algorithm: names::oid_name(&cert.signature_algorithm().oid),
        emails,
        subject_key_id: ski.map(|s| s.0.as_bytes().to_vec()),
        authority_key_id: aki.and_then(|a| a.key_identifier.map(|k| k.as_bytes().to_vec())),
        ext_key_usage: eku.map(|e| e.0),
    })
}

/// The group of `smimetrust_store::sort_for_store` (0 root, 1 intermediate, 2 other) and subject of a
/// certificate, `None` when the strict parse fails.
pub fn store_class(der: &[u8]) -> Option<(u8, String)> {
    let info = parse(der).info?;
    let class = if info.self_issued && (info.is_ca || !info.has_basic_constraints) {
        0
    } else if info.is_ca {
        1
    } else {
        2
    };
    Some((class, info.subject))
}

const ED25519: ObjectIdentifier = const_oid::db::rfc8410::ID_ED_25519;
const ED448: ObjectIdentifier = const_oid::db::rfc8410::ID_ED_448;

/// Bit length of a big-endian unsigned integer without leading zero bytes.
fn bit_len(bytes: &[u8]) -> Option<u32> {
    let first = bytes.iter().position(|&b| b != 0)?;
    let rest = bytes.get(first..)?;
    let top = rest.first()?;
    let len = u32::try_from(rest.len()).ok()?;
    Some((len - 1) * 8 + (8 - top.leading_zeros()))
}

/// Reads the first INTEGER of a DER SEQUENCE (RSA modulus, DSA `p`).
fn first_integer_bits(der: &[u8]) -> Option<u32> {
    let mut reader = SliceReader::new(der).ok()?;
    reader
        .sequence(|r| {
            let n = UintRef::decode(r)?;
            // The rest (exponent, q, g) is not needed; skip it so `sequence` accepts the read.
            while !r.is_finished() {
                r.tlv_bytes()?;
            }
            Ok::<_, der::Error>(bit_len(n.as_bytes()))
        })
        .ok()
        .flatten()
}

fn key_info(spki: &SubjectPublicKeyInfoOwned) -> KeyInfo {
    let oid = spki.algorithm.oid;
    let key = spki.subject_public_key.raw_bytes();
    let params = spki.algorithm.parameters.as_ref();
    let (algorithm, bits) = if oid == rfc5912::RSA_ENCRYPTION {
        ("RSA".to_owned(), first_integer_bits(key))
    } else if oid == rfc5912::ID_RSASSA_PSS {
        ("RSA-PSS".to_owned(), first_integer_bits(key))
    } else if oid == rfc5912::ID_EC_PUBLIC_KEY {
        let curve = params
            .filter(|p| p.tag() == Tag::ObjectIdentifier)
            .and_then(|p| Oid::from_bytes(p.value()).ok());
        match curve {
            Some(c) if c == rfc5912::SECP_256_R_1 => ("EC P-256".to_owned(), Some(256)),
            Some(c) if c == rfc5912::SECP_384_R_1 => ("EC P-384".to_owned(), Some(384)),
            Some(c) if c == rfc5912::SECP_521_R_1 => ("EC P-521".to_owned(), Some(521)),
            Some(c) => {
                // Uncompressed point 04 || X || Y: the field size from its length.
                let bits = match key.split_first() {
                    Some((0x04, xy)) => u32::try_from(xy.len() / 2).ok().map(|n| n * 8),
                    _ => None,
                };
                (format!("EC {c}"), bits)
            }
            None => ("EC".to_owned(), None),
        }
    } else if oid == ED25519 {
        ("Ed25519".to_owned(), None)
    } else if oid == ED448 {
        ("Ed448".to_owned(), None)
    } else if oid == rfc5912::ID_DSA {
        let bits = params
            .filter(|p| p.tag() == Tag::Sequence)
            .and_then(|p| der::Encode::to_der(p).ok())
            .and_then(|d| first_integer_bits(&d));
        ("DSA".to_owned(), bits)
    } else {
        (oid.to_string(), None)
    };
    KeyInfo { algorithm, bits }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits() {
        assert_eq!(bit_len(&[0x00, 0x80, 0x00]), Some(16));
        assert_eq!(bit_len(&[0x01]), Some(1));
        assert_eq!(bit_len(&[0x00]), None);
        assert_eq!(crate::hex(&[0x0a, 0xff]), "0AFF");
    }

    #[test]
    fn validity_times_der_cannot_represent() {
        use time::macros::datetime;
        let utc = |s: &str| validity::read(Tag::UtcTime, s.as_bytes());
        let gen_ = |s: &str| validity::read(Tag::GeneralizedTime, s.as_bytes());
        assert_eq!(
            utc("500101120100Z"),
            Some(datetime!(1950-01-01 12:01:00 UTC))
        );
        assert_eq!(
            utc("491231235959Z"),
            Some(datetime!(2049-12-31 23:59:59 UTC))
        );
        assert_eq!(utc("5001011201Z"), None);
        assert_eq!(
            gen_("20240401000000.999Z"),
            Some(datetime!(2024-04-01 0:00 UTC))
        );
        assert_eq!(
            gen_("20240401000000Z"),
            Some(datetime!(2024-04-01 0:00 UTC))
        );
        assert_eq!(gen_("20240401000000.Z1"), None);
        assert_eq!(gen_("20241301000000Z"), None);
    }

    #[test]
    fn garbage_is_recorded_not_fatal() {
        for der in [vec![], vec![0x30, 0x00], vec![0x30, 0x03, 0x02, 0x01, 0x05]] {
            let c = Certificate::from_der(der.clone());
            assert_eq!(c.der(), &der[..]);
            assert!(c.parse_error().is_some());
            assert!(c.info().is_none() && c.parsed().is_none());
            assert_eq!(c.sha1_hex().len(), 40);
            assert_eq!(c.sha256_hex().len(), 64);
        }
    }
}

/// The signed parts of a certificate (or CRL), sliced from its original bytes: the to-be-signed
/// part, the signature AlgorithmIdentifier and the signature value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignedParts<'a> {
    /// The TBSCertificate (or TBSCertList) DER, exactly as signed.
    pub tbs: &'a [u8],
    /// The outer signature AlgorithmIdentifier DER.
    pub algorithm: &'a [u8],
    /// The signature BIT STRING's bytes. (A BIT STRING with unused bits, which no valid
    /// signature has, gives its raw bytes: verification then fails as a bad signature.)
    pub signature: &'a [u8],
}

/// Slices `der` (a certificate or CRL: `SEQUENCE { tbs, AlgorithmIdentifier, BIT STRING }`)
/// into its signed parts without re-encoding anything. `None` if it does not have that shape.
pub fn signed_parts(der: &[u8]) -> Option<SignedParts<'_>> {
    use der::{Decode, Reader, SliceReader, asn1::BitStringRef};
    let mut reader = SliceReader::new(der).ok()?;
    let parts = reader
        .sequence(|r: &mut SliceReader<'_>| {
            let tbs = r.tlv_bytes()?;
            let algorithm = r.tlv_bytes()?;
            let bits = BitStringRef::decode(r)?;
            Ok::<_, der::Error>((tbs, algorithm, bits))
        })
        .ok()?;
    if !reader.is_finished() {
        return None;
    }
    let (tbs, algorithm, bits) = parts;
    Some(SignedParts {
        tbs,
        algorithm,
        signature: bits.raw_bytes(),
    })
}

impl Certificate {
    /// The signed parts of this certificate: TBS bytes, signature algorithm, signature.
    pub fn signed_parts(&self) -> Option<SignedParts<'_>> {
        signed_parts(self.der())
    }
}

/// Fields of a TBSCertificate sliced from the original bytes, for matching a certificate with a
/// CMS signer identifier even when a strict parser rejects the certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RawFields<'a> {
    /// The serial number INTEGER's content octets.
    pub serial: &'a [u8],
    /// The issuer Name, DER (tag and length included).
    pub issuer: &'a [u8],
    /// The subject Name, DER.
    pub subject: &'a [u8],
    /// The SubjectPublicKeyInfo, DER.
    pub spki: &'a [u8],
}

impl Certificate {
    /// The serial number, issuer, subject and key of this certificate, as encoded. `None` if
    /// the certificate does not have the shape of one.
    pub fn raw_fields(&self) -> Option<RawFields<'_>> {
        let der = self.der();
        let spans = self.raw.get_or_init(|| {
            let f = raw_fields(der)?;
            // Each field is a subslice of `der`: its range is its distance from the start.
            let span = |part: &[u8]| {
                let start = (part.as_ptr() as usize).checked_sub(der.as_ptr() as usize)?;
                Some(start..start.checked_add(part.len())?)
            };
            Some(RawSpans {
                serial: span(f.serial)?,
                issuer: span(f.issuer)?,
                subject: span(f.subject)?,
                spki: span(f.spki)?,
            })
        });
        let spans = spans.as_ref()?;
        Some(RawFields {
            serial: der.get(spans.serial.clone())?,
            issuer: der.get(spans.issuer.clone())?,
            subject: der.get(spans.subject.clone())?,
            spki: der.get(spans.spki.clone())?,
        })
    }
}

/// [`Certificate::raw_fields`], walked from the bytes.
fn raw_fields(der: &[u8]) -> Option<RawFields<'_>> {
    use crate::tlv::{self, Walker};
    let parts = signed_parts(der)?;
    let tbs = tlv::single_sequence(parts.tbs).ok()?;
    let mut children = Walker::inside(&tbs);
    let mut serial = children.next_tlv()?.ok()?;
    if tlv::is_context(serial.tag, 0) {
        serial = children.next_tlv()?.ok()?;
    }
    if serial.tag != Tag::Integer {
        return None;
    }
    children.next_tlv()?.ok()?; // signature
    let issuer = children.next_tlv()?.ok()?;
    children.next_tlv()?.ok()?; // validity
    let subject = children.next_tlv()?.ok()?;
    let spki = children.next_tlv()?.ok()?;
    Some(RawFields {
        serial: serial.content,
        issuer: issuer.raw,
        subject: subject.raw,
        spki: spki.raw,
    })
}
