//! The differential test of the MIME reading: generated messages (nested multiparts whose
//! header fields, parameters, delimiters and bodies are mutated the ways attackers and broken
//! mailers mutate them) are read by [`mime`](crate::mime) and by `mail-parser` (Stalwart's
//! parser, written independently of ours and of `mailparse`). Wherever we do not refuse a
//! message, both must read the same tree: the same parts at the same paths, with the same
//! media types and the same bodies. Refusing (`mime-ambiguous`, `mime-malformed`) is always
//! allowed; reading a structure the other parser does not see is the bug.

use mail_parser::{MessageParser, MimeHeaders, PartType};

use crate::mime::{Entity, Media};

/// One entity of a reading: its path, media type, and body (for a leaf).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Node {
    path: String,
    mimetype: String,
    /// The body, less the line ends at its end (readers differ on whose they are); empty for
    /// a multipart.
    body: Vec<u8>,
}

fn trim_end(b: &[u8]) -> Vec<u8> {
    let mut end = b.len();
    while end > 0 && matches!(b[end - 1], b'\r' | b'\n') {
        end -= 1;
    }
    b[..end].to_vec()
}

fn child(prefix: &str, i: usize) -> String {
    if prefix.is_empty() {
        (i + 1).to_string()
    } else {
        format!("{prefix}.{}", i + 1)
    }
}

