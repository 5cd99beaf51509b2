//! Certification path building and validation (RFC 5280 6.1).
//!
//! A [`Validator`] holds trust anchors, a pool of intermediate certificates, CRLs and a
//! [`SignatureVerifier`]; [`Validator::verify`] builds paths from a leaf through the pool to an
//! anchor and validates each until one passes, returning the most specific failure (by
//! [`Reason::rank`]) when none does. Time is a parameter ([`Options::time`]); the library never
//! reads a clock.
//!
//! # What is checked
//!
//! * Path building: issuers are found by normalized name (RFC 5280 7.1: directory strings
//!   compare case-insensitively with white space folded; other values by DER), preferring the
//!   candidate whose subjectKeyIdentifier equals the child's authorityKeyIdentifier and trust
//!   anchors over intermediates. Several candidates per certificate, cross-certificates and
//!   loops (no certificate, and no subject-and-key pair, twice in one path) are handled; the
//!   work is bounded by a [`Budget`] (exhausting it fails the whole validation with
//!   `budget-exceeded`), per call or shared by several ([`Validator::verify_within`]).
//!   Signature checks are cached, failed ones too, so a repeated check costs nothing.
//! * For every certificate below the anchor: the signature with the issuer's key (DSA keys
//!   without parameters inherit them from the next DSA key up the path), validity at
//!   [`Options::time`], issuer name chaining, name constraints (directoryName, rfc822Name with
//!   the subject's emailAddress when there is no rfc822Name alternative name, dNSName,
//!   iPAddress, URI; a constrained form this validator cannot compare is rejected), the policy
//!   tree of RFC 5280 6.1 with the options of [`PolicyOptions`], and critical extensions (any
//!   critical extension other than basicConstraints, keyUsage, extKeyUsage, subjectAltName,
//!   nameConstraints, certificatePolicies, policyMappings, policyConstraints, inhibitAnyPolicy,
//!   the key identifiers, cRLDistributionPoints and issuerAltName is rejected).
//! * For every issuing certificate below the anchor: basicConstraints `cA` on a version 3
//!   certificate (version 1 and 2 intermediates are not CAs), pathLenConstraint (self-issued
//!   intermediates do not count), keyUsage keyCertSign when the extension is present, and
//!   extKeyUsage, when present, allowing the purpose (as Windows and Mozilla do; RFC 5280 leaves
//!   it open).
//! * For the leaf: the purpose ([`Purpose`]) against extKeyUsage and keyUsage, and the email
//!   address, DNS name or IP address asked for.
//! * Revocation (RFC 5280 6.3), from the CRLs given, as [`Options::revocation`] says: complete
//!   CRLs from the certificate's issuer or, for indirect CRLs, from the cRLIssuer of one of its
//!   distribution points; issuingDistributionPoint scope (distribution point names, user, CA
//!   and attribute certificates only) and reasons (a certificate is covered once the CRLs used
//!   cover every reason); delta CRLs over a complete CRL; CRLs with unknown critical extensions
//!   (or entry extensions) are unusable; the CRL signer is the certificate's issuer or another
//!   certificate with the CRL issuer's name and keyUsage cRLSign whose own path (revocation
//!   included) leads to the same trust anchor. The verdict does not depend on the order of
//!   the CRLs: any usable CRL that lists the certificate revokes it, however old (a hold only
//!   while the newest CRL of its scope still lists it; removeFromCRL never), while coverage is
//!   judged on the newest usable CRL of each scope, which must be current at
//!   [`Options::revocation_time`] (by default [`Options::time`]). An entry whose reason is
//!   not a compromise or unspecified (superseded, affiliationChanged, …) revokes only from its
//!   revocationDate on, compared with [`Options::time`], so a signature validated at its
//!   signing time is not undone by a later, harmless revocation. With
//!   [`Revocation::WhereAvailable`], a certificate below the anchor whose issuer gave no CRL
//!   is not checked, and the path carries a `revocation-unchecked` warning naming it. CRLs are
//!   never fetched, and there is no OCSP. Details: module `revocation`.
//!
//! * The RFC 5280 section 4 certificate profile (module `profile`): positive serial numbers,
//!   non-empty issuer, non-empty CA subject, a critical subjectAltName when the subject is
//!   empty, authorityKeyIdentifier (present when not self-issued, non-critical),
//!   subjectKeyIdentifier (present in CAs, non-critical), keyCertSign only with cA,
//!   nameConstraints only in CAs and critical, dNSName syntax; malformed dNSName constraints
//!   and names that are not DNS names or mailboxes cannot satisfy a name constraint; a wildcard
//!   dNSName is excluded when a name it matches would be. CRLs need a non-critical cRLNumber
//!   (RFC 5280 5.2.3). Validity is compared at whole seconds.
//!
//! * With [`Options::profile`] set to [`Profile::WebPki`] (module `webpki`), the CA/Browser
//!   Forum Baseline Requirements server-certificate profile too.
//!
//! # Trust anchors
//!
//! A trust anchor is a name and a key (RFC 5280 6.1 takes it as input, not as a certificate of
//! the path); its pathLenConstraint and policies are not enforced. What is enforced: its
//! validity period (as Windows, OpenSSL, Go and pyca/cryptography do); no unknown critical
//! extension; the profile rules real roots keep (module `profile`: not the serial number,
//! subjectKeyIdentifier presence, basicConstraints or nameConstraints criticality, which old
//! Windows roots break); when it issues the path, basicConstraints, if present, with cA and
//! keyUsage, if present, with keyCertSign; its EKU restriction
//! ([`TrustAnchor::with_purposes`], the Windows store property) and, as Windows does, an
//! extKeyUsage extension in the anchor certificate; and the anchor's nameConstraints extension
//! constrains the path (as RFC 5937 allows). A leaf that is itself a trust anchor is a path of
//! one: its validity period, the anchor profile rules, unknown critical extensions, the
//! purpose, the names asked for and the EKU restriction are checked.
//!
//! # Example
//!
//! ```
//! use smimetrust_path::{Certificate, Options, OffsetDateTime, Purpose, Reason, TrustAnchor, Validator};
//!
//! let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/demo");
//! let der = |file: &str| -> Result<Certificate, Box<dyn std::error::Error>> {
//!     let pem = std::fs::read(format!("{demo}/{file}"))?;
//!     if pem.first() == Some(&0x30) {
//!         return Ok(Certificate::from_der(pem));
//!     }
//!     let blocks = smimetrust_x509::pem::blocks(&pem).map_err(|e| e.into_error(file))?;
//!     Ok(Certificate::from_der(blocks[0].decode().map_err(|e| e.into_error(file))?))
//! };
//! let anchors = [TrustAnchor::new(der("ca/root.cer")?)];
//! let intermediates = [der("ca/smime-ca-2024.pem")?];
//! let validator = Validator::new(&anchors, &intermediates, &[], smimetrust_sig::default_verifier());
//!
//! let mut options = Options::at(OffsetDateTime::from_unix_timestamp(1_780_272_000)?); // 2026-06-01
//! options.purpose = Purpose::Smime;
//! options.email = Some("alice@contoso.example".into());
//! let path = validator.verify(&der("leaves/alice.pem")?, &options)?;
//! assert_eq!(path.path.len(), 3); // alice, the S/MIME CA, the root
//!
//! // carol's CA expired in 2024: no path.
//! options.email = None;
//! let err = validator.verify(&der("leaves/carol.pem")?, &options).unwrap_err();
//! assert_eq!(err.reason, Reason::UnknownIssuer);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]

