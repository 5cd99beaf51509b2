//! PKCS#7 / CMS `SignedData` certificate bundles (`.p7b`, `.p7c`), read and written without
//! re-encoding a single certificate.
//!
//! [`read`] accepts a DER or BER `ContentInfo` of type `signedData` (definite or indefinite
//! lengths), the same wrapped in a PEM `PKCS7` or `CMS` block, and the bare
//! `SEQUENCE { INTEGER 0, SEQUENCE { OID (empty) }, [0] certificates }` that Wine's
//! `CERT_STORE_SAVE_AS_PKCS7` writes. [`write_certs_only`] writes what Windows'
//! `CERT_STORE_SAVE_AS_PKCS7` writes.

use const_oid::ObjectIdentifier;
use der::{Encode, Header, Length, Tag, TagNumber};

use crate::tlv::{self, Tlv, WalkError, Walker};
use crate::{Error, cms, pem};

/// `pkcs7-signedData` (1.2.840.113549.1.7.2).
pub const SIGNED_DATA: ObjectIdentifier = const_oid::db::rfc5911::ID_SIGNED_DATA;
/// `pkcs7-data` (1.2.840.113549.1.7.1).
pub const DATA: ObjectIdentifier = const_oid::db::rfc5911::ID_DATA;
/// `szOID_CTL` (1.3.6.1.4.1.311.10.1): the content type of a certificate trust list.
pub const CTL: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.311.10.1");

/// The parts of a SignedData that matter here, borrowing the input.
pub use crate::cms::Certificates as Bundle;

/// Which top-level shape a DER/BER input has, as far as PKCS#7 goes.
pub enum Shape {
    /// A `ContentInfo` with this content type.
    ContentInfo(ObjectIdentifier),
    /// Wine's bare SignedData-like SEQUENCE.
    WineBare,
    /// Something else.
    Other,
}

/// Tells a PKCS#7 `ContentInfo` or Wine's bare form from other SEQUENCEs by the first children.
pub fn shape(outer: &Tlv<'_>) -> Shape {
    let mut children = Walker::inside(outer);
    let first = match children.next_tlv() {
        Some(Ok(t)) => t,
        _ => return Shape::Other,
    };
    match first.tag {
        Tag::ObjectIdentifier => match ObjectIdentifier::from_bytes(first.content) {
            Ok(oid) => Shape::ContentInfo(oid),
            Err(_) => Shape::Other,
        },
        Tag::Integer => {
            let second = children.next_tlv().and_then(Result::ok);
            let third = children.next_tlv().and_then(Result::ok);
            match (second, third) {
                (Some(s), Some(t))
                    if s.tag == Tag::Sequence
                        && (tlv::is_context(t.tag, 0) || tlv::is_context(t.tag, 1)) =>
                {
                    Shape::WineBare
                }
                _ => Shape::Other,
            }
        }
        _ => Shape::Other,
    }
}

/// Reads the certificates and CRLs of a bundle whose outer SEQUENCE is `outer`.
pub fn parse<'a>(outer: &Tlv<'a>) -> Result<Bundle<'a>, WalkError> {
    match shape(outer) {
        Shape::ContentInfo(oid) if oid == SIGNED_DATA => parse_content_info(outer),
        Shape::ContentInfo(oid) => Err(WalkError::new(
            outer.offset,
            format!(
                "a ContentInfo of type {}, not signedData",
                crate::names::oid_name(&oid)
            ),
        )),
        Shape::WineBare => parse_wine_bare(outer),
        Shape::Other => Err(WalkError::new(
            outer.offset,
            "not a ContentInfo: the SEQUENCE does not start with a content type",
        )),
    }
}

fn parse_content_info<'a>(outer: &Tlv<'a>) -> Result<Bundle<'a>, WalkError> {
    cms::certificates(&cms::content_info_in(outer)?.content)
}

fn parse_wine_bare<'a>(outer: &Tlv<'a>) -> Result<Bundle<'a>, WalkError> {
    let mut w = Walker::inside(outer);
    cms::expect(&mut w, Tag::Integer, "the version")?;
    cms::expect(&mut w, Tag::Sequence, "the content info")?;
    let mut bundle = Bundle::default();
    cms::rest_of_bundle(&mut w, &mut bundle)?;
    Ok(bundle)
}

/// Frames `bytes` (DER or BER) as one top-level SEQUENCE and reads it as a bundle.
pub fn parse_bytes(bytes: &[u8]) -> Result<Bundle<'_>, WalkError> {
    let outer = tlv::single_sequence(bytes)?;
    parse(&outer)
}

fn walk_error(e: WalkError, pem_block: Option<usize>) -> Error {
    Error::Pkcs7 {
        file: String::new(),
        offset: e.offset,
        pem_block,
        reason: e.reason,
    }
}

