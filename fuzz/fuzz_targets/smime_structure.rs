//! Structural mutation of well-formed signed messages: the fuzzer's bytes are edit operations
//! (wrap in unsigned multiparts, nest, add parts, duplicate fields and parameters, add lines
//! that look like delimiters, change line ends and transfer encodings, attach as
//! message/rfc822, flip and cut bytes) applied to a genuine fixture message, then verified.
//!
//! Asserts: no panic, no stack overflow (the process would die), an end in under
//! [`MAX_TIME`], and the coverage promise: once an edit has put unsigned content beside or
//! around the signature, the verdict is never `valid` or `valid-weak`. Memory is bounded by
//! running with `-rss_limit_mb` (see fuzz/README.md).
#![no_main]

#[path = "smime_common.rs"]
mod common;

use std::time::{Duration, Instant};

use libfuzzer_sys::fuzz_target;
use smimetrust_path::Validator;
use smimetrust_smime::{Options, Verifier};

/// The issue's bound for any input up to 20 MB, on one core.
const MAX_TIME: Duration = Duration::from_secs(2);

const BASES: &[&[u8]] = &[
    include_bytes!("../../fixtures/smime/messages/rsa-sha256.detached.eml"),
    include_bytes!("../../fixtures/smime/messages/rsa-sha256.opaque.eml"),
    include_bytes!("../../fixtures/smime/messages/nested.eml"),
    include_bytes!("../../fixtures/smime/messages/two-signers.detached.eml"),
    include_bytes!("../../fixtures/smime/messages/p256-sha256.detached.eml"),
];

/// A message as header lines and a body.
struct Message {
    headers: Vec<Vec<u8>>,
    body: Vec<u8>,
}

impl Message {
    fn parse(raw: &[u8]) -> Message {
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .map_or((raw.len(), raw.len()), |i| (i, i + 4));
        let headers = raw[..split.0]
            .split(|&b| b == b'\n')
            .map(|l| l.strip_suffix(b"\r").unwrap_or(l).to_vec())
            .collect();
        Message {
            headers,
            body: raw.get(split.1..).unwrap_or_default().to_vec(),
        }
    }

    fn bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.body.len() + 512);
        for h in &self.headers {
            out.extend_from_slice(h);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&self.body);
        out
    }

    /// The MIME headers (Content-*) of the root, as an entity of its own.
    fn entity(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for h in &self.headers {
            if h.len() >= 8 && h[..8].eq_ignore_ascii_case(b"content-") {
                out.extend_from_slice(h);
                out.extend_from_slice(b"\r\n");
            }
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&self.body);
        out
    }

    /// Replaces the root's Content-* fields with `ctype` and the body with `body`.
    fn rewrap(&mut self, ctype: String, body: Vec<u8>) {
        self.headers
            .retain(|h| !(h.len() >= 8 && h[..8].eq_ignore_ascii_case(b"content-")));
        self.headers.push(ctype.into_bytes());
        self.body = body;
    }
}

fn boundary(arg: u8) -> String {
    match arg % 4 {
        0 => format!("fz{arg}"),
        1 => "----=_Part_1".to_owned(),
        2 => "a;b".to_owned(),
        _ => format!("x{arg}y"),
    }
}

