//! One message, walked: where its signatures are, what they cover, and each layer verified.
//!
//! A message is `valid` only when a signature covers its whole body: the root entity is
//! signed (under further signature or encryption layers, each verified in turn). Signatures
//! found below unsigned structure (a `multipart/mixed` with attacker text beside a genuinely
//! signed part) are every one verified and reported, and the message is `partially-signed`
//! with its parts listed. An attached `message/rfc822` is another message: its signature is
//! not this one's. The unsigned structure is walked with an explicit stack, never by
//! recursion, and splitting multiparts is bounded by [`Options::max_multiparts`](crate::Options).

use std::sync::Arc;

use smimetrust_x509::Certificate;
use smimetrust_x509::cms;

use crate::digest::Form;
use crate::identity::{self, Identity};
use crate::mime::{self, Media};
use crate::report::{Part, Warning};
use crate::{
    Code, Error, FailureCode, Layer, LayerKind, NoticeCode, Report, SignerReport, Status, Verifier,
    body, looks_like_message, signer,
};

/// Parts listed in a report at most (a million-part message is walked, not listed).
const MAX_LISTED: usize = 1024;

/// Header fields compared between the signed body and the message (RFC 9788's protected
/// headers, Thunderbird's `protected-headers=v1`).
const PROTECTED: &[&str] = &["From", "To", "Cc", "Reply-To", "Subject", "Date"];

/// What one verification has found so far.
pub(crate) struct State {
    layers: Vec<Layer>,
    signers: Vec<SignerReport>,
    warnings: Vec<Warning>,
    identity: Identity,
    /// The first failure: code and message.
    failure: Option<(Code, String)>,
    /// Multipart entities that may still be split (see [`Options::max_multiparts`]).
    multipart_budget: usize,
    /// Whether a signature was found below unsigned structure.
    partial: bool,
    parts: Vec<Part>,
    /// Parts walked beyond [`MAX_LISTED`].
    unlisted: usize,
    /// Header fields the outermost signature covers.
    signed_headers: Vec<String>,
    /// Path-building work left for the whole message, all layers and signers together.
    budget: smimetrust_path::Budget,
}

/// What a signed entity turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// A signature layer, valid or not.
    Signed { valid: bool },
    /// Encrypted: nothing more to see.
    Encrypted,
    /// No signature after all (a SignedData of certificates only, a multipart/signed of
    /// another protocol).
    NotSigned,
}

impl State {
    pub(crate) fn new(multipart_budget: usize, budget: smimetrust_path::Budget) -> Self {
        State {
            layers: Vec::new(),
            signers: Vec::new(),
            warnings: Vec::new(),
            identity: Identity::default(),
            failure: None,
            multipart_budget,
            partial: false,
            parts: Vec::new(),
            unlisted: 0,
            signed_headers: Vec::new(),
            budget,
        }
    }

    fn warn(&mut self, code: NoticeCode, message: String) {
        if !self.warnings.iter().any(|w| w.message == message) {
            self.warnings.push(Warning {
                code: code.into(),
                message,
            });
        }
    }

    fn list(&mut self, path: &str, entity: &mime::Entity<'_>, signed: bool) {
        if self.parts.len() >= MAX_LISTED {
            self.unlisted += 1;
            return;
        }
        self.parts.push(Part {
            path: path.to_owned(),
            content_type: entity.ctype.mimetype.clone(),
            size: entity.raw.len(),
            signed,
        });
    }

