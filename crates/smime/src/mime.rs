//! MIME entities, parsed lazily: headers and content types by `mailparse`, multipart bodies
//! split only when the walk enters them.
//!
//! `mailparse::parse_mail` parses a whole message tree up front: it recurses once per nested
//! multipart without a bound (20,000 levels overflow the stack) and finds boundaries with a
//! byte-by-byte search, which was the largest single cost of verifying a message after RSA and
//! SHA-256. Here each entity is its header block (`mailparse::parse_headers`) and content type
//! (`mailparse::parse_content_type`); [`Entity::parts`] splits a multipart body when asked, with
//! `memchr::memmem`, charging a budget so hostile nesting ends in an error. The splitting keeps
//! `mailparse`'s rules exactly (see [`Entity::parts`]), so `raw` slices are what `parse_mail`'s
//! `raw_bytes` were.

use mailparse::{MailHeader, MailHeaderMap, ParsedContentType};

use crate::Error;

/// One MIME entity: a message or a body part.
pub(crate) struct Entity<'a> {
    /// The entity's bytes, headers and body, exactly as in the input.
    pub raw: &'a [u8],
    pub headers: Vec<MailHeader<'a>>,
    /// The parsed Content-Type, when first asked for (a signature part's never is).
    ctype: std::cell::OnceCell<ParsedContentType>,
    /// Where the body starts in `raw`.
    body_start: usize,
}

impl<'a> Entity<'a> {
    /// Parses the header block of `raw`; the body is left alone.
    pub fn parse(raw: &'a [u8]) -> Result<Self, Error> {
        let (headers, body_start) =
            mailparse::parse_headers(raw).map_err(|e| Error::mime(e.to_string()))?;
        Ok(Entity {
            raw,
            headers,
            ctype: std::cell::OnceCell::new(),
            body_start,
        })
    }

    /// The Content-Type (mailparse's defaults, `text/plain`, when there is none).
    pub fn ctype(&self) -> &ParsedContentType {
        self.ctype.get_or_init(|| {
            self.headers
                .get_first_value("Content-Type")
                .map(|s| mailparse::parse_content_type(&s))
                .unwrap_or_default()
        })
    }

    /// The body: everything after the blank line that ends the headers.
    pub fn body(&self) -> &'a [u8] {
        self.raw.get(self.body_start..).unwrap_or_default()
    }

    /// The media type (`type/subtype`, lower case, as [`Entity::ctype`] has it), as far as
    /// S/MIME cares. Read from the header's raw bytes when its first token is plain ASCII (the
    /// usual case): then the parameters need not be parsed at all, which for an entity that
    /// turns out to be of no interest (the signed part's `text/plain`) saves `mailparse`'s
    /// parse of them (a dozen allocations); anything else goes through [`Entity::ctype`].
    pub fn media(&self) -> Media {
        let Some(header) = self.headers.get_first_header("Content-Type") else {
            // mailparse's default, text/plain.
            return Media::Other;
        };
        let raw = header.get_value_raw();
        let first = raw
            .split(|&b| b == b';')
            .next()
            .unwrap_or_default()
            .trim_ascii();
        if !first.is_empty() && first.iter().all(|&b| is_token(b) || b == b'/') {
            return Media::of(first);
        }
        Media::of(self.ctype().mimetype.as_bytes())
    }

    /// Whether the Content-Transfer-Encoding is `base64` (ASCII case ignored, surrounding
    /// whitespace too); read from the raw bytes when they are a plain token.
    pub fn is_base64(&self) -> bool {
        let Some(header) = self.headers.get_first_header("Content-Transfer-Encoding") else {
            return false;
        };
        let raw = header.get_value_raw().trim_ascii();
        if raw.iter().all(|&b| is_token(b)) {
            return raw.eq_ignore_ascii_case(b"base64");
        }
        header.get_value().trim().eq_ignore_ascii_case("base64")
    }

    /// The body parts of a multipart entity (none for other entities, or without a
    /// `boundary`), found one at a time as the iterator is advanced: a multipart of a million
    /// parts costs no memory for the parts not yet reached. Each call costs one unit of
    /// `budget`; none left is [`Error::TooComplex`].
    ///
    /// The rules are `mailparse`'s: the delimiter is `--` and the boundary at the start of
    /// the body or of a line (a line that begins with it counts, as RFC 2046 forbids such
    /// lines inside parts); a part starts after the end of the delimiter's line and ends
    /// before the CRLF (or LF) that precedes the next delimiter, or at the end of the input
    /// when no delimiter follows; a delimiter followed by `--` closes the list.
    pub fn parts(&self, budget: &mut usize) -> Result<Parts<'a>, Error> {
        let none = Parts {
            raw: self.raw,
            delimiter: Vec::new(),
            finder: memchr::memmem::Finder::new(b"").into_owned(),
            delimiter_end: None,
        };
        if !matches!(self.media(), Media::Multipart | Media::MultipartSigned)
            || self.raw.len() <= self.body_start
        {
            return Ok(none);
        }
        let Some(boundary) = self.ctype().params.get("boundary") else {
            return Ok(none);
        };
        if *budget == 0 {
            return Err(Error::TooComplex {
                detail: "too many multipart entities".to_owned(),
            });
        }
        *budget -= 1;
        let delimiter = format!("--{boundary}").into_bytes();
        let line_delimiter = [b"\n".as_slice(), &delimiter].concat();
        let mut parts = Parts {
            raw: self.raw,
            finder: memchr::memmem::Finder::new(&line_delimiter).into_owned(),
            delimiter,
            delimiter_end: None,
        };
        parts.delimiter_end = parts
            .find_delimiter(self.body_start)
            .map(|first| first + parts.delimiter.len());
        Ok(parts)
    }
}

