//! Where messages come from: paths checked up front, folders walked in name order, mbox
//! archives and streams read message by message.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::mpsc::SyncSender;

use smimetrust_smime::mbox::{self, Mbox};

use crate::{Error, Input, Shard};

/// The largest single message read from an mbox.
const MAX_MBOX_MESSAGE: usize = 1 << 30;
/// Folder entries with these extensions are messages; extension-less files are when they
/// start like one.
const EXTENSIONS: &[&str] = &["eml", "p7m", "p7s", "msg", "mbox"];
/// Sources the folder walk hands over at a time: one channel operation (and at most one
/// wake-up of the other thread) per this many files.
pub(crate) const WALK_CHUNK: usize = 64;

/// A checked input: what it is, found with one `stat`, which the walk then trusts.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Stdin,
    Dir(PathBuf),
    /// A regular file.
    File(PathBuf),
    /// Neither a folder nor a regular file: a FIFO or a device, read once from its first byte
    /// (never peeked at: bytes read from a pipe would be gone when the message is read).
    Pipe(PathBuf),
}

/// Checks that every input exists (a typo is an error before anything is verified).
pub(crate) fn check(inputs: &[Input]) -> Result<Vec<Arg>, Error> {
    inputs
        .iter()
        .map(|input| match input {
            Input::Stdin => Ok(Arg::Stdin),
            Input::Path(p) => {
                let meta = std::fs::metadata(p).map_err(|source| Error::Io {
                    file: p.display().to_string(),
                    source,
                })?;
                Ok(if meta.is_dir() {
                    Arg::Dir(p.clone())
                } else if meta.is_file() {
                    Arg::File(p.clone())
                } else {
                    Arg::Pipe(p.clone())
                })
            }
        })
        .collect()
}

/// One source of messages, in order.
pub(crate) enum Source {
    /// A file holding one message.
    File(PathBuf),
    Mbox(PathBuf),
    Stdin,
    /// A FIFO or device given as an input, read once like standard input.
    Pipe(PathBuf),
    /// A folder entry that could not be read.
    Unreadable {
        name: String,
        error: String,
    },
}

/// One message to verify.
pub(crate) enum Item {
    /// A file, read when verified.
    File(PathBuf),
    /// Bytes already read: standard input or an mbox entry.
    Bytes {
        name: String,
        index: Option<usize>,
        bytes: Vec<u8>,
    },
    /// A source that could not be read.
    Unreadable { name: String, error: String },
}

impl Item {
    fn unreadable(name: String, what: &str, e: io::Error) -> Item {
        Item::Unreadable {
            name,
            error: format!("{what}: {e}"),
        }
    }
}

/// What a file's name says it holds.
enum Named {
    Mbox,
    /// `.eml`, `.p7m`, `.p7s`, `.msg`: a message or a CMS file.
    Message,
    Other,
    /// No extension: only its first bytes tell.
    Unnamed,
}

fn named(path: &Path) -> Named {
    let Some(ext) = path.extension() else {
        return Named::Unnamed;
    };
    let ext = ext.as_encoded_bytes();
    if ext.eq_ignore_ascii_case(b"mbox") {
        Named::Mbox
    } else if EXTENSIONS
        .iter()
        .any(|e| ext.eq_ignore_ascii_case(e.as_bytes()))
    {
        Named::Message
    } else {
        Named::Other
    }
}

fn peek(path: &Path, n: u64) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    File::open(path)?.take(n).read_to_end(&mut buf)?;
    Ok(buf)
}

/// A regular file named as an input: an mbox or a message by its name, as in folders; a file
/// of another name is an mbox when it starts like one, else a message.
fn classify(path: &Path) -> Source {
    match named(path) {
        Named::Mbox => Source::Mbox(path.to_owned()),
        Named::Message => Source::File(path.to_owned()),
        Named::Other | Named::Unnamed => match peek(path, 5) {
            Ok(head) if mbox::is_mbox(&head) => Source::Mbox(path.to_owned()),
            _ => Source::File(path.to_owned()),
        },
    }
}

/// What the walk found: the number of sources, and whether any may hold several messages (an
/// mbox or a stream), so that the count is not the number of messages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Walked {
    /// Sources found (files, mbox archives, streams, unreadable entries).
    pub sources: u64,
    /// Whether a source may hold several messages.
    pub multi: bool,
}

/// Sends the sources of `args` in order, in chunks: files as given, folders walked in name
/// order. Stops when the receiver is gone.
pub(crate) fn walk(args: &[Arg], tx: &SyncSender<Vec<Source>>) -> Walked {
    let mut walked = Walked::default();
    let mut chunk = Vec::with_capacity(WALK_CHUNK);
    let mut send = |s: Source| -> bool {
        walked.multi |= matches!(s, Source::Mbox(_) | Source::Stdin | Source::Pipe(_));
        walked.sources += 1;
        chunk.push(s);
        if chunk.len() < WALK_CHUNK {
            return true;
        }
        tx.send(std::mem::replace(
            &mut chunk,
            Vec::with_capacity(WALK_CHUNK),
        ))
        .is_ok()
    };
    let mut done = true;
    for arg in args {
        let go = match arg {
            Arg::Stdin => send(Source::Stdin),
            Arg::File(p) => send(classify(p)),
            Arg::Pipe(p) => send(Source::Pipe(p.clone())),
            Arg::Dir(p) => walk_folder(p, &mut send),
        };
        if !go {
            done = false;
            break;
        }
    }
    if done && !chunk.is_empty() {
        let _ = tx.send(chunk);
    }
    walked
}