mod name;
mod policy;
mod profile;
mod revocation;
mod view;
mod webpki;

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};

use sha2::Digest;
use x509_cert::ext::pkix::NameConstraints;

/// The types this crate's API takes, re-exported so that a caller adds no dependency.
pub use const_oid::ObjectIdentifier;
pub use smimetrust_sig::{AlgorithmPolicy, SignatureVerifier, Weakness};
pub use smimetrust_x509::Certificate;
pub use time::OffsetDateTime;

mod reason;

use policy::PolicyState;
pub use reason::{CertRef, Invalid, Reason};
use view::{ANY_POLICY, ID_DSA, View};

use const_oid::db::rfc5280::{
    ANY_EXTENDED_KEY_USAGE as ANY_EKU, ID_KP_CLIENT_AUTH as CLIENT_AUTH,
    ID_KP_EMAIL_PROTECTION as EMAIL_PROTECTION, ID_KP_SERVER_AUTH as SERVER_AUTH,
};
pub use view::KNOWN as KNOWN_EXTENSIONS;

/// What the leaf certificate is to be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Purpose {
    /// S/MIME: extKeyUsage (when present) must include emailProtection; keyUsage (when
    /// present) digitalSignature or nonRepudiation.
    #[default]
    Smime,
    /// TLS server: serverAuth; keyUsage digitalSignature, keyEncipherment or keyAgreement.
    Server,
    /// TLS client: clientAuth; keyUsage digitalSignature or keyAgreement.
    Client,
    /// No purpose check at all (neither the leaf's nor the issuers' extKeyUsage, nor the
    /// anchor's restriction).
    Any,
}

impl Purpose {
    /// The extended key usage OID of the purpose (`None` for [`Purpose::Any`]).
    pub fn eku(self) -> Option<ObjectIdentifier> {
        match self {
            Purpose::Smime => Some(EMAIL_PROTECTION),
            Purpose::Server => Some(SERVER_AUTH),
            Purpose::Client => Some(CLIENT_AUTH),
            Purpose::Any => None,
        }
    }

    /// `smime`, `server`, `client` or `any`.
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Smime => "smime",
            Purpose::Server => "server",
            Purpose::Client => "client",
            Purpose::Any => "any",
        }
    }
}

/// A trusted certificate: a name and a key, optionally restricted to some purposes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustAnchor {
    cert: Certificate,
    purposes: Option<Vec<ObjectIdentifier>>,
}

impl TrustAnchor {
    /// An anchor trusted for every purpose.
    pub fn new(cert: Certificate) -> Self {
        TrustAnchor {
            cert,
            purposes: None,
        }
    }

    /// An anchor trusted only for these extended key usages (the Windows store property
    /// `CERT_ENHKEY_USAGE_PROP_ID`; an empty list trusts it for nothing, `anyExtendedKeyUsage`
    /// for everything).
    pub fn with_purposes(cert: Certificate, eku_oids: Vec<ObjectIdentifier>) -> Self {
        TrustAnchor {
            cert,
            purposes: Some(eku_oids),
        }
    }

    /// The certificate.
    pub fn certificate(&self) -> &Certificate {
        &self.cert
    }

    /// The EKU restriction, when there is one.
    pub fn purposes(&self) -> Option<&[ObjectIdentifier]> {
        self.purposes.as_deref()
    }
}

/// The user's initial policy settings (RFC 5280 6.1.1 (c), (e)-(g)).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PolicyOptions {
    /// user-initial-policy-set (default: anyPolicy, 2.5.29.32.0).
    pub initial_policy_set: Vec<ObjectIdentifier>,
    /// initial-explicit-policy: the path must be valid for at least one policy of the set.
    pub require_explicit_policy: bool,
    /// initial-policy-mapping-inhibit.
    pub inhibit_policy_mapping: bool,
    /// initial-any-policy-inhibit.
    pub inhibit_any_policy: bool,
}

impl Default for PolicyOptions {
    fn default() -> Self {
        PolicyOptions {
            initial_policy_set: vec![ANY_POLICY],
            require_explicit_policy: false,
            inhibit_policy_mapping: false,
            inhibit_any_policy: false,
        }
    }
}

/// Limits on the work one [`Validator::verify`] call (or several sharing one budget,
/// [`Validator::verify_within`]) may do, because the intermediates and CRLs are untrusted input
/// (a pool of many certificates with the same name makes the number of candidate paths
/// explode; cf. Go's CVE-2018-16875 and mozilla::pkix's limits, which rustls-webpki follows
/// with 100 signatures).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Budget {
    /// Signature verifications (cache hits, failed checks remembered included, are free).
    /// Default 100.
    pub signatures: usize,
    /// Candidate issuers considered while building. Default 200.
    pub build_steps: usize,
    /// Intermediates in one path (the leaf and the anchor not counted). Default 8.
    pub max_intermediates: usize,
    /// Comparisons of a name with a name constraint subtree. Default 250,000 (as
    /// rustls-webpki).
    pub name_comparisons: usize,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            signatures: 100,
            build_steps: 200,
            max_intermediates: 8,
            name_comparisons: 250_000,
        }
    }
}

impl Budget {
    /// Whether a counter shared across calls ([`Validator::verify_within`]) has run out: no
    /// signature verification, candidate issuer or name comparison is left, so a further call
    /// that needs one fails with `budget-exceeded` (one that needs none, all its signatures
    /// cached, can still succeed).
    pub fn is_exhausted(&self) -> bool {
        self.signatures == 0 || self.build_steps == 0 || self.name_comparisons == 0
    }
}

