//! Who the message says it is from: the From field read by RFC 5322, once per message.
//!
//! Addresses are parsed with `mailparse::addrparse` (the crate already reads the message's
//! other fields; it refuses an unbalanced angle bracket or comment, which lenient readers such
//! as `mail-parser` take apart into a display name and an address) over the field's raw
//! value, so that an encoded word is never decoded into an address: RFC 2047 5 allows encoded
//! words only in a display name. Each address must then be an RFC 5322 `addr-spec`
//! (`email_address`), because `mailparse` keeps text after an address as part of it.

use crate::mime::Entity;
use crate::report::{FailureCode, NoticeCode};

/// A display name of at most this many bytes is decoded to look for an address in it; longer
/// ones are left as they are (decoding many encoded words costs more than it tells).
const MAX_DISPLAY_NAME: usize = 4096;

/// The From field as far as identity goes.
#[derive(Debug, Clone, Default)]
pub(crate) struct Identity {
    /// The mailboxes of the From field (one, unless `problem` says otherwise).
    pub mailboxes: Vec<String>,
    /// Why the From field does not name one sender: the failure under
    /// `--require-email-match`, a warning otherwise.
    pub problem: Option<(FailureCode, NoticeCode, String)>,
    /// Display names that are addresses other than their mailbox's.
    pub display_warnings: Vec<String>,
}

impl Identity {
    /// The first mailbox, the report's `from`.
    pub fn first(&self) -> Option<&str> {
        self.mailboxes.first().map(String::as_str)
    }
}

fn problem(
    identity: &mut Identity,
    failure: FailureCode,
    notice: NoticeCode,
    message: impl Into<String>,
) {
    if identity.problem.is_none() {
        identity.problem = Some((failure, notice, message.into()));
    }
}

/// Unfolds a raw field value: line ends followed by white space become that white space.
fn unfold(value: &[u8]) -> String {
    let text = String::from_utf8_lossy(value);
    text.replace("\r\n", "").replace('\n', "")
}

/// Reads the From fields of `mail`.
pub(crate) fn from(mail: &Entity<'_>) -> Identity {
    let mut identity = Identity::default();
    let fields: Vec<_> = mail.headers.iter().filter(|h| h.is("From")).collect();
    let field = match fields.as_slice() {
        [] => {
            problem(
                &mut identity,
                FailureCode::FromMissing,
                NoticeCode::FromMissing,
                "the message has no From field",
            );
            return identity;
        }
        [one] => one,
        [first, ..] => {
            problem(
                &mut identity,
                FailureCode::FromMultiple,
                NoticeCode::FromMultiple,
                format!("the message has {} From fields", fields.len()),
            );
            first
        }
    };
    let value = unfold(field.value);
    let list = match mailparse::addrparse(&value) {
        Ok(list) => list,
        Err(e) => {
            problem(
                &mut identity,
                FailureCode::FromUnparseable,
                NoticeCode::FromUnparseable,
                format!("the From field does not parse as a mailbox list: {e}"),
            );
            return identity;
        }
    };
    let mut singles = Vec::new();
    for addr in list.iter() {
        match addr {
            mailparse::MailAddr::Single(s) => singles.push(s),
            mailparse::MailAddr::Group(g) => {
                problem(
                    &mut identity,
                    FailureCode::FromGroup,
                    NoticeCode::FromGroup,
                    format!(
                        "the From field is a group ({:?}), not a mailbox",
                        g.group_name
                    ),
                );
                singles.extend(g.addrs.iter());
            }
        }
    }
    for s in &singles {
        if !email_address::EmailAddress::is_valid(&s.addr) {
            problem(
                &mut identity,
                FailureCode::FromUnparseable,
                NoticeCode::FromUnparseable,
                format!("the From field holds {:?}, which is not an address", s.addr),
            );
            continue;
        }
        if let Some(name) = &s.display_name
            && let Some(other) = address_in_display_name(name, &s.addr)
        {
            identity.display_warnings.push(format!(
                "the From display name shows the address {other} but the mailbox is {}",
                s.addr
            ));
        }
        identity.mailboxes.push(s.addr.clone());
    }
    match identity.mailboxes.len() {
        0 if identity.problem.is_none() => problem(
            &mut identity,
            FailureCode::FromMissing,
            NoticeCode::FromMissing,
            "the From field names no mailbox",
        ),
        0 | 1 => {}
        n => problem(
            &mut identity,
            FailureCode::FromMultiple,
            NoticeCode::FromMultiple,
            format!("the From field names {n} mailboxes"),
        ),
    }
    identity
}

