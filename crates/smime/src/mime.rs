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

    /// The Content-Transfer-Encoding, lower case.
    pub fn transfer_encoding(&self) -> Option<String> {
        self.headers
            .get_first_value("Content-Transfer-Encoding")
            .map(|s| s.trim().to_ascii_lowercase())
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
        if !self.ctype().mimetype.starts_with("multipart/") || self.raw.len() <= self.body_start {
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
