//! Message digests (SHA-1 to SHA-512) and the CRLF canonical form of MIME content.

use const_oid::ObjectIdentifier;

use crate::oid;
use sha2::Digest as _;

const ID_SHA1: ObjectIdentifier = const_oid::db::rfc5912::ID_SHA_1;
const ID_SHA224: ObjectIdentifier = const_oid::db::rfc5912::ID_SHA_224;
const ID_SHA256: ObjectIdentifier = const_oid::db::rfc5912::ID_SHA_256;
const ID_SHA384: ObjectIdentifier = const_oid::db::rfc5912::ID_SHA_384;
const ID_SHA512: ObjectIdentifier = const_oid::db::rfc5912::ID_SHA_512;
const ID_MD5: ObjectIdentifier = const_oid::db::rfc5912::ID_MD_5;
const ID_MD2: ObjectIdentifier = const_oid::db::rfc5912::ID_MD_2;
const ID_MD4: ObjectIdentifier = oid("1.2.840.113549.2.4");

/// A digest algorithm a signer may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum DigestAlg {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

/// What a digest algorithm OID is.
pub(crate) enum Lookup {
    Known(DigestAlg),
    /// MD2, MD4, MD5: broken, always refused.
    Broken(&'static str),
    Unknown,
}

impl DigestAlg {
    pub(crate) fn from_oid(o: &ObjectIdentifier) -> Lookup {
        match *o {
            ID_SHA1 => Lookup::Known(DigestAlg::Sha1),
            ID_SHA224 => Lookup::Known(DigestAlg::Sha224),
            ID_SHA256 => Lookup::Known(DigestAlg::Sha256),
            ID_SHA384 => Lookup::Known(DigestAlg::Sha384),
            ID_SHA512 => Lookup::Known(DigestAlg::Sha512),
            ID_MD5 => Lookup::Broken("md5"),
            ID_MD2 => Lookup::Broken("md2"),
            ID_MD4 => Lookup::Broken("md4"),
            _ => Lookup::Unknown,
        }
    }

    /// `sha-1`, `sha-256`, …
    pub(crate) fn name(self) -> &'static str {
        match self {
            DigestAlg::Sha1 => "sha-1",
            DigestAlg::Sha224 => "sha-224",
            DigestAlg::Sha256 => "sha-256",
            DigestAlg::Sha384 => "sha-384",
            DigestAlg::Sha512 => "sha-512",
        }
    }

    fn hasher(self) -> Hasher {
        match self {
            DigestAlg::Sha1 => Hasher::Sha1(sha1::Sha1::new()),
            DigestAlg::Sha224 => Hasher::Sha224(sha2::Sha224::new()),
            DigestAlg::Sha256 => Hasher::Sha256(sha2::Sha256::new()),
            DigestAlg::Sha384 => Hasher::Sha384(sha2::Sha384::new()),
            DigestAlg::Sha512 => Hasher::Sha512(sha2::Sha512::new()),
        }
    }

    /// The digest of `content` as `form` says.
    pub(crate) fn digest(self, content: &[u8], form: Form) -> Vec<u8> {
        let mut h = self.hasher();
        match form {
            Form::AsIs => h.update(content),
            Form::Canonical => canonical_chunks(content, |c| h.update(c)),
        }
        h.finish()
    }
}

enum Hasher {
    Sha1(sha1::Sha1),
    Sha224(sha2::Sha224),
    Sha256(sha2::Sha256),
    Sha384(sha2::Sha384),
    Sha512(sha2::Sha512),
}

impl Hasher {
    fn update(&mut self, bytes: &[u8]) {
        match self {
            Hasher::Sha1(h) => h.update(bytes),
            Hasher::Sha224(h) => h.update(bytes),
            Hasher::Sha256(h) => h.update(bytes),
            Hasher::Sha384(h) => h.update(bytes),
            Hasher::Sha512(h) => h.update(bytes),
        }
    }

    fn finish(self) -> Vec<u8> {
        match self {
            Hasher::Sha1(h) => h.finalize().to_vec(),
            Hasher::Sha224(h) => h.finalize().to_vec(),
            Hasher::Sha256(h) => h.finalize().to_vec(),
            Hasher::Sha384(h) => h.finalize().to_vec(),
            Hasher::Sha512(h) => h.finalize().to_vec(),
        }
    }
}

