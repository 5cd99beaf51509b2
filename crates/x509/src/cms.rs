//! CMS (RFC 5652) ContentInfo and SignedData, the one reader of this project, from DER or BER
//! without re-encoding what is signed: the [TLV walker](crate::tlv) frames the structure
//! (indefinite lengths and constructed OCTET STRINGs included) and keeps the original bytes of
//! certificates, CRLs and signed attributes. Each SignerInfo is read in place, its
//! AlgorithmIdentifiers decoded with `spki`'s borrowing type (the `cms` crate's decode of a whole
//! SignerInfo copies its issuer name and every attribute value, which verification never reads).

use std::borrow::Cow;

use crate::tlv::{self, Tlv, WalkError, Walker};
use const_oid::ObjectIdentifier;
use der::{Decode, Tag};

/// What goes wrong reading CMS: where, and what.
type Error = WalkError;

/// `id-data`.
pub const ID_DATA: ObjectIdentifier = const_oid::db::rfc5911::ID_DATA;
/// `id-signedData`.
pub const ID_SIGNED_DATA: ObjectIdentifier = const_oid::db::rfc5911::ID_SIGNED_DATA;
/// `id-envelopedData`.
pub const ID_ENVELOPED_DATA: ObjectIdentifier = const_oid::db::rfc5911::ID_ENVELOPED_DATA;
/// `id-ct-authEnvelopedData`.
pub const ID_AUTH_ENVELOPED_DATA: ObjectIdentifier =
    const_oid::db::rfc5911::ID_CT_AUTH_ENVELOPED_DATA;

/// How deep constructed OCTET STRINGs may nest in BER content (each level is a chunk list).
const MAX_CHUNK_DEPTH: usize = 8;

/// A ContentInfo: its type and the `[0]` content element.
#[non_exhaustive]
pub struct ContentInfo<'a> {
    /// `contentType`.
    pub content_type: ObjectIdentifier,
    /// The element inside `[0] content`.
    pub content: Tlv<'a>,
}

/// Reads the ContentInfo that `bytes` consist of.
pub fn content_info(bytes: &[u8]) -> Result<ContentInfo<'_>, Error> {
    content_info_in(&tlv::single_sequence(bytes)?)
}

/// Reads the ContentInfo whose outer SEQUENCE is `outer`.
pub fn content_info_in<'a>(outer: &Tlv<'a>) -> Result<ContentInfo<'a>, Error> {
    let mut ci = Walker::inside(outer);
    let oid = ci.require("the content type")?;
    check_tag(&oid, Tag::ObjectIdentifier, "the content type")?;
    let content_type = ObjectIdentifier::from_bytes(oid.content)
        .map_err(|e| WalkError::new(oid.offset, format!("content type: {e}")))?;
    let explicit = ci.require("the [0] content")?;
    check_context(&explicit, 0, "the [0] content")?;
    let mut inner = Walker::inside(&explicit);
    let content = inner.require("the content")?;
    if !inner.is_empty() {
        return Err(WalkError::new(
            inner.offset(),
            "bytes after the content inside the ContentInfo's [0]",
        ));
    }
    if !ci.is_empty() {
        return Err(WalkError::new(
            ci.offset(),
            "bytes after the [0] content inside the ContentInfo",
        ));
    }
    Ok(ContentInfo {
        content_type,
        content,
    })
}

/// A SignedData, borrowing the input.
#[non_exhaustive]
pub struct SignedData<'a> {
    /// `encapContentInfo.eContentType`.
    pub econtent_type: ObjectIdentifier,
    /// `encapContentInfo.eContent`'s octets (chunks of a constructed BER OCTET STRING joined);
    /// `None` for a detached signature. In the PKCS#7 v1.5 form, where the content of a type
    /// other than id-data is the element itself, not an OCTET STRING (Windows' catalog files
    /// and certificate trust lists), its value octets: what the digest covers (RFC 5652
    /// 5.2.1).
    pub econtent: Option<Cow<'a, [u8]>>,
    /// Every plain certificate (`CertificateChoices` of the certificate form), as encoded.
    pub certs: Vec<&'a [u8]>,
    /// Every plain CRL, as encoded.
    pub crls: Vec<&'a [u8]>,
    /// The SignerInfos.
    pub signers: Vec<SignerInfo<'a>>,
}