    pub(crate) fn finish(mut self, error: Option<Error>) -> Report {
        let from = self.identity.first().map(str::to_owned);
        let listed = self.partial && self.layers.iter().any(|l| l.kind != LayerKind::Encrypted);
        if listed && self.unlisted > 0 {
            let n = self.unlisted;
            self.warn(
                NoticeCode::PartsTruncated,
                format!("{n} more parts were walked but are not listed"),
            );
        }
        let mut report = Report {
            status: Status::NotSigned,
            code: None,
            message: None,
            layers: self.layers,
            signers: self.signers,
            warnings: self.warnings,
            from,
            parts: Vec::new(),
            signed_headers: self.signed_headers,
        };
        if let Some(e) = error {
            report.status = Status::Error;
            report.code = Some(e.code().into());
            report.message = Some(e.to_string());
            return report;
        }
        let signed: Vec<&Layer> = report
            .layers
            .iter()
            .filter(|l| l.kind != LayerKind::Encrypted)
            .collect();
        if self.partial && !signed.is_empty() {
            report.parts = self.parts;
        }
        report.status = if signed.iter().any(|l| l.status == Status::Invalid) {
            if let Some((code, message)) = self.failure {
                report.code = Some(code);
                report.message = Some(message);
            }
            Status::Invalid
        } else if self.partial && !signed.is_empty() {
            Status::PartiallySigned
        } else if signed.iter().any(|l| l.status == Status::ValidWeak) {
            Status::ValidWeak
        } else if !signed.is_empty() {
            Status::Valid
        } else if report.layers.iter().any(|l| l.kind == LayerKind::Encrypted) {
            Status::Encrypted
        } else {
            Status::NotSigned
        };
        report
    }
}

/// What a MIME entity is, as far as S/MIME goes.
enum Kind {
    /// `multipart/signed` with an S/MIME protocol, or none (see [`Verifier::signed_entity`]).
    MultipartSigned { protocol_missing: bool },
    /// `multipart/signed` with another protocol (OpenPGP, …).
    OtherSigned(String),
    /// `application/(x-)pkcs7-mime` (or an `.p7m` attachment): a CMS structure.
    Pkcs7Mime,
    /// Another multipart.
    Multipart,
    /// An attached message.
    Rfc822,
    /// Anything else.
    Leaf,
}

fn classify(mail: &mime::Entity<'_>) -> Kind {
    let param = |name: &str| mail.ctype.param(name).map(str::to_ascii_lowercase);
    match mail.media {
        Media::MultipartSigned => match param("protocol").as_deref() {
            Some("application/pkcs7-signature" | "application/x-pkcs7-signature") => {
                Kind::MultipartSigned {
                    protocol_missing: false,
                }
            }
            None => Kind::MultipartSigned {
                protocol_missing: true,
            },
            Some(other) => Kind::OtherSigned(other.to_owned()),
        },
        Media::Pkcs7Mime => Kind::Pkcs7Mime,
        Media::OctetStream if param("name").is_some_and(|n| n.ends_with(".p7m")) => Kind::Pkcs7Mime,
        Media::Multipart => Kind::Multipart,
        Media::Rfc822 => Kind::Rfc822,
        _ => Kind::Leaf,
    }
}

