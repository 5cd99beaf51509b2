//! One SignerInfo: find its certificate, check the signed attributes and the signature, validate
//! the certificate.

use const_oid::ObjectIdentifier;

use crate::oid;
use der::{Decode, Encode};
use smimetrust_path::Validator;
use smimetrust_sig::Weakness;
use smimetrust_x509::Certificate;
use time::OffsetDateTime;

use crate::ErrorCode;
use crate::digest::{DigestAlg, Form, Lookup};
use crate::report::{
    ChainEntry, Code, FailureCode, NoticeCode, SignerReport, Status, Warning, WarningCode,
};
use crate::{CertIndex, Options};
use smimetrust_path::Reason;
use smimetrust_sig::{Reason as SigReason, WarningCode as WeakCode};
use smimetrust_x509::cms::{self, SignedData, SignerInfo};

const CONTENT_TYPE: ObjectIdentifier = const_oid::db::rfc5911::ID_CONTENT_TYPE;
const MESSAGE_DIGEST: ObjectIdentifier = const_oid::db::rfc5911::ID_MESSAGE_DIGEST;
const SIGNING_TIME: ObjectIdentifier = const_oid::db::rfc5911::ID_SIGNING_TIME;

const RSA_ENCRYPTION: ObjectIdentifier = const_oid::db::rfc5912::RSA_ENCRYPTION;
const EC_PUBLIC_KEY: ObjectIdentifier = const_oid::db::rfc5912::ID_EC_PUBLIC_KEY;
const ID_DSA: ObjectIdentifier = const_oid::db::rfc5912::ID_DSA;

/// The content a layer's signatures cover: one or two readings of the same bytes.
pub(crate) struct Content<'c> {
    pub bytes: &'c [u8],
    /// Which forms may be meant, and which is tried first.
    order: Order,
    /// Whether `bytes` has a bare LF (so that its canonical form differs), once asked.
    bare_lf: std::cell::OnceCell<bool>,
}

#[derive(Clone, Copy)]
enum Order {
    /// Exactly as given (content embedded in the CMS structure).
    AsIsOnly,
    /// As given, then the canonical form when it differs.
    AsIsFirst,
    /// The canonical form, then as given (a MIME part whose first line ends in a bare LF).
    CanonicalFirst,
}

impl<'c> Content<'c> {
    fn new(bytes: &'c [u8], order: Order) -> Self {
        Content {
            bytes,
            order,
            bare_lf: std::cell::OnceCell::new(),
        }
    }

    /// Content embedded in the SignedData: signed as it is.
    pub fn embedded(bytes: &'c [u8]) -> Self {
        Content::new(bytes, Order::AsIsOnly)
    }

    /// Detached content given apart from the signature (a file): as it is, then, when it has
    /// bare LFs, in the canonical form.
    pub fn detached(bytes: &'c [u8]) -> Self {
        Content::new(bytes, Order::AsIsFirst)
    }

    /// The signed part of a `multipart/signed` entity: signed in the canonical form (CRLF line
    /// ends), which is what the part is unless it was saved with LF-only lines. The first line
    /// end decides which form is tried first, so that the usual case (CRLF) costs no scan for
    /// bare LFs at all and a file saved with LF-only lines no second digest.
    pub fn mime_part(bytes: &'c [u8]) -> Self {
        let bare_first = memchr::memchr(b'\n', bytes)
            .is_some_and(|i| i == 0 || bytes.get(i - 1) != Some(&b'\r'));
        if !bare_first {
            return Content::new(bytes, Order::AsIsFirst);
        }
        let content = Content::new(bytes, Order::CanonicalFirst);
        let _ = content.bare_lf.set(true);
        content
    }