/// One SignerInfo, borrowing the input; its signed attributes exactly as encoded.
#[non_exhaustive]
pub struct SignerInfo<'a> {
    /// Where it starts in the CMS bytes.
    pub offset: usize,
    /// The signer identifier, as encoded.
    pub sid: Sid<'a>,
    /// `digestAlgorithm`'s OID (its parameters, absent or NULL, are not used).
    pub digest_alg: ObjectIdentifier,
    /// `signatureAlgorithm`.
    pub signature_alg: spki::AlgorithmIdentifierRef<'a>,
    /// The `signature` OCTET STRING's octets (chunks of a constructed BER one joined).
    pub signature: Cow<'a, [u8]>,
    /// The `[0] IMPLICIT SignedAttributes` element exactly as encoded (tag `0xA0`), when
    /// present. The signature covers these bytes with the tag replaced by `SET` (`0x31`).
    pub signed_attrs: Option<Tlv<'a>>,
}

/// The next element, which must be a `tag` (`what` names it in errors).
pub(crate) fn expect<'a>(w: &mut Walker<'a>, tag: Tag, what: &str) -> Result<Tlv<'a>, Error> {
    let t = w.require(what)?;
    check_tag(&t, tag, what)?;
    Ok(t)
}

/// An error unless `t` is a constructed `[n]` (`what` names it).
fn check_context(t: &Tlv<'_>, n: u32, what: &str) -> Result<(), Error> {
    if tlv::is_context(t.tag, n) {
        return Ok(());
    }
    Err(WalkError::new(
        t.offset,
        format!("expected {what}, found {}", tlv::tag_name(t.tag)),
    ))
}

/// An error unless `t` is a `tag` (`what` names it).
fn check_tag(t: &Tlv<'_>, tag: Tag, what: &str) -> Result<(), Error> {
    if t.tag == tag {
        return Ok(());
    }
    Err(WalkError::new(
        t.offset,
        format!("expected {what}, found {}", tlv::tag_name(t.tag)),
    ))
}

/// Reads a SignedData from the content element of a ContentInfo of type signedData.
pub fn signed_data<'a>(content: &Tlv<'a>) -> Result<SignedData<'a>, Error> {
    check_tag(content, Tag::Sequence, "the SignedData SEQUENCE")?;
    let mut sd = Walker::inside(content);
    expect(&mut sd, Tag::Integer, "the SignedData version")?;
    expect(&mut sd, Tag::Set, "the digestAlgorithms SET")?;
    let encap = expect(&mut sd, Tag::Sequence, "the encapContentInfo SEQUENCE")?;
    let (econtent_type, econtent) = encap_content(&encap)?;
    let mut certs = Vec::new();
    let mut crls = Vec::new();
    let mut next = sd.require("the signerInfos SET")?;
    if tlv::is_context(next.tag, 0) {
        choices(&next, &mut certs)?;
        next = sd.require("the signerInfos SET")?;
    }
    if tlv::is_context(next.tag, 1) {
        choices(&next, &mut crls)?;
        next = sd.require("the signerInfos SET")?;
    }
    check_tag(&next, Tag::Set, "the signerInfos SET")?;
    if !sd.is_empty() {
        return Err(WalkError::new(
            sd.offset(),
            "bytes after the signerInfos SET inside the SignedData",
        ));
    }
    let mut signers = Vec::new();
    let mut w = Walker::inside(&next);
    while let Some(si) = w.next_tlv() {
        signers.push(signer_info(&si?)?);
    }
    Ok(SignedData {
        econtent_type,
        econtent,
        certs,
        crls,
        signers,
    })
}

/// The plain certificates (or CRLs) of a `[0]` certificates (or `[1]` crls) element, as
/// encoded, to `out`: the other CertificateChoices and RevocationInfoChoices (attribute
/// certificates, `other` forms) are tagged `[n]`, and skipped.
pub fn choices<'a>(set: &Tlv<'a>, out: &mut Vec<&'a [u8]>) -> Result<(), Error> {
    let mut w = Walker::inside(set);
    while let Some(c) = w.next_tlv() {
        let c = c?;
        if c.tag == Tag::Sequence {
            out.push(c.raw);
        }
    }
    Ok(())
}