/// An address shown in a display name that is not `mailbox`.
fn address_in_display_name(name: &str, mailbox: &str) -> Option<String> {
    let decoded = if name.len() <= MAX_DISPLAY_NAME && name.contains("=?") {
        let field = format!("X: {name}");
        mailparse::parse_header(field.as_bytes())
            .map(|(h, _)| h.get_value())
            .unwrap_or_else(|_| name.to_owned())
    } else {
        name.to_owned()
    };
    decoded
        .split(|c: char| c.is_whitespace() || "<>()[],;:\"'".contains(c))
        .filter(|w| w.contains('@'))
        .find(|w| email_address::EmailAddress::is_valid(w) && !w.eq_ignore_ascii_case(mailbox))
        .map(str::to_owned)
}

/// Whether `cert_emails` (a certificate's addresses) hold `mailbox`, ASCII case ignored (as
/// mail systems treat local parts, whatever RFC 5321 allows).
pub(crate) fn holds(cert_emails: &[String], mailbox: &str) -> bool {
    cert_emails.iter().any(|e| e.eq_ignore_ascii_case(mailbox))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(from_fields: &str) -> Identity {
        let raw = format!("{from_fields}Subject: x\r\n\r\nbody");
        let mail = Entity::parse(raw.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        from(&mail)
    }

    fn code(from_fields: &str) -> Option<&'static str> {
        read(from_fields).problem.map(|(f, _, _)| f.as_str())
    }

    #[test]
    fn from_fields() {
        let one = read("From: Alice <alice@smime.example>\r\n");
        assert_eq!(
            (one.first(), one.problem.is_none()),
            (Some("alice@smime.example"), true)
        );
        assert_eq!(code("From: alice@smime.example\r\n"), None);
        assert_eq!(code("From: \"Alice, A.\" <alice@smime.example>\r\n"), None);
        assert_eq!(
            code("From: =?utf-8?q?Al=C3=AFce?= <alice@smime.example>\r\n"),
            None
        );
        assert_eq!(code("From: Alice\r\n <alice@smime.example>\r\n"), None);
        for (field, want) in [
            ("From: <bob@example.com>>\r\n", "from-unparseable"),
            ("From: bob@example.com (unclosed\r\n", "from-unparseable"),
            (
                "From: =?utf-8?q?bob=40example.com?=\r\n",
                "from-unparseable",
            ),
            ("From: bob@example.com garbage\r\n", "from-unparseable"),
            ("From: a@b c@d\r\n", "from-unparseable"),
            ("", "from-missing"),
            ("From: \r\n", "from-missing"),
            ("From: a@example.com, b@example.com\r\n", "from-multiple"),
            (
                "From: a@example.com\r\nFrom: b@example.com\r\n",
                "from-multiple",
            ),
            ("From: Friends: a@example.com;\r\n", "from-group"),
            ("From: Friends:;\r\n", "from-group"),
        ] {
            assert_eq!(code(field), Some(want), "{field:?}");
        }
        // Every mailbox is kept, for a report that names them.
        assert_eq!(
            read("From: a@example.com, b@example.com\r\n")
                .mailboxes
                .len(),
            2
        );
    }

    #[test]
    fn display_names_that_are_addresses() {
        let warn = |f: &str| read(f).display_warnings;
        assert_eq!(
            warn("From: \"alice@smime.example\" <mallory@smime.example>\r\n").len(),
            1
        );
        assert_eq!(
            warn("From: =?utf-8?q?alice=40smime.example?= <mallory@smime.example>\r\n").len(),
            1
        );
        assert!(warn("From: \"mallory@smime.example\" <Mallory@SMIME.example>\r\n").is_empty());
        assert!(warn("From: Mallory <mallory@smime.example>\r\n").is_empty());
    }

    #[test]
    fn mailbox_in_certificate() {
        let emails = vec!["Alice@Smime.Example".to_owned()];
        assert!(holds(&emails, "alice@smime.example"));
        assert!(!holds(&emails, "bob@smime.example"));
    }
}
