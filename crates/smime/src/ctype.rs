//! Structured MIME header fields, read one way only: `Content-Type` (RFC 2045 5.1 with the
//! parameter value extensions of RFC 2231) and `Content-Transfer-Encoding` (RFC 2045 6.1).
//!
//! `mailparse::parse_content_type` is lenient where leniency helps an attacker: it splits
//! parameters at every `;`, also inside a quoted string, lets a repeated parameter replace the
//! first, and decodes encoded words in a field where RFC 2047 5 forbids them. A mail client
//! that reads the field by the RFC then sees another structure than the verifier. Here the
//! field is tokenized by the grammar (tokens, quoted strings with quoted pairs, comments
//! nested, folding white space) in one pass over its bytes; anything the grammar does not
//! allow, a parameter given twice (also as `name` and `name*`, or a continuation section
//! twice) and continuation sections with a gap are [`Syntax`] errors, which the caller turns
//! into `mime-ambiguous` wherever the parameters decide the structure.

use std::collections::BTreeMap;

/// Why a field is not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Syntax(pub String);

/// A parsed `Content-Type`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct ContentType {
    /// `type/subtype`, ASCII lower case.
    pub mimetype: String,
    /// Parameters by lower-case name, RFC 2231 sections joined and decoded, in the order
    /// first met.
    pub params: Vec<(String, String)>,
}

impl ContentType {
    /// A parameter's value (names compare in lower case).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A `token` character of RFC 2045 5.1: printable ASCII but space and `tspecials`.
pub(crate) fn is_token(b: u8) -> bool {
    matches!(b, b'!' | b'#'..=b'\'' | b'*' | b'+' | b'-' | b'.' | b'0'..=b'9' | b'A'..=b'Z' | b'^'..=b'~')
}

/// A cursor over a field value.
struct Lexer<'a> {
    s: &'a [u8],
    at: usize,
}

impl<'a> Lexer<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.at).copied()
    }

    fn err(&self, what: &str) -> Syntax {
        Syntax(format!("{what} at byte {} of the field", self.at))
    }

    /// Skips white space (folding included) and comments (nested, with quoted pairs).
    fn cfws(&mut self) -> Result<(), Syntax> {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\r' | b'\n') => self.at += 1,
                Some(b'(') => {
                    let mut depth = 0usize;
                    loop {
                        match self.peek() {
                            None => return Err(self.err("an unclosed comment")),
                            Some(b'(') => depth += 1,
                            Some(b')') => {
                                depth -= 1;
                                if depth == 0 {
                                    self.at += 1;
                                    break;
                                }
                            }
                            Some(b'\\') => self.at += 1,
                            Some(_) => {}
                        }
                        self.at += 1;
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    fn token(&mut self) -> Option<&'a [u8]> {
        let start = self.at;
        while self.peek().is_some_and(is_token) {
            self.at += 1;
        }
        (self.at > start).then(|| &self.s[start..self.at])
    }

    /// A quoted string's content, quoted pairs undone, folding removed.
    fn quoted(&mut self) -> Result<Vec<u8>, Syntax> {
        self.at += 1;
        let mut out = Vec::new();
        loop {
            match self.peek() {
                None => return Err(self.err("an unclosed quoted string")),
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    match self.peek() {
                        Some(c) => out.push(c),
                        None => return Err(self.err("a quoted pair at the end")),
                    }
                }
                Some(b'\r' | b'\n') => {}
                Some(c) => out.push(c),
            }
            self.at += 1;
        }
    }
}

/// Reads a `Content-Type` value. `params` says whether the parameters are read too (they are
/// where they decide the structure); when not, only the media type is.
pub(crate) fn content_type(value: &[u8], params: bool) -> Result<ContentType, Syntax> {
    let mut lx = Lexer { s: value, at: 0 };
    lx.cfws()?;
    let ty = lx.token().ok_or_else(|| lx.err("no media type"))?;
    lx.cfws()?;
    if lx.peek() != Some(b'/') {
        return Err(lx.err("no '/' after the media type"));
    }
    lx.at += 1;
    lx.cfws()?;
    let sub = lx.token().ok_or_else(|| lx.err("no media subtype"))?;
    let mut mimetype = String::with_capacity(ty.len() + sub.len() + 1);
    for &b in ty.iter().chain(b"/").chain(sub) {
        mimetype.push(char::from(b.to_ascii_lowercase()));
    }
    let mut out = ContentType {
        mimetype,
        params: Vec::new(),
    };
    lx.cfws()?;
    if !params {
        return match lx.peek() {
            None | Some(b';') => Ok(out),
            Some(_) => Err(lx.err("text after the media type")),
        };
    }
    let mut raw: Vec<(String, Vec<u8>)> = Vec::new();
    while lx.peek().is_some() {
        if raw.len() >= MAX_PARAMS {
            return Err(Syntax(format!("more than {MAX_PARAMS} parameters")));
        }
        if lx.peek() != Some(b';') {
            return Err(lx.err("text where ';' was expected"));
        }
        lx.at += 1;
        lx.cfws()?;
        if lx.peek().is_none() || lx.peek() == Some(b';') {
            // A trailing or empty parameter (`text/plain;`): nothing to read.
            continue;
        }
        let name = lx.token().ok_or_else(|| lx.err("no parameter name"))?;
        lx.cfws()?;
        if lx.peek() != Some(b'=') {
            return Err(lx.err("no '=' after a parameter name"));
        }
        lx.at += 1;
        lx.cfws()?;
        let value = match lx.peek() {
            Some(b'"') => lx.quoted()?,
            _ => lx
                .token()
                .ok_or_else(|| lx.err("no parameter value"))?
                .to_vec(),
        };
        lx.cfws()?;
        raw.push((String::from_utf8_lossy(name).to_ascii_lowercase(), value));
    }
    out.params = assemble(raw)?;
    Ok(out)
}