/// Collapses white space, for comparing header values.
fn normalize(value: &[u8]) -> String {
    String::from_utf8_lossy(value)
        .split_ascii_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

impl Verifier<'_> {
    /// Walks a message from its root.
    pub(crate) fn root(&self, bytes: &[u8], state: &mut State) -> Result<(), Error> {
        let root = mime::Entity::parse(bytes)?;
        state.identity = identity::from(&root);
        match classify(&root) {
            Kind::MultipartSigned { .. } | Kind::Pkcs7Mime => {
                self.signed_entity(&root, state, Some(&root))?;
                Ok(())
            }
            Kind::Multipart => self.unsigned_tree(&root, state),
            Kind::Rfc822 => self.attached_message(&root, "the body", state),
            Kind::OtherSigned(protocol) => {
                other_protocol(state, &protocol);
                Ok(())
            }
            Kind::Leaf => Ok(()),
        }
    }

    /// The multipart tree below an unsigned root: every signed entity in it verified, every
    /// part listed.
    fn unsigned_tree(&self, root: &mime::Entity<'_>, state: &mut State) -> Result<(), Error> {
        let mut stack = vec![(
            root.parts(&mut state.multipart_budget)?,
            String::new(),
            0u32,
        )];
        while let Some((parts, prefix, index)) = stack.last_mut() {
            let Some(part) = parts.next_entity()? else {
                stack.pop();
                continue;
            };
            *index += 1;
            let path = if prefix.is_empty() {
                index.to_string()
            } else {
                format!("{prefix}.{index}")
            };
            match classify(&part) {
                Kind::MultipartSigned { .. } | Kind::Pkcs7Mime => {
                    let outcome = self.signed_entity(&part, state, None)?;
                    let signed = matches!(outcome, Outcome::Signed { .. });
                    state.partial |= signed;
                    state.list(&path, &part, signed);
                }
                Kind::Multipart => {
                    let parts = part.parts(&mut state.multipart_budget)?;
                    stack.push((parts, path, 0));
                }
                Kind::Rfc822 => {
                    state.list(&path, &part, false);
                    self.attached_message(&part, &format!("part {path}"), state)?;
                }
                Kind::OtherSigned(protocol) => {
                    state.list(&path, &part, false);
                    other_protocol(state, &protocol);
                }
                Kind::Leaf => state.list(&path, &part, false),
            }
        }
        Ok(())
    }

    /// A `message/rfc822` entity: when the attached message is itself signed, a warning says
    /// that its signature is not this message's.
    fn attached_message(
        &self,
        entity: &mime::Entity<'_>,
        name: &str,
        state: &mut State,
    ) -> Result<(), Error> {
        let Ok(inner) = mime::Entity::parse(entity.body()) else {
            return Ok(());
        };
        if matches!(
            classify(&inner),
            Kind::MultipartSigned { .. } | Kind::Pkcs7Mime
        ) {
            state.warn(
                NoticeCode::SignedAttachment,
                format!(
                    "{name} is an attached message with a signature of its own; it signs that message, not this one (verify it on its own)"
                ),
            );
        }
        Ok(())
    }

    /// Verifies a signed entity (`multipart/signed` or `application/(x-)pkcs7-mime`) and the
    /// layers inside it. `outer`: the message root, when this entity is it (its header fields
    /// are compared with the signed body's).
    pub(crate) fn signed_entity(
        &self,
        mail: &mime::Entity<'_>,
        state: &mut State,
        outer: Option<&mime::Entity<'_>>,
    ) -> Result<Outcome, Error> {
        match classify(mail) {
            Kind::MultipartSigned { protocol_missing } => {
                let mut parts = mail.parts(&mut state.multipart_budget)?;
                let first = [parts.next_raw()?, parts.next_raw()?, parts.next_raw()?];
                let [Some(content), Some(signature), None] = first else {
                    let mut n = first.iter().flatten().count();
                    while parts.next_raw()?.is_some() {
                        n += 1;
                    }
                    return Err(Error::mime(format!(
                        "multipart/signed has {n} parts instead of 2"
                    )));
                };
                let (content, signature) = (
                    &mime::Entity::parse(content)?,
                    &mime::Entity::parse(signature)?,
                );
                if signature.media != Media::Pkcs7Signature {
                    if protocol_missing {
                        return Ok(Outcome::NotSigned);
                    }
                    return Err(Error::mime(format!(
                        "the signature part of multipart/signed is {}, not application/pkcs7-signature",
                        signature.ctype.mimetype
                    )));
                }
                if protocol_missing {
                    state.warn(
                        NoticeCode::ProtocolMissing,
                        "multipart/signed has no protocol parameter; its second part is an S/MIME signature, verified as one".to_owned(),
                    );
                }
                let sig = body::pkcs7_body(signature)?;
                let outcome = self.signed_layer(
                    &sig,
                    Some(signer::Content::mime_part(content.raw)),
                    LayerKind::MultipartSigned,
                    state,
                )?;
                if let Some(outer) = outer {
                    protect(outer, content, state);
                }
                if outcome == (Outcome::Signed { valid: true }) {
                    // Sign inside sign: the signed content may itself be signed or encrypted.
                    self.inner(content, state)?;
                }
                Ok(outcome)
            }
            Kind::Pkcs7Mime => {
                let body = body::pkcs7_body(mail)?;
                self.opaque(&body, LayerKind::OpaqueSigned, state, outer)
            }
            _ => Ok(Outcome::NotSigned),
        }
    }

    /// An opaque SignedData (or enveloped data): verified, then its content followed when it
    /// is a MIME entity.
    pub(crate) fn opaque(
        &self,
        der: &[u8],
        kind: LayerKind,
        state: &mut State,
        outer: Option<&mime::Entity<'_>>,
    ) -> Result<Outcome, Error> {
        let (outcome, content) = self.signed_layer_embedded(der, kind, state)?;
        if let Some(content) = content
            && looks_like_message(&content)
        {
            let entity = mime::Entity::parse(&content)?;
            if let Some(outer) = outer {
                protect(outer, &entity, state);
            }
            if outcome == (Outcome::Signed { valid: true }) {
                self.inner(&entity, state)?;
            }
        }
        Ok(outcome)
    }

    /// The content of a valid signature layer: a signed or encrypted entity there (or in an
    /// attached message there) is the next layer.
    fn inner(&self, content: &mime::Entity<'_>, state: &mut State) -> Result<(), Error> {
        match classify(content) {
            Kind::MultipartSigned { .. } | Kind::Pkcs7Mime => {
                self.signed_entity(content, state, None)?;
            }
            Kind::Rfc822 => {
                let inner = mime::Entity::parse(content.body())?;
                if matches!(
                    classify(&inner),
                    Kind::MultipartSigned { .. } | Kind::Pkcs7Mime
                ) {
                    self.signed_entity(&inner, state, None)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// [`Verifier::signed_layer`] for opaque data: the embedded content too.
    fn signed_layer_embedded(
        &self,
        der: &[u8],
        kind: LayerKind,
        state: &mut State,
    ) -> Result<(Outcome, Option<Vec<u8>>), Error> {
        let mut embedded = None;
        let outcome = self.layer(der, None, kind, state, &mut embedded)?;
        Ok((outcome, embedded))
    }

    /// Verifies one SignedData (`der`) over `detached` content, or its own, and records the
    /// layer.
    pub(crate) fn signed_layer(
        &self,
        der: &[u8],
        detached: Option<signer::Content<'_>>,
        kind: LayerKind,
        state: &mut State,
    ) -> Result<Outcome, Error> {
        self.layer(der, detached, kind, state, &mut None)
    }

    fn layer(
        &self,
        der: &[u8],
        detached: Option<signer::Content<'_>>,
        kind: LayerKind,
        state: &mut State,
        embedded_out: &mut Option<Vec<u8>>,
    ) -> Result<Outcome, Error> {
        let ci = cms::content_info(der)?;
        let layer = state.layers.len();
        if layer >= self.options.max_layers {
            return Err(Error::TooManyLayers {
                limit: self.options.max_layers,
            });
        }
        if ci.content_type == cms::ID_ENVELOPED_DATA
            || ci.content_type == cms::ID_AUTH_ENVELOPED_DATA
        {
            state.layers.push(Layer {
                kind: LayerKind::Encrypted,
                status: Status::Encrypted,
                code: None,
            });
            return Ok(Outcome::Encrypted);
        }
        if ci.content_type != cms::ID_SIGNED_DATA {
            return Err(Error::cms(
                ci.content.offset,
                format!(
                    "the content type is {}, not signed-data",
                    smimetrust_x509::names::oid_name(&ci.content_type)
                ),
            ));
        }
        let sd = cms::signed_data(&ci.content)?;
        if sd.signers.len() > self.options.max_signers {
            return Err(Error::cms(
                ci.content.offset,
                format!(
                    "{} signers (at most {} are verified)",
                    sd.signers.len(),
                    self.options.max_signers
                ),
            ));
        }
        if sd.signers.is_empty() && detached.is_none() {
            state.warn(
                NoticeCode::CertsOnly,
                format!(
                    "a SignedData without signers ({} certificates, {} crls): nothing is signed",
                    sd.certs.len(),
                    sd.crls.len()
                ),
            );
            return Ok(Outcome::NotSigned);
        }
        state.layers.push(Layer {
            kind,
            status: Status::Invalid,
            code: None,
        });
        let embedded;
        let content = match (&detached, &sd.econtent) {
            (Some(d), _) => d,
            (None, Some(e)) => {
                embedded = signer::Content::embedded(e);
                &embedded
            }
            (None, None) => return Err(Error::DetachedContentMissing),
        };
        // The message's certificates, less those the validator already has (messages often
        // carry the intermediate the trust store holds): they are neither parsed nor indexed
        // again. The signers' own certificates stay out of the path-building pool unless they
        // are CAs (a pool certificate costs a parse of its extensions); others stay in, as a
        // CRL may be signed by a certificate that is not a CA.
        let (issuers, signers_only): (Vec<Arc<Certificate>>, Vec<Arc<Certificate>>) = sd
            .certs
            .iter()
            .filter(|c| !self.index.contains(c))
            .map(|c| self.parsed.get(c))
            .partition(|c| {
                c.info().is_none_or(|i| i.is_ca) || !sd.signers.iter().any(|si| si.sid.matches(c))
            });
        let message_certs: Vec<&Certificate> =
            issuers.iter().chain(&signers_only).map(|c| &**c).collect();
        let crls: Vec<Vec<u8>> = sd.crls.iter().map(|c| c.to_vec()).collect();
        let validator = self
            .validator
            .with_extra(issuers.iter().map(|c| &**c), &crls);
        let ctx = signer::LayerCtx {
            options: &self.options,
            validator: &validator,
            index: &self.index,
            message_certs: &message_certs,
            identity: &state.identity,
            layer,
        };
        let mut failure: Option<(Code, String)> = None;
        // S/MIME content is id-data (RFC 8551 3.1); other types belong to other protocols
        // (a timestamp token, a CTL) and must not pass for a signed message.
        if matches!(kind, LayerKind::MultipartSigned | LayerKind::OpaqueSigned)
            && sd.econtent_type != cms::ID_DATA
        {
            failure = Some((
                Code::Signer(FailureCode::UnexpectedContentType),
                format!(
                    "the signed content is {}, not id-data: not an S/MIME message",
                    smimetrust_x509::names::oid_name(&sd.econtent_type)
                ),
            ));
        }
        // A detached signature that also embeds a different content.
        if let (Some(d), Some(e)) = (&detached, &sd.econtent) {
            let same = d.forms().any(|f| match f {
                Form::AsIs => d.bytes == &**e,
                Form::Canonical => crate::digest::canonical(d.bytes) == **e,
            });
            if !same {
                failure.get_or_insert((
                    Code::Signer(FailureCode::ContentMismatch),
                    "the signature embeds content that differs from the signed part of the message"
                        .to_owned(),
                ));
            }
        }
        if sd.signers.is_empty() {
            failure.get_or_insert((
                Code::Signer(FailureCode::NoSigners),
                "the SignedData has no SignerInfo: nothing is signed".to_owned(),
            ));
        }
        let mut warnings = Vec::new();
        let mut statuses = Vec::new();
        let mut signers = Vec::with_capacity(sd.signers.len());
        for si in &sd.signers {
            // Once the layer is invalid, no more path building: the verdict is made.
            let budget = failure.is_none().then_some(&mut state.budget);
            let r = signer::verify(&ctx, &sd, si, content, &mut warnings, budget);
            if let (Status::Invalid, Some(code)) = (r.status, r.code) {
                failure
                    .get_or_insert((code, r.message.clone().unwrap_or_else(|| code.to_string())));
            }
            statuses.push(r.status);
            signers.push(r);
        }
        state.signers.extend(signers);
        for w in warnings {
            if !state.warnings.iter().any(|x| x.message == w.message) {
                state.warnings.push(w);
            }
        }
        let status = if failure.is_some() {
            Status::Invalid
        } else if statuses.contains(&Status::ValidWeak) {
            Status::ValidWeak
        } else {
            Status::Valid
        };
        if let Some(l) = state.layers.get_mut(layer) {
            l.status = status;
            l.code = failure.as_ref().map(|f| f.0);
        }
        if state.failure.is_none() {
            state.failure = failure;
        }
        if detached.is_none() {
            *embedded_out = sd.econtent.as_ref().map(|e| e.to_vec());
        }
        Ok(Outcome::Signed {
            valid: status != Status::Invalid,
        })
    }
}

fn other_protocol(state: &mut State, protocol: &str) {
    state.warn(
        NoticeCode::NotSmimeSigned,
        format!("multipart/signed with protocol {protocol:?} is not an S/MIME signature"),
    );
}

/// Compares the header fields a signed body carries (protected headers; or those of a
/// wrapped message/rfc822) with the message's own, and records which are signed.
fn protect(outer: &mime::Entity<'_>, content: &mime::Entity<'_>, state: &mut State) {
    let wrapped;
    let signed = if content.media == Media::Rfc822 {
        match mime::Entity::parse(content.body()) {
            Ok(inner) => {
                wrapped = inner;
                &wrapped
            }
            Err(_) => return,
        }
    } else {
        content
    };
    for &name in PROTECTED {
        let inside: Vec<String> = signed
            .headers
            .iter()
            .filter(|h| h.is(name))
            .map(|h| normalize(h.value))
            .collect();
        if inside.is_empty() {
            continue;
        }
        state.signed_headers.push(name.to_owned());
        let outside: Vec<String> = outer
            .headers
            .iter()
            .filter(|h| h.is(name))
            .map(|h| normalize(h.value))
            .collect();
        if inside != outside {
            state.warn(
                NoticeCode::ProtectedHeaderMismatch,
                format!(
                    "the signed body's {name} field ({}) differs from the message's ({}): the signer wrote the former",
                    inside.join(", "),
                    if outside.is_empty() {
                        "none".to_owned()
                    } else {
                        outside.join(", ")
                    }
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use smimetrust_path::TrustAnchor;
    use smimetrust_x509::pem;

    use super::*;
    use crate::{Options, Validator};

    fn fixture(name: &str) -> Vec<u8> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/smime");
        std::fs::read(format!("{dir}/{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn verify(message: &[u8]) -> Report {
        let trust = fixture("pki/trust.pem");
        let anchors: Vec<TrustAnchor> = pem::blocks(&trust)
            .unwrap_or_default()
            .iter()
            .filter_map(|b| b.decode().ok())
            .map(|der| TrustAnchor::new(Certificate::from_der(der)))
            .collect();
        let validator = Validator::new(&anchors, &[], &[], smimetrust_sig::default_verifier());
        let at = time::macros::datetime!(2026-06-01 0:00 UTC);
        Verifier::new(&validator, Options::at(at)).verify(message, None)
    }

    /// `message`'s MIME entity (its Content-* fields and body), for putting inside another.
    fn entity(message: &[u8]) -> Vec<u8> {
        let e = mime::Entity::parse(message).unwrap_or_else(|e| panic!("{e}"));
        let mut out = Vec::new();
        for h in e
            .headers
            .iter()
            .filter(|h| h.name.len() > 8 && h.name[..8].eq_ignore_ascii_case(b"content-"))
        {
            out.extend_from_slice(h.name);
            out.extend_from_slice(b": ");
            out.extend_from_slice(h.value);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(e.body());
        out
    }

    fn multipart(subtype: &str, boundary: &str, parts: &[Vec<u8>]) -> Vec<u8> {
        let mut out = format!(
            "From: rsa@smime.example\r\nContent-Type: multipart/{subtype}; boundary=\"{boundary}\"\r\n\r\n"
        )
        .into_bytes();
        for p in parts {
            out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            out.extend_from_slice(p);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        out
    }

    const TEXT: &[u8] = b"Content-Type: text/plain\r\n\r\nPay 900 EUR to the account below.\r\n";

    fn paths(r: &Report) -> Vec<(String, bool)> {
        r.parts.iter().map(|p| (p.path.clone(), p.signed)).collect()
    }

    #[test]
    fn a_signature_below_unsigned_structure_is_partial() {
        let signed = fixture("messages/rsa-sha256.detached.eml");
        assert_eq!(verify(&signed).status, Status::Valid);
        let part = entity(&signed);
        // Attacker text first, the genuine signed part second; and the other way round.
        let r = verify(&multipart("mixed", "x", &[TEXT.to_vec(), part.clone()]));
        assert_eq!(r.status, Status::PartiallySigned, "{r:?}");
        assert_eq!(paths(&r), [("1".to_owned(), false), ("2".to_owned(), true)]);
        assert_eq!(r.signers.len(), 1);
        let r = verify(&multipart("mixed", "x", &[part.clone(), TEXT.to_vec()]));
        assert_eq!(r.status, Status::PartiallySigned);
        // Behind an HTML part in an alternative, nested.
        let html = b"Content-Type: text/html\r\n\r\n<p>Pay 900 EUR</p>\r\n".to_vec();
        let alt = entity(&multipart("alternative", "y", &[html, part.clone()]));
        let r = verify(&multipart("mixed", "x", &[alt]));
        assert_eq!(r.status, Status::PartiallySigned);
        assert_eq!(
            paths(&r),
            [("1.1".to_owned(), false), ("1.2".to_owned(), true)]
        );
        // Two genuine signed parts: both verified, still partial.
        let r = verify(&multipart("mixed", "x", &[part.clone(), part.clone()]));
        assert_eq!((r.status, r.layers.len()), (Status::PartiallySigned, 2));
        // A tampered one beside a genuine one: invalid.
        let tampered = entity(&fixture("messages/wrong-digest.detached.eml"));
        let r = verify(&multipart("mixed", "x", &[part.clone(), tampered]));
        assert_eq!(r.status, Status::Invalid);
        assert_eq!(r.code.map(|c| c.as_str()), Some("digest-mismatch"));
        // Behind thousands of parts.
        let mut many = vec![TEXT.to_vec(); 3000];
        many.push(part);
        let r = verify(&multipart("mixed", "x", &many));
        assert_eq!(r.status, Status::PartiallySigned);
        assert_eq!(r.parts.len(), MAX_LISTED);
        assert!(r.warnings.iter().any(|w| w.code == "parts-truncated"));
    }

    #[test]
    fn an_attached_signed_message_is_not_this_ones_signature() {
        let signed = fixture("messages/rsa-sha256.detached.eml");
        let mut attached = b"Content-Type: message/rfc822\r\n\r\n".to_vec();
        attached.extend_from_slice(&signed);
        let r = verify(&multipart("mixed", "x", &[TEXT.to_vec(), attached]));
        assert_eq!(r.status, Status::NotSigned, "{r:?}");
        assert!(r.warnings.iter().any(|w| w.code == "signed-attachment"));
        assert!(r.layers.is_empty());
    }

    #[test]
    fn protected_headers_are_compared() {
        let signed = fixture("messages/rsa-sha256.detached.eml");
        let r = verify(&signed);
        assert!(r.signed_headers.is_empty());
        // A From field inside the signed part (the signature then fails, but what the body
        // says about its headers is read the same way).
        let root = mime::Entity::parse(&signed).unwrap_or_else(|e| panic!("{e}"));
        let boundary = root.ctype.param("boundary").unwrap_or_default().to_owned();
        let delimiter = format!("--{boundary}\r\n");
        let at = signed
            .windows(delimiter.len())
            .position(|w| w == delimiter.as_bytes())
            .map_or(0, |i| i + delimiter.len());
        let mut inner = signed[..at].to_vec();
        inner.extend_from_slice(b"From: alice@smime.example\r\n");
        inner.extend_from_slice(&signed[at..]);
        let r = verify(&inner);
        assert_eq!(r.signed_headers, ["From"]);
        assert!(
            r.warnings
                .iter()
                .any(|w| w.code == "protected-header-mismatch"),
            "{r:?}"
        );
    }

    #[test]
    fn nine_layers_are_refused_eight_are_not() {
        // Encrypted layers count as layers: an opaque structure nine deep cannot be made
        // without keys here, so the limit is checked on enveloped data side by side.
        let enc = fixture("messages/encrypted.eml");
        let part = entity(&enc);
        let eight = verify(&multipart("mixed", "x", &vec![part.clone(); 8]));
        assert_eq!(eight.layers.len(), 8);
        let nine = verify(&multipart("mixed", "x", &vec![part; 9]));
        assert_eq!(nine.status, Status::Error);
        assert_eq!(nine.code.map(|c| c.as_str()), Some("too-many-layers"));
    }
}