/// What [`read`] returns: the certificates, then the CRLs, each with its original bytes.
pub type CertsAndCrls = (Vec<Vec<u8>>, Vec<Vec<u8>>);

/// The certificates and CRLs of a PKCS#7 bundle, each with its original bytes, in bundle order.
///
/// Accepts DER or BER (indefinite lengths), a PEM `PKCS7`/`CMS` block around it, and Wine's bare
/// form. Certificate choices other than plain certificates (attribute certificates, `other`) are
/// skipped. Nothing is re-encoded. A certificate trust list (a SignedData whose content type is
/// `szOID_CTL`) reads as its signer certificates; the loader keeps a CTL whole instead.
///
/// # Errors
/// [`Error::Pkcs7`] with the byte offset of the first structural problem (the error's file name
/// is empty: the caller knows it); [`Error::Pem`] for a PEM block that does not decode.
pub fn read(bytes: &[u8]) -> Result<CertsAndCrls, Error> {
    if bytes.first() != Some(&0x30) && pem::looks_like_pem(bytes) {
        let blocks = pem::blocks(bytes).map_err(|e| e.into_error(""))?;
        let block = blocks
            .into_iter()
            .find(|b| matches!(b.label, "PKCS7" | "CMS"))
            .ok_or_else(|| Error::Pkcs7 {
                file: String::new(),
                offset: 0,
                pem_block: None,
                reason: "no PKCS7 block in the PEM text".into(),
            })?;
        let der = block.decode().map_err(|e| e.into_error(""))?;
        let bundle = parse_bytes(&der).map_err(|e| walk_error(e, Some(block.offset)))?;
        return Ok(owned(&bundle));
    }
    let bundle = parse_bytes(bytes).map_err(|e| walk_error(e, None))?;
    Ok(owned(&bundle))
}

fn owned(bundle: &Bundle<'_>) -> CertsAndCrls {
    (
        bundle.certs.iter().map(|c| c.to_vec()).collect(),
        bundle.crls.iter().map(|c| c.to_vec()).collect(),
    )
}

/// Appends a definite-length TLV header.
fn header(out: &mut Vec<u8>, tag: Tag, len: usize) -> Result<(), Error> {
    let length = Length::try_from(len).map_err(|_| Error::TooLarge { len })?;
    Header::new(tag, length)
        .encode_to_vec(out)
        .map_err(|_| Error::TooLarge { len })?;
    Ok(())
}

/// The size of a definite-length header for `len` content bytes (one tag octet).
fn header_len(len: usize) -> usize {
    Length::try_from(len)
        .and_then(|l| l.encoded_len())
        .ok()
        .and_then(|l| usize::try_from(l).ok())
        .map_or(6, |n| n + 1)
}

fn context(n: u8) -> Tag {
    Tag::ContextSpecific {
        constructed: true,
        number: TagNumber(n.into()),
    }
}

/// A certs-only PKCS#7 bundle in the form Windows' `CERT_STORE_SAVE_AS_PKCS7` writes:
///
/// ```text
/// ContentInfo { pkcs7-signedData, [0] EXPLICIT SignedData {
///     version 1, digestAlgorithms SET {}, contentInfo { pkcs7-data },
///     certificates [0] IMPLICIT { certs… },      -- omitted when there are none
///     crls [1] IMPLICIT { crls… },               -- omitted when there are none
///     signerInfos SET {} } }
/// ```
///
/// DER definite lengths; every certificate and CRL is embedded with its original bytes, in the
/// order given (Windows writes store order, not a sorted DER `SET OF`).
///
/// Returns an empty vector in the one case it cannot encode: more than 4 GiB of content (see
/// [`try_write_certs_only`]).
pub fn write_certs_only(certs: &[&[u8]], crls: &[&[u8]]) -> Vec<u8> {
    try_write_certs_only(certs, crls).unwrap_or_default()
}

