//! MIME entities read one way only, lazily: each entity is its header block and the fields
//! S/MIME depends on; a multipart body is split only when the walk enters it.
//!
//! The verifier and the mail client that shows a message must see the same structure, or an
//! attacker shows one thing and has another verified. So where RFC 5322, 2045 and 2046 leave
//! no choice the reading follows them, and where readers in the wild differ the input is
//! refused ([`Error::Ambiguous`], `mime-ambiguous`) instead of read the attacker's way:
//!
//! * a header block is lines of `name: value` (a name of printable ASCII but `:`, no space
//!   before the colon) and their continuation lines, up to the first empty line; a line
//!   without a colon, a continuation first, or a lone CR is refused (some readers end the
//!   header block there, others go on);
//! * `Content-Type` and `Content-Transfer-Encoding` are read by their grammar (see
//!   [`ctype`](crate::ctype)); either field twice in one entity is refused, and so are a
//!   repeated parameter and syntax errors in a field whose parameters decide the structure;
//! * a delimiter line is exactly `--` and the boundary, transport padding (spaces and tabs) and
//!   the line end (RFC 2046 5.1.1); a close delimiter adds `--`. A line that starts with `--`
//!   and the boundary but is neither, or a delimiter after a lone CR, is refused.
//!
//! `mailparse::parse_mail` is not used: it parses a whole tree up front, recursing once per
//! nested multipart without a bound, takes any line that starts with the delimiter as one, and
//! lets the last of two parameters win.

use std::rc::Rc;

use crate::Error;
use crate::ctype::{self, ContentType};

/// One header field: its name and its raw value (after the colon and leading white space,
/// folding line ends kept).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Header<'a> {
    pub name: &'a [u8],
    pub value: &'a [u8],
}

impl Header<'_> {
    /// Whether the field's name is `name` (ASCII case ignored).
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name.as_bytes())
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
    /// `application/pkcs7-signature` or `application/x-pkcs7-signature`.
    Pkcs7Signature,
    /// `application/octet-stream` (a `.p7m` attachment, by its name).
    OctetStream,
    /// `message/rfc822`: an attached message.
    Rfc822,
    /// Anything else.
    Other,
}

impl Media {
    fn of(mimetype: &str) -> Media {
        match mimetype {
            "multipart/signed" => Media::MultipartSigned,
            "application/pkcs7-mime" | "application/x-pkcs7-mime" => Media::Pkcs7Mime,
            "application/pkcs7-signature" | "application/x-pkcs7-signature" => {
                Media::Pkcs7Signature
            }
            "application/octet-stream" => Media::OctetStream,
            "message/rfc822" => Media::Rfc822,
            m if m.starts_with("multipart/") => Media::Multipart,
            _ => Media::Other,
        }
    }

    /// Whether the parameters decide how the entity is read.
    fn needs_params(self) -> bool {
        matches!(
            self,
            Media::MultipartSigned | Media::Multipart | Media::Pkcs7Mime | Media::Pkcs7Signature
        )
    }
}

/// One MIME entity: a message or a body part.
pub(crate) struct Entity<'a> {
    /// The entity's bytes, headers and body, exactly as in the input.
    pub raw: &'a [u8],
    pub headers: Vec<Header<'a>>,
    /// The Content-Type (`text/plain` without parameters when there is none).
    pub ctype: ContentType,
    pub media: Media,
    /// The Content-Transfer-Encoding, lower case (`7bit` when there is none).
    pub encoding: String,
    /// Where the body starts in `raw`.
    body_start: usize,
    /// The delimiters of the multiparts this entity is inside, outermost first.
    enclosing: Rc<Vec<Vec<u8>>>,
}