/// One parameter's RFC 2231 sections.
#[derive(Default)]
struct Sections {
    /// The value of the plain `name=`.
    plain: Option<Vec<u8>>,
    /// Section number to (extended, value); `name*=` is section 0, extended, alone.
    parts: BTreeMap<usize, (bool, Vec<u8>)>,
    /// Whether `name*=` (a single extended value) was met.
    single: bool,
}

/// Parameters allowed in one field (real ones have a handful; a bound on hostile input).
const MAX_PARAMS: usize = 256;

/// Sections allowed per parameter (a bound on hostile input; real values need a handful).
const MAX_SECTIONS: usize = 1000;

/// Joins RFC 2231 continuations and decodes extended values; refuses duplicates and gaps.
fn assemble(raw: Vec<(String, Vec<u8>)>) -> Result<Vec<(String, String)>, Syntax> {
    let mut order: Vec<String> = Vec::new();
    let mut by_name: BTreeMap<String, Sections> = BTreeMap::new();
    for (attr, value) in raw {
        let (attr, extended) = match attr.strip_suffix('*') {
            Some(a) => (a.to_owned(), true),
            None => (attr, false),
        };
        let (base, section) = match attr.split_once('*') {
            Some((base, n)) => {
                let valid = !n.is_empty()
                    && n.bytes().all(|b| b.is_ascii_digit())
                    && (n == "0" || !n.starts_with('0'));
                let number = n
                    .parse::<usize>()
                    .ok()
                    .filter(|&k| valid && k < MAX_SECTIONS);
                let Some(number) = number else {
                    return Err(Syntax(format!(
                        "parameter {attr:?} has an invalid section number"
                    )));
                };
                (base.to_owned(), Some(number))
            }
            None => (attr, None),
        };
        if !by_name.contains_key(&base) {
            order.push(base.clone());
        }
        let entry = by_name.entry(base.clone()).or_default();
        let twice = || Syntax(format!("parameter {base:?} is given twice"));
        match (section, extended) {
            (None, false) => {
                if entry.plain.replace(value).is_some() {
                    return Err(twice());
                }
            }
            (None, true) => {
                if entry.single || entry.parts.insert(0, (true, value)).is_some() {
                    return Err(twice());
                }
                entry.single = true;
            }
            (Some(n), ext) => {
                if entry.single || entry.parts.insert(n, (ext, value)).is_some() {
                    return Err(twice());
                }
            }
        }
        if entry.plain.is_some() && !entry.parts.is_empty() {
            return Err(twice());
        }
    }
    let mut out = Vec::with_capacity(order.len());
    for name in order {
        let Some(entry) = by_name.remove(&name) else {
            continue;
        };
        let value = match entry.plain {
            Some(v) => String::from_utf8_lossy(&v).into_owned(),
            None => join(&name, &entry.parts)?,
        };
        out.push((name, value));
    }
    Ok(out)
}

/// The value of RFC 2231 sections 0..n (no gap), extended ones percent-decoded, in the
/// charset the first section names.
fn join(name: &str, parts: &BTreeMap<usize, (bool, Vec<u8>)>) -> Result<String, Syntax> {
    let mut bytes = Vec::new();
    let mut charset = String::new();
    for (expected, (&n, (extended, value))) in parts.iter().enumerate() {
        if n != expected {
            return Err(Syntax(format!(
                "parameter {name:?} lacks continuation section {expected}"
            )));
        }
        let mut value = value.as_slice();
        if *extended && n == 0 {
            // charset'language'value
            let mut fields = value.splitn(3, |&b| b == b'\'');
            let (Some(cs), Some(_lang), Some(rest)) = (fields.next(), fields.next(), fields.next())
            else {
                return Err(Syntax(format!(
                    "parameter {name:?} is extended but has no charset'language' prefix"
                )));
            };
            charset = String::from_utf8_lossy(cs).to_ascii_lowercase();
            value = rest;
        }
        if *extended {
            let mut i = 0;
            while i < value.len() {
                if value[i] == b'%' {
                    let hex = value.get(i + 1..i + 3).and_then(|h| {
                        std::str::from_utf8(h)
                            .ok()
                            .and_then(|h| u8::from_str_radix(h, 16).ok())
                    });
                    let Some(b) = hex else {
                        return Err(Syntax(format!(
                            "parameter {name:?} has a bad percent escape"
                        )));
                    };
                    bytes.push(b);
                    i += 3;
                } else {
                    bytes.push(value[i]);
                    i += 1;
                }
            }
        } else {
            bytes.extend_from_slice(value);
        }
    }
    Ok(match charset.as_str() {
        "iso-8859-1" | "latin1" => bytes.iter().map(|&b| char::from(b)).collect(),
        _ => String::from_utf8_lossy(&bytes).into_owned(),
    })
}