    /// The forms to try, in order; the canonical form only when it differs from the bytes
    /// as given (found out when it is reached).
    pub fn forms(&self) -> impl Iterator<Item = Form> + '_ {
        let forms: &[Form] = match self.order {
            Order::AsIsOnly => &[Form::AsIs],
            Order::AsIsFirst => &[Form::AsIs, Form::Canonical],
            Order::CanonicalFirst => &[Form::Canonical, Form::AsIs],
        };
        forms.iter().copied().filter(|&f| {
            f == Form::AsIs
                || *self
                    .bare_lf
                    .get_or_init(|| crate::digest::has_bare_lf(self.bytes))
        })
    }
}

/// How far a signingTime may be after the verification time: clock skew.
const SKEW: time::Duration = time::Duration::minutes(5);

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| t.to_string())
}

/// Everything one layer's signers share.
pub(crate) struct LayerCtx<'x> {
    pub options: &'x Options,
    pub validator: &'x Validator<'x>,
    pub index: &'x CertIndex<'x>,
    pub message_certs: &'x [&'x Certificate],
    /// The message's From field.
    pub identity: &'x crate::identity::Identity,
    pub layer: usize,
}

struct Failure {
    code: Code,
    message: String,
}

fn fail(code: impl Into<Code>, message: impl Into<String>) -> Failure {
    Failure {
        code: code.into(),
        message: message.into(),
    }
}

use smimetrust_x509::names::oid_name;

/// The signature AlgorithmIdentifier to verify with: CMS allows the key's algorithm
/// (`rsaEncryption`, `id-ecPublicKey`, `id-dsa`) with the hash given by the digest algorithm.
fn signature_algorithm(
    sig_alg: &spki::AlgorithmIdentifierRef<'_>,
    digest: DigestAlg,
) -> Result<Vec<u8>, Failure> {
    let combined = |s: &str, null: bool| {
        let parameters = null.then_some(der::AnyRef::NULL);
        spki::AlgorithmIdentifierRef {
            oid: oid(s),
            parameters,
        }
    };
    let alg = match sig_alg.oid {
        RSA_ENCRYPTION => combined(
            match digest {
                DigestAlg::Sha1 => "1.2.840.113549.1.1.5",
                DigestAlg::Sha224 => "1.2.840.113549.1.1.14",
                DigestAlg::Sha256 => "1.2.840.113549.1.1.11",
                DigestAlg::Sha384 => "1.2.840.113549.1.1.12",
                DigestAlg::Sha512 => "1.2.840.113549.1.1.13",
            },
            true,
        ),
        EC_PUBLIC_KEY => combined(
            match digest {
                DigestAlg::Sha1 => "1.2.840.10045.4.1",
                DigestAlg::Sha224 => "1.2.840.10045.4.3.1",
                DigestAlg::Sha256 => "1.2.840.10045.4.3.2",
                DigestAlg::Sha384 => "1.2.840.10045.4.3.3",
                DigestAlg::Sha512 => "1.2.840.10045.4.3.4",
            },
            false,
        ),
        ID_DSA => combined(
            match digest {
                DigestAlg::Sha1 => "1.2.840.10040.4.3",
                DigestAlg::Sha224 => "2.16.840.1.101.3.4.3.1",
                DigestAlg::Sha256 => "2.16.840.1.101.3.4.3.2",
                _ => {
                    return Err(fail(
                        SigReason::UnsupportedAlgorithm,
                        format!("dsa with {} is not supported", digest.name()),
                    ));
                }
            },
            false,
        ),
        _ => *sig_alg,
    };
    alg.to_der()
        .map_err(|e| fail(ErrorCode::CmsMalformed, format!("signature algorithm: {e}")))
}