/// The header block of `raw`: its fields and where the body starts.
fn header_block(raw: &[u8]) -> Result<(Vec<Header<'_>>, usize), Error> {
    // Name and value as offsets into `raw`: a continuation line extends the last value.
    let mut fields: Vec<(usize, usize, usize, usize)> = Vec::new();
    let finish = |fields: Vec<(usize, usize, usize, usize)>| -> Vec<Header<'_>> {
        fields
            .into_iter()
            .map(|(n0, n1, v0, v1)| Header {
                name: raw.get(n0..n1).unwrap_or_default(),
                value: raw.get(v0..v1).unwrap_or_default(),
            })
            .collect()
    };
    let mut at = 0;
    let mut n = 0usize;
    while at < raw.len() {
        n += 1;
        let end = memchr::memchr(b'\n', &raw[at..]).map_or(raw.len(), |i| at + i);
        let next = (end + 1).min(raw.len());
        let line = &raw[at..end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let line_end = at + line.len();
        if line.is_empty() {
            return Ok((finish(fields), next));
        }
        if memchr::memchr(b'\r', line).is_some() {
            return Err(Error::ambiguous(format!(
                "header line {n} holds a bare CR (a line end to some readers)"
            )));
        }
        if matches!(line.first(), Some(b' ' | b'\t')) {
            let Some(last) = fields.last_mut() else {
                return Err(Error::ambiguous(
                    "the header block starts with a continuation line",
                ));
            };
            last.3 = line_end;
            at = next;
            continue;
        }
        let Some(colon) = memchr::memchr(b':', line) else {
            return Err(Error::ambiguous(format!(
                "header line {n} has no colon (some readers end the header block there)"
            )));
        };
        let name = &line[..colon];
        if name.is_empty() || !name.iter().all(|&b| b.is_ascii_graphic()) {
            return Err(Error::ambiguous(format!(
                "header line {n} has a field name that is not printable ASCII without spaces"
            )));
        }
        let lead = line[colon + 1..]
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        fields.push((at, at + colon, at + colon + 1 + lead, line_end));
        at = next;
    }
    // No empty line: all headers, no body.
    Ok((finish(fields), raw.len()))
}

impl<'a> Entity<'a> {
    /// Reads the header block of `raw` and the fields that decide how the entity is read; the
    /// body is left alone.
    pub fn parse(raw: &'a [u8]) -> Result<Self, Error> {
        Entity::parse_in(raw, Rc::default())
    }

    /// [`Entity::parse`] for a part inside multiparts with these delimiters.
    fn parse_in(raw: &'a [u8], enclosing: Rc<Vec<Vec<u8>>>) -> Result<Self, Error> {
        let (headers, body_start) = header_block(raw)?;
        let mut content_type = None;
        let mut encoding = None;
        for h in &headers {
            let slot = if h.is("Content-Type") {
                &mut content_type
            } else if h.is("Content-Transfer-Encoding") {
                &mut encoding
            } else {
                continue;
            };
            if slot.replace(h.value).is_some() {
                return Err(Error::ambiguous(format!(
                    "the {} field is given twice",
                    String::from_utf8_lossy(h.name)
                )));
            }
        }
        let (ctype, media) = match content_type {
            None => (
                ContentType {
                    mimetype: "text/plain".to_owned(),
                    params: Vec::new(),
                },
                Media::Other,
            ),
            Some(value) => read_content_type(value)?,
        };
        let encoding = match encoding {
            None => "7bit".to_owned(),
            Some(v) => ctype::transfer_encoding(v)
                .map_err(|e| Error::ambiguous(format!("Content-Transfer-Encoding: {}", e.0)))?,
        };
        Ok(Entity {
            raw,
            headers,
            ctype,
            media,
            encoding,
            body_start,
            enclosing,
        })
    }

    /// The body: everything after the blank line that ends the headers.
    pub fn body(&self) -> &'a [u8] {
        self.raw.get(self.body_start..).unwrap_or_default()
    }

    /// The body parts of a multipart entity, found one at a time as the iterator is
    /// advanced: a multipart of a million parts costs no memory for the parts not yet reached.
    /// Each call costs one unit of `budget`; none left is [`Error::TooComplex`]. Not a
    /// multipart: no parts.
    ///
    /// A part starts after the line end of a delimiter line and ends before the line end that
    /// precedes the next delimiter line; the close delimiter ends the list (without one the
    /// multipart is ambiguous: readers end its last part in different places). The preamble
    /// and the epilogue are not parts; the delimiter inside a line of either, or of a part, is
    /// refused.
    pub fn parts(&self, budget: &mut usize) -> Result<Parts<'a>, Error> {
        let mut parts = Parts {
            raw: self.raw,
            delimiter: Vec::new(),
            finder: None,
            next_at: None,
            body_start: self.body_start,
            enclosing: Rc::clone(&self.enclosing),
        };
        if !matches!(self.media, Media::Multipart | Media::MultipartSigned) {
            return Ok(parts);
        }
        let boundary = match self.ctype.param("boundary") {
            Some(b) if !b.is_empty() && !b.contains(['\r', '\n']) => b,
            Some(_) => {
                return Err(Error::mime(
                    "the multipart boundary is empty or spans lines",
                ));
            }
            None => {
                return Err(Error::mime(format!(
                    "{} has no boundary",
                    self.ctype.mimetype
                )));
            }
        };
        if !matches!(self.encoding.as_str(), "7bit" | "8bit" | "binary") {
            // RFC 2045 6.4 forbids it; some readers decode the body first, others do not.
            return Err(Error::ambiguous(format!(
                "{} has transfer encoding {:?}, which a multipart may not have",
                self.ctype.mimetype, self.encoding
            )));
        }
        if *budget == 0 {
            return Err(Error::TooComplex {
                detail: "too many multipart entities".to_owned(),
            });
        }
        *budget -= 1;
        parts.delimiter = format!("--{boundary}").into_bytes();
        // A boundary that is, or extends, or is extended by an enclosing one: its lines are
        // the enclosing multipart's delimiters to some readers.
        if self
            .enclosing
            .iter()
            .any(|outer| outer.starts_with(&parts.delimiter) || parts.delimiter.starts_with(outer))
        {
            return Err(Error::ambiguous(format!(
                "the boundary {boundary:?} overlaps the boundary of an enclosing multipart"
            )));
        }
        let mut chain = Vec::with_capacity(self.enclosing.len() + 1);
        chain.extend(self.enclosing.iter().cloned());
        chain.push(parts.delimiter.clone());
        parts.enclosing = Rc::new(chain);
        parts.finder = Some(memchr::memmem::Finder::new(&parts.delimiter).into_owned());
        parts.next_at = parts.find_delimiter(self.body_start)?;
        Ok(parts)
    }
}