/// Which bytes of a content are meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    /// Exactly as given.
    AsIs,
    /// With every bare LF (one not after a CR) written as CRLF: the canonical form of MIME
    /// text (RFC 8551 3.1.1), for files saved with LF-only line ends.
    Canonical,
}

/// Whether `bytes` has an LF not preceded by CR (so its canonical form differs).
///
/// Every byte is looked at (lines are short: stopping at each LF costs more than scanning), in
/// blocks of a fixed size whose inner loop has no early exit, so that it compiles to vector
/// compares (a block of 64 pairs in a few instructions; with blocks of a length known only at
/// run time it took 0.65 instructions a byte).
pub(crate) fn has_bare_lf(bytes: &[u8]) -> bool {
    const BLOCK: usize = 64;
    let Some((&first, after)) = bytes.split_first() else {
        return false;
    };
    if first == b'\n' {
        return true;
    }
    // Each byte after the first with the byte before it.
    let before = bytes.get(..bytes.len() - 1).unwrap_or_default();
    let bare = |p: &[u8], c: &[u8]| {
        p.iter().zip(c).fold(0u8, |bare, (&p, &c)| {
            bare | (u8::from(c == b'\n') & u8::from(p != b'\r'))
        }) != 0
    };
    let (prev, prev_rest) = before.as_chunks::<BLOCK>();
    let (cur, cur_rest) = after.as_chunks::<BLOCK>();
    prev.iter().zip(cur).any(|(p, c)| bare(p, c)) || bare(prev_rest, cur_rest)
}

/// Feeds the canonical form of `bytes` to `sink` in chunks, without copying the content.
pub(crate) fn canonical_chunks(bytes: &[u8], mut sink: impl FnMut(&[u8])) {
    let mut start = 0;
    for i in memchr::memchr_iter(b'\n', bytes) {
        if i == 0 || bytes.get(i - 1) != Some(&b'\r') {
            sink(bytes.get(start..i).unwrap_or_default());
            sink(b"\r\n");
            start = i + 1;
        }
    }
    sink(bytes.get(start..).unwrap_or_default());
}

/// The canonical form of `bytes`, as one buffer.
pub(crate) fn canonical(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 32);
    canonical_chunks(bytes, |c| out.extend_from_slice(c));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_form() {
        assert_eq!(canonical(b"a\nb\r\nc\n"), b"a\r\nb\r\nc\r\n");
        assert_eq!(canonical(b"\n\n"), b"\r\n\r\n");
        assert_eq!(canonical(b"x\ry"), b"x\ry");
        assert!(has_bare_lf(b"a\nb"));
        assert!(has_bare_lf(b"\n"));
        assert!(!has_bare_lf(b"a\r\nb"));
        assert!(!has_bare_lf(b""));
        assert!(!has_bare_lf(b"\r"));
        // Across block boundaries, at every position of a long text, against a plain search.
        let expected = |text: &[u8]| {
            memchr::memchr_iter(b'\n', text).any(|i| i == 0 || text.get(i - 1) != Some(&b'\r'))
        };
        for at in 0..300 {
            let mut text = b"x\r\n".repeat(100);
            text[at] = b'\n';
            assert_eq!(has_bare_lf(&text), expected(&text), "LF written at {at}");
            for len in 0..text.len().min(140) {
                let part = &text[..len];
                assert_eq!(
                    has_bare_lf(part),
                    expected(part),
                    "LF written at {at}, {len} bytes"
                );
            }
        }
        for at in 0..300 {
            let mut text = b"x\r\n".repeat(100);
            assert!(!has_bare_lf(&text));
            text.insert(at, b'\n');
            assert_eq!(has_bare_lf(&text), expected(&text), "LF inserted at {at}");
        }
        let d1 = DigestAlg::Sha256.digest(b"a\nb", Form::Canonical);
        let d2 = DigestAlg::Sha256.digest(b"a\r\nb", Form::AsIs);
        assert_eq!(d1, d2);
    }
}
