//! Name comparison (RFC 5280 7.1) and name constraints (RFC 5280 4.2.1.10, 6.1.3 (b)-(c)).

use std::borrow::Cow;
use std::net::IpAddr;

use der::{Encode, Tag, Tagged};
use x509_cert::ext::pkix::NameConstraints;
use x509_cert::ext::pkix::constraints::name::GeneralSubtree;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::name::{Name, RelativeDistinguishedName};

use super::view::View;

/// A distinguished name normalized for comparison: one key per RDN, in order.
///
/// Attribute values of the directory string types (PrintableString, UTF8String, TeletexString,
/// BMPString, and IA5String as used by emailAddress and domainComponent) compare as text with
/// leading and trailing spaces removed, inner runs of white space folded to one space, and case
/// folded (RFC 4518's caseIgnoreMatch, simplified: no Unicode normalization); the string type
/// itself does not matter (PrintableString and UTF8String spellings of a name match, as
/// RFC 5280 7.1 asks). Other values compare by their DER. The attributes of a multi-valued RDN
/// compare as a set.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct NormName {
    rdns: Vec<Vec<u8>>,
}

fn push_len_prefixed(out: &mut Vec<u8>, bytes: &[u8]) {
    // Lengths of names inside a certificate fit in 32 bits.
    let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(bytes);
}

/// Appends what `write` appends, with its length in front as [`push_len_prefixed`] puts it (no
/// copy made first).
fn push_len_prefixed_with(out: &mut Vec<u8>, write: impl FnOnce(&mut Vec<u8>)) {
    let at = out.len();
    out.extend_from_slice(&[0; 4]);
    write(out);
    let len = u32::try_from(out.len() - at - 4).unwrap_or(u32::MAX);
    if let Some(slot) = out.get_mut(at..at + 4) {
        slot.copy_from_slice(&len.to_be_bytes());
    }
}

