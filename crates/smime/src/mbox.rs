//! Reading mbox files one message at a time, in bounded memory.
//!
//! An mbox is messages one after another, each starting with a separator line
//! `From <sender> <date>`. Lines of a message that start with `From ` are quoted as `>From `
//! by the writer (and `>From ` as `>>From `, the mboxrd convention); [`Mbox`] removes one `>`
//! from such lines, and drops the empty line that ends each message before the next separator.

use std::io::{self, BufRead};

/// Whether `bytes` begin like an mbox file (a `From ` separator line, not a `From:` header).
pub fn is_mbox(bytes: &[u8]) -> bool {
    bytes.starts_with(b"From ")
}

/// An iterator over the messages of an mbox read from `reader`: each item is one message's
/// bytes (unquoted), or the read error.
#[derive(Debug)]
pub struct Mbox<R> {
    reader: R,
    /// The separator line read ahead, if any.
    started: bool,
    done: bool,
    /// Largest message accepted; longer ones are an error (the reader is not buffered whole).
    max_message: usize,
}

impl<R: BufRead> Mbox<R> {
    /// Messages from `reader`, each at most `max_message` bytes.
    pub fn new(reader: R, max_message: usize) -> Self {
        Mbox {
            reader,
            started: false,
            done: false,
            max_message,
        }
    }
}

fn unquote(line: &[u8]) -> &[u8] {
    let gts = line.iter().take_while(|&&b| b == b'>').count();
    if gts > 0
        && line
            .get(gts..)
            .is_some_and(|rest| rest.starts_with(b"From "))
    {
        line.get(1..).unwrap_or(line)
    } else {
        line
    }
}

impl<R: BufRead> Iterator for Mbox<R> {
    type Item = io::Result<Vec<u8>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let mut message = Vec::new();
        let mut line = Vec::new();
        loop {
            line.clear();
            let n = match self.reader.read_until(b'\n', &mut line) {
                Ok(n) => n,
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            };
            if n == 0 {
                self.done = true;
                break;
            }
            if line.starts_with(b"From ") {
                if !self.started {
                    self.started = true;
                    continue;
                }
                break;
            }
            if !self.started {
                // Text before the first separator: not an mbox entry; skip it.
                continue;
            }
            message.extend_from_slice(unquote(&line));
            if message.len() > self.max_message {
                self.done = true;
                return Some(Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("an mbox message is over {} bytes", self.max_message),
                )));
            }
        }
        if !self.started {
            return None;
        }
        // The empty line before the next separator belongs to the mbox, not the message.
        if message.ends_with(b"\r\n\r\n") {
            message.truncate(message.len() - 2);
        } else if message.ends_with(b"\n\n") {
            message.truncate(message.len() - 1);
        }
        Some(Ok(message))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn splits_and_unquotes() {
        let mbox = b"From a@x Mon Jan  1 00:00:00 2026\nSubject: 1\n\n>From here\n>>From there\n\nFrom b@x Mon Jan  1 00:00:00 2026\nSubject: 2\n\nbody\n";
        let msgs: Vec<Vec<u8>> = Mbox::new(&mbox[..], 1 << 20).map(Result::unwrap).collect();
        assert_eq!(msgs.len(), 2);
        assert_eq!(msgs[0], b"Subject: 1\n\nFrom here\n>From there\n");
        assert_eq!(msgs[1], b"Subject: 2\n\nbody\n");
        assert!(is_mbox(mbox));
        assert!(!is_mbox(b"From: a@x\n"));
        assert_eq!(Mbox::new(&b""[..], 10).count(), 0);
        assert!(Mbox::new(&mbox[..], 5).next().unwrap().is_err());
    }
}