/// The media types S/MIME verification tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Media {
    /// `multipart/signed`.
    MultipartSigned,
    /// Another `multipart/…`.
    Multipart,
    /// `application/pkcs7-mime` or `application/x-pkcs7-mime`.
    Pkcs7Mime,
    /// `application/octet-stream` (a `.p7m` attachment, by its name).
    OctetStream,
    /// Anything else.
    Other,
}

impl Media {
    /// The kind of `type/subtype` (ASCII case ignored).
    fn of(mimetype: &[u8]) -> Media {
        let is = |m: &str| mimetype.eq_ignore_ascii_case(m.as_bytes());
        if is("multipart/signed") {
            Media::MultipartSigned
        } else if mimetype
            .get(..10)
            .is_some_and(|p| p.eq_ignore_ascii_case(b"multipart/"))
        {
            Media::Multipart
        } else if is("application/pkcs7-mime") || is("application/x-pkcs7-mime") {
            Media::Pkcs7Mime
        } else if is("application/octet-stream") {
            Media::OctetStream
        } else {
            Media::Other
        }
    }
}

/// A `token` character of RFC 2045 5.1: printable ASCII but space and `tspecials`
/// (`()<>@,;:\"/[]?=`), as ranges (a search of the `tspecials` for every byte cost more than
/// the rest of reading the media type).
fn is_token(b: u8) -> bool {
    matches!(b, b'!' | b'#'..=b'\'' | b'*' | b'+' | b'-' | b'.' | b'0'..=b'9' | b'A'..=b'Z' | b'^'..=b'~')
}

/// The parts of a multipart entity, in order; see [`Entity::parts`].
pub(crate) struct Parts<'a> {
    raw: &'a [u8],
    /// `--` and the boundary.
    delimiter: Vec<u8>,
    /// Finds a line feed and the delimiter.
    finder: memchr::memmem::Finder<'static>,
    /// Where the last delimiter found ends; `None` when no part is left.
    delimiter_end: Option<usize>,
}

impl<'a> Parts<'a> {
    /// The first delimiter at `from` or at a line start after it.
    fn find_delimiter(&self, from: usize) -> Option<usize> {
        let rest = self.raw.get(from..)?;
        if rest.starts_with(&self.delimiter) {
            return Some(from);
        }
        self.finder.find(rest).map(|i| from + i + 1)
    }

    /// The next part's bytes, not parsed.
    pub fn next_raw(&mut self) -> Option<&'a [u8]> {
        let raw = self.raw;
        let delimiter_end = self.delimiter_end.take()?;
        let newline = memchr::memchr(b'\n', raw.get(delimiter_end..)?)?;
        let start = delimiter_end + newline + 1;
        let next = self.find_delimiter(start);
        let end = next.map_or(raw.len(), |at| strip_line_end(raw, start, at));
        let after = next.map_or(raw.len(), |at| at + self.delimiter.len());
        if after + 2 <= raw.len() && raw.get(after..after + 2) != Some(b"--") {
            self.delimiter_end = Some(after);
        }
        raw.get(start..end)
    }
}

impl<'a> Iterator for Parts<'a> {
    type Item = Result<Entity<'a>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_raw().map(Entity::parse)
    }
}

