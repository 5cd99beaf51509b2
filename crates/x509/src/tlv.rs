//! A raw TLV walker over `der`'s BER-capable header decoding: yields each element's original
//! bytes and absolute offset, never re-encoding anything. Used for PKCS#7 bundles here and for
//! CMS messages in `smimetrust-smime`, where the exact bytes of certificates and signed
//! attributes matter.

use der::{Decode, Encode, EncodingRules, Header, Reader, SliceReader, Tag};

/// One element: its tag, where it starts, its full bytes and its content bytes.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Tlv<'a> {
    /// The element's tag.
    pub tag: Tag,
    /// Absolute offset of the element's first byte (in the input the walk started from).
    pub offset: usize,
    /// The whole element as it appears in the input (for an indefinite length, with its
    /// end-of-contents octets).
    pub raw: &'a [u8],
    /// The content octets (without end-of-contents octets).
    pub content: &'a [u8],
    /// Absolute offset of the content's first byte.
    pub content_offset: usize,
}

/// A structural problem: where and what.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WalkError {
    /// Absolute offset.
    pub offset: usize,
    /// What is wrong (lower case).
    pub reason: String,
}

impl WalkError {
    /// An error at `offset`.
    pub fn new(offset: usize, reason: impl Into<String>) -> Self {
        WalkError {
            offset,
            reason: reason.into(),
        }
    }
}

/// Iterates over consecutive elements of a byte slice (the top level of an input, or the content
/// of a constructed element).
#[derive(Debug, Clone)]
pub struct Walker<'a> {
    bytes: &'a [u8],
    base: usize,
    pos: usize,
}

impl<'a> Walker<'a> {
    /// A walker over `bytes`, which start at absolute offset `base`.
    pub fn new(bytes: &'a [u8], base: usize) -> Self {
        Walker {
            bytes,
            base,
            pos: 0,
        }
    }

    /// A walker over the content of `tlv`.
    pub fn inside(tlv: &Tlv<'a>) -> Self {
        Walker::new(tlv.content, tlv.content_offset)
    }

    /// Absolute offset of the next element.
    pub fn offset(&self) -> usize {
        self.base.saturating_add(self.pos)
    }

    /// The bytes not yet walked.
    pub fn rest(&self) -> &'a [u8] {
        self.bytes.get(self.pos..).unwrap_or_default()
    }

    /// Whether every byte has been walked.
    pub fn is_empty(&self) -> bool {
        self.rest().is_empty()
    }

    /// The next element, `None` at the end.
    pub fn next_tlv(&mut self) -> Option<Result<Tlv<'a>, WalkError>> {
        let rest = self.rest();
        if rest.is_empty() {
            return None;
        }
        let at = self.offset();
        let result = read_tlv(rest, at);
        match &result {
            Ok(tlv) => self.pos = self.pos.saturating_add(tlv.raw.len()),
            // Stop after an error: the rest cannot be framed.
            Err(_) => self.pos = self.bytes.len(),
        }
        Some(result)
    }

    /// The next element, which must exist.
    pub fn require(&mut self, what: &str) -> Result<Tlv<'a>, WalkError> {
        let at = self.offset();
        self.next_tlv()
            .unwrap_or_else(|| Err(WalkError::new(at, format!("{what} is missing"))))
    }
}

fn der_reason(err: &der::Error) -> String {
    err.kind().to_string()
}

/// Reads one element at the start of `bytes` (absolute offset `at`).
fn read_tlv(bytes: &[u8], at: usize) -> Result<Tlv<'_>, WalkError> {
    if let Some(tlv) = read_common(bytes, at) {
        return Ok(tlv);
    }
    read_any(bytes, at)
}

/// [`read_tlv`] for the elements nearly all inputs consist of: a one-byte tag of the kinds
/// below and a minimal definite length under 64 KiB, in the bytes there are. These are exactly
/// what `der` reads from them (a test compares every tag byte), without its reader's machinery
/// (a third of the cost of walking a message's CMS); `None` for anything else, which
/// [`read_any`] reads with `der`.
fn read_common(bytes: &[u8], at: usize) -> Option<Tlv<'_>> {
    let (&first, rest) = bytes.split_first()?;
    let tag = match first {
        0x01 => Tag::Boolean,
        0x02 => Tag::Integer,
        0x03 => Tag::BitString,
        0x04 => Tag::OctetString,
        0x05 => Tag::Null,
        0x06 => Tag::ObjectIdentifier,
        0x0C => Tag::Utf8String,
        0x13 => Tag::PrintableString,
        0x16 => Tag::Ia5String,
        0x17 => Tag::UtcTime,
        0x18 => Tag::GeneralizedTime,
        0x30 => Tag::Sequence,
        0x31 => Tag::Set,
        // Context-specific, tag number 0 to 30.
        0x80..=0x9E | 0xA0..=0xBE => Tag::ContextSpecific {
            constructed: first & 0x20 != 0,
            number: der::TagNumber(u32::from(first & 0x1F)),
        },
        _ => return None,
    };
    let (len, len_octets) = match *rest {
        [l, ..] if l < 0x80 => (usize::from(l), 1),
        [0x81, l, ..] if l >= 0x80 => (usize::from(l), 2),
        [0x82, h, l, ..] if h != 0 => (usize::from(h) << 8 | usize::from(l), 3),
        _ => return None,
    };
    let header_len: usize = 1 + len_octets;
    let raw = bytes.get(..header_len.checked_add(len)?)?;
    Some(Tlv {
        tag,
        offset: at,
        raw,
        content: raw.get(header_len..)?,
        content_offset: at.saturating_add(header_len),
    })
}