/// Which certificates need revocation status from the CRLs given to [`Validator::new`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Revocation {
    /// Do not look at CRLs (and do not warn about it).
    Off,
    /// Check a certificate when a CRL from its issuer (by name) was given; then the CRLs must
    /// be usable and cover it (`revocation-unknown` otherwise). Certificates whose issuers
    /// published no CRL here are not checked, and a path that validates says so: a
    /// `revocation-unchecked` [`PathWarning`] for each of them.
    #[default]
    WhereAvailable,
    /// Every certificate below the anchor must be covered by a usable CRL.
    Required,
}

/// Which certificate profile is enforced on top of RFC 5280 path validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Profile {
    /// RFC 5280 and its section 4 profile only (see the [module docs](self)).
    #[default]
    Rfc5280,
    /// Also the CA/Browser Forum Baseline Requirements server-certificate profile, as
    /// pyca/cryptography's server verifier and rustls-webpki apply it (x509-limbo's `webpki`
    /// family): key and signature algorithms on the whole path (RSA keys of 2048+ bits
    /// divisible by 8, ECDSA P-256/384/521; SHA-256/384/512 signatures; no DSA, no SHA-1),
    /// root CAs without extKeyUsage and with a keyIdentifier-only authorityKeyIdentifier equal
    /// to the subjectKeyIdentifier, nameConstraints with a non-empty subtree list, a
    /// well-formed authorityInfoAccess, and, for [`Purpose::Server`], a leaf with a
    /// non-critical extKeyUsage holding serverAuth and not anyExtendedKeyUsage, without cA,
    /// and with a critical subjectAltName only when the subject is empty. Not checked: the
    /// commonName consistency rule (BR 7.1.4.3) and wildcards over multi-label public
    /// suffixes (which need the Public Suffix List).
    WebPki,
    /// RFC 5280 path validation (section 6) without the section 4 rules on how CAs must issue
    /// that old and private CAs commonly break and that change nothing about what a
    /// certificate means: authorityKeyIdentifier presence, subjectKeyIdentifier presence in
    /// CAs, positive non-zero serial numbers, dNSName syntax. This is what Windows, NSS and
    /// OpenSSL (without `-x509_strict`) accept, and the default for S/MIME message
    /// verification, where many signers' certificates come from such CAs.
    Compat,
}

/// What to validate for.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// The validation time: certificates must be valid then, and a CRL entry whose reason
    /// says the certificate was good until its revocation date (superseded,
    /// affiliationChanged, …) revokes only from that date on.
    pub time: OffsetDateTime,
    /// When CRLs must be current (thisUpdate <= it <= nextUpdate) to cover a certificate;
    /// `None`: [`Options::time`]. An S/MIME verifier validating at a signer's claimed
    /// signingTime passes the present here, so that today's CRLs judge a past signature.
    pub revocation_time: Option<OffsetDateTime>,
    /// What the leaf is for.
    pub purpose: Purpose,
    /// An address the leaf must be issued to (subjectAltName rfc822Name or subject
    /// emailAddress; the domain compares ignoring ASCII case).
    pub email: Option<String>,
    /// A DNS name the leaf must be issued to (subjectAltName dNSName, wildcards allowed).
    pub dns_name: Option<String>,
    /// An IP address the leaf must be issued to (subjectAltName iPAddress).
    pub ip: Option<IpAddr>,
    /// Initial policy settings.
    pub policy: PolicyOptions,
    /// What signature algorithms and key sizes are accepted.
    pub algorithms: AlgorithmPolicy,
    /// Work limits.
    pub budget: Budget,
    /// Revocation checking.
    pub revocation: Revocation,
    /// The certificate profile enforced on top of RFC 5280 (default [`Profile::Rfc5280`]:
    /// RFC 5280 alone).
    pub profile: Profile,
}

impl Options {
    /// Defaults at `time`: purpose S/MIME, no name to match, initial policy set anyPolicy, the
    /// default algorithm policy and budget, CRLs checked where given, the RFC 5280 profile.
    pub fn at(time: OffsetDateTime) -> Self {
        Options {
            time,
            revocation_time: None,
            purpose: Purpose::Smime,
            email: None,
            dns_name: None,
            ip: None,
            policy: PolicyOptions::default(),
            algorithms: AlgorithmPolicy::DEFAULT,
            budget: Budget::default(),
            revocation: Revocation::default(),
            profile: Profile::default(),
        }
    }
}

smimetrust_x509::code_enum! {
    /// The warnings path validation adds to the signatures' weaknesses.
    pub enum NoticeCode {
        /// A certificate below the trust anchor whose revocation status was not checked:
        /// [`Revocation::WhereAvailable`] and no CRL from its issuer was given.
        RevocationUnchecked = "revocation-unchecked",
    }
}

/// The code of a [`PathWarning`]. Its two variants are all there will be (so callers can map
/// it exhaustively): new codes go into [`NoticeCode`], or into `smimetrust_sig`'s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WarningCode {
    /// `weak-sha1` or `weak-key`: a weak signature algorithm or key on the path.
    Weak(smimetrust_sig::WarningCode),
    /// One of this crate's ([`NoticeCode`]).
    Notice(NoticeCode),
}

impl WarningCode {
    /// Every code, in documentation order.
    pub const ALL: &'static [WarningCode] = &[
        WarningCode::Weak(smimetrust_sig::WarningCode::WeakSha1),
        WarningCode::Weak(smimetrust_sig::WarningCode::WeakKey),
        WarningCode::Notice(NoticeCode::RevocationUnchecked),
    ];

    /// The stable kebab-case code.
    pub fn as_str(self) -> &'static str {
        match self {
            WarningCode::Weak(c) => c.as_str(),
            WarningCode::Notice(c) => c.as_str(),
        }
    }

    /// The weakness, for a weak algorithm or key.
    pub fn weakness(self) -> Option<smimetrust_sig::WarningCode> {
        match self {
            WarningCode::Weak(c) => Some(c),
            WarningCode::Notice(_) => None,
        }
    }
}

impl std::fmt::Display for WarningCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for WarningCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl From<smimetrust_sig::WarningCode> for WarningCode {
    fn from(c: smimetrust_sig::WarningCode) -> Self {
        WarningCode::Weak(c)
    }
}

impl From<NoticeCode> for WarningCode {
    fn from(c: NoticeCode) -> Self {
        WarningCode::Notice(c)
    }
}

/// Something worth knowing about a path that validated.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PathWarning {
    /// `weak-sha1`, `weak-key` or `revocation-unchecked`.
    pub code: WarningCode,
    /// What, naming the certificate.
    pub message: String,
}