/// `at`, less the LF or CRLF just before it (part of the delimiter, not of the part), not
/// before `start`.
fn strip_line_end(raw: &[u8], start: usize, mut at: usize) -> usize {
    if at > start && raw.get(at - 1) == Some(&b'\n') {
        at -= 1;
        if at > start && raw.get(at - 1) == Some(&b'\r') {
            at -= 1;
        }
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parts' raw bytes, as `mailparse::parse_mail` finds them.
    fn mailparse_parts(raw: &[u8]) -> Vec<Vec<u8>> {
        let mail = mailparse::parse_mail(raw).unwrap_or_else(|e| panic!("{e}"));
        mail.subparts.iter().map(|p| p.raw_bytes.to_vec()).collect()
    }

    fn our_parts(raw: &[u8]) -> Vec<Vec<u8>> {
        let entity = Entity::parse(raw).unwrap_or_else(|e| panic!("{e}"));
        let mut budget = 10;
        let parts = entity.parts(&mut budget).unwrap_or_else(|e| panic!("{e}"));
        parts
            .map(|p| p.unwrap_or_else(|e| panic!("{e}")).raw.to_vec())
            .collect()
    }

    #[test]
    fn parts_are_mailparse_parts() {
        let cases: &[&[u8]] = &[
            b"Content-Type: multipart/signed; boundary=b\r\n\r\n--b\r\nA: 1\r\n\r\none\r\n--b\r\n\r\ntwo\r\n--b--\r\n",
            b"Content-Type: multipart/mixed; boundary=\"b b\"\n\npreamble\n--b b\n\nx\n\n--b b\n\ny\n--b b--\nepilogue",
            // No closing delimiter: the last part runs to the end.
            b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\none\r\n--b\r\n\r\ntwo",
            // A line that begins with the delimiter is one (mailparse's prefix rule).
            b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\none\r\n--bx\r\n\r\ntwo\r\n--b--",
            // The delimiter in the middle of a line is content.
            b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\na --b c\r\n--b--",
            // Body starts with the delimiter; nothing after the first delimiter line.
            b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b",
            b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n",
            b"Content-Type: multipart/mixed; boundary=b\r\n\r\nno delimiter at all",
            b"Content-Type: multipart/mixed; boundary=b\r\n\r\n",
            b"Content-Type: multipart/mixed\r\n\r\n--b\r\n\r\nno boundary parameter\r\n--b--",
            b"Content-Type: text/plain; boundary=b\r\n\r\n--b\r\n\r\nnot multipart\r\n--b--",
            b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\n\r\n--b\r\n\r\n--b--\r\n",
        ];
        for raw in cases {
            assert_eq!(
                our_parts(raw),
                mailparse_parts(raw),
                "{}",
                String::from_utf8_lossy(raw)
            );
        }
    }

    /// The media type read from the raw header is the one `mailparse` parses, whatever the
    /// header looks like; so is the transfer encoding.
    #[test]
    fn media_types_agree_with_mailparse() {
        let values = [
            "text/plain; charset=us-ascii",
            "Text/PLAIN",
            "multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=b",
            "MULTIPART/Signed;boundary=b",
            "multipart/mixed; boundary=x",
            "multipart/",
            "multipart",
            "  application/x-pkcs7-mime ; smime-type=signed-data",
            "application/pkcs7-mime",
            "application/octet-stream; name=smime.p7m",
            "=?utf-8?q?multipart/mixed?=; boundary=b",
            "application/p\u{212a}cs7-mime",
            "multipart/mixed\r\n ; boundary=b",
            "text/plain (comment); charset=x",
            "",
            ";",
            "a/b/c",
        ];
        for value in values {
            for cte in [
                "base64",
                " BASE64 ",
                "7bit",
                "=?utf-8?q?base64?=",
                "base 64",
                "",
            ] {
                let raw = format!(
                    "Content-Type: {value}\r\nContent-Transfer-Encoding: {cte}\r\n\r\nbody"
                );
                let entity = Entity::parse(raw.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
                let full = Media::of(entity.ctype().mimetype.as_bytes());
                assert_eq!(entity.media(), full, "{value:?}");
                let decoded = entity
                    .headers
                    .get_first_value("Content-Transfer-Encoding")
                    .unwrap_or_default();
                assert_eq!(
                    entity.is_base64(),
                    decoded.trim().eq_ignore_ascii_case("base64"),
                    "{cte:?}"
                );
            }
        }
        let none = Entity::parse(b"Subject: x\r\n\r\nbody").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(none.media(), Media::Other);
        assert!(!none.is_base64());
    }

    #[test]
    fn tokens_are_printable_ascii_but_tspecials() {
        for b in 0..=u8::MAX {
            let want = b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?=".contains(&b);
            assert_eq!(is_token(b), want, "{b:#04x}");
        }
    }

    #[test]
    fn the_budget_bounds_nesting() {
        let raw = b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nx\r\n--b--";
        let entity = Entity::parse(raw).unwrap_or_else(|e| panic!("{e}"));
        let mut budget = 1;
        assert_eq!(entity.parts(&mut budget).map(|p| p.count()).ok(), Some(1));
        assert!(matches!(
            entity.parts(&mut budget),
            Err(Error::TooComplex { .. })
        ));
    }
}