/// A `Content-Transfer-Encoding` value: one token, ASCII lower case.
pub(crate) fn transfer_encoding(value: &[u8]) -> Result<String, Syntax> {
    let mut lx = Lexer { s: value, at: 0 };
    lx.cfws()?;
    let token = lx.token().ok_or_else(|| lx.err("no encoding"))?;
    lx.cfws()?;
    if lx.peek().is_some() {
        return Err(lx.err("text after the encoding"));
    }
    Ok(String::from_utf8_lossy(token).to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ct(s: &str) -> Result<ContentType, Syntax> {
        content_type(s.as_bytes(), true)
    }

    fn params(s: &str) -> Vec<(String, String)> {
        ct(s).unwrap_or_else(|e| panic!("{s}: {e:?}")).params
    }

    fn p(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    #[test]
    fn media_types_and_parameters() {
        let c = ct("Multipart/Signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=\"----=_x\"").unwrap_or_default();
        assert_eq!(c.mimetype, "multipart/signed");
        assert_eq!(c.param("boundary"), Some("----=_x"));
        assert_eq!(c.param("protocol"), Some("application/pkcs7-signature"));
        // A ';' inside a quoted string is part of the value.
        assert_eq!(
            params("multipart/mixed; boundary=\"a;b\""),
            p(&[("boundary", "a;b")])
        );
        // Comments, folding, quoted pairs, a trailing ';'.
        assert_eq!(
            params("text/plain (a (nested) comment) ;\r\n charset = \"us\\-ascii\" ;"),
            p(&[("charset", "us-ascii")])
        );
        // RFC 2231: continuations and extended values.
        assert_eq!(
            params(
                "application/x-stuff; title*0*=us-ascii'en'This%20is; title*1=\" even more \"; title*2*=%2A%2A%2Afun%2A%2A%2A"
            ),
            p(&[("title", "This is even more ***fun***")])
        );
        assert_eq!(
            params("application/octet-stream; name*=utf-8''sm%C3%AFme.p7m"),
            p(&[("name", "sm\u{ef}me.p7m")])
        );
        // Only the media type when asked: sloppy parameters do not matter.
        let loose = content_type(b"text/plain; name=my file.txt", false);
        assert_eq!(
            loose.map(|c| c.mimetype).ok().as_deref(),
            Some("text/plain")
        );
    }

    #[test]
    fn ambiguity_is_refused() {
        for bad in [
            "multipart/mixed; boundary=a; boundary=b",
            "multipart/mixed; Boundary=a; boundary=a",
            "multipart/mixed; boundary=a; boundary*=us-ascii''b",
            "multipart/mixed; boundary*0=a; boundary*0=b",
            "multipart/mixed; boundary*0=a; boundary*2=b",
            "multipart/mixed; boundary*00=a",
            "multipart/mixed; boundary=\"a",
            "multipart/mixed; boundary=a b",
            "multipart/mixed (unclosed; boundary=a",
            "=?utf-8?q?multipart/signed?=; boundary=a",
            "multipart/mixed; =?utf-8?q?boundary?==a",
            "multipart",
            "multipart/",
            "/mixed",
            "",
            "multipart/mixed boundary=a",
            "multipart/mixed; boundary",
            "multipart/mixed; boundary=",
            "multipart/mixed; name*=nocharset",
            "multipart/mixed; name*=utf-8''%zz",
        ] {
            assert!(ct(bad).is_err(), "{bad:?} was read as {:?}", ct(bad));
        }
    }

    #[test]
    fn transfer_encodings() {
        assert_eq!(
            transfer_encoding(b" BASE64 ").ok().as_deref(),
            Some("base64")
        );
        assert_eq!(
            transfer_encoding(b"7bit (comment)").ok().as_deref(),
            Some("7bit")
        );
        assert!(transfer_encoding(b"base 64").is_err());
        assert!(transfer_encoding(b"=?utf-8?q?base64?=").is_err());
        assert!(transfer_encoding(b"").is_err());
    }

    #[test]
    fn tokens_are_printable_ascii_but_tspecials() {
        for b in 0..=u8::MAX {
            let want = b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?=".contains(&b);
            assert_eq!(is_token(b), want, "{b:#04x}");
        }
    }
}