/// What a certificate bundle needs of a SignedData, read leniently: the version, the
/// digestAlgorithms, the eContentType (its content is not read), then every `[0]` certificate
/// and `[1]` CRL; the signerInfos and anything after are framed, not read (a CTL's signers are
/// Windows' business). The strict read of a signed message is [`signed_data`].
pub fn certificates<'a>(content: &Tlv<'a>) -> Result<Certificates<'a>, Error> {
    check_tag(content, Tag::Sequence, "the SignedData SEQUENCE")?;
    let mut sd = Walker::inside(content);
    expect(&mut sd, Tag::Integer, "the SignedData version")?;
    expect(&mut sd, Tag::Set, "the digestAlgorithms SET")?;
    let encap = expect(&mut sd, Tag::Sequence, "the encapContentInfo SEQUENCE")?;
    let mut e = Walker::inside(&encap);
    let oid = expect(&mut e, Tag::ObjectIdentifier, "the eContentType")?;
    let content_type = ObjectIdentifier::from_bytes(oid.content).map_err(|_| {
        WalkError::new(
            oid.offset,
            "the eContentType is not a valid object identifier",
        )
    })?;
    let mut found = Certificates {
        content_type: Some(content_type),
        certs: Vec::new(),
        crls: Vec::new(),
    };
    rest_of_bundle(&mut sd, &mut found)?;
    Ok(found)
}

/// The certificates and CRLs of a bundle (see [`certificates`]).
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct Certificates<'a> {
    /// `encapContentInfo.eContentType` (`None` for Wine's bare form, whose OID is empty).
    pub content_type: Option<ObjectIdentifier>,
    /// Every plain certificate, as encoded.
    pub certs: Vec<&'a [u8]>,
    /// Every plain CRL, as encoded.
    pub crls: Vec<&'a [u8]>,
}

/// The rest of a SignedData after its encapContentInfo: `[0]` certificates and `[1]` CRLs
/// collected, anything else (the signerInfos) framed and passed over.
pub fn rest_of_bundle<'a>(w: &mut Walker<'a>, found: &mut Certificates<'a>) -> Result<(), Error> {
    while let Some(item) = w.next_tlv() {
        let item = item?;
        if tlv::is_context(item.tag, 0) {
            choices(&item, &mut found.certs)?;
        } else if tlv::is_context(item.tag, 1) {
            choices(&item, &mut found.crls)?;
        }
    }
    Ok(())
}

/// The eContentType and the eContent octets (`None` when detached).
type Encap<'a> = (ObjectIdentifier, Option<Cow<'a, [u8]>>);

fn encap_content<'a>(encap: &Tlv<'a>) -> Result<Encap<'a>, Error> {
    let mut w = Walker::inside(encap);
    let oid = expect(&mut w, Tag::ObjectIdentifier, "the eContentType")?;
    let econtent_type = ObjectIdentifier::from_bytes(oid.content)
        .map_err(|e| WalkError::new(oid.offset, format!("eContentType: {e}")))?;
    let econtent = match w.next_tlv() {
        None => None,
        Some(explicit) => {
            let explicit = explicit?;
            check_context(&explicit, 0, "the [0] eContent")?;
            let mut inner = Walker::inside(&explicit);
            let octets = inner.require("the eContent OCTET STRING")?;
            if !inner.is_empty() {
                return Err(WalkError::new(
                    inner.offset(),
                    "bytes after the eContent inside its [0]",
                ));
            }
            if octets.tag != Tag::OctetString && econtent_type != ID_DATA {
                // PKCS#7 v1.5: `content [0] EXPLICIT ANY DEFINED BY contentType`.
                Some(Cow::Borrowed(octets.content))
            } else {
                Some(octet_string(&octets, 0)?)
            }
        }
    };
    if !w.is_empty() {
        return Err(WalkError::new(
            w.offset(),
            "bytes after the eContent in the encapContentInfo",
        ));
    }
    Ok((econtent_type, econtent))
}

/// The octets of an OCTET STRING, primitive or (BER) constructed of chunks.
fn octet_string<'a>(t: &Tlv<'a>, depth: usize) -> Result<Cow<'a, [u8]>, Error> {
    match t.tag {
        Tag::OctetString if is_constructed(t) => {
            if depth >= MAX_CHUNK_DEPTH {
                return Err(WalkError::new(
                    t.offset,
                    "octet string chunks nested too deeply",
                ));
            }
            let mut out = Vec::with_capacity(t.content.len());
            let mut w = Walker::inside(t);
            while let Some(chunk) = w.next_tlv() {
                out.extend_from_slice(&octet_string(&chunk?, depth + 1)?);
            }
            Ok(Cow::Owned(out))
        }
        Tag::OctetString => Ok(Cow::Borrowed(t.content)),
        other => Err(WalkError::new(
            t.offset,
            format!("expected an OCTET STRING, found {}", tlv::tag_name(other)),
        )),
    }
}