/// Verifies one signer of `sd` over `content`.
pub(crate) fn verify(
    ctx: &LayerCtx<'_>,
    sd: &SignedData<'_>,
    si: &SignerInfo<'_>,
    content: &Content<'_>,
    warnings: &mut Vec<Warning>,
    budget: Option<&mut smimetrust_path::Budget>,
) -> SignerReport {
    let mut report = SignerReport {
        layer: ctx.layer,
        subject: None,
        email: None,
        sha1: None,
        signing_time: None,
        digest_algorithm: oid_name(&si.digest_alg),
        signature_algorithm: oid_name(&si.signature_alg.oid),
        status: Status::Invalid,
        code: None,
        message: None,
        chain: Vec::new(),
        validated_at: ctx.options.chain.time,
    };
    match check(ctx, sd, si, content, &mut report, warnings, budget) {
        Ok(weak) => {
            report.status = if weak {
                Status::ValidWeak
            } else {
                Status::Valid
            };
        }
        Err(f) => {
            report.status = Status::Invalid;
            report.code = Some(f.code);
            report.message = Some(f.message);
        }
    }
    report
}

/// Finds the signer's certificate: among the message's, then the trust store's.
fn find_cert<'x>(ctx: &'x LayerCtx<'x>, si: &SignerInfo<'_>) -> Option<&'x Certificate> {
    ctx.message_certs
        .iter()
        .copied()
        .find(|c| si.sid.matches(c))
        .or_else(|| ctx.index.find(&si.sid))
}