/// Reads a Content-Type field: the media type always, the parameters where they decide the
/// structure.
fn read_content_type(value: &[u8]) -> Result<(ContentType, Media), Error> {
    let bad = |e: ctype::Syntax| Error::ambiguous(format!("Content-Type: {}", e.0));
    let head = ctype::content_type(value, false).map_err(bad)?;
    let media = Media::of(&head.mimetype);
    if media.needs_params() {
        let full = ctype::content_type(value, true).map_err(bad)?;
        return Ok((full, media));
    }
    match ctype::content_type(value, true) {
        Ok(full) => Ok((full, media)),
        // An octet-stream attachment may be a `.p7m` by its name: unreadable parameters that
        // might say so are refused; otherwise the parameters of a leaf do not matter.
        Err(e) if media == Media::OctetStream && contains_ignore_case(value, b"p7m") => Err(bad(e)),
        Err(_) => Ok((head, media)),
    }
}

fn contains_ignore_case(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

/// What follows `--boundary` on its line.
enum Line {
    /// A delimiter: a part starts at the offset.
    Delimiter(usize),
    /// The close delimiter.
    Close,
}

/// The parts of a multipart entity, in order; see [`Entity::parts`].
pub(crate) struct Parts<'a> {
    raw: &'a [u8],
    /// `--` and the boundary.
    delimiter: Vec<u8>,
    finder: Option<memchr::memmem::Finder<'static>>,
    /// Where the next part starts; `None` when no part is left.
    next_at: Option<usize>,
    body_start: usize,
    /// The enclosing delimiters and this one, for the parts' own multiparts.
    enclosing: Rc<Vec<Vec<u8>>>,
}

impl<'a> Parts<'a> {
    /// The next occurrence of `--boundary` at or after `from`, which must start a line (the
    /// body's first line, or after a LF).
    fn next_occurrence(&self, from: usize) -> Result<Option<usize>, Error> {
        let Some(finder) = &self.finder else {
            return Ok(None);
        };
        let Some(i) = self.raw.get(from..).and_then(|r| finder.find(r)) else {
            return Ok(None);
        };
        let at = from + i;
        if at == self.body_start {
            return Ok(Some(at));
        }
        match self.raw.get(at.wrapping_sub(1)) {
            Some(b'\n') => Ok(Some(at)),
            Some(b'\r') => Err(Error::ambiguous(
                "a delimiter follows a bare CR (a line end to some readers)",
            )),
            // Inside a line: content by RFC 2046, a delimiter to some readers.
            _ => Err(mid_line(at)),
        }
    }

    /// The first delimiter line at or after `from`: where the part after it starts, or `None`
    /// at the close delimiter or without any delimiter.
    fn find_delimiter(&self, from: usize) -> Result<Option<usize>, Error> {
        match self.next_occurrence(from)? {
            None => Ok(None),
            Some(at) => match self.classify(at)? {
                Line::Delimiter(start) => Ok(Some(start)),
                Line::Close => Ok(None),
            },
        }
    }