/// Whether the element's identifier octet has the constructed bit (BER chunked strings).
fn is_constructed(t: &Tlv<'_>) -> bool {
    t.raw.first().is_some_and(|b| b & 0x20 != 0)
}

/// Reads a SignerInfo (RFC 5652 5.3): `version` (a CMSVersion, 0 to 5), `sid`,
/// `digestAlgorithm`, `[0] signedAttrs` (optional), `signatureAlgorithm`, `signature`,
/// `[1] unsignedAttrs` (optional), nothing after. Attributes must be well formed (each a
/// SEQUENCE of an OID and a SET of values), the unsigned ones too, though nothing reads them.
fn signer_info<'a>(si: &Tlv<'a>) -> Result<SignerInfo<'a>, Error> {
    check_tag(si, Tag::Sequence, "a SignerInfo SEQUENCE")?;
    let mut w = Walker::inside(si);
    let version = expect(&mut w, Tag::Integer, "the SignerInfo version")?;
    if !matches!(version.content, [0..=5]) {
        return Err(WalkError::new(
            version.offset,
            "the SignerInfo version is not a CMSVersion (0 to 5)",
        ));
    }
    let sid = sid(&w.require("the signer identifier")?)?;
    let digest = expect(&mut w, Tag::Sequence, "the digestAlgorithm")?;
    let digest_alg = algorithm(&digest, "digestAlgorithm")?.oid;
    let mut next = w.require("the signatureAlgorithm")?;
    let signed_attrs = if tlv::is_context(next.tag, 0) {
        check_attributes(&next)?;
        let attrs = next;
        next = w.require("the signatureAlgorithm")?;
        Some(attrs)
    } else {
        None
    };
    check_tag(&next, Tag::Sequence, "the signatureAlgorithm")?;
    let signature_alg = algorithm(&next, "signatureAlgorithm")?;
    let signature = octet_string(&w.require("the signature")?, 0)?;
    if let Some(unsigned) = w.next_tlv() {
        let unsigned = unsigned?;
        check_context(&unsigned, 1, "the [1] unsignedAttrs")?;
        check_attributes(&unsigned)?;
    }
    if !w.is_empty() {
        return Err(WalkError::new(
            w.offset(),
            "bytes after the end of the SignerInfo",
        ));
    }
    Ok(SignerInfo {
        offset: si.offset,
        sid,
        digest_alg,
        signature_alg,
        signature,
        signed_attrs,
    })
}

/// An AlgorithmIdentifier, from DER or (inside a BER SignedData) BER.
fn algorithm<'a>(t: &Tlv<'a>, what: &str) -> Result<spki::AlgorithmIdentifierRef<'a>, Error> {
    spki::AlgorithmIdentifierRef::from_der(t.raw)
        .or_else(|_| spki::AlgorithmIdentifierRef::from_ber(t.raw))
        .map_err(|e| WalkError::new(t.offset, format!("{what}: {}", e.kind())))
}

/// How a SignerInfo names its certificate.
#[derive(Debug, Clone, Copy)]
pub enum Sid<'a> {
    /// issuerAndSerialNumber.
    IssuerSerial {
        /// The issuer Name, DER as encoded.
        issuer: &'a [u8],
        /// The serial number's content octets.
        serial: &'a [u8],
    },
    /// subjectKeyIdentifier.
    Ski(&'a [u8]),
}

impl Sid<'_> {
    /// Whether `cert` is the one named.
    pub fn matches(&self, cert: &crate::Certificate) -> bool {
        match *self {
            Sid::IssuerSerial { issuer, serial } => cert.raw_fields().is_some_and(|f| {
                f.serial == serial && (f.issuer == issuer || names_equal(f.issuer, issuer))
            }),
            Sid::Ski(ski) => cert
                .info()
                .and_then(|i| i.subject_key_id.as_deref())
                .is_some_and(|k| k == ski),
        }
    }
}

/// Two Names that decode to the same value (different encodings of one name).
fn names_equal(a: &[u8], b: &[u8]) -> bool {
    match (
        x509_cert::name::Name::from_der(a),
        x509_cert::name::Name::from_der(b),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

impl std::fmt::Display for Sid<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Sid::IssuerSerial { issuer, serial } => {
                let name = x509_cert::name::Name::from_der(issuer)
                    .map_or_else(|_| "(unreadable name)".to_owned(), |n| n.to_string());
                write!(f, "issuer {name}, serial {}", crate::hex(serial))
            }
            Sid::Ski(ski) => write!(f, "subject key identifier {}", crate::hex(ski)),
        }
    }
}