fn check(
    ctx: &LayerCtx<'_>,
    sd: &SignedData<'_>,
    si: &SignerInfo<'_>,
    content: &Content<'_>,
    report: &mut SignerReport,
    warnings: &mut Vec<Warning>,
    budget: Option<&mut smimetrust_path::Budget>,
) -> Result<bool, Failure> {
    let digest = match DigestAlg::from_oid(&si.digest_alg) {
        Lookup::Known(alg) => alg,
        Lookup::Broken(name) => {
            return Err(fail(
                SigReason::WeakAlgorithm,
                format!("the signer uses the broken digest {name}"),
            ));
        }
        Lookup::Unknown => {
            return Err(fail(
                SigReason::UnsupportedAlgorithm,
                format!("digest algorithm {} is not supported", si.digest_alg),
            ));
        }
    };
    report.digest_algorithm = digest.name().to_owned();
    let cert = find_cert(ctx, si).ok_or_else(|| {
        fail(
            FailureCode::SignerNotFound,
            format!(
                "no certificate in the message or the trust store matches the signer at byte {} ({})",
                si.offset, si.sid
            ),
        )
    })?;
    report.sha1 = Some(cert.sha1_hex());
    if let Some(info) = cert.info() {
        report.subject = Some(info.subject.clone());
        let from_match = ctx.identity.first().and_then(|from| {
            info.emails
                .iter()
                .find(|e| e.eq_ignore_ascii_case(from))
                .cloned()
        });
        report.email = from_match.or_else(|| info.emails.first().cloned());
    }
    let mut weak: Vec<Weakness> = Vec::new();
    if digest == DigestAlg::Sha1 {
        weak.push(Weakness::Sha1);
    }

    // The signed attributes, and what the signature covers.
    let attrs_message;
    let message: &[u8] = match &si.signed_attrs {
        Some(attrs) => {
            let found = signed_attributes(attrs)?;
            report.signing_time = found.signing_time;
            if found.content_type != sd.econtent_type {
                return Err(fail(
                    FailureCode::ContentTypeMismatch,
                    format!(
                        "the contentType attribute says {} but the content is {}",
                        oid_name(&found.content_type),
                        oid_name(&sd.econtent_type)
                    ),
                ));
            }
            let matched = content
                .forms()
                .find(|&form| digest.digest(content.bytes, form) == found.message_digest);
            if matched.is_none() {
                return Err(fail(
                    FailureCode::DigestMismatch,
                    format!(
                        "the messageDigest attribute does not match the {} digest of the content: it was changed after signing",
                        digest.name()
                    ),
                ));
            }
            attrs_message = cms::signed_attrs_message(attrs);
            &attrs_message
        }
        None => {
            if sd.econtent_type != cms::ID_DATA {
                return Err(fail(
                    FailureCode::ContentTypeMismatch,
                    format!(
                        "no signed attributes, but the content type is {} (only id-data may be signed without them)",
                        oid_name(&sd.econtent_type)
                    ),
                ));
            }
            content.bytes
        }
    };

    // The signing time and the validation time.
    let mut chain_options = ctx.options.chain.clone();
    chain_options.email = None;
    if ctx.options.at_signing_time {
        match report.signing_time {
            // The signer's claim, not proof: a time after the verification time (beyond
            // clock skew) would let a not-yet-valid certificate pass.
            Some(t) if t > ctx.options.chain.time + SKEW => {
                return Err(fail(
                    FailureCode::SigningTimeInFuture,
                    format!(
                        "{}: the signingTime {} is after the verification time {}",
                        report.subject.as_deref().unwrap_or("the signer"),
                        rfc3339(t),
                        rfc3339(ctx.options.chain.time)
                    ),
                ));
            }
            Some(t) => {
                chain_options.time = t;
                // Revocation is judged with the CRLs current at the verification time.
                chain_options.revocation_time = Some(ctx.options.chain.time);
            }
            None => warnings.push(Warning {
                code: NoticeCode::SigningTimeMissing.into(),
                message: format!(
                    "{}: no signingTime attribute; validated at the time given instead",
                    report.subject.as_deref().unwrap_or("the signer")
                ),
            }),
        }
    }
    report.validated_at = chain_options.time;

    // The path (first when the key inherits DSA parameters from it).
    let raw = cert.raw_fields().ok_or_else(|| {
        fail(
            Reason::Malformed,
            format!("the signer certificate {} is malformed", cert.sha1_hex()),
        )
    })?;
    // One budget for the message: what this path costs is not there for the next signer.
    // `None`: not validated at all.
    let path = budget.map(|b| ctx.validator.verify_within(cert, &chain_options, b));
    let inherited = path
        .as_ref()
        .and_then(|p| p.as_ref().ok())
        .and_then(|p| p.inherited_leaf_spki.as_deref());
    let spki = inherited.unwrap_or(raw.spki);

    // The signature.
    let alg = signature_algorithm(&si.signature_alg, digest)?;
    let signature: &[u8] = &si.signature;
    let policy = ctx.options.chain.algorithms;
    let verifier = ctx.validator.verifier();
    let verified = if si.signed_attrs.is_some() {
        verifier.verify(spki, &alg, message, signature, policy)
    } else {
        // Without signed attributes the signature covers the content itself, in the form
        // that verifies.
        let mut result = None;
        for form in content.forms() {
            let r = match form {
                Form::AsIs => verifier.verify(spki, &alg, message, signature, policy),
                Form::Canonical => verifier.verify(
                    spki,
                    &alg,
                    &crate::digest::canonical(message),
                    signature,
                    policy,
                ),
            };
            let ok = r.is_ok();
            result = Some(r);
            if ok {
                break;
            }
        }
        result.unwrap_or_else(|| {
            Err(smimetrust_sig::Error::new(
                smimetrust_sig::Reason::BadSignature,
                "no content",
            ))
        })
    };
    match verified {
        Ok(w) => weak.extend(w),
        Err(e) => {
            let code = e.reason;
            let what = if e.detail.is_empty() {
                String::new()
            } else {
                format!(": {}", e.detail)
            };
            return Err(fail(
                code,
                format!(
                    "the signature of {} does not verify{what}",
                    report.subject.as_deref().unwrap_or("the signer")
                ),
            ));
        }
    }

    // The certificate's validity for S/MIME at the time.
    let Some(path) = path else {
        return Err(fail(
            FailureCode::NotValidated,
            format!(
                "{}: the signature verifies, but the certificate was not validated: the layer is already invalid",
                report.subject.as_deref().unwrap_or("the signer")
            ),
        ));
    };
    let mut path = path.map_err(|e| fail(e.reason, e.to_string()))?;
    report.chain = std::mem::take(&mut path.path)
        .into_iter()
        .map(|c| ChainEntry {
            sha1: c.sha1,
            subject: c.subject,
        })
        .collect();
    let mut path_weak = false;
    for w in &path.warnings {
        // Only weak algorithms and keys make the signer valid-weak (SHA-1 not when allowed);
        // revocation-unchecked is a warning only.
        match w.code.weakness() {
            Some(WeakCode::WeakSha1) if ctx.options.allow_sha1 => {}
            Some(_) => path_weak = true,
            None => {}
        }
        push_warning(warnings, w.code.into(), w.message.clone());
    }

    // The From field: one mailbox, in the certificate.
    let identity = ctx.identity;
    if let Some((failure, notice, message)) = &identity.problem {
        if ctx.options.require_email_match {
            return Err(fail(*failure, message.clone()));
        }
        push_warning(warnings, (*notice).into(), message.clone());
    }
    let emails = cert.info().map(|i| i.emails.as_slice()).unwrap_or_default();
    for from in &identity.mailboxes {
        if !crate::identity::holds(emails, from) {
            let message = format!(
                "the message is from {from} but the signer certificate {} is for {}",
                report.subject.as_deref().unwrap_or("(unparsed)"),
                if emails.is_empty() {
                    "no email address".to_owned()
                } else {
                    emails.join(", ")
                }
            );
            if ctx.options.require_email_match {
                return Err(fail(FailureCode::EmailMismatch, message));
            }
            push_warning(warnings, NoticeCode::EmailMismatch.into(), message);
        }
    }
    for message in &identity.display_warnings {
        push_warning(
            warnings,
            NoticeCode::DisplayNameAddress.into(),
            message.clone(),
        );
    }

    let who = report.subject.as_deref().unwrap_or("the signer").to_owned();
    let mut is_weak = path_weak;
    for w in weak {
        let (counts, message) = match w {
            Weakness::Sha1 => (
                !ctx.options.allow_sha1,
                format!("{who}: the message is signed with sha-1"),
            ),
            Weakness::SmallKey(bits) => (true, format!("{who}: the signer's key has {bits} bits")),
            _ => (true, format!("{who}: weak signature")),
        };
        is_weak |= counts;
        push_warning(warnings, w.code().into(), message);
    }
    Ok(is_weak)
}