/// Wraps the root entity in a multipart of `subtype` with an unsigned text part first or last.
fn wrap(m: &mut Message, subtype: &str, arg: u8, text_first: bool) {
    let b = boundary(arg);
    let inner = m.entity();
    let text = b"Content-Type: text/plain\r\n\r\nPay 900 EUR to the account below.\r\n".to_vec();
    let (first, second) = if text_first {
        (text, inner)
    } else {
        (inner, text)
    };
    let mut body = Vec::new();
    for part in [first, second] {
        body.extend_from_slice(format!("--{b}\r\n").as_bytes());
        body.extend_from_slice(&part);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{b}--\r\n").as_bytes());
    m.rewrap(
        format!("Content-Type: multipart/{subtype}; boundary=\"{b}\""),
        body,
    );
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, ops)) = data.split_first() else {
        return;
    };
    let mut m = Message::parse(BASES[pick as usize % BASES.len()]);
    // Whether unsigned content now sits beside or around the signature.
    let mut uncovered = false;
    for op in ops.chunks(2).take(24) {
        let (code, arg) = (op[0], op.get(1).copied().unwrap_or(0));
        match code % 16 {
            0 => {
                wrap(&mut m, "mixed", arg, arg & 1 == 0);
                uncovered = true;
            }
            1 => {
                wrap(&mut m, "alternative", arg, true);
                uncovered = true;
            }
            2 => {
                // Nest: unsigned multiparts around the root, then one text part.
                for i in 0..(arg as usize % 64) {
                    let b = format!("n{i}q{arg}");
                    let inner = m.entity();
                    let mut body = format!("--{b}\r\n").into_bytes();
                    body.extend_from_slice(&inner);
                    body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
                    m.rewrap(format!("Content-Type: multipart/mixed; boundary={b}"), body);
                }
                wrap(&mut m, "mixed", arg, false);
                uncovered = true;
            }
            3 => {
                // Many unsigned parts before the signed one.
                let b = format!("w{arg}");
                let inner = m.entity();
                let mut body = Vec::new();
                for _ in 0..(arg as usize * 40) {
                    body.extend_from_slice(format!("--{b}\r\n\r\nx\r\n").as_bytes());
                }
                body.extend_from_slice(format!("--{b}\r\n").as_bytes());
                body.extend_from_slice(&inner);
                body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
                m.rewrap(format!("Content-Type: multipart/mixed; boundary={b}"), body);
                uncovered = true;
            }
            4 => {
                // Attach as message/rfc822 behind a text part.
                let inner = m.bytes();
                let b = format!("r{arg}");
                let mut body = format!("--{b}\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--{b}\r\nContent-Type: message/rfc822\r\n\r\n").into_bytes();
                body.extend_from_slice(&inner);
                body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
                m.rewrap(format!("Content-Type: multipart/mixed; boundary={b}"), body);
                uncovered = true;
            }
            5 => {
                // A header line duplicated.
                if !m.headers.is_empty() {
                    let i = arg as usize % m.headers.len();
                    let h = m.headers[i].clone();
                    m.headers.insert(i, h);
                }
            }
            6 => {
                // A parameter appended to every Content-Type.
                let p: &[u8] = match arg % 5 {
                    0 => b"; boundary=other",
                    1 => b"; protocol=\"application/pkcs7-signature\"",
                    2 => b"; micalg=sha-1",
                    3 => b"; name*0=a; name*1=b.p7m",
                    _ => b"; x=\"a;b\"",
                };
                for h in &mut m.headers {
                    if h.len() >= 13 && h[..13].eq_ignore_ascii_case(b"content-type:") {
                        h.extend_from_slice(p);
                    }
                }
            }
            7 => {
                // A line that starts like a delimiter, inside the body.
                let at = (arg as usize * 97) % (m.body.len() + 1);
                let at = m.body[..at]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |i| i + 1);
                m.body.splice(at..at, b"--".iter().chain(b"boundaryx\r\n").copied());
            }
            8 => {
                m.headers.retain(|h| !h.is_empty());
                for h in &mut m.headers {
                    h.retain(|&b| b != b'\r');
                }
                m.body.retain(|&b| b != b'\r');
            }
            9 => {
                let at = arg as usize % (m.headers.len() + 1);
                m.headers.insert(at, b"a header line without a colon".to_vec());
            }
            10 => {
                if !m.body.is_empty() {
                    let at = (arg as usize * 131) % m.body.len();
                    m.body[at] ^= 1 << (arg % 8);
                }
            }
            11 => {
                let keep = m.body.len() * (arg as usize % 256) / 256;
                m.body.truncate(keep);
            }
            12 => {
                let cte: &[u8] = match arg % 4 {
                    0 => b"Content-Transfer-Encoding: quoted-printable",
                    1 => b"Content-Transfer-Encoding: 7bit",
                    2 => b"Content-Transfer-Encoding: base64",
                    _ => b"Content-Transfer-Encoding: =?utf-8?q?base64?=",
                };
                m.headers.push(cte.to_vec());
            }
            13 => {
                // A From field of many encoded words.
                let mut from = b"From: ".to_vec();
                for _ in 0..(arg as usize * 200) {
                    from.extend_from_slice(b"=?utf-8?q?a?= ");
                }
                from.extend_from_slice(b"<rsa@smime.example>");
                m.headers.retain(|h| !(h.len() >= 5 && h[..5].eq_ignore_ascii_case(b"from:")));
                m.headers.push(from);
            }
            14 => {
                for h in &mut m.headers {
                    if h.len() >= 13 && h[..13].eq_ignore_ascii_case(b"content-type:") {
                        if let Some(i) = h.windows(9).position(|w| w.eq_ignore_ascii_case(b"protocol=")) {
                            h.truncate(i);
                        }
                    }
                }
            }
            _ => {
                // Folded Content-Type.
                for h in &mut m.headers {
                    if let Some(i) = h.iter().position(|&b| b == b';') {
                        h.splice(i + 1..i + 1, b"\r\n\t".iter().copied());
                    }
                }
            }
        }
    }
    let input = m.bytes();
    let validator = Validator::new(
        common::anchors(),
        &[],
        &[],
        smimetrust_sig::default_verifier(),
    );
    let verifier = Verifier::new(&validator, Options::at(common::AT));
    let started = Instant::now();
    let report = verifier.verify(&input, None);
    let took = started.elapsed();
    assert!(
        took < MAX_TIME,
        "{} bytes took {took:?}",
        input.len()
    );
    if uncovered {
        assert!(
            !report.status.is_valid(),
            "unsigned content beside the signature, yet {:?}",
            report.status
        );
    }
});