/// Our reading, or our refusal.
fn ours(input: &[u8]) -> Result<Vec<Node>, crate::Error> {
    fn walk(
        e: &Entity<'_>,
        path: String,
        out: &mut Vec<Node>,
        budget: &mut usize,
    ) -> Result<(), crate::Error> {
        let multipart = matches!(e.media, Media::Multipart | Media::MultipartSigned);
        out.push(Node {
            path: path.clone(),
            mimetype: e.ctype.mimetype.clone(),
            body: if multipart {
                Vec::new()
            } else {
                trim_end(e.body())
            },
        });
        if multipart {
            let mut parts = e.parts(budget)?;
            let mut i = 0;
            while let Some(p) = parts.next_entity()? {
                walk(&p, child(&path, i), out, budget)?;
                i += 1;
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    let mut budget = 64;
    walk(&Entity::parse(input)?, String::new(), &mut out, &mut budget)?;
    Ok(out)
}

/// `mail-parser`'s reading.
fn theirs(input: &[u8]) -> Vec<Node> {
    let Some(message) = MessageParser::default().parse(input) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut stack = vec![(0u32, String::new())];
    while let Some((id, path)) = stack.pop() {
        let Some(part) = message.part(id) else {
            continue;
        };
        let mimetype = part.content_type().map_or_else(
            || "text/plain".to_owned(),
            |c| {
                format!(
                    "{}/{}",
                    c.ctype().to_ascii_lowercase(),
                    c.subtype().unwrap_or_default().to_ascii_lowercase()
                )
            },
        );
        let multipart = matches!(part.body, PartType::Multipart(_));
        let body = if multipart {
            Vec::new()
        } else {
            let (start, end) = (part.offset_body as usize, part.offset_end as usize);
            trim_end(input.get(start..end.max(start)).unwrap_or_default())
        };
        out.push(Node {
            path: path.clone(),
            mimetype,
            body,
        });
        if let PartType::Multipart(ids) = &part.body {
            for (i, &sub) in ids.iter().enumerate().rev() {
                stack.push((sub, child(&path, i)));
            }
        }
    }
    out
}

/// A small deterministic generator (xorshift64*).
struct Gen {
    state: u64,
    eol: &'static str,
}

impl Gen {
    fn next(&mut self) -> u64 {
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// True with probability 1/n.
    fn one_in(&mut self, n: u64) -> bool {
        self.next().is_multiple_of(n)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }

    /// A header field line, sometimes broken the ways the issue lists.
    fn field(&mut self, name: &str, value: &str) -> String {
        let eol = self.eol;
        match self.next() % 40 {
            0 => format!("{name} : {value}{eol}"),
            1 => format!("{name}: {value}{eol}a line without a colon{eol}"),
            2 => format!("{name}: {value}\rX-After-Cr: 1{eol}"),
            _ => format!("{name}: {value}{eol}"),
        }
    }

    /// An entity whose ancestors' boundaries are `outer` (their prefixes make tricky lines).
    fn entity(&mut self, depth: usize, outer: &[String]) -> String {
        let eol = self.eol;
        let mut headers = String::new();
        if self.one_in(30) {
            headers.push_str(&format!(" continuation first{eol}"));
        }
        let multipart = depth < 3 && !self.one_in(3 - depth as u64 % 3 + 1);
        let body = if multipart {
            let subtype = self.pick(&["mixed", "alternative", "signed", "related"]);
            let boundary = match self.next() % 8 {
                0 => "b".to_owned(),
                1 => format!("b{depth}"),
                2 => "a;b".to_owned(),
                3 => "x y".to_owned(),
                4 => "=_Part_0_1".to_owned(),
                5 => outer.last().map_or("c".to_owned(), |o| format!("{o}z")),
                _ => format!("----=_NextPart_{:08x}", self.next() as u32),
            };
            let quoted = boundary.bytes().any(|b| !crate::ctype::is_token(b)) || self.one_in(2);
            let bparam = if quoted {
                format!("boundary=\"{boundary}\"")
            } else {
                format!("boundary={boundary}")
            };
            let value = match self.next() % 12 {
                0 => format!("multipart/{subtype}; {bparam}; boundary=other"),
                1 => format!("multipart/{subtype};{eol}\t{bparam}"),
                2 => format!("Multipart/{subtype} (comment; x) ; {bparam}"),
                3 => format!(
                    "multipart/{subtype}; boundary*0=\"{}\"; boundary*1=\"{}\"",
                    &boundary[..1],
                    &boundary[1..]
                ),
                4 => format!("=?utf-8?q?multipart/{subtype}?=; {bparam}"),
                5 => format!("multipart/{subtype}; BOUNDARY=\"{boundary}\""),
                _ => format!("multipart/{subtype}; {bparam}"),
            };
            headers.push_str(&self.field("Content-Type", &value));
            if self.one_in(25) {
                headers.push_str(&format!("Content-Type: text/plain{eol}"));
            }
            let mut inner = outer.to_vec();
            inner.push(boundary.clone());
            let mut b = String::new();
            if self.one_in(3) {
                b.push_str(&format!("preamble --{boundary} inside a line{eol}"));
            }
            let n = 1 + self.next() % 3;
            for _ in 0..n {
                let pad = self.pick(&["", "", "", " ", "\t ", "x", "--x"]);
                let cr = if self.one_in(40) { "\r" } else { "" };
                b.push_str(&format!("{cr}--{boundary}{pad}{eol}"));
                b.push_str(&self.entity(depth + 1, &inner));
                b.push_str(eol);
            }
            if !self.one_in(8) {
                let pad = self.pick(&["", "", " ", "x"]);
                b.push_str(&format!("--{boundary}--{pad}{eol}"));
                if self.one_in(3) {
                    b.push_str(&format!("epilogue{eol}--{boundary}{eol}"));
                }
            }
            b
        } else {
            let ctype = self.pick(&[
                "",
                "text/plain",
                "text/plain; charset=us-ascii",
                "text/html; charset=\"utf-8\"",
                "application/octet-stream; name=\"a.bin\"",
                "application/pkcs7-signature; name=smime.p7s",
            ]);
            if !ctype.is_empty() {
                headers.push_str(&self.field("Content-Type", ctype));
            }
            if self.one_in(20) {
                headers.push_str(&format!(
                    "Content-Transfer-Encoding: 7bit{eol}Content-Transfer-Encoding: base64{eol}"
                ));
            }
            let mut b = String::new();
            for _ in 0..self.next() % 4 {
                let line = match (self.next() % 12, outer.last()) {
                    (0, Some(o)) => format!("--{o}x"),
                    (1, Some(o)) => format!("--{o}--more"),
                    (2, Some(o)) => format!("text --{o} inside"),
                    (3, _) => "--".to_owned(),
                    _ => self
                        .pick(&["Hello", "Amount: 100 EUR", "", "  indented"])
                        .to_owned(),
                };
                b.push_str(&line);
                b.push_str(eol);
            }
            b
        };
        if depth == 0 {
            headers = format!(
                "From: alice@smime.example{eol}Subject: test{eol}MIME-Version: 1.0{eol}{headers}"
            );
        }
        format!("{headers}{eol}{body}")
    }
}

#[test]
fn our_reading_agrees_with_mail_parser_or_refuses() {
    let mut agreed = 0;
    let mut refused = 0;
    let mut disagreements = Vec::new();
    for seed in 1..=6000u64 {
        let mut g = Gen {
            state: seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1,
            eol: "\r\n",
        };
        if g.one_in(4) {
            g.eol = "\n";
        }
        let message = g.entity(0, &[]);
        match ours(message.as_bytes()) {
            Err(_) => refused += 1,
            Ok(tree) => {
                let reference = theirs(message.as_bytes());
                if tree == reference {
                    agreed += 1;
                } else if disagreements.len() < 3 {
                    disagreements.push(format!(
                        "seed {seed}:\n{message}\nours:   {tree:?}\ntheirs: {reference:?}"
                    ));
                } else {
                    disagreements.push(String::new());
                }
            }
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} disagreements ({agreed} agreed, {refused} refused); the first:\n{}",
        disagreements.len(),
        disagreements.join("\n\n")
    );
    // Neither side of the test is empty.
    assert!(
        agreed > 1200 && refused > 1200,
        "{agreed} agreed, {refused} refused"
    );
}