fn push_warning(warnings: &mut Vec<Warning>, code: WarningCode, message: String) {
    if !warnings.iter().any(|w| w.message == message) {
        warnings.push(Warning { code, message });
    }
}

struct Found {
    content_type: ObjectIdentifier,
    message_digest: Vec<u8>,
    signing_time: Option<OffsetDateTime>,
}

fn single<'a>(a: &cms::Attribute<'a>, name: &str) -> Result<&'a [u8], Failure> {
    match (a.count, a.first) {
        (1, Some(v)) => Ok(v.raw),
        _ => Err(fail(
            FailureCode::MalformedSignedAttribute,
            format!(
                "the {name} attribute at byte {} has {} values instead of one",
                a.offset, a.count
            ),
        )),
    }
}

fn signed_attributes(attrs: &smimetrust_x509::tlv::Tlv<'_>) -> Result<Found, Failure> {
    let list = cms::attributes(attrs);
    let mut content_type = None;
    let mut message_digest = None;
    let mut signing_time = None;
    for a in list {
        let a = a.map_err(|e| {
            fail(
                FailureCode::MalformedSignedAttribute,
                crate::Error::from(e).to_string(),
            )
        })?;
        let dup = |name: &str| {
            fail(
                FailureCode::MalformedSignedAttribute,
                format!("the {name} attribute appears twice (byte {})", a.offset),
            )
        };
        match a.oid {
            CONTENT_TYPE => {
                if content_type.is_some() {
                    return Err(dup("contentType"));
                }
                let v = single(&a, "contentType")?;
                content_type = Some(ObjectIdentifier::from_der(v).map_err(|e| {
                    fail(
                        FailureCode::MalformedSignedAttribute,
                        format!("contentType at byte {}: {e}", a.offset),
                    )
                })?);
            }
            MESSAGE_DIGEST => {
                if message_digest.is_some() {
                    return Err(dup("messageDigest"));
                }
                let v = single(&a, "messageDigest")?;
                let os = <&der::asn1::OctetStringRef>::from_der(v).map_err(|e| {
                    fail(
                        FailureCode::MalformedSignedAttribute,
                        format!("messageDigest at byte {}: {e}", a.offset),
                    )
                })?;
                message_digest = Some(os.as_bytes().to_vec());
            }
            SIGNING_TIME => {
                if signing_time.is_some() {
                    return Err(dup("signingTime"));
                }
                let v = single(&a, "signingTime")?;
                signing_time = Some(parse_time(v).ok_or_else(|| {
                    fail(
                        FailureCode::MalformedSignedAttribute,
                        format!("signingTime at byte {} is not a valid time", a.offset),
                    )
                })?);
            }
            _ => {}
        }
    }
    let content_type = content_type.ok_or_else(|| {
        fail(
            FailureCode::MissingSignedAttribute,
            "the signed attributes lack contentType (RFC 5652 11.1)",
        )
    })?;
    let message_digest = message_digest.ok_or_else(|| {
        fail(
            FailureCode::MissingSignedAttribute,
            "the signed attributes lack messageDigest (RFC 5652 11.2)",
        )
    })?;
    Ok(Found {
        content_type,
        message_digest,
        signing_time,
    })
}