/// A path that validated.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifiedPath {
    /// The certificates, leaf first, trust anchor last.
    pub path: Vec<CertRef>,
    /// Weak algorithms and keys met on the way, and certificates whose revocation was not
    /// checked.
    pub warnings: Vec<PathWarning>,
    /// When the leaf's key is a DSA key without parameters (RFC 5280 6.1.5 (d)-(f)): its
    /// SubjectPublicKeyInfo with the parameters inherited from the path, the key to verify the
    /// leaf's own signatures with (an S/MIME signature, say). `None` when the leaf's key is
    /// complete.
    pub inherited_leaf_spki: Option<Vec<u8>>,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Candidate {
    /// A trust anchor (of the root validator).
    Anchor(usize),
    /// An intermediate of this validator.
    Intermediate(usize),
    /// An intermediate of the parent validator (see [`Validator::with_extra`]).
    Base(usize),
}

/// A verified signature in the cache: what was signed (tag 0 a certificate, 2 a CRL; plus 1 when
/// the key is a DSA key with inherited parameters), the SHA-256 of the signer's certificate (or
/// of the rebuilt SubjectPublicKeyInfo), the SHA-256 of the signed object, and whether the
/// algorithm policy was strict (all of [`AlgorithmPolicy`] today: a field that changes which
/// signatures are accepted must join the key, since failures are cached too).
///
/// SHA-256 rather than the SHA-1 thumbprints: with a chosen-prefix SHA-1 collision, a
/// certificate colliding with one a CA signed would otherwise inherit its verified signature.
type SigKey = (u8, [u8; 32], [u8; 32], bool);

/// Verified signatures kept at most (about 100 bytes each); as many failed ones again.
const SIGNATURE_CACHE: usize = 1 << 16;

/// Builds and validates certification paths; see the [module docs](self).
///
/// Construction indexes the pool by subject name once; [`verify`](Validator::verify) can then
/// be called from many threads, and each intermediate's signature is verified once for all the
/// leaves that use it. [`with_extra`](Validator::with_extra) adds certificates and CRLs for one
/// leaf (those an S/MIME message carries) without indexing the anchors again, sharing the
/// signature cache.
pub struct Validator<'a> {
    parent: Option<&'a Validator<'a>>,
    anchors: &'a [TrustAnchor],
    anchor_views: Vec<Option<View<'a>>>,
    intermediate_views: Vec<Option<View<'a>>>,
    by_subject: HashMap<name::NormName, Vec<Candidate>>,
    anchor_by_sha256: HashMap<[u8; 32], usize>,
    crls: revocation::CrlSet<'a>,
    verifier: &'a dyn SignatureVerifier,
    verified: Mutex<HashMap<SigKey, Vec<Weakness>>>,
    /// Signatures that did not verify, with why: a repeated failed check (the same forged
    /// issuer tried by many signers) costs no verification and no budget.
    failed: Mutex<HashMap<SigKey, smimetrust_sig::Error>>,
}

impl std::fmt::Debug for Validator<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Validator")
            .field("anchors", &self.anchors.len())
            .field("intermediates", &self.intermediate_views.len())
            .finish_non_exhaustive()
    }
}

/// The state of one `verify` call.
struct Search<'o> {
    options: &'o Options,
    signatures_left: usize,
    steps_left: usize,
    name_checks_left: usize,
    best: Option<Invalid>,
    /// Only this trust anchor (for CRL signer paths), by SHA-256.
    anchor: Option<[u8; 32]>,
    /// How many CRL signer paths this search is nested in.
    nesting: usize,
}

/// Something signed: a certificate (tag 0) or a CRL (tag 2).
struct Signed<'b> {
    sha256: [u8; 32],
    tbs: &'b [u8],
    sig_alg: &'b [u8],
    signature: &'b [u8],
    unused_bits: u8,
    tag: u8,
}

impl Search<'_> {
    fn record(&mut self, e: Invalid) {
        if self
            .best
            .as_ref()
            .is_none_or(|b| e.reason.rank() > b.reason.rank())
        {
            self.best = Some(e);
        }
    }
}

fn invalid(reason: Reason, cert: &View<'_>, detail: impl Into<String>) -> Invalid {
    Invalid {
        reason,
        certificate: Some(cert.cert_ref.clone()),
        detail: detail.into(),
    }
}

fn budget_exceeded(detail: &str) -> Invalid {
    Invalid {
        reason: Reason::BudgetExceeded,
        certificate: None,
        detail: detail.to_owned(),
    }
}

fn fmt_time(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| t.to_string())
}

impl<'a> Validator<'a> {
    /// A validator over these anchors, intermediates (the untrusted pool: certificates from the
    /// message, a bundle, …) and CRLs (DER). Certificates that do not parse are left out of
    /// the pool; CRLs that do not parse are ignored.
    pub fn new(
        anchors: &'a [TrustAnchor],
        intermediates: &'a [Certificate],
        crls: &'a [Vec<u8>],
        verifier: &'a dyn SignatureVerifier,
    ) -> Self {
        let anchor_views: Vec<Option<View<'a>>> =
            anchors.iter().map(|a| View::new(&a.cert).ok()).collect();
        let intermediate_views: Vec<Option<View<'a>>> =
            intermediates.iter().map(|c| View::new(c).ok()).collect();
        let mut by_subject: HashMap<name::NormName, Vec<Candidate>> = HashMap::new();
        let mut anchor_by_sha256 = HashMap::new();
        for (i, v) in anchor_views.iter().enumerate() {
            if let Some(v) = v {
                by_subject
                    .entry(v.subject.clone())
                    .or_default()
                    .push(Candidate::Anchor(i));
                anchor_by_sha256.entry(v.cert.sha256()).or_insert(i);
            }
        }
        for (i, v) in intermediate_views.iter().enumerate() {
            if let Some(v) = v {
                by_subject
                    .entry(v.subject.clone())
                    .or_default()
                    .push(Candidate::Intermediate(i));
            }
        }
        Validator {
            parent: None,
            anchors,
            anchor_views,
            intermediate_views,
            by_subject,
            anchor_by_sha256,
            crls: revocation::CrlSet::new(crls),
            verifier,
            verified: Mutex::new(HashMap::new()),
            failed: Mutex::new(HashMap::new()),
        }
    }