/// The messages of a folder, walked in name order, to `send`; `false` when it said stop.
fn walk_folder(p: &Path, send: &mut dyn FnMut(Source) -> bool) -> bool {
    // Siblings' paths are their folder's path joined with their names, so comparing whole
    // paths as bytes orders them by name.
    for entry in walkdir::WalkDir::new(p)
        .follow_links(true)
        .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
    {
        let source = match entry {
            Err(e) => Source::Unreadable {
                name: e.path().unwrap_or(p).display().to_string(),
                error: format!("cannot read: {}", io::Error::from(e)),
            },
            Ok(entry) if !entry.file_type().is_file() => continue,
            Ok(entry) => {
                let path = entry.into_path();
                match named(&path) {
                    Named::Mbox => Source::Mbox(path),
                    Named::Message => Source::File(path),
                    Named::Other => continue,
                    Named::Unnamed => match peek(&path, 512) {
                        Ok(head) if mbox::is_mbox(&head) => Source::Mbox(path),
                        Ok(head) if smimetrust_smime::looks_like_message(&head) => {
                            Source::File(path)
                        }
                        _ => continue,
                    },
                }
            }
        };
        if !send(source) {
            return false;
        }
    }
    true
}

type MboxReader = Mbox<Box<dyn io::BufRead + Send>>;

/// The messages of the sources, one at a time (mbox archives streamed), of one shard.
pub(crate) struct Items<S> {
    sources: S,
    /// The mbox being read: its name, the next entry's index, the reader.
    mbox: Option<(String, usize, MboxReader)>,
    shard: Shard,
    /// Messages met so far, in every shard: the next one's position.
    pub(crate) seen: u64,
}

impl<S: Iterator<Item = Source>> Items<S> {
    pub(crate) fn new(sources: S, shard: Shard) -> Self {
        Items {
            sources,
            mbox: None,
            shard,
            seen: 0,
        }
    }

    /// The next message of any shard, not read yet where it is a file.
    fn next_any(&mut self) -> Option<Item> {
        loop {
            if let Some((name, index, reader)) = &mut self.mbox {
                match reader.next() {
                    Some(Ok(bytes)) => {
                        let item = Item::Bytes {
                            name: name.clone(),
                            index: Some(*index),
                            bytes,
                        };
                        *index += 1;
                        return Some(item);
                    }
                    Some(Err(e)) => {
                        let item = Item::Unreadable {
                            name: name.clone(),
                            error: format!("cannot read mbox entry {index}: {e}"),
                        };
                        self.mbox = None;
                        return Some(item);
                    }
                    None => self.mbox = None,
                }
            }
            match self.sources.next()? {
                Source::File(p) => return Some(Item::File(p)),
                Source::Unreadable { name, error } => {
                    return Some(Item::Unreadable { name, error });
                }
                Source::Mbox(p) => {
                    let name = p.display().to_string();
                    match File::open(&p) {
                        Ok(f) => {
                            let reader: Box<dyn io::BufRead + Send> =
                                Box::new(BufReader::with_capacity(1 << 16, f));
                            self.mbox = Some((name, 0, Mbox::new(reader, MAX_MBOX_MESSAGE)));
                        }
                        Err(e) => return Some(Item::unreadable(name, "cannot read", e)),
                    }
                }
                Source::Stdin => {
                    let stdin = Box::new(io::stdin());
                    if let Some(item) = self.stream("-".into(), stdin, "cannot read standard input")
                    {
                        return Some(item);
                    }
                }
                Source::Pipe(p) => {
                    let name = p.display().to_string();
                    match File::open(&p) {
                        Ok(f) => {
                            if let Some(item) = self.stream(name, Box::new(f), "cannot read") {
                                return Some(item);
                            }
                        }
                        Err(e) => return Some(Item::unreadable(name, "cannot read", e)),
                    }
                }
            }
        }
    }

    /// Standard input or a pipe, read once: an mbox is then read message by message as it
    /// comes (memory stays bounded however long it is), anything else is one message, read
    /// whole. `None` when it is an mbox (its messages follow); `what` starts a read error.
    fn stream(
        &mut self,
        name: String,
        mut reader: Box<dyn Read + Send>,
        what: &str,
    ) -> Option<Item> {
        // The first bytes tell an mbox ("From "); they are put back in front of the rest.
        let mut head = Vec::with_capacity(5);
        if let Err(e) = (&mut reader).take(5).read_to_end(&mut head) {
            return Some(Item::unreadable(name, what, e));
        }
        if mbox::is_mbox(&head) {
            let rest: Box<dyn io::BufRead + Send> = Box::new(BufReader::with_capacity(
                1 << 16,
                io::Cursor::new(head).chain(reader),
            ));
            self.mbox = Some((name, 0, Mbox::new(rest, MAX_MBOX_MESSAGE)));
            return None;
        }
        let mut bytes = head;
        if let Err(e) = reader.read_to_end(&mut bytes) {
            return Some(Item::unreadable(name, what, e));
        }
        Some(Item::Bytes {
            name,
            index: None,
            bytes,
        })
    }
}

impl<S: Iterator<Item = Source>> Iterator for Items<S> {
    type Item = Item;

    /// The next message of this shard: messages of other shards are passed over (files
    /// unread; mbox entries and streams are read, as the next entry's start is only found so).
    fn next(&mut self) -> Option<Item> {
        loop {
            let item = self.next_any()?;
            let position = self.seen;
            self.seen += 1;
            if self.shard.contains(position) {
                return Some(item);
            }
        }
    }
}