    /// The delimiter line at `at` (which starts with `--boundary`).
    fn classify(&self, at: usize) -> Result<Line, Error> {
        let after = at + self.delimiter.len();
        let rest = self.raw.get(after..).unwrap_or_default();
        let (close, rest) = match rest.strip_prefix(b"--") {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let line_end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
        let tail = &rest[..line_end];
        let tail = tail.strip_suffix(b"\r").unwrap_or(tail);
        if !tail.iter().all(|&b| b == b' ' || b == b'\t') {
            return Err(Error::ambiguous(format!(
                "a line at byte {at} starts with the boundary delimiter but is not one"
            )));
        }
        if close {
            return Ok(Line::Close);
        }
        Ok(Line::Delimiter((after + line_end + 1).min(self.raw.len())))
    }

    /// The next part's bytes, not parsed.
    pub fn next_raw(&mut self) -> Result<Option<&'a [u8]>, Error> {
        let raw = self.raw;
        let Some(start) = self.next_at.take() else {
            return Ok(None);
        };
        if start >= raw.len() && raw.last() != Some(&b'\n') {
            // A delimiter line at the very end, without a line end, and no close delimiter.
            return Err(no_close());
        }
        // The next delimiter line; the part ends before the line end that precedes it.
        let Some(at) = self.next_occurrence(start)? else {
            // Where the last part ends is then a guess: at the end of the input, or at the
            // enclosing multipart's next delimiter, or earlier.
            return Err(no_close());
        };
        self.next_at = match self.classify(at)? {
            Line::Delimiter(s) => Some(s),
            Line::Close => None,
        };
        Ok(raw.get(start..strip_line_end(raw, start, at)))
    }

    /// The next part, parsed.
    pub fn next_entity(&mut self) -> Result<Option<Entity<'a>>, Error> {
        self.next_raw()?
            .map(|raw| Entity::parse_in(raw, Rc::clone(&self.enclosing)))
            .transpose()
    }
}

fn no_close() -> Error {
    Error::ambiguous("a multipart has no close delimiter: where its last part ends is a guess")
}

