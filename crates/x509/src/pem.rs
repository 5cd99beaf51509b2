//! Finding PEM blocks in text (text around and between blocks, CRLF or LF) and decoding them
//! with `pem-rfc7468`.

use crate::Error;

const BEGIN: &[u8] = b"-----BEGIN ";
const END: &[u8] = b"-----END ";
const DASHES: &[u8] = b"-----";
/// Labels longer than this are not labels (keeps the scan linear on hostile input).
const MAX_LABEL: usize = 64;

/// One `-----BEGIN L-----` … `-----END L-----` block.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Block<'a> {
    /// The label (`CERTIFICATE`, `X509 CRL`, …).
    pub label: &'a str,
    /// Where the `-----BEGIN` starts.
    pub offset: usize,
    /// From the `-----BEGIN` through the closing dashes of the `-----END` line.
    pub text: &'a [u8],
}

/// A PEM problem, before the file name is known.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PemError {
    /// Where the block's `-----BEGIN` line starts.
    pub offset: usize,
    /// The block's label.
    pub label: String,
    /// What is wrong with it.
    pub reason: String,
}

impl PemError {
    /// The [`Error::Pem`] for this problem in the input named `file`.
    pub fn into_error(self, file: &str) -> Error {
        Error::Pem {
            file: file.to_owned(),
            offset: self.offset,
            label: self.label,
            reason: self.reason,
        }
    }
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let hay = haystack.get(from..)?;
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    let first = *needle.first()?;
    let mut i = 0;
    while i + needle.len() <= hay.len() {
        // Jump to the next candidate first byte, then compare.
        let pos = hay.get(i..)?.iter().position(|&b| b == first)?;
        i += pos;
        if hay.get(i..i + needle.len()) == Some(needle) {
            return Some(from + i);
        }
        i += 1;
    }
    None
}

/// Whether the input contains a `-----BEGIN ` line at all.
pub fn looks_like_pem(bytes: &[u8]) -> bool {
    find(bytes, BEGIN, 0).is_some()
}

/// The label after a `-----BEGIN ` at `at`, with the offset just past its closing dashes.
fn label_at(bytes: &[u8], at: usize) -> Option<(&str, usize)> {
    let start = at + BEGIN.len();
    let rest = bytes.get(start..)?;
    let window = rest.get(..rest.len().min(MAX_LABEL + DASHES.len()))?;
    let close = find(window, DASHES, 0)?;
    let label = window.get(..close)?;
    if label.is_empty() || label.iter().any(|&b| !(0x20..0x7f).contains(&b)) {
        return None;
    }
    let label = std::str::from_utf8(label).ok()?;
    Some((label, start + close + DASHES.len()))
}

/// Every block, in file order.
///
/// # Errors
/// A `-----BEGIN L-----` line without a matching `-----END L-----`.
pub fn blocks(bytes: &[u8]) -> Result<Vec<Block<'_>>, PemError> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(at) = find(bytes, BEGIN, pos) {
        let Some((label, body)) = label_at(bytes, at) else {
            pos = at + BEGIN.len();
            continue;
        };
        let mut end_marker = Vec::with_capacity(END.len() + label.len() + DASHES.len());
        end_marker.extend_from_slice(END);
        end_marker.extend_from_slice(label.as_bytes());
        end_marker.extend_from_slice(DASHES);
        let Some(end_at) = find(bytes, &end_marker, body) else {
            return Err(PemError {
                offset: at,
                label: label.to_owned(),
                reason: format!("no matching \"-----END {label}-----\" line"),
            });
        };
        let end = end_at + end_marker.len();
        out.push(Block {
            label,
            offset: at,
            text: bytes.get(at..end).unwrap_or_default(),
        });
        pos = end;
    }
    Ok(out)
}