/// Appends a directory string folded for comparison, as UTF-8: words separated by one space,
/// lower case.
fn fold_into(out: &mut Vec<u8>, text: &str) {
    let mut first = true;
    for word in text.split_whitespace() {
        if !first {
            out.push(b' ');
        }
        first = false;
        if word.is_ascii() {
            out.extend(word.bytes().map(|b| b.to_ascii_lowercase()));
        } else {
            let mut buf = [0; 4];
            for c in word.chars().flat_map(char::to_lowercase) {
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
}

/// The text of a directory string value, decoded strictly (`None` for other types and for
/// values that are not valid in their type, which then compare by DER).
fn strict_text(atv: &x509_cert::attr::AttributeTypeAndValue) -> Option<Cow<'_, str>> {
    let bytes = atv.value.value();
    match atv.value.tag() {
        Tag::Utf8String => std::str::from_utf8(bytes).ok().map(Cow::Borrowed),
        Tag::PrintableString | Tag::Ia5String => std::str::from_utf8(bytes)
            .ok()
            .filter(|t| t.is_ascii())
            .map(Cow::Borrowed),
        // T.61 in theory; Latin-1 (one char per byte, so no two values collide) in practice.
        Tag::TeletexString => Some(Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect())),
        Tag::BmpString => {
            if !bytes.len().is_multiple_of(2) {
                return None;
            }
            let units = bytes.chunks_exact(2).map(|c| {
                u16::from_be_bytes([
                    c.first().copied().unwrap_or(0),
                    c.get(1).copied().unwrap_or(0),
                ])
            });
            char::decode_utf16(units)
                .collect::<Result<String, _>>()
                .ok()
                .map(Cow::Owned)
        }
        _ => None,
    }
}

/// Appends the comparison key of one attribute: its type, then `S` and its folded text or `R`
/// and the DER of its value, each length-prefixed.
fn push_atv_key(out: &mut Vec<u8>, atv: &x509_cert::attr::AttributeTypeAndValue) {
    push_len_prefixed(out, atv.oid.as_bytes());
    match strict_text(atv) {
        Some(t) => {
            out.push(b'S');
            push_len_prefixed_with(out, |out| fold_into(out, &t));
        }
        None => {
            out.push(b'R');
            push_len_prefixed(out, &atv.value.to_der().unwrap_or_default());
        }
    }
}

/// The comparison key of one RDN: its attributes' keys, sorted, each length-prefixed.
fn rdn_key(rdn: &RelativeDistinguishedName) -> Vec<u8> {
    let mut key = Vec::with_capacity(64);
    if rdn.len() == 1
        && let Some(atv) = rdn.iter().next()
    {
        // The usual RDN, one attribute: nothing to sort, written in place.
        push_len_prefixed_with(&mut key, |out| push_atv_key(out, atv));
        return key;
    }
    let mut atvs: Vec<Vec<u8>> = rdn
        .iter()
        .map(|atv| {
            let mut k = Vec::new();
            push_atv_key(&mut k, atv);
            k
        })
        .collect();
    atvs.sort_unstable();
    for atv in &atvs {
        push_len_prefixed(&mut key, atv);
    }
    key
}

impl NormName {
    /// Normalizes a name.
    pub(crate) fn new(name: &Name) -> NormName {
        NormName {
            rdns: name.iter_rdn().map(rdn_key).collect(),
        }
    }

    /// This name with one more RDN (a distribution point's nameRelativeToCRLIssuer).
    pub(crate) fn with_rdn(&self, rdn: &RelativeDistinguishedName) -> NormName {
        let mut rdns = self.rdns.clone();
        rdns.push(rdn_key(rdn));
        NormName { rdns }
    }

    /// Whether the name has no RDNs.
    pub(crate) fn is_empty(&self) -> bool {
        self.rdns.is_empty()
    }

    /// Whether `self` is within the subtree rooted at `base` (base is a prefix of self).
    pub(crate) fn within(&self, base: &NormName) -> bool {
        self.rdns.starts_with(&base.rdns)
    }
}

/// A name of the subject (subject DN, subjectAltName entry) as name constraints see it.
enum Subject<'n> {
    Dn(NormName),
    Email(&'n str),
    Dns(&'n str),
    Uri(&'n str),
    Ip(&'n [u8]),
    /// A form this validator cannot compare (otherName, ediPartyName, registeredID): its tag
    /// number.
    Other(u8),
}

impl Subject<'_> {
    fn form(&self) -> u8 {
        match self {
            Subject::Email(_) => 1,
            Subject::Dns(_) => 2,
            Subject::Dn(_) => 4,
            Subject::Uri(_) => 6,
            Subject::Ip(_) => 7,
            Subject::Other(n) => *n,
        }
    }
}

fn form_of(name: &GeneralName) -> u8 {
    match name {
        GeneralName::OtherName(_) => 0,
        GeneralName::Rfc822Name(_) => 1,
        GeneralName::DnsName(_) => 2,
        GeneralName::DirectoryName(_) => 4,
        GeneralName::EdiPartyName(_) => 5,
        GeneralName::UniformResourceIdentifier(_) => 6,
        GeneralName::IpAddress(_) => 7,
        GeneralName::RegisteredId(_) => 8,
    }
}

/// Every name of a certificate that name constraints apply to.
fn subject_names<'n>(cert: &'n View<'_>) -> Vec<Subject<'n>> {
    let mut names = Vec::new();
    if !cert.subject.is_empty() {
        names.push(Subject::Dn(cert.subject.clone()));
    }
    let mut any_email = false;
    for san in &cert.san {
        names.push(match san {
            GeneralName::Rfc822Name(s) => {
                any_email = true;
                Subject::Email(s.as_str())
            }
            GeneralName::DnsName(s) => Subject::Dns(s.as_str()),
            GeneralName::DirectoryName(n) => Subject::Dn(NormName::new(n)),
            GeneralName::UniformResourceIdentifier(s) => Subject::Uri(s.as_str()),
            GeneralName::IpAddress(o) => Subject::Ip(o.as_bytes()),
            other => Subject::Other(form_of(other)),
        });
    }
    // RFC 5280 4.2.1.10: without rfc822Name alternative names, rfc822Name constraints apply to
    // the subject's emailAddress attributes.
    if !any_email {
        names.extend(
            cert.subject_emails
                .iter()
                .map(|e| Subject::Email(e.as_str())),
        );
    }
    names
}

/// Whether `name` has the preferred name syntax of RFC 1034 3.5 as modified by RFC 1123 2.1,
/// which RFC 5280 4.2.1.6 and 4.2.1.10 require of dNSName: labels of ASCII letters, digits and
/// hyphens, 1 to 63 octets each, 253 in all (one trailing `.` tolerated). So no empty label
/// (`.example.com`, `a..b`), no underscore. With `wildcard`, the leftmost label may be `*`
/// (the RFC 6125 6.4.3 practice for subjectAltName; never in a constraint).
pub(crate) fn is_dns_name(name: &str, wildcard: bool) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    if name.is_empty() || name.len() > 253 {
        return false;
    }
    name.split('.').enumerate().all(|(i, label)| {
        (wildcard && i == 0 && label == "*" && name.len() > 2)
            || (!label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    })
}

/// Whether `mailbox` can be an RFC 5280 4.2.1.6 rfc822Name (an RFC 5321 Mailbox), as far as
/// name constraints need: `local@domain` with both parts non-empty and no further `@` outside
/// a quoted local part.
fn is_mailbox(mailbox: &str) -> bool {
    let Some((local, domain)) = split_mailbox(mailbox) else {
        return false;
    };
    let quoted = local.len() >= 2 && local.starts_with('"') && local.ends_with('"');
    !local.is_empty() && !domain.is_empty() && (quoted || !local.contains('@'))
}

/// Splits `local@domain` at the last `@`.
pub(crate) fn split_mailbox(mailbox: &str) -> Option<(&str, &str)> {
    mailbox.rsplit_once('@')
}

/// RFC 5280 4.2.1.10 rfc822Name constraint: a mailbox, a host, or `.domain` for any host below.
fn email_matches(email: &str, constraint: &str) -> bool {
    let Some((local, domain)) = split_mailbox(email) else {
        return false;
    };
    if let Some((c_local, c_domain)) = split_mailbox(constraint) {
        return local == c_local && domain.eq_ignore_ascii_case(c_domain);
    }
    if constraint.starts_with('.') {
        return ends_with_ignore_case(domain, constraint);
    }
    domain.eq_ignore_ascii_case(constraint)
}

fn ends_with_ignore_case(s: &str, suffix: &str) -> bool {
    s.len() >= suffix.len()
        && s.is_char_boundary(s.len() - suffix.len())
        && s[s.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
}

/// dNSName constraint (RFC 5280 4.2.1.10): the name itself or any name below it (label
/// boundary). An empty constraint matches every name. `None` when the constraint is not a DNS
/// name: a leading `.` is URI and rfc822Name syntax, not dNSName syntax, so `.example.com` is
/// malformed (rejected, as pyca/cryptography does; OpenSSL reads it as "below example.com").
fn dns_matches(name: &str, constraint: &str) -> Option<bool> {
    if !constraint.is_empty() && !is_dns_name(constraint, false) {
        return None;
    }
    Some(dns_within(name, constraint))
}

/// `name` equals `constraint` or lies below it (both syntactically valid).
fn dns_within(name: &str, constraint: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    let constraint = constraint.strip_suffix('.').unwrap_or(constraint);
    if constraint.is_empty() {
        return true;
    }
    if name.eq_ignore_ascii_case(constraint) {
        return true;
    }
    name.len() > constraint.len()
        && ends_with_ignore_case(name, constraint)
        && name.as_bytes().get(name.len() - constraint.len() - 1) == Some(&b'.')
}

/// The host of a URI (`scheme://[userinfo@]host[:port]/…`), `None` when it has none.
fn uri_host(uri: &str) -> Option<&str> {
    let (_, rest) = uri.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host_port.starts_with('[') {
        // An IPv6 literal: never matches a domain constraint.
        return Some(host_port);
    } else {
        host_port.split(':').next()?
    };
    (!host.is_empty()).then_some(host)
}

/// URI constraint: a host must equal it, or with a leading `.`, lie below it.
fn uri_matches(uri: &str, constraint: &str) -> Option<bool> {
    let host = uri_host(uri)?;
    Some(if constraint.starts_with('.') {
        ends_with_ignore_case(host, constraint)
    } else {
        host.eq_ignore_ascii_case(constraint)
    })
}

/// iPAddress constraint: address and mask (8 or 32 octets).
fn ip_matches(ip: &[u8], constraint: &[u8]) -> Option<bool> {
    if constraint.len() != ip.len() * 2 || !(ip.len() == 4 || ip.len() == 16) {
        return if constraint.len() == 8 || constraint.len() == 32 {
            Some(false) // the other family
        } else {
            None
        };
    }
    let (addr, mask) = constraint.split_at(ip.len());
    Some(
        ip.iter()
            .zip(addr)
            .zip(mask)
            .all(|((a, b), m)| a & m == b & m),
    )
}

/// Whether a subject name lies in a subtree. `None`: the forms are the same but this validator
/// cannot compare them (or the constraint is malformed).
fn in_subtree(name: &Subject<'_>, base: &GeneralName) -> Option<bool> {
    match (name, base) {
        (Subject::Dn(n), GeneralName::DirectoryName(b)) => Some(n.within(&NormName::new(b))),
        // A name that is not a mailbox cannot be shown to be inside (or outside) a subtree.
        (Subject::Email(e), GeneralName::Rfc822Name(_)) if !is_mailbox(e) => None,
        (Subject::Email(e), GeneralName::Rfc822Name(c)) => Some(email_matches(e, c.as_str())),
        (Subject::Dns(d), GeneralName::DnsName(_)) if !is_dns_name(d, true) => None,
        (Subject::Dns(d), GeneralName::DnsName(c)) => dns_matches(d, c.as_str()),
        (Subject::Uri(u), GeneralName::UniformResourceIdentifier(c)) => uri_matches(u, c.as_str()),
        (Subject::Ip(ip), GeneralName::IpAddress(c)) => ip_matches(ip, c.as_bytes()),
        (n, b) if n.form() == form_of(b) => None,
        _ => Some(false),
    }
}

/// Whether a subject name may lie in an excluded subtree: as [`in_subtree`], and a wildcard
/// dNSName `*.rest` is in the subtree when a name it matches would be (the excluded
/// `bar.example.com` catches `*.example.com`: CVE-2025-61727, x509-limbo
/// `rfc5280::nc::nc-forbids-dnsname-wildcard-san`).
fn in_excluded(name: &Subject<'_>, base: &GeneralName) -> Option<bool> {
    let direct = in_subtree(name, base)?;
    if direct {
        return Some(true);
    }
    if let (Subject::Dns(d), GeneralName::DnsName(c)) = (name, base)
        && let Some(rest) = d.strip_prefix("*.")
        && let Some((_, c_rest)) = c.as_str().split_once('.')
    {
        let rest = rest.strip_suffix('.').unwrap_or(rest);
        let c_rest = c_rest.strip_suffix('.').unwrap_or(c_rest);
        return Some(c_rest.eq_ignore_ascii_case(rest));
    }
    Some(false)
}

fn describe(name: &Subject<'_>, cert: &View<'_>) -> String {
    match name {
        Subject::Dn(_) => format!("directory name {}", cert.cert_ref.subject),
        Subject::Email(e) => format!("email address {e}"),
        Subject::Dns(d) => format!("dns name {d}"),
        Subject::Uri(u) => format!("uri {u}"),
        Subject::Ip(ip) => match <[u8; 4]>::try_from(*ip)
            .map(IpAddr::from)
            .or_else(|_| <[u8; 16]>::try_from(*ip).map(IpAddr::from))
        {
            Ok(addr) => format!("ip address {addr}"),
            Err(_) => "a malformed ip address".to_owned(),
        },
        Subject::Other(n) => format!("a name of form [{n}]"),
    }
}

fn check_subtree_shape(subtrees: &[GeneralSubtree]) -> Result<(), String> {
    if subtrees
        .iter()
        .any(|s| s.minimum != 0 || s.maximum.is_some())
    {
        return Err("a name constraint has a minimum or maximum, which rfc 5280 forbids".into());
    }
    Ok(())
}

/// Why [`check`] failed.
pub(crate) enum NcError {
    /// A name violates a constraint, or cannot be checked against one (the detail).
    Violation(String),
    /// The comparison budget is used up.
    Budget,
}

impl From<String> for NcError {
    fn from(detail: String) -> Self {
        NcError::Violation(detail)
    }
}

/// Checks the names of `cert` against one CA's name constraints, counting each comparison
/// against `budget`.
pub(crate) fn check(
    nc: &NameConstraints,
    ca: &View<'_>,
    cert: &View<'_>,
    budget: &mut usize,
) -> Result<(), NcError> {
    let mut spend = || -> Result<(), NcError> {
        *budget = budget.checked_sub(1).ok_or(NcError::Budget)?;
        Ok(())
    };
    let permitted = nc.permitted_subtrees.as_deref().unwrap_or_default();
    let excluded = nc.excluded_subtrees.as_deref().unwrap_or_default();
    check_subtree_shape(permitted)?;
    check_subtree_shape(excluded)?;
    for name in subject_names(cert) {
        let form = name.form();
        let mut restricted = false;
        let mut ok = false;
        for subtree in permitted.iter().filter(|s| form_of(&s.base) == form) {
            restricted = true;
            spend()?;
            match in_subtree(&name, &subtree.base) {
                Some(true) => {
                    ok = true;
                    break;
                }
                Some(false) => {}
                None => {
                    return Err(format!(
                        "{} cannot be checked against a name constraint of {}",
                        describe(&name, cert),
                        ca.cert_ref.subject
                    )
                    .into());
                }
            }
        }
        if restricted && !ok {
            return Err(NcError::Violation(format!(
                "{} is outside the permitted subtrees of {}",
                describe(&name, cert),
                ca.cert_ref.subject
            )));
        }
        for subtree in excluded.iter().filter(|s| form_of(&s.base) == form) {
            spend()?;
            match in_excluded(&name, &subtree.base) {
                Some(false) => {}
                Some(true) => {
                    return Err(NcError::Violation(format!(
                        "{} is in an excluded subtree of {}",
                        describe(&name, cert),
                        ca.cert_ref.subject
                    )));
                }
                None => {
                    return Err(NcError::Violation(format!(
                        "{} cannot be checked against a name constraint of {}",
                        describe(&name, cert),
                        ca.cert_ref.subject
                    )));
                }
            }
        }
    }
    Ok(())
}

/// Whether the certificate is issued to `email`: a subjectAltName rfc822Name or, without a
/// subjectAltName, a subject emailAddress equal to it (local part exactly, domain ignoring
/// ASCII case).
pub(crate) fn email_in(cert: &View<'_>, email: &str) -> bool {
    let Some((local, domain)) = split_mailbox(email) else {
        return false;
    };
    let same = |candidate: &str| {
        split_mailbox(candidate).is_some_and(|(l, d)| l == local && d.eq_ignore_ascii_case(domain))
    };
    if cert.has_san {
        // With a subjectAltName, only its rfc822Names: the subject's emailAddress is then
        // outside the name constraints (RFC 5280 4.2.1.10).
        return cert
            .san
            .iter()
            .any(|n| matches!(n, GeneralName::Rfc822Name(s) if same(s.as_str())));
    }
    cert.subject_emails.iter().any(|e| same(e))
}

/// Whether the certificate is issued to DNS name `host` (subjectAltName dNSName, with a
/// wildcard allowed as the whole leftmost label).
pub(crate) fn dns_in(cert: &View<'_>, host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    cert.san.iter().any(|n| match n {
        GeneralName::DnsName(s) => {
            let pattern = s.as_str().strip_suffix('.').unwrap_or(s.as_str());
            if pattern.eq_ignore_ascii_case(host) {
                return true;
            }
            match (pattern.strip_prefix("*."), host.split_once('.')) {
                (Some(suffix), Some((label, rest))) => {
                    !label.is_empty() && suffix.contains('.') && rest.eq_ignore_ascii_case(suffix)
                }
                _ => false,
            }
        }
        _ => false,
    })
}

/// Whether the certificate is issued to IP address `ip` (subjectAltName iPAddress).
pub(crate) fn ip_in(cert: &View<'_>, ip: IpAddr) -> bool {
    let bytes: Vec<u8> = match ip {
        IpAddr::V4(a) => a.octets().to_vec(),
        IpAddr::V6(a) => a.octets().to_vec(),
    };
    cert.san
        .iter()
        .any(|n| matches!(n, GeneralName::IpAddress(o) if o.as_bytes() == bytes.as_slice()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_constraints() {
        assert_eq!(dns_matches("host.example.com", "example.com"), Some(true));
        assert_eq!(dns_matches("example.com", "example.com"), Some(true));
        assert_eq!(dns_matches("badexample.com", "example.com"), Some(false));
        assert_eq!(dns_matches("a.example.com", ".example.com"), None);
        assert_eq!(dns_matches("a.example.com", "ex_ample.com"), None);
        assert_eq!(dns_matches("anything", ""), Some(true));
    }

    #[test]
    fn dns_syntax() {
        assert!(is_dns_name("example.com", false));
        assert!(is_dns_name("xn--bcher-kva.example.", false));
        assert!(!is_dns_name(".example.com", false));
        assert!(!is_dns_name("a..example.com", false));
        assert!(!is_dns_name("under_score.example.com", false));
        assert!(!is_dns_name("*.example.com", false));
        assert!(is_dns_name("*.example.com", true));
        assert!(!is_dns_name("a.*.example.com", true));
        assert!(!is_dns_name("", true));
        assert!(is_mailbox("a@example.com"));
        assert!(is_mailbox("\"a@b\"@example.com"));
        assert!(!is_mailbox("invalid@address@example.com"));
        assert!(!is_mailbox("@example.com"));
    }

    #[test]
    fn wildcard_against_excluded() {
        let excluded = |c: &str| GeneralName::DnsName(c.to_owned().try_into().unwrap());
        let wild = Subject::Dns("*.example.com");
        assert_eq!(in_excluded(&wild, &excluded("bar.example.com")), Some(true));
        assert_eq!(in_excluded(&wild, &excluded("example.com")), Some(true));
        assert_eq!(
            in_excluded(&wild, &excluded("a.bar.example.com")),
            Some(false)
        );
        assert_eq!(in_excluded(&wild, &excluded("example.org")), Some(false));
    }

    #[test]
    fn email_constraints() {
        assert!(email_matches("a@example.com", "example.com"));
        assert!(!email_matches("a@x.example.com", "example.com"));
        assert!(email_matches("a@x.example.com", ".example.com"));
        assert!(email_matches("a@EXAMPLE.com", "a@example.com"));
        assert!(!email_matches("b@example.com", "a@example.com"));
    }

    #[test]
    fn uri_and_ip() {
        assert_eq!(
            uri_matches("http://a.example.com/x", ".example.com"),
            Some(true)
        );
        assert_eq!(
            uri_matches("http://example.com:80/x", "example.com"),
            Some(true)
        );
        assert_eq!(uri_matches("urn:x", "example.com"), None);
        assert_eq!(
            ip_matches(&[10, 1, 2, 3], &[10, 0, 0, 0, 255, 0, 0, 0]),
            Some(true)
        );
        assert_eq!(
            ip_matches(&[11, 1, 2, 3], &[10, 0, 0, 0, 255, 0, 0, 0]),
            Some(false)
        );
    }

    fn fold(text: &str) -> String {
        let mut out = Vec::new();
        fold_into(&mut out, text);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn folding() {
        assert_eq!(fold("  Hello   World "), "hello world");
        assert_eq!(fold("\tÄBC  Déf\u{2003}İx"), "äbc déf i\u{307}x");
        assert_eq!(fold(""), "");
    }

    #[test]
    fn single_attribute_rdns_key_as_multi_valued_ones_do() {
        use std::str::FromStr;
        // The one-attribute shortcut writes what the general path (keys sorted, each
        // length-prefixed) writes for a set of one.
        for text in ["CN=Foo  Bar", "C=DE", "emailAddress=a@b.example", "O=Ünï"] {
            let rdn = RelativeDistinguishedName::from_str(text).unwrap();
            let atv = rdn.iter().next().unwrap();
            let mut one = Vec::new();
            push_atv_key(&mut one, atv);
            let mut general = Vec::new();
            push_len_prefixed(&mut general, &one);
            assert_eq!(rdn_key(&rdn), general, "{text}");
        }
        // Spelled differently (case, spaces), the same name.
        let a = RelativeDistinguishedName::from_str("CN=Foo  Bar").unwrap();
        let b = RelativeDistinguishedName::from_str("CN=foo bar").unwrap();
        assert_eq!(rdn_key(&a), rdn_key(&b));
        // A multi-valued RDN compares as a set.
        let ab = RelativeDistinguishedName::from_str("CN=x+O=y").unwrap();
        let ba = RelativeDistinguishedName::from_str("O=Y+CN=X").unwrap();
        assert_eq!(rdn_key(&ab), rdn_key(&ba));
    }
}