    /// A validator with the anchors, intermediates, CRLs, verifier and signature cache of this
    /// one plus more intermediates and CRLs, e.g. those a signed message carries. Only they are
    /// indexed, so this is cheap next to [`Validator::new`] with a large trust store.
    ///
    /// One level deep: called on a validator itself made by `with_extra`, the result extends
    /// that validator's parent, not its extra certificates and CRLs.
    pub fn with_extra<'b>(
        &'b self,
        intermediates: impl IntoIterator<Item = &'b Certificate>,
        crls: &'b [Vec<u8>],
    ) -> Validator<'b> {
        let parent: &'b Validator<'b> = self.parent.unwrap_or(self);
        let intermediate_views: Vec<Option<View<'b>>> = intermediates
            .into_iter()
            .map(|c| View::new(c).ok())
            .collect();
        let mut by_subject: HashMap<name::NormName, Vec<Candidate>> = HashMap::new();
        for (i, v) in intermediate_views.iter().enumerate() {
            if let Some(v) = v {
                by_subject
                    .entry(v.subject.clone())
                    .or_default()
                    .push(Candidate::Intermediate(i));
            }
        }
        Validator {
            parent: Some(parent),
            anchors: parent.anchors,
            anchor_views: Vec::new(),
            intermediate_views,
            by_subject,
            anchor_by_sha256: HashMap::new(),
            crls: revocation::CrlSet::with_base(&parent.crls, crls),
            verifier: parent.verifier,
            verified: Mutex::new(HashMap::new()),
            failed: Mutex::new(HashMap::new()),
        }
    }

    /// The trust anchors.
    pub fn anchors(&self) -> &[TrustAnchor] {
        self.anchors
    }

    /// The intermediates given to [`Validator::new`] that could be parsed (for a validator made
    /// by [`Validator::with_extra`], its parent's, then its own).
    pub fn intermediates(&self) -> impl Iterator<Item = &Certificate> {
        let base = self
            .parent
            .map(|p| p.intermediate_views.as_slice())
            .unwrap_or_default();
        base.iter()
            .chain(self.intermediate_views.iter())
            .flatten()
            .map(|v| v.cert)
    }

    /// The signature verifier.
    pub fn verifier(&self) -> &dyn SignatureVerifier {
        self.verifier
    }

    /// The validator holding the anchors and the signature cache.
    fn root(&self) -> &Validator<'a> {
        self.parent.unwrap_or(self)
    }

    /// The certificates named `name`: this validator's, then the parent's.
    pub(crate) fn candidates(&self, name: &name::NormName) -> Vec<Candidate> {
        let mut out: Vec<Candidate> = self.by_subject.get(name).cloned().unwrap_or_default();
        if let Some(p) = self.parent
            && let Some(base) = p.by_subject.get(name)
        {
            out.extend(base.iter().map(|&c| match c {
                Candidate::Intermediate(i) => Candidate::Base(i),
                other => other,
            }));
        }
        out
    }

    /// Validates `leaf` for `options`: the first path that validates, or the most specific
    /// failure over all the paths tried.
    ///
    /// # Errors
    /// [`Invalid`] with the reason of the most specific failure (by [`Reason::rank`]);
    /// `budget-exceeded` as soon as the [`Budget`] is used up.
    pub fn verify(&self, leaf: &Certificate, options: &Options) -> Result<VerifiedPath, Invalid> {
        let mut left = options.budget;
        self.verify_within(leaf, options, &mut left)
    }

    /// [`Validator::verify`] within what is `left` of a budget shared by several calls (the
    /// signers and layers of one message, say): the signatures, build steps and name
    /// comparisons start from `left` rather than from `options.budget`, and what remains is
    /// written back, whatever the result. `max_intermediates` is a limit per path and comes
    /// from `options.budget`; `left.max_intermediates` is left alone. Cache hits cost nothing,
    /// failed signature checks included.
    ///
    /// # Errors
    /// As [`Validator::verify`]: `budget-exceeded` when the shared budget runs out during this
    /// call ([`Budget::is_exhausted`] then tells later calls may fail the same way).
    pub fn verify_within(
        &self,
        leaf: &Certificate,
        options: &Options,
        left: &mut Budget,
    ) -> Result<VerifiedPath, Invalid> {
        let leaf_view = View::new(leaf)?;
        if let Some(&ai) = self.root().anchor_by_sha256.get(&leaf.sha256())
            && let Some(anchor) = self.anchors.get(ai)
            && anchor.cert.der() == leaf.der()
        {
            return self.anchor_leaf(&leaf_view, anchor, options);
        }
        let mut search = Search {
            options,
            signatures_left: left.signatures,
            steps_left: left.build_steps,
            name_checks_left: left.name_comparisons,
            best: None,
            anchor: None,
            nesting: 0,
        };
        let mut chain: Vec<&View<'_>> = vec![&leaf_view];
        let result = self.extend(&mut search, &mut chain);
        left.signatures = search.signatures_left;
        left.build_steps = search.steps_left;
        left.name_comparisons = search.name_checks_left;
        match result {
            Ok(Some(found)) => Ok(found),
            Ok(None) => Err(search.best.unwrap_or_else(|| {
                invalid(
                    Reason::UnknownIssuer,
                    &leaf_view,
                    "no path to a trust anchor",
                )
            })),
            Err(fatal) => Err(fatal),
        }
    }

    /// A leaf that is itself a trust anchor.
    fn anchor_leaf(
        &self,
        leaf: &View<'_>,
        anchor: &TrustAnchor,
        options: &Options,
    ) -> Result<VerifiedPath, Invalid> {
        check_validity(leaf, options.time)?;
        profile::check(leaf, profile::Role::Anchor, options.profile)?;
        profile::check_unknown_critical(leaf)?;
        if options.profile == Profile::WebPki {
            webpki::check(leaf, profile::Role::Anchor, options.purpose)?;
            webpki::check(leaf, profile::Role::Leaf, options.purpose)?;
        }
        check_anchor_purpose(anchor, leaf, options.purpose)?;
        check_leaf(leaf, options)?;
        Ok(VerifiedPath {
            path: vec![leaf.cert_ref.clone()],
            warnings: Vec::new(),
            inherited_leaf_spki: None,
        })
    }

    fn view(&self, c: Candidate) -> Option<&View<'a>> {
        match c {
            Candidate::Anchor(i) => self.root().anchor_views.get(i)?.as_ref(),
            Candidate::Intermediate(i) => self.intermediate_views.get(i)?.as_ref(),
            Candidate::Base(i) => self.root().intermediate_views.get(i)?.as_ref(),
        }
    }

    /// Tries every issuer of the last certificate of `chain`. `Ok(None)`: no path (failures
    /// recorded in `s`); `Err`: fatal (budget).
    fn extend<'x>(
        &'x self,
        s: &mut Search<'_>,
        chain: &mut Vec<&'x View<'x>>,
    ) -> Result<Option<VerifiedPath>, Invalid> {
        let Some(&current) = chain.last() else {
            return Ok(None);
        };
        let candidates = self.candidates(&current.issuer);
        if candidates.is_empty() {
            s.record(invalid(
                Reason::UnknownIssuer,
                current,
                format!(
                    "no certificate named {} among the trust anchors and intermediates",
                    current
                        .cert
                        .info()
                        .map_or("(unparsed)", |i| i.issuer.as_str())
                ),
            ));
            return Ok(None);
        }
        // Anchors first, then candidates whose key identifier matches, then those without
        // one, then the rest.
        let mut ordered: Vec<(u8, Candidate)> = candidates
            .iter()
            .filter_map(|&c| {
                let v = self.view(c)?;
                let kid = match (&current.aki, &v.ski) {
                    (Some(a), Some(k)) if a == k => 0,
                    (Some(_), Some(_)) => 2,
                    _ => 1,
                };
                let anchor = u8::from(!matches!(c, Candidate::Anchor(_)));
                Some((anchor * 3 + kid, c))
            })
            .collect();
        ordered.sort_by_key(|(k, _)| *k);
        for (_, candidate) in ordered {
            if s.steps_left == 0 {
                return Err(budget_exceeded(
                    "path building considered too many candidate issuers",
                ));
            }
            s.steps_left -= 1;
            let Some(issuer) = self.view(candidate) else {
                continue;
            };
            if matches!(candidate, Candidate::Anchor(_))
                && s.anchor.is_some_and(|a| a != issuer.cert.sha256())
            {
                continue;
            }
            // No certificate, and no subject-and-key pair, twice in one path.
            if chain.iter().any(|c| {
                c.cert.sha256() == issuer.cert.sha256()
                    || (c.subject == issuer.subject && c.spki == issuer.spki)
            }) {
                continue;
            }
            if !matches!(candidate, Candidate::Anchor(_)) {
                if chain.len() > s.options.budget.max_intermediates {
                    s.record(invalid(
                        Reason::PathLenExceeded,
                        issuer,
                        format!(
                            "paths of more than {} intermediates are not built",
                            s.options.budget.max_intermediates
                        ),
                    ));
                    continue;
                }
                if !issuer.is_ca() {
                    s.record(not_ca(issuer));
                    continue;
                }
            }
            if !issuer.needs_inherited_params() {
                match self.check_signature(s, current, issuer, None) {
                    Ok(_) => {}
                    Err(e) if e.reason == Reason::BudgetExceeded => return Err(e),
                    Err(e) => {
                        s.record(e);
                        continue;
                    }
                }
            }
            match candidate {
                Candidate::Anchor(ai) => {
                    let Some(anchor) = self.anchors.get(ai) else {
                        continue;
                    };
                    match self.check_path(s, chain, anchor, issuer) {
                        Ok(found) => return Ok(Some(found)),
                        Err(e) if e.reason == Reason::BudgetExceeded => return Err(e),
                        Err(e) => s.record(e),
                    }
                }
                Candidate::Intermediate(_) | Candidate::Base(_) => {
                    chain.push(issuer);
                    let result = self.extend(s, chain);
                    chain.pop();
                    match result {
                        Ok(None) => {}
                        other => return other,
                    }
                }
            }
        }
        Ok(None)
    }

    /// Verifies the signature of `subject` with the key of `issuer` (with DSA parameters
    /// `inherited` when its key has none), through the cache.
    fn check_signature(
        &self,
        s: &mut Search<'_>,
        subject: &View<'_>,
        issuer: &View<'_>,
        inherited: Option<&[u8]>,
    ) -> Result<Vec<Weakness>, Invalid> {
        let signed = Signed {
            sha256: subject.cert.sha256(),
            tbs: subject.tbs,
            sig_alg: subject.sig_alg,
            signature: subject.signature,
            unused_bits: subject.unused_bits,
            tag: 0,
        };
        self.check_signed(s, signed, issuer, inherited)
            .map_err(|mut e| {
                if e.certificate.is_none() {
                    e.certificate = Some(subject.cert_ref.clone());
                }
                e
            })
    }

    /// Verifies a signature (of a certificate or CRL) with the key of `signer`, through the
    /// cache. Errors name no certificate unless the signer's key is at fault.
    fn check_signed(
        &self,
        s: &mut Search<'_>,
        signed: Signed<'_>,
        signer: &View<'_>,
        inherited: Option<&[u8]>,
    ) -> Result<Vec<Weakness>, Invalid> {
        if signed.unused_bits != 0 {
            return Err(Invalid {
                reason: Reason::Signature(smimetrust_sig::Reason::BadSignature),
                certificate: None,
                detail: "the signature bit string has unused bits".to_owned(),
            });
        }
        let strict = s.options.algorithms.strict;
        let rebuilt;
        let (spki, key): (&[u8], SigKey) = match inherited {
            Some(params) if signer.needs_inherited_params() => {
                rebuilt = view::dsa_spki_with_params(params, signer.key_bits).ok_or_else(|| {
                    invalid(
                        Reason::Signature(smimetrust_sig::Reason::BadPublicKey),
                        signer,
                        "dsa parameters cannot be inherited",
                    )
                })?;
                let digest: [u8; 32] = sha2::Sha256::digest(&rebuilt).into();
                (&rebuilt, (signed.tag | 1, digest, signed.sha256, strict))
            }
            _ => (
                signer.spki,
                (signed.tag, signer.cert.sha256(), signed.sha256, strict),
            ),
        };
        if let Some(w) = self
            .root()
            .verified
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
        {
            return Ok(w.clone());
        }
        let failure = |e: smimetrust_sig::Error| {
            let mut e = Invalid::from(e);
            e.detail = if e.detail.is_empty() {
                format!("signature by the key of {}", signer.cert_ref.subject)
            } else {
                format!(
                    "signature by the key of {}: {}",
                    signer.cert_ref.subject, e.detail
                )
            };
            e
        };
        let known_failure = self
            .root()
            .failed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
            .cloned();
        if let Some(e) = known_failure {
            return Err(failure(e));
        }
        if s.signatures_left == 0 {
            return Err(budget_exceeded("too many signatures to verify"));
        }
        s.signatures_left -= 1;
        match self.verifier.verify(
            spki,
            signed.sig_alg,
            signed.tbs,
            signed.signature,
            s.options.algorithms,
        ) {
            Ok(w) => {
                let mut cache = self
                    .root()
                    .verified
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner);
                // Bounded: one entry per distinct signed certificate or CRL, and a run over
                // millions of messages signs millions of leaves. Emptied when full (the
                // intermediates' entries come back at the cost of one verification each).
                if cache.len() >= SIGNATURE_CACHE {
                    cache.clear();
                }
                cache.insert(key, w.clone());
                Ok(w)
            }
            Err(e) => {
                let mut failed = self
                    .root()
                    .failed
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner);
                // Bounded as the verified ones, in a map of their own so that failures never
                // push out verified signatures.
                if failed.len() >= SIGNATURE_CACHE {
                    failed.clear();
                }
                failed.insert(key, e.clone());
                drop(failed);
                Err(failure(e))
            }
        }
    }

    /// Validates the path of a CRL signer to the trust anchor `anchor` (RFC 5280 6.3.3 (f)),
    /// for any purpose, within the current budget.
    fn verify_signer(
        &self,
        s: &mut Search<'_>,
        signer: &View<'_>,
        anchor: &View<'_>,
    ) -> Result<(), Invalid> {
        let mut options = s.options.clone();
        options.purpose = Purpose::Any;
        options.email = None;
        options.dns_name = None;
        options.ip = None;
        options.policy = PolicyOptions::default();
        let mut nested = Search {
            options: &options,
            signatures_left: s.signatures_left,
            steps_left: s.steps_left,
            name_checks_left: s.name_checks_left,
            best: None,
            anchor: Some(anchor.cert.sha256()),
            nesting: s.nesting + 1,
        };
        let mut chain: Vec<&View<'_>> = vec![signer];
        let result = self.extend(&mut nested, &mut chain);
        s.signatures_left = nested.signatures_left;
        s.steps_left = nested.steps_left;
        s.name_checks_left = nested.name_checks_left;
        match result {
            Ok(Some(_)) => Ok(()),
            Ok(None) => Err(nested.best.unwrap_or_else(|| {
                invalid(Reason::UnknownIssuer, signer, "no path for the crl signer")
            })),
            Err(e) => Err(e),
        }
    }

    /// RFC 5280 6.1 over `chain` (leaf first) below `anchor`.
    fn check_path(
        &self,
        s: &mut Search<'_>,
        chain: &[&View<'_>],
        anchor: &TrustAnchor,
        anchor_view: &View<'_>,
    ) -> Result<VerifiedPath, Invalid> {
        let options = s.options;
        let n = chain.len();
        check_anchor_purpose(anchor, anchor_view, options.purpose)?;
        profile::check_anchor_issuer(anchor_view, options.time)?;
        if options.profile == Profile::WebPki {
            webpki::check(anchor_view, profile::Role::Anchor, options.purpose)?;
        }
        let mut warnings: Vec<PathWarning> = Vec::new();
        let mut max_path_length = n;
        let mut policy = PolicyState::new(
            n,
            options.policy.require_explicit_policy,
            options.policy.inhibit_policy_mapping,
            options.policy.inhibit_any_policy,
        );
        let mut constraints: Vec<(&NameConstraints, &View<'_>)> = Vec::new();
        if let Some(nc) = &anchor_view.name_constraints {
            constraints.push((nc, anchor_view));
        }
        let mut working_params: Option<&[u8]> = if anchor_view.key_alg == ID_DSA {
            anchor_view.key_params
        } else {
            None
        };
        let mut issuer: &View<'_> = anchor_view;
        let mut issuer_chain: Vec<&View<'_>> = vec![anchor_view];
        for idx in (0..n).rev() {
            let Some(&cert) = chain.get(idx) else {
                continue;
            };
            let i = n - idx;
            let is_leaf = idx == 0;
            // 6.1.3 (a)(1): the signature.
            let weaknesses = self.check_signature(s, cert, issuer, working_params)?;
            for w in weaknesses {
                let message = match w {
                    Weakness::Sha1 => format!("{}: signed with sha-1", cert.cert_ref),
                    Weakness::SmallKey(bits) => format!(
                        "{}: signed with a {bits}-bit key of {}",
                        cert.cert_ref, issuer.cert_ref.subject
                    ),
                    _ => format!("{}: weak signature", cert.cert_ref),
                };
                if !warnings.iter().any(|x| x.message == message) {
                    warnings.push(PathWarning {
                        code: w.code().into(),
                        message,
                    });
                }
            }
            // (a)(4): name chaining (by construction; kept as a guard).
            if cert.issuer != issuer.subject {
                return Err(invalid(
                    Reason::UnknownIssuer,
                    cert,
                    "the issuer name does not match the issuing certificate's subject",
                ));
            }
            // (a)(2): validity.
            check_validity(cert, options.time)?;
            // (a)(3): revocation.
            if let revocation::Status::Unchecked(why) = self.crls.check(
                self,
                s,
                cert,
                &issuer_chain,
                working_params,
                options.revocation,
            )? {
                let message = format!("revocation of {} was not checked: {why}", cert.cert_ref);
                if !warnings.iter().any(|x| x.message == message) {
                    warnings.push(PathWarning {
                        code: NoticeCode::RevocationUnchecked.into(),
                        message,
                    });
                }
            }
            // The RFC 5280 section 4 profile (see `profile`), after revocation: a revoked
            // certificate is reported as revoked.
            let role = if is_leaf {
                profile::Role::Leaf
            } else {
                profile::Role::Intermediate
            };
            profile::check(cert, role, options.profile)?;
            if options.profile == Profile::WebPki {
                webpki::check(cert, role, options.purpose)?;
            }
            // (b), (c): name constraints (not for self-issued intermediates).
            if is_leaf || !cert.self_issued {
                for (nc, ca) in &constraints {
                    match name::check(nc, ca, cert, &mut s.name_checks_left) {
                        Ok(()) => {}
                        Err(name::NcError::Violation(d)) => {
                            return Err(invalid(Reason::NameConstraints, cert, d));
                        }
                        Err(name::NcError::Budget) => {
                            return Err(budget_exceeded("too many name constraint comparisons"));
                        }
                    }
                }
            }
            // (d)-(f): policies.
            policy
                .process(cert, i, n)
                .map_err(|d| invalid(Reason::Policy, cert, d))?;
            // 6.1.4 (o), 6.1.5 (f): critical extensions.
            profile::check_unknown_critical(cert)?;
            if is_leaf {
                break;
            }
            // 6.1.4: preparation for the next certificate.
            policy
                .prepare(cert)
                .map_err(|d| invalid(Reason::Policy, cert, d))?;
            if !cert.is_ca() {
                return Err(not_ca(cert));
            }
            if !cert.self_issued {
                if max_path_length == 0 {
                    return Err(invalid(
                        Reason::PathLenExceeded,
                        cert,
                        "an issuer's pathLenConstraint allows no further intermediate",
                    ));
                }
                max_path_length -= 1;
            }
            if let Some(limit) = cert.basic.as_ref().and_then(|b| b.path_len_constraint) {
                max_path_length = max_path_length.min(usize::from(limit));
            }
            if cert
                .key_usage
                .as_ref()
                .is_some_and(|ku| !ku.key_cert_sign())
            {
                return Err(invalid(
                    Reason::IssuerKeyUsage,
                    cert,
                    "key usage lacks keyCertSign",
                ));
            }
            check_issuer_eku(cert, options.purpose)?;
            if let Some(nc) = &cert.name_constraints {
                constraints.push((nc, cert));
            }
            // (d)-(f): the working key's parameters.
            if cert.key_alg == ID_DSA {
                if cert.key_params.is_some() {
                    working_params = cert.key_params;
                }
            } else {
                working_params = None;
            }
            issuer = cert;
            issuer_chain.push(cert);
        }
        let Some(&leaf) = chain.first() else {
            return Err(invalid(Reason::UnknownIssuer, anchor_view, "empty path"));
        };
        policy
            .finish(leaf, &options.policy.initial_policy_set)
            .map_err(|d| invalid(Reason::Policy, leaf, d))?;
        check_leaf(leaf, options)?;
        let mut path: Vec<CertRef> = chain.iter().map(|c| c.cert_ref.clone()).collect();
        path.push(anchor_view.cert_ref.clone());
        let inherited_leaf_spki = if leaf.needs_inherited_params() {
            working_params.and_then(|p| view::dsa_spki_with_params(p, leaf.key_bits))
        } else {
            None
        };
        Ok(VerifiedPath {
            path,
            warnings,
            inherited_leaf_spki,
        })
    }
}

fn not_ca(cert: &View<'_>) -> Invalid {
    let detail = if !cert.v3 {
        "a version 1 or 2 certificate cannot be an intermediate ca"
    } else if cert.basic.is_none() {
        "no basicConstraints extension"
    } else {
        "basicConstraints cA is false"
    };
    invalid(Reason::NotCa, cert, detail)
}

fn check_validity(cert: &View<'_>, at: OffsetDateTime) -> Result<(), Invalid> {
    // Validity has whole seconds (RFC 5280 4.1.2.5): compare at that granularity, so a
    // certificate is valid during all of its notAfter second (the interpretation Web PKI
    // compliance practice uses; x509-limbo `rfc5280::validity::notafter-fractional`).
    let at = at.replace_nanosecond(0).unwrap_or(at);
    if at < cert.not_before {
        return Err(invalid(
            Reason::NotYetValid,
            cert,
            format!(
                "valid from {}, validation time {}",
                fmt_time(cert.not_before),
                fmt_time(at)
            ),
        ));
    }
    if at > cert.not_after {
        return Err(invalid(
            Reason::Expired,
            cert,
            format!(
                "expired {}, validation time {}",
                fmt_time(cert.not_after),
                fmt_time(at)
            ),
        ));
    }
    Ok(())
}

fn eku_allows(eku: &[ObjectIdentifier], purpose: ObjectIdentifier) -> bool {
    eku.contains(&purpose) || eku.contains(&ANY_EKU)
}

fn check_issuer_eku(cert: &View<'_>, purpose: Purpose) -> Result<(), Invalid> {
    if let (Some(eku), Some(oid)) = (&cert.eku, purpose.eku())
        && !eku_allows(eku, oid)
    {
        return Err(invalid(
            Reason::ExtendedKeyUsage,
            cert,
            format!(
                "the issuer's extended key usage does not include {oid} ({})",
                purpose.as_str()
            ),
        ));
    }
    Ok(())
}

fn check_anchor_purpose(
    anchor: &TrustAnchor,
    view: &View<'_>,
    purpose: Purpose,
) -> Result<(), Invalid> {
    let Some(oid) = purpose.eku() else {
        return Ok(());
    };
    if let Some(allowed) = &anchor.purposes
        && !eku_allows(allowed, oid)
    {
        return Err(invalid(
            Reason::AnchorRestricted,
            view,
            format!(
                "trusted only for {}; {} ({oid}) is not among them",
                if allowed.is_empty() {
                    "no purpose".to_owned()
                } else {
                    allowed
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                },
                purpose.as_str()
            ),
        ));
    }
    check_issuer_eku(view, purpose)
}

/// The leaf's purpose and names (RFC 5280 leaves these to the application).
fn check_leaf(leaf: &View<'_>, options: &Options) -> Result<(), Invalid> {
    if let Some(oid) = options.purpose.eku()
        && let Some(eku) = &leaf.eku
        && !eku_allows(eku, oid)
    {
        return Err(invalid(
            Reason::ExtendedKeyUsage,
            leaf,
            format!(
                "extended key usage does not include {oid} ({})",
                options.purpose.as_str()
            ),
        ));
    }
    if let Some(ku) = &leaf.key_usage {
        let (ok, needed) = match options.purpose {
            Purpose::Smime => (
                ku.digital_signature() || ku.non_repudiation(),
                "digitalSignature or nonRepudiation",
            ),
            Purpose::Server => (
                ku.digital_signature() || ku.key_encipherment() || ku.key_agreement(),
                "digitalSignature, keyEncipherment or keyAgreement",
            ),
            Purpose::Client => (
                ku.digital_signature() || ku.key_agreement(),
                "digitalSignature or keyAgreement",
            ),
            Purpose::Any => (true, ""),
        };
        if !ok {
            return Err(invalid(
                Reason::KeyUsage,
                leaf,
                format!("key usage lacks {needed}"),
            ));
        }
    }
    if let Some(email) = &options.email
        && !name::email_in(leaf, email)
    {
        return Err(invalid(
            Reason::NameMismatch,
            leaf,
            format!("not issued to {email}"),
        ));
    }
    if let Some(host) = &options.dns_name
        && !name::dns_in(leaf, host)
    {
        return Err(invalid(
            Reason::NameMismatch,
            leaf,
            format!("not issued to {host}"),
        ));
    }
    if let Some(ip) = options.ip
        && !name::ip_in(leaf, ip)
    {
        return Err(invalid(
            Reason::NameMismatch,
            leaf,
            format!("not issued to {ip}"),
        ));
    }
    Ok(())
}
