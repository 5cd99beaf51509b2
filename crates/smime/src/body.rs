//! The CMS bytes of an `application/(x-)pkcs7-signature` or `-mime` entity.
//!
//! Such a body is never read as MIME: whatever its bytes, it is decoded by its transfer
//! encoding, which must be `base64`, `binary`, `7bit` or `8bit` (RFC 8551 3.1.3 asks for
//! base64; the others carry DER as it is). A quoted-printable or unknown encoding is an error:
//! DER does not survive it, and decoding it would be one more reading of attacker bytes.

use base64::Engine as _;

use crate::Error;
use crate::mime::Entity;

/// Characters decoded at once: a multiple of 4, so chunks need no padding.
const CHUNK: usize = 64 * 1024;

/// The decoded body of a CMS entity.
pub(crate) fn pkcs7_body(mail: &Entity<'_>) -> Result<Vec<u8>, Error> {
    let raw = mail.body();
    match mail.encoding.as_str() {
        "base64" => base64_body(raw)
            .ok_or_else(|| Error::mime(format!("the {} body is not base64", mail.ctype.mimetype))),
        "binary" | "7bit" | "8bit" => Ok(raw.to_vec()),
        other => Err(Error::mime(format!(
            "the {} body has transfer encoding {other:?}; CMS is carried in base64, binary, 7bit or 8bit",
            mail.ctype.mimetype
        ))),
    }
}

/// Base64 text decoded in chunks straight into the result, so a large opaque message costs
/// its decoded size once more, not also a whitespace-free copy of its text. Lines are copied
/// whole unless they hold spaces or tabs; then white space anywhere is skipped and padding
/// may be missing. Any other character is `None`.
fn base64_body(raw: &[u8]) -> Option<Vec<u8>> {
    let strict = &base64::engine::general_purpose::STANDARD;
    let mut out = Vec::with_capacity(raw.len() / 4 * 3);
    let mut chunk = Vec::with_capacity(CHUNK.min(raw.len()));
    let mut start = 0;
    while start < raw.len() {
        let end = memchr::memchr(b'\n', &raw[start..]).map_or(raw.len(), |i| start + i);
        let line = raw[start..end].trim_ascii();
        start = end + 1;
        if line.iter().any(|b| b.is_ascii_whitespace()) {
            chunk.extend(line.iter().filter(|b| !b.is_ascii_whitespace()));
        } else {
            chunk.extend_from_slice(line);
        }
        if chunk.len() >= CHUNK {
            let whole = chunk.len() / 4 * 4;
            strict.decode_vec(&chunk[..whole], &mut out).ok()?;
            chunk.drain(..whole);
        }
    }
    let done = out.len();
    if strict.decode_vec(&chunk, &mut out).is_err() {
        out.truncate(done);
        // The end without padding (or with unused bits set), as some writers leave it.
        let lenient = base64::engine::GeneralPurpose::new(
            &base64::alphabet::STANDARD,
            base64::engine::GeneralPurposeConfig::new()
                .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
                .with_decode_allow_trailing_bits(true),
        );
        lenient.decode_vec(&chunk, &mut out).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity(headers: &str, body: &[u8]) -> Vec<u8> {
        [headers.as_bytes(), b"\r\n", body].concat()
    }

    #[test]
    fn bodies_decode_by_their_encoding() {
        // 200,000 bytes: several chunks of base64, in 76-column CRLF lines.
        let data: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let text = base64::engine::general_purpose::STANDARD.encode(&data);
        let mut body = Vec::new();
        for line in text.as_bytes().chunks(76) {
            body.extend_from_slice(line);
            body.extend_from_slice(b"\r\n");
        }
        let h = "Content-Type: application/pkcs7-mime\r\nContent-Transfer-Encoding: base64\r\n";
        let raw = entity(h, &body);
        let mail = Entity::parse(&raw).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(pkcs7_body(&mail).ok(), Some(data.clone()));
        // Spaces inside lines, missing padding.
        let raw = entity(h, b"MIIB Ag==\r\n");
        let mail = Entity::parse(&raw).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(pkcs7_body(&mail).ok(), Some(vec![0x30, 0x82, 0x01, 0x02]));
        let raw = entity(h, b"MIIBAg\r\n");
        let mail = Entity::parse(&raw).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(pkcs7_body(&mail).ok(), Some(vec![0x30, 0x82, 0x01, 0x02]));
        // Not base64: an error, never a MIME reading.
        let mut odd = entity(h, &body);
        let at = odd.len() - 10;
        odd.insert(at, b'*');
        let mail = Entity::parse(&odd).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(pkcs7_body(&mail), Err(Error::Mime { .. })));
        // Binary as it is; quoted-printable refused.
        let raw = entity(
            "Content-Type: application/pkcs7-mime\r\nContent-Transfer-Encoding: binary\r\n",
            &[0x30, 0, 0xff],
        );
        let mail = Entity::parse(&raw).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(pkcs7_body(&mail).ok(), Some(vec![0x30, 0, 0xff]));
        let raw = entity(
            "Content-Type: application/pkcs7-mime\r\nContent-Transfer-Encoding: quoted-printable\r\n",
            b"=30",
        );
        let mail = Entity::parse(&raw).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(pkcs7_body(&mail), Err(Error::Mime { .. })));
    }
}