fn mid_line(at: usize) -> Error {
    Error::ambiguous(format!(
        "the boundary delimiter appears inside a line at byte {at} (a delimiter to some readers)"
    ))
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

    fn parts(raw: &[u8]) -> Result<Vec<Vec<u8>>, Error> {
        let entity = Entity::parse(raw)?;
        let mut budget = 10;
        let mut parts = entity.parts(&mut budget)?;
        let mut out = Vec::new();
        while let Some(p) = parts.next_raw()? {
            out.push(p.to_vec());
        }
        Ok(out)
    }

    fn ok(raw: &[u8]) -> Vec<String> {
        parts(raw)
            .unwrap_or_else(|e| panic!("{}: {e}", String::from_utf8_lossy(raw)))
            .iter()
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .collect()
    }

    fn ambiguous(raw: &[u8]) -> bool {
        matches!(parts(raw), Err(Error::Ambiguous { .. }))
    }

    #[test]
    fn parts_by_rfc_2046() {
        let h = "Content-Type: multipart/mixed; boundary=b\r\n\r\n";
        let case = |body: &str| format!("{h}{body}").into_bytes();
        assert_eq!(
            ok(&case(
                "--b\r\nA: 1\r\n\r\none\r\n--b\r\n\r\ntwo\r\n--b--\r\n"
            )),
            ["A: 1\r\n\r\none", "\r\ntwo"]
        );
        // Preamble and epilogue are not parts; transport padding after delimiters.
        assert_eq!(
            ok(&case(
                "pre\r\n--b \t\r\n\r\nx\r\n--b--  \r\nepilogue\r\n--b\r\n"
            )),
            ["\r\nx"]
        );

        // LF-only lines.
        assert_eq!(ok(b"Content-Type: multipart/mixed; boundary=\"b b\"\n\n--b b\n\nx\n\n--b b\n\ny\n--b b--\n"), ["\nx\n", "\ny"]);
        assert!(ok(&case("no delimiter at all")).is_empty());
        assert!(ok(&case("")).is_empty());
        // The line end before a delimiter is the delimiter's.
        assert_eq!(
            ok(&case("--b\r\n\r\n\r\n--b\r\n\r\n--b--\r\n")),
            ["\r\n", ""]
        );
        // Not a multipart: no parts.
        assert!(
            ok(b"Content-Type: text/plain; boundary=b\r\n\r\n--b\r\n\r\nx\r\n--b--").is_empty()
        );
    }

    #[test]
    fn ambiguous_structure_is_refused() {
        let h = "Content-Type: multipart/mixed; boundary=b\r\n\r\n";
        let case = |body: &str| format!("{h}{body}").into_bytes();
        // No close delimiter: where the last part ends is a guess.
        assert!(ambiguous(&case("--b\r\n\r\none\r\n--b\r\n\r\ntwo")));
        assert!(ambiguous(&case("--b")));
        // The delimiter inside a line: content by the RFC, a delimiter to some readers.
        assert!(ambiguous(&case("--b\r\n\r\na --b c\r\n--b--")));
        assert!(ambiguous(&case("preamble --b\r\n--b\r\n\r\nx\r\n--b--")));
        // A line that starts with the delimiter but is none.
        assert!(ambiguous(&case(
            "--b\r\n\r\none\r\n--bx\r\n\r\ntwo\r\n--b--"
        )));
        assert!(ambiguous(&case("--b\r\n\r\none\r\n--b--x\r\n")));
        assert!(ambiguous(&case("--bx\r\n\r\none\r\n--b--")));
        // A delimiter after a bare CR.
        assert!(ambiguous(&case("--b\r\n\r\none\r--b\r\n\r\ntwo\r\n--b--")));
        // Header blocks.
        for headers in [
            "Content-Type: multipart/mixed; boundary=b\r\nno colon here\r\nX: y\r\n\r\n",
            "Content-Type: multipart/mixed; boundary=b\r\nContent-Type: text/plain\r\n\r\n",
            "Content-Type: multipart/mixed; boundary=b\r\nContent-Transfer-Encoding: 7bit\r\ncontent-transfer-encoding: base64\r\n\r\n",
            " X: continuation first\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n",
            "Content-Type : multipart/mixed; boundary=b\r\n\r\n",
            "Content-Type: multipart/mixed; boundary=b\rX: y\r\n\r\n",
            "Content-Type: multipart/mixed; boundary=b; boundary=c\r\n\r\n",
            "Content-Type: =?utf-8?q?multipart/mixed?=; boundary=b\r\n\r\n",
        ] {
            let raw = format!("{headers}--b\r\n\r\nx\r\n--b--\r\n");
            assert!(ambiguous(raw.as_bytes()), "{headers:?}");
        }
        // Folded fields are one field.
        assert_eq!(
            ok(b"Content-Type: multipart/mixed;\r\n\tboundary=b\r\n\r\n--b\r\n\r\nx\r\n--b--"),
            ["\r\nx"]
        );
    }

    /// A nested multipart whose boundary is, extends or is extended by the enclosing one.
    #[test]
    fn overlapping_boundaries_are_refused() {
        for inner in ["b", "bc", "c"] {
            let raw = format!(
                "Content-Type: multipart/mixed; boundary=bc\r\n\r\n--bc\r\nContent-Type: multipart/mixed; boundary={inner}\r\n\r\n--{inner}\r\n\r\nx\r\n--{inner}--\r\n--bc--\r\n"
            );
            let outer = Entity::parse(raw.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
            let mut budget = 10;
            let result = outer
                .parts(&mut budget)
                .and_then(|mut p| p.next_entity())
                .and_then(|e| e.map(|e| e.parts(&mut budget).map(|_| ())).transpose());
            if inner == "c" {
                assert!(result.is_ok(), "{inner}");
            } else {
                assert!(matches!(result, Err(Error::Ambiguous { .. })), "{inner}");
            }
        }
    }

    #[test]
    fn the_budget_bounds_nesting() {
        let raw = b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nx\r\n--b--";
        let entity = Entity::parse(raw).unwrap_or_else(|e| panic!("{e}"));
        let mut budget = 1;
        assert!(entity.parts(&mut budget).is_ok());
        assert!(matches!(
            entity.parts(&mut budget),
            Err(Error::TooComplex { .. })
        ));
    }

    #[test]
    fn fields() {
        let e = Entity::parse(b"Subject: x\r\n\r\nbody").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (e.media, e.encoding.as_str(), e.body()),
            (Media::Other, "7bit", &b"body"[..])
        );
        let e = Entity::parse(b"content-type: Application/X-PKCS7-MIME; smime-type=signed-data\r\nContent-Transfer-Encoding:  Base64\r\n\r\nMIIB").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((e.media, e.encoding.as_str()), (Media::Pkcs7Mime, "base64"));
        assert_eq!(e.ctype.param("smime-type"), Some("signed-data"));
        // Sloppy parameters of a leaf do not matter; of a .p7m attachment they do.
        assert!(Entity::parse(b"Content-Type: text/plain; name=a b.txt\r\n\r\n").is_ok());
        assert!(
            Entity::parse(b"Content-Type: application/octet-stream; name=a b.p7m\r\n\r\n").is_err()
        );
        // No blank line: headers only.
        let e = Entity::parse(b"A: 1\r\nB: 2").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((e.headers.len(), e.body()), (2, &b""[..]));
    }
}