impl Block<'_> {
    /// The decoded bytes (any base64 line width, CRLF or LF).
    ///
    /// # Errors
    /// Bad base64, headers, or a malformed boundary.
    pub fn decode(&self) -> Result<Vec<u8>, PemError> {
        let err = |e: pem_rfc7468::Error| PemError {
            offset: self.offset,
            label: self.label.to_owned(),
            reason: pem_reason(&e),
        };
        let mut decoder = pem_rfc7468::Decoder::new_detect_wrap(self.text).map_err(err)?;
        let mut buf = Vec::new();
        decoder.decode_to_end(&mut buf).map_err(err)?;
        if buf.is_empty() {
            return Err(PemError {
                offset: self.offset,
                label: self.label.to_owned(),
                reason: "the block is empty".into(),
            });
        }
        Ok(buf)
    }
}

fn pem_reason(e: &pem_rfc7468::Error) -> String {
    use pem_rfc7468::Error as E;
    match e {
        E::Base64(_) => "invalid base64 in the block".into(),
        E::HeaderDisallowed => "encapsulated headers (e.g. Proc-Type) are not supported".into(),
        E::Label | E::UnexpectedTypeLabel { .. } => "malformed label".into(),
        E::Length => "bad length".into(),
        E::Preamble => "malformed text before the block".into(),
        E::PreEncapsulationBoundary => "malformed -----BEGIN line".into(),
        E::PostEncapsulationBoundary => "malformed -----END line".into(),
        other => {
            let text = other.to_string();
            let mut chars = text.chars();
            chars
                .next()
                .map(|c| c.to_lowercase().chain(chars).collect())
                .unwrap_or_default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_blocks_with_text_around_and_crlf() {
        let text = b"Subject: x\r\n-----BEGIN CERTIFICATE-----\r\nMAMCAQE=\r\n-----END CERTIFICATE-----\r\nbetween\n-----BEGIN X509 CRL-----\nMAMCAQI=\n-----END X509 CRL-----\ntrailer";
        let b = blocks(text).unwrap();
        assert_eq!(b.len(), 2);
        assert_eq!((b[0].label, b[0].offset), ("CERTIFICATE", 12));
        assert_eq!(b[0].decode().unwrap(), [0x30, 0x03, 0x02, 0x01, 0x01]);
        assert_eq!(b[1].label, "X509 CRL");
        assert_eq!(b[1].decode().unwrap(), [0x30, 0x03, 0x02, 0x01, 0x02]);
    }

    #[test]
    fn unmatched_and_garbage() {
        let e = blocks(b"-----BEGIN CERTIFICATE-----\nMAMCAQE=\n").unwrap_err();
        assert_eq!(e.offset, 0);
        assert!(blocks(b"-----BEGIN ").unwrap().is_empty());
        assert!(blocks(b"-----BEGIN -----").unwrap().is_empty());
        assert!(blocks(b"x-----BEGIN A-----BEGIN B-----").unwrap_err().label == "A");
        let b = blocks(b"-----BEGIN C-----\n!!!!\n-----END C-----\n").unwrap();
        assert!(b[0].decode().is_err());
        assert_eq!(find(b"abcabd", b"abd", 0), Some(3));
        assert_eq!(find(b"ab", b"abd", 0), None);
    }

    #[test]
    fn wide_lines_decode() {
        // 76-column base64 (not the 64 of RFC 7468) still decodes.
        let data: Vec<u8> = (0..=255u8).collect();
        let b64 = pem_rfc7468::encode_string("X", pem_rfc7468::LineEnding::LF, &data).unwrap();
        let body: String = b64.lines().filter(|l| !l.starts_with("-----")).collect();
        let mut wrapped = String::from("-----BEGIN X-----\n");
        for chunk in body.as_bytes().chunks(76) {
            wrapped.push_str(std::str::from_utf8(chunk).unwrap());
            wrapped.push('\n');
        }
        wrapped.push_str("-----END X-----\n");
        assert_eq!(
            blocks(wrapped.as_bytes()).unwrap()[0].decode().unwrap(),
            data
        );
    }
}