fn sid<'a>(t: &Tlv<'a>) -> Result<Sid<'a>, Error> {
    if t.tag == Tag::Sequence {
        let mut w = Walker::inside(t);
        let issuer = w.require("the signer's issuer name")?;
        let serial = expect(&mut w, Tag::Integer, "the signer's serial number")?;
        return Ok(Sid::IssuerSerial {
            issuer: issuer.raw,
            serial: serial.content,
        });
    }
    if matches!(t.tag, Tag::ContextSpecific { constructed: false, number } if number.value() == 0) {
        return Ok(Sid::Ski(t.content));
    }
    Err(WalkError::new(
        t.offset,
        format!(
            "expected a signer identifier, found {}",
            tlv::tag_name(t.tag)
        ),
    ))
}

/// The bytes the signature covers when there are signed attributes: the `[0]` element with its
/// tag replaced by `SET OF` (RFC 5652 5.4), everything else exactly as encoded.
pub fn signed_attrs_message(attrs: &Tlv<'_>) -> Vec<u8> {
    let mut out = attrs.raw.to_vec();
    if let Some(first) = out.first_mut() {
        *first = 0x31;
    }
    out
}

/// One attribute, as encoded.
#[non_exhaustive]
pub struct Attribute<'a> {
    /// The attribute type.
    pub oid: ObjectIdentifier,
    /// Where the attribute starts.
    pub offset: usize,
    /// How many values its SET has.
    pub count: usize,
    /// The first value's whole element.
    pub first: Option<Tlv<'a>>,
}

/// The attributes of a `[0]` signed (or `[1]` unsigned) attributes element, in encoded order,
/// read as they are iterated (no list is built): each must be a SEQUENCE of an OID and a SET
/// of values, every value well framed. Ends after the first error.
pub fn attributes<'a>(attrs: &Tlv<'a>) -> Attributes<'a> {
    Attributes {
        w: Walker::inside(attrs),
        failed: false,
    }
}

/// Whether every attribute of `attrs` is well formed (see [`attributes`]).
fn check_attributes(attrs: &Tlv<'_>) -> Result<(), Error> {
    attributes(attrs).try_for_each(|a| a.map(drop))
}

/// See [`attributes`].
pub struct Attributes<'a> {
    w: Walker<'a>,
    failed: bool,
}

impl<'a> Iterator for Attributes<'a> {
    type Item = Result<Attribute<'a>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let next = self.w.next_tlv()?;
        let attribute = next.and_then(|a| attribute(&a));
        self.failed = attribute.is_err();
        Some(attribute)
    }
}