/// [`read_tlv`] with `der`'s BER header decoding: any tag, long lengths, indefinite lengths.
fn read_any(bytes: &[u8], at: usize) -> Result<Tlv<'_>, WalkError> {
    let mut reader = SliceReader::new_with_encoding_rules(bytes, EncodingRules::Ber)
        .map_err(|e| WalkError::new(at, der_reason(&e)))?;
    let header = Header::decode(&mut reader).map_err(|e| {
        let pos = e
            .position()
            .and_then(|p| usize::try_from(p).ok())
            .unwrap_or(0);
        WalkError::new(at.saturating_add(pos), der_reason(&e))
    })?;
    let header_len =
        usize::try_from(reader.position()).map_err(|_| WalkError::new(at, "header too long"))?;
    let declared = usize::try_from(header.length())
        .map_err(|_| WalkError::new(at, "length does not fit this platform"))?;
    let available = bytes.len().saturating_sub(header_len);
    if declared > available {
        return Err(WalkError::new(
            at,
            format!(
                "{} declares {declared} content bytes but only {available} remain",
                tag_name(header.tag())
            ),
        ));
    }
    let end = header_len + declared;
    let raw = bytes.get(..end).unwrap_or_default();
    // An indefinite length is the single length octet 0x80 right after the tag; its content as
    // counted by `der` includes the two end-of-contents octets.
    let tag_len = header
        .tag()
        .encoded_len()
        .ok()
        .and_then(|l| usize::try_from(l).ok())
        .unwrap_or(1);
    let indefinite = bytes.get(tag_len..header_len) == Some(&[0x80][..]);
    let content = if indefinite {
        let body_end = end.saturating_sub(2);
        if body_end < header_len || raw.get(body_end..) != Some(&[0, 0][..]) {
            return Err(WalkError::new(
                at,
                "indefinite length without end-of-contents octets",
            ));
        }
        raw.get(header_len..body_end).unwrap_or_default()
    } else {
        raw.get(header_len..).unwrap_or_default()
    };
    Ok(Tlv {
        tag: header.tag(),
        offset: at,
        raw,
        content,
        content_offset: at.saturating_add(header_len),
    })
}

/// A short human name for a tag, for messages.
pub fn tag_name(tag: Tag) -> String {
    match tag {
        Tag::Sequence => "SEQUENCE".into(),
        Tag::Set => "SET".into(),
        Tag::Integer => "INTEGER".into(),
        Tag::ObjectIdentifier => "OBJECT IDENTIFIER".into(),
        Tag::BitString => "BIT STRING".into(),
        Tag::OctetString => "OCTET STRING".into(),
        Tag::ContextSpecific {
            constructed,
            number,
        } => format!(
            "[{}]{}",
            number.value(),
            if constructed { "" } else { " (primitive)" }
        ),
        other => other.to_string(),
    }
}

/// Whether `tag` is `[n]` constructed.
pub fn is_context(tag: Tag, n: u32) -> bool {
    matches!(tag, Tag::ContextSpecific { constructed: true, number } if number.value() == n)
}

