//! Reading a saved copy of the current `SMIMECertificateIssuingCA` value.
//!
//! Admins save it in one of three ways, all accepted:
//!
//! * the raw bytes, as the backup and upload scripts write them
//!   (`[IO.File]::WriteAllBytes(…, (Get-SmimeConfig).SMIMECertificateIssuingCA)`): an `.sst`;
//! * base64 text (`[Convert]::ToBase64String(…)`), on one line or many;
//! * one decimal number per line, which is what PowerShell prints for a `byte[]`
//!   (`(Get-SmimeConfig).SMIMECertificateIssuingCA > current.txt`).
//!
//! Text may be UTF-8 (with or without a byte-order mark) or UTF-16 with a byte-order mark
//! (Windows PowerShell 5.1's `>` writes UTF-16LE). An empty file, or text with nothing but white
//! space, is an empty value: nothing has been uploaded yet.

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use sha2::Digest as _;
use smimetrust_sst::Store;

use crate::Error;

/// How a saved value was encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Encoding {
    /// Nothing: the value is empty (nothing uploaded yet).
    Empty,
    /// The raw bytes of the store.
    Raw,
    /// Base64 text.
    Base64,
    /// One decimal byte value per line.
    Decimal,
}

impl Encoding {
    /// `empty`, `raw`, `base64` or `decimal`.
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Empty => "empty",
            Encoding::Raw => "raw",
            Encoding::Base64 => "base64",
            Encoding::Decimal => "decimal",
        }
    }
}

/// The current value, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Current {
    /// The value's bytes, exactly as Exchange returns them.
    pub bytes: Vec<u8>,
    /// How the saved copy was encoded.
    pub encoding: Encoding,
    /// The store those bytes hold (no elements when the value is empty).
    pub store: Store,
}

impl Current {
    /// The value of an empty `SMIMECertificateIssuingCA` (nothing uploaded).
    pub fn empty() -> Self {
        Current {
            bytes: Vec::new(),
            encoding: Encoding::Empty,
            store: Store::new(),
        }
    }

    /// SHA-256 of [`Current::bytes`]: what a merge script checks before it uploads.
    pub fn sha256(&self) -> [u8; 32] {
        sha2::Sha256::digest(&self.bytes).into()
    }
}

/// Base64 as `[Convert]::ToBase64String` writes it; padding optional when reading.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Decodes a saved current value (see the module documentation for the encodings).
///
/// # Errors
/// [`Error::CurrentUnrecognized`] for input that is none of the encodings,
/// [`Error::CurrentBadDecimal`] and [`Error::CurrentBadBase64`] for text that starts like one
/// but breaks off, [`Error::CurrentNotSst`] when the decoded bytes are not a serialized store.
pub fn parse_current(input: &[u8]) -> Result<Current, Error> {
    if input.is_empty() {
        return Ok(Current::empty());
    }
    if input.starts_with(&smimetrust_sst::HEADER) {
        return from_bytes(input.to_vec(), Encoding::Raw);
    }
    let text = text_of(input).ok_or(Error::CurrentUnrecognized)?;
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
        .peekable();
    let Some(&(_, first)) = lines.peek() else {
        return Ok(Current::empty());
    };
    if first.len() <= 3 && first.bytes().all(|b| b.is_ascii_digit()) {
        let bytes = lines
            .map(|(line, l)| {
                l.parse::<u8>().map_err(|_| Error::CurrentBadDecimal {
                    line,
                    text: shorten(l),
                })
            })
            .collect::<Result<Vec<u8>, Error>>()?;
        return from_bytes(bytes, Encoding::Decimal);
    }
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if !compact
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
    {
        return Err(Error::CurrentUnrecognized);
    }
    let bytes = BASE64
        .decode(compact.as_bytes())
        .map_err(|e| Error::CurrentBadBase64 {
            reason: e.to_string(),
        })?;
    from_bytes(bytes, Encoding::Base64)
}

fn from_bytes(bytes: Vec<u8>, encoding: Encoding) -> Result<Current, Error> {
    if bytes.is_empty() {
        return Ok(Current::empty());
    }
    let store = smimetrust_sst::parse_store(&bytes)
        .map_err(|source| Error::CurrentNotSst {
            encoding: encoding.as_str(),
            len: bytes.len(),
            source,
        })?
        .to_owned();
    Ok(Current {
        bytes,
        encoding,
        store,
    })
}

/// The input as text: UTF-16 with a byte-order mark, or UTF-8 (a byte-order mark dropped).
fn text_of(input: &[u8]) -> Option<String> {
    let utf16 = |bytes: &[u8], decode: fn([u8; 2]) -> u16| -> Option<String> {
        if !bytes.len().is_multiple_of(2) {
            return None;
        }
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .filter_map(|c| <[u8; 2]>::try_from(c).ok())
            .map(decode)
            .collect();
        String::from_utf16(&units).ok()
    };
    if let Some(rest) = input.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = input.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes);
    }
    let input = input.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(input);
    String::from_utf8(input.to_vec()).ok()
}

/// A line for an error message: at most 40 characters, control characters replaced.
fn shorten(line: &str) -> String {
    let mut s: String = line
        .chars()
        .take(40)
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect();
    if line.chars().count() > 40 {
        s.push('…');
    }
    s
}