fn attribute<'a>(a: &Tlv<'a>) -> Result<Attribute<'a>, Error> {
    check_tag(a, Tag::Sequence, "an Attribute SEQUENCE")?;
    let mut aw = Walker::inside(a);
    let oid = expect(&mut aw, Tag::ObjectIdentifier, "the attribute type")?;
    let oid_value = ObjectIdentifier::from_bytes(oid.content)
        .map_err(|e| WalkError::new(oid.offset, format!("attribute type: {e}")))?;
    let set = expect(&mut aw, Tag::Set, "the attribute values SET")?;
    let mut count = 0;
    let mut first = None;
    let mut vw = Walker::inside(&set);
    while let Some(v) = vw.next_tlv() {
        let v = v?;
        first.get_or_insert(v);
        count += 1;
    }
    Ok(Attribute {
        oid: oid_value,
        offset: a.offset,
        count,
        first,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn ber_chunked_octet_string_is_joined() {
        // [0] { OCTET STRING (constructed, indefinite) { "ab", "c" } EOC }
        let bytes = [
            0x24, 0x80, 0x04, 0x02, b'a', b'b', 0x04, 0x01, b'c', 0x00, 0x00,
        ];
        let t = Walker::new(&bytes, 0).next_tlv().unwrap().unwrap();
        assert_eq!(&*octet_string(&t, 0).unwrap(), b"abc");
        let prim = [0x04, 0x02, b'x', b'y'];
        let t = Walker::new(&prim, 0).next_tlv().unwrap().unwrap();
        assert!(matches!(octet_string(&t, 0).unwrap(), Cow::Borrowed(b"xy")));
    }

    /// DER of `tag` around `content`.
    fn der(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        let len = content.len();
        if len < 0x80 {
            out.push(len as u8);
        } else {
            out.extend([0x81, len as u8]);
        }
        out.extend_from_slice(content);
        out
    }

    /// A SignerInfo of `version`, with `signed` ([0] content) and `unsigned` ([1] content)
    /// attributes when given, and `extra` bytes at its end.
    fn signer_info_bytes(
        version: u8,
        signed: Option<&[u8]>,
        unsigned: Option<&[u8]>,
        extra: &[u8],
    ) -> Vec<u8> {
        let sha256 = der(
            0x06,
            &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01],
        );
        let rsa = der(
            0x06,
            &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01],
        );
        let mut body = der(0x02, &[version]);
        body.extend(der(0x30, &[der(0x30, &[]), der(0x02, &[0x05])].concat()));
        body.extend(der(0x30, &sha256));
        if let Some(a) = signed {
            body.extend(der(0xa0, a));
        }
        body.extend(der(0x30, &[rsa, vec![0x05, 0x00]].concat()));
        body.extend(der(0x04, b"sig"));
        if let Some(a) = unsigned {
            body.extend(der(0xa1, a));
        }
        body.extend_from_slice(extra);
        der(0x30, &body)
    }

    fn read(bytes: &[u8]) -> Result<SignerInfo<'_>, Error> {
        signer_info(&Walker::new(bytes, 0).next_tlv().unwrap().unwrap())
    }

    #[test]
    fn signer_infos_are_read_in_place() {
        // contentType id-data, as an Attribute.
        let attr = der(
            0x30,
            &[
                der(
                    0x06,
                    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x03],
                ),
                der(
                    0x31,
                    &der(
                        0x06,
                        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01],
                    ),
                ),
            ]
            .concat(),
        );
        let plain = signer_info_bytes(1, None, None, &[]);
        let si = read(&plain).unwrap();
        assert_eq!(si.digest_alg, const_oid::db::rfc5912::ID_SHA_256);
        assert_eq!(si.signature_alg.oid, const_oid::db::rfc5912::RSA_ENCRYPTION);
        assert_eq!(&*si.signature, b"sig");
        assert!(si.signed_attrs.is_none());
        assert!(matches!(si.sid, Sid::IssuerSerial { serial: [5], .. }));

        let both = signer_info_bytes(3, Some(&attr), Some(&attr), &[]);
        let si = read(&both).unwrap();
        let signed = si.signed_attrs.unwrap();
        assert_eq!(signed.raw, der(0xa0, &attr));
        assert_eq!(attributes(&signed).count(), 1);
        let a = attributes(&signed).next().unwrap().unwrap();
        assert_eq!(
            (a.count, a.first.map(|v| v.tag)),
            (1, Some(Tag::ObjectIdentifier))
        );

        // BER: the digestAlgorithm with an indefinite length.
        let mut ber = plain.clone();
        let at = ber.windows(2).position(|w| w == [0x30, 0x0b]).unwrap();
        ber.splice(at..at + 2, [0x30, 0x80]);
        ber.splice(at + 13..at + 13, [0x00, 0x00]);
        ber[1] += 2;
        assert_eq!(read(&ber).unwrap().digest_alg, si.digest_alg);

        // Refused: a version that is no CMSVersion, a malformed attribute (signed or not), an
        // element after the unsigned attributes, a signature that is not an OCTET STRING.
        let bad_attr = der(0x30, &der(0x02, &[1]));
        for bad in [
            signer_info_bytes(6, None, None, &[]),
            signer_info_bytes(1, Some(&bad_attr), None, &[]),
            signer_info_bytes(1, None, Some(&bad_attr), &[]),
            signer_info_bytes(1, None, Some(&attr), &der(0x05, &[])),
            signer_info_bytes(1, None, None, &der(0x05, &[])),
        ] {
            assert!(read(&bad).is_err(), "{bad:02x?}");
        }
        let mut not_octets = plain.clone();
        let at = not_octets.len() - 5;
        assert_eq!(not_octets[at], 0x04);
        not_octets[at] = 0x03;
        assert!(read(&not_octets).is_err());
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for bad in [
            &[][..],
            &[0x30, 0x00],
            &[0x30, 0x03, 0x06, 0x01, 0x00],
            &[0x30, 0x80, 0x06, 0x09],
            &[0x04, 0x00],
        ] {
            assert!(content_info(bad).is_err(), "{bad:02x?}");
        }
    }
}