/// Frames `bytes` as exactly one SEQUENCE (BER lengths accepted), returning it.
pub fn single_sequence(bytes: &[u8]) -> Result<Tlv<'_>, WalkError> {
    let mut walker = Walker::new(bytes, 0);
    let tlv = walker.require("a SEQUENCE")?;
    if tlv.tag != Tag::Sequence {
        return Err(WalkError::new(
            0,
            format!("starts with {} instead of a SEQUENCE", tag_name(tlv.tag)),
        ));
    }
    if !walker.is_empty() {
        return Err(WalkError::new(
            walker.offset(),
            format!(
                "{} bytes follow the {}-byte SEQUENCE",
                walker.rest().len(),
                tlv.raw.len()
            ),
        ));
    }
    Ok(tlv)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path reads exactly what `der` reads, for every one-byte tag and the length
    /// encodings around its limits; errors stay `der`'s.
    #[test]
    fn common_elements_are_read_as_der_reads_them() {
        let lengths: &[&[u8]] = &[
            &[0x00],
            &[0x03],
            &[0x7F],
            &[0x80],
            &[0x81, 0x7F],
            &[0x81, 0x80],
            &[0x81, 0xFF],
            &[0x82, 0x00, 0xFF],
            &[0x82, 0x01, 0x00],
            &[0x82, 0xFF, 0xFF],
            &[0x83, 0x01, 0x00, 0x00],
            &[0x84, 0x00, 0x00, 0x00, 0x03],
            &[0x85, 0x01, 0x00, 0x00, 0x00, 0x00],
            &[],
        ];
        let mut fast = 0;
        for tag in 0..=u8::MAX {
            for len in lengths {
                // Enough content for the declared length, and one byte short of it; for the
                // indefinite form an end-of-contents after an element.
                for short in [false, true] {
                    let mut bytes = vec![tag];
                    bytes.extend_from_slice(len);
                    let content = match len {
                        [l] if *l < 0x80 => usize::from(*l),
                        [0x81, l] => usize::from(*l),
                        [0x82, h, l] => usize::from(*h) << 8 | usize::from(*l),
                        _ => 3,
                    };
                    if *len == [0x80u8] {
                        bytes.extend_from_slice(&[0x05, 0x00, 0x00, 0x00]);
                    } else {
                        bytes.resize(
                            bytes.len() + content - usize::from(short && content > 0),
                            0x41,
                        );
                    }
                    bytes.push(0xFF);
                    let got = read_tlv(&bytes, 7);
                    let want = read_any(&bytes, 7);
                    fast += usize::from(read_common(&bytes, 7).is_some());
                    match (got, want) {
                        (Ok(g), Ok(w)) => assert_eq!(
                            (g.tag, g.offset, g.raw, g.content, g.content_offset),
                            (w.tag, w.offset, w.raw, w.content, w.content_offset),
                            "{bytes:02x?}"
                        ),
                        (Err(g), Err(w)) => assert_eq!(g, w, "{bytes:02x?}"),
                        (g, w) => panic!("{bytes:02x?}: {g:?} against {w:?}"),
                    }
                }
            }
        }
        assert!(fast > 100, "{fast}");
    }

    #[test]
    fn definite_and_indefinite() {
        // SEQUENCE (indefinite) { INTEGER 5, SEQUENCE { } } EOC, then NULL.
        let bytes = [
            0x30, 0x80, 0x02, 0x01, 0x05, 0x30, 0x00, 0x00, 0x00, 0x05, 0x00,
        ];
        let mut w = Walker::new(&bytes, 10);
        let seq = w.next_tlv().unwrap().unwrap();
        assert_eq!(seq.tag, Tag::Sequence);
        assert_eq!(seq.offset, 10);
        assert_eq!(seq.raw.len(), 9);
        assert_eq!(seq.content, &[0x02, 0x01, 0x05, 0x30, 0x00]);
        assert_eq!(seq.content_offset, 12);
        let mut inner = Walker::inside(&seq);
        let int = inner.next_tlv().unwrap().unwrap();
        assert_eq!(
            (int.tag, int.raw, int.offset),
            (Tag::Integer, &bytes[2..5], 12)
        );
        let empty = inner.next_tlv().unwrap().unwrap();
        assert_eq!(empty.raw, &[0x30, 0x00]);
        assert!(inner.next_tlv().is_none());
        let null = w.next_tlv().unwrap().unwrap();
        assert_eq!(null.tag, Tag::Null);
        assert!(w.next_tlv().is_none());
    }

    #[test]
    fn long_definite_length_ending_in_0x80_is_not_indefinite() {
        let mut bytes = vec![0x04, 0x81, 0x80];
        bytes.extend([7u8; 128]);
        let tlv = single_tlv(&bytes);
        assert_eq!(tlv.content.len(), 128);
    }

    fn single_tlv(bytes: &[u8]) -> Tlv<'_> {
        Walker::new(bytes, 0).next_tlv().unwrap().unwrap()
    }

    #[test]
    fn overruns_and_garbage_are_errors() {
        for bad in [
            &[0x30, 0x05, 0x02][..],
            &[0x30],
            &[0x30, 0x84, 0xff, 0xff, 0xff, 0xff],
            &[0x30, 0x80, 0x02, 0x01, 0x05],
            &[0x04, 0x80, 0x00, 0x00],
        ] {
            assert!(
                Walker::new(bad, 0).next_tlv().unwrap().is_err(),
                "{bad:02x?}"
            );
        }
        assert!(single_sequence(&[0x30, 0x00, 0x00]).is_err());
        assert!(single_sequence(&[0x31, 0x00]).is_err());
        assert!(single_sequence(&[0x30, 0x00]).is_ok());
    }
}