/// [`write_certs_only`] with the size limit reported.
///
/// # Errors
/// [`Error::TooLarge`] when a length exceeds the 32-bit DER limit.
pub fn try_write_certs_only(certs: &[&[u8]], crls: &[&[u8]]) -> Result<Vec<u8>, Error> {
    let too_large = |len| Error::TooLarge { len };
    let sum = |items: &[&[u8]]| -> Option<usize> {
        items
            .iter()
            .try_fold(0usize, |acc, c| acc.checked_add(c.len()))
    };
    let certs_len = sum(certs).ok_or(too_large(usize::MAX))?;
    let crls_len = sum(crls).ok_or(too_large(usize::MAX))?;
    let data_oid = DATA.to_der().map_err(|_| too_large(0))?;
    let signed_oid = SIGNED_DATA.to_der().map_err(|_| too_large(0))?;
    let version = 1u8.to_der().map_err(|_| too_large(0))?;

    let encap_len = data_oid.len();
    let mut sd_len = version.len() + 2 + header_len(encap_len) + encap_len + 2;
    if !certs.is_empty() {
        sd_len = sd_len
            .checked_add(header_len(certs_len) + certs_len)
            .ok_or(too_large(usize::MAX))?;
    }
    if !crls.is_empty() {
        sd_len = sd_len
            .checked_add(header_len(crls_len) + crls_len)
            .ok_or(too_large(usize::MAX))?;
    }
    let explicit_len = header_len(sd_len)
        .checked_add(sd_len)
        .ok_or(too_large(usize::MAX))?;
    let ci_len = (signed_oid.len() + header_len(explicit_len))
        .checked_add(explicit_len)
        .ok_or(too_large(usize::MAX))?;

    let mut out = Vec::with_capacity(ci_len.saturating_add(header_len(ci_len)));
    header(&mut out, Tag::Sequence, ci_len)?;
    out.extend_from_slice(&signed_oid);
    header(&mut out, context(0), explicit_len)?;
    header(&mut out, Tag::Sequence, sd_len)?;
    out.extend_from_slice(&version);
    header(&mut out, Tag::Set, 0)?;
    header(&mut out, Tag::Sequence, encap_len)?;
    out.extend_from_slice(&data_oid);
    if !certs.is_empty() {
        header(&mut out, context(0), certs_len)?;
        for c in certs {
            out.extend_from_slice(c);
        }
    }
    if !crls.is_empty() {
        header(&mut out, context(1), crls_len)?;
        for c in crls {
            out.extend_from_slice(c);
        }
    }
    header(&mut out, Tag::Set, 0)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CERT_A: &[u8] = &[0x30, 0x03, 0x02, 0x01, 0x01];
    const CERT_B: &[u8] = &[0x30, 0x03, 0x02, 0x01, 0x02];

    #[test]
    fn header_len_matches_der() {
        for len in [0usize, 1, 127, 128, 255, 256, 65535, 65536, 1 << 24] {
            let mut v = Vec::new();
            header(&mut v, Tag::Sequence, len).unwrap();
            assert_eq!(v.len(), header_len(len), "{len}");
        }
    }

    #[test]
    fn write_then_read() {
        let p7 = write_certs_only(&[CERT_A, CERT_B], &[CERT_B]);
        let (certs, crls) = read(&p7).unwrap();
        assert_eq!(certs, vec![CERT_A.to_vec(), CERT_B.to_vec()]);
        assert_eq!(crls, vec![CERT_B.to_vec()]);
        let empty = write_certs_only(&[], &[]);
        assert_eq!(read(&empty).unwrap(), (vec![], vec![]));
        // Empty: no [0] and no [1], as Windows writes it.
        assert_eq!(
            empty,
            [
                0x30, 0x23, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02, 0xa0,
                0x16, 0x30, 0x14, 0x02, 0x01, 0x01, 0x31, 0x00, 0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86,
                0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01, 0x31, 0x00
            ][..]
        );
        // the lengths are right for large content too
        let big = {
            let mut v = vec![0x30, 0x82, 0x01, 0x00];
            v.extend([0u8; 256]);
            v
        };
        let p7 = write_certs_only(&[&big, &big, &big], &[]);
        assert_eq!(read(&p7).unwrap().0.len(), 3);
        assert!(tlv::single_sequence(&p7).is_ok());
    }

    #[test]
    fn ber_indefinite_bundle() {
        // ContentInfo with indefinite lengths everywhere they are allowed.
        let mut b = vec![0x30, 0x80];
        b.extend(SIGNED_DATA.to_der().unwrap());
        b.extend([0xa0, 0x80, 0x30, 0x80, 0x02, 0x01, 0x01, 0x31, 0x00]);
        b.extend([0x30, 0x80]);
        b.extend(DATA.to_der().unwrap());
        b.extend([0x00, 0x00]);
        b.extend([0xa0, 0x80]);
        b.extend(CERT_A);
        b.extend(CERT_B);
        b.extend([0x00, 0x00]);
        b.extend([0x31, 0x00]);
        b.extend([0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);
        let (certs, crls) = read(&b).unwrap();
        assert_eq!(certs, vec![CERT_A.to_vec(), CERT_B.to_vec()]);
        assert!(crls.is_empty());
    }

    #[test]
    fn errors_have_offsets() {
        let mut p7 = write_certs_only(&[CERT_A], &[]);
        // Break the version INTEGER's tag (byte 17).
        p7[17] = 0x04;
        let err = read(&p7).unwrap_err();
        assert_eq!(err.code().as_str(), "input-pkcs7");
        assert_eq!(err.offset(), Some(17));
        assert!(read(&[0x30, 0x00]).is_err());
        assert!(read(b"").is_err());
        assert!(read(b"-----BEGIN PKCS7-----\n-----END PKCS7-----\n").is_err());
    }
}