/// A UTCTime or GeneralizedTime element.
fn parse_time(v: &[u8]) -> Option<OffsetDateTime> {
    // UTCTime is tag 0x17; anything else is read as GeneralizedTime (and fails if it is not).
    let t = if v.first() == Some(&0x17) {
        x509_cert::time::Time::UtcTime(der::asn1::UtcTime::from_der(v).ok()?)
    } else {
        x509_cert::time::Time::GeneralTime(der::asn1::GeneralizedTime::from_der(v).ok()?)
    };
    let secs = i64::try_from(t.to_unix_duration().as_secs()).ok()?;
    OffsetDateTime::from_unix_timestamp(secs).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The forms a content is tried in: the canonical form only when it differs, the first
    /// line end deciding which comes first for a MIME part.
    #[test]
    fn content_forms_in_order() {
        let forms = |c: &Content<'_>| c.forms().collect::<Vec<_>>();
        let (as_is, canonical) = (Form::AsIs, Form::Canonical);
        assert_eq!(forms(&Content::embedded(b"a\nb")), [as_is]);
        assert_eq!(forms(&Content::detached(b"a\r\nb")), [as_is]);
        assert_eq!(forms(&Content::detached(b"a\nb")), [as_is, canonical]);
        assert_eq!(forms(&Content::mime_part(b"a\r\nb\r\n")), [as_is]);
        assert_eq!(forms(&Content::mime_part(b"no line end")), [as_is]);
        // CRLF first, a bare LF later: found when the canonical form is reached.
        assert_eq!(forms(&Content::mime_part(b"a\r\nb\nc")), [as_is, canonical]);
        // LF-only lines: the canonical form first.
        assert_eq!(forms(&Content::mime_part(b"a\nb\n")), [canonical, as_is]);
        assert_eq!(forms(&Content::mime_part(b"\nb")), [canonical, as_is]);
        // Nothing scans for bare LFs while the form as given is all that is tried.
        let part = Content::mime_part(b"a\r\nb\nc");
        assert_eq!(part.forms().next(), Some(as_is));
        assert_eq!(part.bare_lf.get(), None);
    }
}
