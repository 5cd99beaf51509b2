//! `smimetrust verify`: S/MIME signatures of messages, CMS files, folders and mbox archives.
//!
//! Inputs are expanded into a stream of messages (mbox files are read entry by entry), verified
//! in batches on all cores, and reported in input order as each batch completes, so memory is
//! bounded by the batches in flight whatever the number of messages. The next batch is queued
//! before the one being verified completes, so the cores never wait for the main thread.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, SyncSender};
use std::sync::{Arc, OnceLock};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use smimetrust_chain::Validator;
use smimetrust_smime::mbox::{self, Mbox};
use smimetrust_smime::{Options, Report, Status, Verifier};
use time::format_description::well_known::Rfc3339;

use crate::args::{Format, ProfileArg, VerifyArgs};
use crate::chain::{Trust, load_trust, options};
use crate::error::{CliError, Result};
use crate::render;

/// Messages verified together, at most.
const BATCH: usize = 256;
/// Batches queued on the thread pool at once: while the main thread waits for the first (to
/// print it), the cores already have the next. What is held in memory at once, besides the
/// trust material, is these batches.
const IN_FLIGHT: usize = 2;
/// The first batch: small, so that verification starts as soon as a few files are found;
/// each batch after it is twice the one before, up to [`BATCH`].
const FIRST_BATCH: usize = 16;
/// Files of a batch asked ahead of the one being read, once reads have had to wait for the
/// disk (see [`ReadAhead`]).
const READ_AHEAD: usize = 64;
/// Two reads of a batch that waited for the disk at most this many files apart start the
/// read-ahead; a lone one does not (see [`ReadAhead`]).
const NEAR_MISS: usize = 4;
/// Reads that must have waited for the disk, at the least, before every file of the run is
/// asked for ahead (see [`ReadAhead`])...
const COLD_MISSES: usize = 4;
/// ...and at least one read in this many of those done so far.
const COLD_RATE: usize = 32;
/// Sources the folder walk hands over at a time.
const WALK_CHUNK: usize = 64;
/// A read buffer up to this size is kept for the thread's next file.
const KEEP_READ_BUFFER: usize = 1 << 20;
/// A read buffer starts at this size and doubles while a file fills it.
const FIRST_READ_BUFFER: usize = 1 << 16;

thread_local! {
    /// Each thread reads its files into one buffer, kept between files (all of it initialised:
    /// its length, not its capacity, is what is read into).
    static READ_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// What [`read_into`] read.
struct FileRead {
    /// The file's length.
    len: usize,
    /// Whether its first bytes were not in the page cache (the read waited for the disk).
    waited: bool,
}

/// Reads the file at `path` into the start of `buf`, growing it as needed.
///
/// Four system calls a file (open, read, the read that finds the end, close): `fs::read` and
/// `read_to_end` also ask the file's size and position first, two more calls on every message.
/// The first read is [`first_read`]'s, which does not wait for the disk; the open is
/// [`open_in_folder`]'s.
fn read_into(path: &Path, buf: &mut Vec<u8>) -> io::Result<FileRead> {
    let mut file = open_in_folder(path)?;
    if buf.len() < FIRST_READ_BUFFER {
        buf.resize(FIRST_READ_BUFFER, 0);
    }
    let (first, waited) = first_read(&file, buf);
    let mut filled = match first {
        Some(0) => return Ok(FileRead { len: 0, waited }),
        Some(n) => n,
        None => 0,
    };
    loop {
        if filled == buf.len() {
            buf.resize(buf.len() * 2, 0);
        }
        match file.read(&mut buf[filled..]) {
            Ok(0) => {
                return Ok(FileRead {
                    len: filled,
                    waited,
                });
            }
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

#[cfg(target_os = "linux")]
thread_local! {
    /// The folder this thread last opened a file in, and a handle on it (`O_PATH`).
    static FOLDER: std::cell::RefCell<Option<(PathBuf, rustix::fd::OwnedFd)>> =
        const { std::cell::RefCell::new(None) };
}

/// Opens `path` for reading (Linux): relative to a handle on its folder, kept for the thread's
/// next file, so that the kernel looks up one name rather than every folder on the way (files
/// of a folder come one after the other); anything else (a path without a folder, a folder
/// that cannot be opened) is opened as usual.
#[cfg(target_os = "linux")]
fn open_in_folder(path: &Path) -> io::Result<File> {
    use rustix::fs::{Mode, OFlags};
    let (Some(folder), Some(name)) = (path.parent(), path.file_name()) else {
        return File::open(path);
    };
    if folder.as_os_str().is_empty() {
        return File::open(path);
    }
    FOLDER.with_borrow_mut(|kept| {
        let fd = match kept {
            Some((p, fd)) if p.as_os_str() == folder.as_os_str() => fd,
            _ => {
                let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
                match rustix::fs::open(folder, flags, Mode::empty()) {
                    Ok(fd) => &kept.insert((folder.to_owned(), fd)).1,
                    Err(_) => return File::open(path),
                }
            }
        };
        rustix::fs::openat(fd, name, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty())
            .map(File::from)
            .map_err(io::Error::from)
    })
}

/// Elsewhere: opened as usual.
#[cfg(not(target_os = "linux"))]
fn open_in_folder(path: &Path) -> io::Result<File> {
    File::open(path)
}

/// The first read of a file into `buf`, one that does not wait for the disk (Linux: `preadv2`
/// with `RWF_NOWAIT`, which fails at once when the bytes are not in the page cache; that is how
/// [`ReadAhead`] learns that files come from the disk). The bytes read (`None`: none yet, read
/// on as usual: the bytes were not in the page cache, or there is no such read here) and
/// whether the bytes were not in the page cache.
#[cfg(target_os = "linux")]
fn first_read(file: &File, buf: &mut [u8]) -> (Option<usize>, bool) {
    let mut slices = [io::IoSliceMut::new(buf)];
    // Offset -1: from the file's position, moving it, as `read` does.
    match rustix::io::preadv2(
        file,
        &mut slices,
        u64::MAX,
        rustix::io::ReadWriteFlags::NOWAIT,
    ) {
        Ok(n) => (Some(n), false),
        // EAGAIN: not in the page cache. Anything else (EOPNOTSUPP where a file system has no
        // such read, EINTR): the plain read reports what is wrong, if anything.
        Err(e) => (None, e == rustix::io::Errno::AGAIN),
    }
}

/// Elsewhere, no read that does not wait: [`read_into`] reads as usual.
#[cfg(not(target_os = "linux"))]
fn first_read(_file: &File, _buf: &mut [u8]) -> (Option<usize>, bool) {
    (None, false)
}

/// Read-ahead for a batch of files that come from the disk.
///
/// When a read finds its file out of the page cache ([`FileRead::waited`]) and another read of
/// the batch did a few files before it ([`NEAR_MISS`]), the kernel is asked to start reading
/// the next [`READ_AHEAD`] files of the batch in the background
/// (`posix_fadvise`, `POSIX_FADV_WILLNEED`). Once reads keep waiting (at the end of a batch:
/// at least [`COLD_MISSES`] of them, and one in [`COLD_RATE`] of the files read so far, see
/// [`confirms_cold`]), the files come from the disk: from then on each batch is asked for as a
/// whole when it is gathered, while the batch before it is verified ([`ReadAhead::ask_all`]),
/// and each read asks for the next files of its thread's share. The disk then has many reads in
/// flight while the cores verify, instead of one per thread, each thread waiting for its own.
/// On files in the page cache nothing of this runs (reads do not wait), so it costs nothing
/// there; a file the kernel has dropped from the cache here and there costs its own read from
/// the disk and nothing more. (Asking ahead at every lone miss cost the bench machine, whose
/// kernel drops a few cached files every few seconds, 64 to 300 needless advices, each an
/// open, an advice and a close, in one warm run of 1,000 messages in two.) On the 2-core
/// bench machine, 1,000 messages just dropped from the page cache took 160 ms without
/// read-ahead and 70 ms with it (about 60 ms in the page cache); 10,000 messages 1,315 ms and
/// 502 ms.
struct ReadAhead<'a> {
    items: &'a [Item],
    /// Which items have been asked for (one flag an item).
    asked: &'a [AtomicBool],
    /// Whether the run's files come from the disk ([`confirms_cold`]).
    cold: &'a AtomicBool,
    /// Reads of the run that waited for the disk.
    misses: &'a AtomicUsize,
    /// The batch's item whose read waited last (`usize::MAX`: none yet).
    last_miss: &'a AtomicUsize,
}

/// Whether `misses` reads that waited for the disk, of `reads` done, say that the files come
/// from the disk (rather than a few of them having been dropped from the page cache).
fn confirms_cold(misses: usize, reads: usize) -> bool {
    misses >= COLD_MISSES && misses.saturating_mul(COLD_RATE) >= reads
}

impl<'a> ReadAhead<'a> {
    fn new(
        items: &'a [Item],
        asked: &'a [AtomicBool],
        last_miss: &'a AtomicUsize,
        job: &Job<'a>,
    ) -> ReadAhead<'a> {
        ReadAhead {
            items,
            asked,
            cold: job.cold,
            misses: job.misses,
            last_miss,
        }
    }

    /// Asks for every file of a batch, before it is verified (when it is gathered, while the
    /// batch before it is verified): otherwise each thread would wait for the first file of
    /// its share.
    fn ask_all(items: &[Item]) {
        items.iter().for_each(advise_will_need);
    }

    /// Before item `i` is read: when files come from the disk, the next ones are asked for.
    fn before(&self, i: usize) {
        if self.cold.load(Ordering::Relaxed) {
            self.ask(i + 1);
        }
    }

    /// Item `i`'s read waited for the disk: the miss is counted, and when another read of the
    /// batch waited a few files before (or after) it, the next files are asked for.
    fn waited(&self, i: usize) {
        self.misses.fetch_add(1, Ordering::Relaxed);
        let before = self.last_miss.swap(i, Ordering::Relaxed);
        if before != usize::MAX && before.abs_diff(i) <= NEAR_MISS {
            self.ask(i + 1);
        }
    }

    /// Asks for the items from `from` on, up to [`READ_AHEAD`] of them, not asked for before.
    fn ask(&self, from: usize) {
        let to = (from + READ_AHEAD).min(self.items.len());
        for j in from..to {
            if self.asked[j].load(Ordering::Relaxed) || self.asked[j].swap(true, Ordering::Relaxed)
            {
                continue;
            }
            advise_will_need(&self.items[j]);
        }
    }
}

/// Asks the kernel to read an item's file into the page cache in the background (nothing for
/// bytes already read); only advice, so failures are ignored (the file's own read reports
/// them). Opened without waiting (`O_NONBLOCK`): a FIFO given as a message path must not block
/// here, ahead of its turn. Linux only.
fn advise_will_need(item: &Item) {
    let Item::File(path) = item else {
        return;
    };
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{Mode, OFlags};
        let flags = OFlags::RDONLY | OFlags::NONBLOCK | OFlags::CLOEXEC;
        if let Ok(fd) = rustix::fs::open(path, flags, Mode::empty()) {
            let _ = rustix::fs::fadvise(&fd, 0, None, rustix::fs::Advice::WillNeed);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = path;
}

/// A batch of messages on the thread pool: one job a message, each filling its output; the
/// job that finishes the batch wakes the main thread, which prints the outputs in order.
struct Batch {
    items: Vec<Item>,
    /// Which items' files have been asked for ahead ([`ReadAhead`]).
    asked: Vec<AtomicBool>,
    /// The item whose read waited for the disk last ([`ReadAhead`]).
    last_miss: AtomicUsize,
    outputs: Vec<OnceLock<Output>>,
    /// Jobs not yet done.
    left: AtomicUsize,
}

/// One message's result, rendered by the job that verified it: the main thread only counts
/// and writes (rendering there, and freeing there the strings of a line that a worker
/// allocated, kept a core busy and made the workers' allocator contend).
struct Output {
    /// The JSON line or the human lines; an error when rendering failed (it cannot for these
    /// values into memory, but is not unwrapped).
    text: std::result::Result<Vec<u8>, String>,
    status: &'static str,
    /// Whether the message could not be read (exit code 2).
    io_error: bool,
}

impl Output {
    fn render(l: &Line, format: Format) -> Output {
        let mut text = Vec::with_capacity(1024);
        let rendered = match format {
            Format::Json => render::json(&mut text, l).map_err(|e| e.to_string()),
            Format::Human => human(&mut text, l).map_err(|e| e.to_string()),
        };
        Output {
            text: rendered.map(|()| text),
            status: l.status,
            io_error: l.code == Some("io-error"),
        }
    }
}

impl Batch {
    /// `asked`: all of `items` were asked for already ([`ReadAhead::ask_all`]).
    fn new(items: Vec<Item>, asked: bool) -> Batch {
        Batch {
            asked: items.iter().map(|_| AtomicBool::new(asked)).collect(),
            last_miss: AtomicUsize::new(usize::MAX),
            outputs: items.iter().map(|_| OnceLock::new()).collect(),
            left: AtomicUsize::new(items.len()),
            items,
        }
    }

    /// Verifies item `i` into its output; wakes `main` when it was the batch's last.
    fn verify(&self, i: usize, verifier: &Verifier<'_>, job: &Job<'_>) {
        let ahead = ReadAhead::new(&self.items, &self.asked, &self.last_miss, job);
        let line = verify_item(verifier, job.content, &ahead, i, &self.items[i]);
        let _ = self.outputs[i].set(Output::render(&line, job.format));
        if self.left.fetch_sub(1, Ordering::AcqRel) == 1 {
            job.main.unpark();
        }
    }

    /// Waits until every message of the batch is verified (the main thread only).
    fn wait(&self) {
        while self.left.load(Ordering::Acquire) != 0 {
            std::thread::park();
        }
    }

    /// The outputs, in order; complete after [`Batch::wait`].
    fn outputs(&self) -> impl Iterator<Item = &Output> {
        self.outputs.iter().filter_map(OnceLock::get)
    }
}

/// What every job of a run shares.
struct Job<'a> {
    content: Option<&'a [u8]>,
    format: Format,
    /// Whether the run's files come from the disk ([`ReadAhead`]).
    cold: &'a AtomicBool,
    /// Reads of the run that waited for the disk ([`ReadAhead`]).
    misses: &'a AtomicUsize,
    /// The thread to wake when a batch is done.
    main: &'a std::thread::Thread,
}

/// The largest single message read from an mbox.
const MAX_MBOX_MESSAGE: usize = 1 << 30;
/// Folder entries with these extensions are messages; extension-less files are when they
/// start like one.
const EXTENSIONS: &[&str] = &["eml", "p7m", "p7s", "msg", "mbox"];

/// One message to verify.
enum Item {
    /// A file, read when verified.
    File(PathBuf),
    /// Bytes already read: standard input or an mbox entry.
    Bytes {
        name: String,
        index: Option<usize>,
        bytes: Vec<u8>,
    },
    /// A file that could not be read.
    Unreadable { name: String, error: String },
}

impl Item {
    /// A source that could not be read: `what` and the error.
    fn unreadable(name: String, what: &str, e: io::Error) -> Item {
        Item::Unreadable {
            name,
            error: format!("{what}: {e}"),
        }
    }
}

/// Where messages come from, in order.
enum Source {
    File(PathBuf),
    Mbox(PathBuf),
    Stdin,
    /// A path that is not a regular file: a FIFO or a character device (process substitution's
    /// `/dev/fd/N`, `/dev/stdin`). Opened and read once, in order, like standard input.
    Pipe(PathBuf),
    /// A folder entry that could not be read.
    Unreadable {
        name: String,
        error: String,
    },
}

fn peek(path: &Path, n: usize) -> io::Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(n);
    File::open(path)?.take(n as u64).read_to_end(&mut buf)?;
    Ok(buf)
}

/// Whether the first bytes of a file look like a message: a header line, or an mbox.
fn starts_like_message(head: &[u8]) -> bool {
    if mbox::is_mbox(head) {
        return true;
    }
    let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    line.iter()
        .position(|&b| b == b':')
        .is_some_and(|c| c > 0 && line.iter().take(c).all(|b| b.is_ascii_graphic()))
}

/// What a file's name says it holds.
enum Named {
    /// `.mbox`.
    Mbox,
    /// `.eml`, `.p7m`, `.p7s`, `.msg`: a message or a CMS file.
    Message,
    /// Another extension.
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

/// A regular file given as a PATH: an mbox or a message by its name, as in folders; a file of
/// another name is an mbox when it starts like one, else a message.
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

/// A PATH argument, checked.
#[derive(Clone, Copy)]
enum Arg<'a> {
    /// `-`.
    Stdin,
    Dir(&'a Path),
    /// A regular file.
    File(&'a Path),
    /// Neither a folder nor a regular file: a FIFO or a device, read once from its first byte
    /// (never peeked at: bytes read from a pipe would be gone when the message is read).
    Pipe(&'a Path),
}

/// Checks that every PATH exists before anything is verified (a typo is a usage error, not a
/// line of output), and tells what each is (one `stat` each, which the walk then trusts);
/// what is inside folders is found by [`walk`] while verification runs.
fn check_paths(paths: &[PathBuf]) -> Result<Vec<Arg<'_>>> {
    paths
        .iter()
        .map(|p| {
            if crate::output::is_dash(p) {
                return Ok(Arg::Stdin);
            }
            let meta = std::fs::metadata(p).map_err(|e| CliError::io(p, "cannot read", e))?;
            Ok(if meta.is_dir() {
                Arg::Dir(p)
            } else if meta.is_file() {
                Arg::File(p)
            } else {
                Arg::Pipe(p)
            })
        })
        .collect()
}

/// Sends the sources of `paths` in order: files as given, folders walked in name order. A
/// folder entry that cannot be read is sent as [`Source::Unreadable`] and the walk goes on.
/// Stops when the receiver is gone; returns the number of sources sent and whether any may
/// hold several messages (an mbox or standard input).
fn walk(paths: &[Arg<'_>], tx: &SyncSender<Vec<Source>>) -> (u64, bool) {
    let mut chunks = Chunks {
        tx,
        chunk: Vec::with_capacity(WALK_CHUNK),
        sent: 0,
        multi: false,
    };
    let done = walk_into(paths, &mut |s| chunks.push(s));
    if done {
        chunks.flush();
    }
    (chunks.sent, chunks.multi)
}

/// Sources handed over in chunks: one channel operation (and at most one wake-up of the other
/// thread) per [`WALK_CHUNK`] files, not per file.
struct Chunks<'a> {
    tx: &'a SyncSender<Vec<Source>>,
    chunk: Vec<Source>,
    sent: u64,
    multi: bool,
}

impl Chunks<'_> {
    /// Adds a source; `false` when the receiver is gone.
    fn push(&mut self, s: Source) -> bool {
        self.multi |= matches!(s, Source::Mbox(_) | Source::Stdin | Source::Pipe(_));
        self.sent += 1;
        self.chunk.push(s);
        self.chunk.len() < WALK_CHUNK || self.flush()
    }

    fn flush(&mut self) -> bool {
        let chunk = std::mem::replace(&mut self.chunk, Vec::with_capacity(WALK_CHUNK));
        chunk.is_empty() || self.tx.send(chunk).is_ok()
    }
}

/// The walk itself: each source to `send`, in order, until it returns `false` (then `false`).
fn walk_into(paths: &[Arg<'_>], send: &mut dyn FnMut(Source) -> bool) -> bool {
    for &arg in paths {
        let p = match arg {
            Arg::Stdin => Source::Stdin,
            Arg::File(p) => classify(p),
            Arg::Pipe(p) => Source::Pipe(p.to_owned()),
            Arg::Dir(p) => {
                if !walk_folder(p, send) {
                    return false;
                }
                continue;
            }
        };
        if !send(p) {
            return false;
        }
    }
    true
}

/// The messages of a folder, walked in name order, to `send`; `false` when it said stop.
fn walk_folder(p: &Path, send: &mut dyn FnMut(Source) -> bool) -> bool {
    // In name order: siblings' paths are their folder's path joined with their names, so
    // comparing whole paths as bytes orders them as their names would, without
    // `sort_by_file_name`'s parse of two paths for every comparison (which took half of the
    // time to list a folder of 1,000 files, before the first of them could be verified).
    for entry in walkdir::WalkDir::new(p)
        .follow_links(true)
        .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
    {
        let source = match entry {
            Err(e) => {
                let path = e.path().unwrap_or(p).display().to_string();
                Source::Unreadable {
                    name: path,
                    error: format!("cannot read: {}", io::Error::from(e)),
                }
            }
            Ok(entry) if !entry.file_type().is_file() => continue,
            Ok(entry) => {
                let path = entry.into_path();
                match named(&path) {
                    // Named as mail: no need to look inside before verifying.
                    Named::Mbox => Source::Mbox(path),
                    Named::Message => Source::File(path),
                    Named::Other => continue,
                    Named::Unnamed => match peek(&path, 512) {
                        Ok(head) if mbox::is_mbox(&head) => Source::Mbox(path),
                        Ok(head) if starts_like_message(&head) => Source::File(path),
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

/// The messages of the sources, one at a time (mbox files streamed).
struct Items {
    sources: std::iter::Flatten<mpsc::IntoIter<Vec<Source>>>,
    /// The mbox being read: its name, the next entry's index, the reader.
    mbox: Option<(String, usize, MboxReader)>,
}

impl Iterator for Items {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
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
                        Err(e) => {
                            return Some(Item::unreadable(name, "cannot read", e));
                        }
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
                        Err(e) => {
                            return Some(Item::unreadable(name, "cannot read", e));
                        }
                    }
                }
            }
        }
    }
}

impl Items {
    /// Standard input or a pipe, read once: an mbox is then read message by message as it
    /// comes (memory stays bounded however long it is), anything else is one message, read
    /// whole. `None` when it is an mbox (its messages follow); `what` starts a read error.
    fn stream(&mut self, name: String, reader: Box<dyn Read + Send>, what: &str) -> Option<Item> {
        let mut reader = reader;
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

#[derive(Serialize)]
struct JsonLayer {
    kind: &'static str,
    status: &'static str,
    code: Option<&'static str>,
}

#[derive(Serialize)]
struct JsonChain {
    sha1: String,
    subject: String,
}

#[derive(Serialize)]
struct JsonSigner {
    layer: usize,
    subject: Option<String>,
    email: Option<String>,
    sha1: Option<String>,
    signing_time: Option<String>,
    validated_at: String,
    digest_algorithm: String,
    signature_algorithm: String,
    status: &'static str,
    code: Option<&'static str>,
    message: Option<String>,
    chain: Vec<JsonChain>,
}

#[derive(Serialize)]
struct JsonWarning {
    code: &'static str,
    message: String,
}

#[derive(Serialize)]
struct Line {
    file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<usize>,
    status: &'static str,
    code: Option<&'static str>,
    message: Option<String>,
    from: Option<String>,
    layers: Vec<JsonLayer>,
    signers: Vec<JsonSigner>,
    warnings: Vec<JsonWarning>,
}

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_else(|_| t.to_string())
}

fn line(file: String, index: Option<usize>, r: Report) -> Line {
    Line {
        file,
        index,
        status: r.status.as_str(),
        code: r.code,
        message: r.message,
        from: r.from,
        layers: r
            .layers
            .iter()
            .map(|l| JsonLayer {
                kind: l.kind.as_str(),
                status: l.status.as_str(),
                code: l.code,
            })
            .collect(),
        signers: r
            .signers
            .into_iter()
            .map(|s| JsonSigner {
                layer: s.layer,
                subject: s.subject,
                email: s.email,
                sha1: s.sha1,
                signing_time: s.signing_time.map(rfc3339),
                validated_at: rfc3339(s.validated_at),
                digest_algorithm: s.digest_algorithm,
                signature_algorithm: s.signature_algorithm,
                status: s.status.as_str(),
                code: s.code,
                message: s.message,
                chain: s
                    .chain
                    .into_iter()
                    .map(|c| JsonChain {
                        sha1: c.sha1,
                        subject: c.subject,
                    })
                    .collect(),
            })
            .collect(),
        warnings: r
            .warnings
            .into_iter()
            .map(|w| JsonWarning {
                code: w.code,
                message: w.message,
            })
            .collect(),
    }
}

fn verify_item(
    verifier: &Verifier<'_>,
    content: Option<&[u8]>,
    ahead: &ReadAhead<'_>,
    i: usize,
    item: &Item,
) -> Line {
    let io_error = |file: String, message: String| Line {
        file,
        index: None,
        status: Status::Error.as_str(),
        code: Some("io-error"),
        message: Some(message),
        from: None,
        layers: Vec::new(),
        signers: Vec::new(),
        warnings: Vec::new(),
    };
    match item {
        Item::File(path) => {
            let name = path.display().to_string();
            ahead.before(i);
            READ_BUFFER.with_borrow_mut(|buf| {
                let l = match read_into(path, buf) {
                    Ok(read) => {
                        if read.waited {
                            ahead.waited(i);
                        }
                        line(name, None, verifier.verify(&buf[..read.len], content))
                    }
                    Err(e) => io_error(name, format!("cannot read: {e}")),
                };
                if buf.len() > KEEP_READ_BUFFER {
                    *buf = Vec::new();
                }
                l
            })
        }
        Item::Bytes { name, index, bytes } => {
            line(name.clone(), *index, verifier.verify(bytes, content))
        }
        Item::Unreadable { name, error } => io_error(name.clone(), error.clone()),
    }
}

/// Counts by status, for the summary.
#[derive(Default)]
struct Tally {
    total: usize,
    valid: usize,
    weak: usize,
    invalid: usize,
    not_signed: usize,
    encrypted: usize,
    errors: usize,
    io_errors: usize,
}

impl Tally {
    fn add(&mut self, o: &Output) {
        self.total += 1;
        match o.status {
            "valid" => self.valid += 1,
            "valid-weak" => self.weak += 1,
            "invalid" => self.invalid += 1,
            "not-signed" => self.not_signed += 1,
            "encrypted" => self.encrypted += 1,
            _ => {
                if o.io_error {
                    self.io_errors += 1;
                }
                self.errors += 1;
            }
        }
    }
}

fn human(out: &mut impl Write, l: &Line) -> io::Result<()> {
    let name = match l.index {
        Some(i) => format!("{}#{i}", render::printable(&l.file)),
        None => render::printable(&l.file),
    };
    let what = match l.code {
        Some(code) => format!(
            "[{code}] {}",
            render::printable(l.message.as_deref().unwrap_or(""))
        ),
        None => {
            let signers: Vec<String> = l
                .signers
                .iter()
                .map(|s| {
                    let who = render::printable(s.subject.as_deref().unwrap_or("(unknown signer)"));
                    match &s.email {
                        Some(e) => format!("{who} <{}>", render::printable(e)),
                        None => who,
                    }
                })
                .collect();
            signers.join(", ")
        }
    };
    writeln!(out, "{:<11} {name}  {what}", l.status)?;
    for w in &l.warnings {
        writeln!(
            out,
            "    warning[{}]: {}",
            w.code,
            render::printable(&w.message)
        )?;
    }
    Ok(())
}

pub fn run(args: &VerifyArgs) -> Result<u8> {
    let (time, at_signing_time) = match args.at.as_deref() {
        Some(s) if s.eq_ignore_ascii_case("signing-time") => {
            (crate::check::parse_time(None)?, true)
        }
        other => (crate::check::parse_time(other)?, false),
    };
    if args.jobs == Some(0) {
        return Err(CliError::new("usage", "--jobs 0: give at least 1"));
    }
    let chain_options = options(&args.validation, time, ProfileArg::Compat)?;
    let content = args
        .content
        .as_deref()
        .map(crate::output::read)
        .transpose()?;
    let paths = check_paths(&args.paths)?;
    let pool_threads = match args.jobs {
        Some(n) => Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|e| CliError::new("usage", format!("--jobs {n}: {e}")))?,
        ),
        None => None,
    };

    // A count until the walk has found every source, then a bar when each is one message.
    let progress = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    let rate = |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
        let _ = write!(w, "{:.0}/s", state.per_sec());
    };
    if let Ok(style) = ProgressStyle::with_template("{spinner} {pos} messages, {rate}") {
        progress.set_style(style.with_key("rate", rate));
    }

    std::thread::scope(|scope| {
        // The walk runs beside everything else and hands over sources through a bounded
        // channel: it starts while the trust material is still loaded, the first messages are
        // verified while the folders are still read, and memory does not grow with the number
        // of files. The receiver is this closure's: on an early return it is dropped, so the
        // walk stops (its next send fails) before the scope waits for it.
        let (tx, rx) = mpsc::sync_channel::<Vec<Source>>(4 * BATCH / WALK_CHUNK);
        let walker_progress = progress.clone();
        scope.spawn(move || {
            let (count, multi) = walk(&paths, &tx);
            if !multi {
                walker_progress.set_length(count);
                if let Ok(style) = ProgressStyle::with_template(
                    "{bar:40} {pos}/{len} messages, {rate}, {eta} left",
                ) {
                    walker_progress.set_style(style.with_key("rate", rate));
                }
            }
        });

        // The pool's threads start now, while the walk and the trust load run, rather than
        // at the first batch (after the walk's thread: the walk is what the first batch waits
        // for).
        if pool_threads.is_none() {
            rayon::current_num_threads();
        }
        let Trust {
            anchors,
            pool,
            crls,
        } = load_trust(&args.validation)?;
        let verifier_impl = smimetrust_chain::sig::default_verifier();
        let validator = Validator::new(&anchors, &pool, &crls, verifier_impl);
        let mut opts = Options::at(time);
        opts.chain = chain_options;
        opts.at_signing_time = at_signing_time;
        opts.allow_sha1 = args.allow_sha1;
        opts.require_email_match = args.require_email_match;
        let verifier = Verifier::new(&validator, opts);
        pipeline(
            args,
            &verifier,
            content.as_deref(),
            &pool_threads,
            &progress,
            rx,
        )
    })
}

/// Queues the messages of `items` on the pool in batches ([`IN_FLIGHT`] at a time: the cores
/// move on to the next batch while the main thread prints one) and hands each batch's lines to
/// `emit` in order.
fn feed<'scope>(
    scope: &rayon::Scope<'scope>,
    verifier: &'scope Verifier<'_>,
    job: &'scope Job<'_>,
    items: &mut Items,
    emit: &mut dyn FnMut(&[&Output]) -> Result<()>,
) -> Result<()> {
    let mut queued: VecDeque<Arc<Batch>> = VecDeque::with_capacity(IN_FLIGHT);
    let mut size = FIRST_BATCH;
    // Messages in the batches done.
    let mut read = 0;
    loop {
        while queued.len() < IN_FLIGHT {
            let next: Vec<Item> = items.by_ref().take(size).collect();
            if next.is_empty() {
                break;
            }
            size = (size * 2).min(BATCH);
            // Files come from the disk: all of the batch is asked for now, ahead of its turn.
            let asked = job.cold.load(Ordering::Relaxed);
            if asked {
                ReadAhead::ask_all(&next);
            }
            let batch = Arc::new(Batch::new(next, asked));
            // One job a message: a core that is done takes the next message, so neither core
            // waits for the other's share at the end of a batch.
            for i in 0..batch.items.len() {
                let batch = Arc::clone(&batch);
                scope.spawn(move |_| batch.verify(i, verifier, job));
            }
            queued.push_back(batch);
        }
        let Some(done) = queued.pop_front() else {
            return Ok(());
        };
        done.wait();
        read += done.items.len();
        if !job.cold.load(Ordering::Relaxed)
            && confirms_cold(job.misses.load(Ordering::Relaxed), read)
        {
            job.cold.store(true, Ordering::Relaxed);
        }
        let outputs: Vec<&Output> = done.outputs().collect();
        emit(&outputs)?;
    }
}

/// Verifies the messages of `rx` in batches and writes them in order; the exit code.
fn pipeline(
    args: &VerifyArgs,
    verifier: &Verifier<'_>,
    content: Option<&[u8]>,
    pool_threads: &Option<rayon::ThreadPool>,
    progress: &ProgressBar,
    rx: mpsc::Receiver<Vec<Source>>,
) -> Result<u8> {
    // Only the main thread writes.
    let mut out = BufWriter::new(io::stdout().lock());
    let mut tally = Tally::default();
    let mut items = Items {
        sources: rx.into_iter().flatten(),
        mbox: None,
    };
    let format = args.format;
    // Writes a verified batch in order and counts it.
    let mut emit = |outputs: &[&Output]| -> Result<()> {
        let mut write = |out: &mut BufWriter<_>| -> io::Result<()> {
            for o in outputs {
                tally.add(o);
                match &o.text {
                    Ok(text) => out.write_all(text)?,
                    Err(e) => return Err(io::Error::other(e.clone())),
                }
            }
            out.flush()
        };
        match format {
            Format::Json => write(&mut out),
            // The bar is cleared once for the batch, not once per line.
            Format::Human => progress.suspend(|| write(&mut out)),
        }
        .map_err(CliError::stdout)?;
        progress.inc(outputs.len() as u64);
        Ok(())
    };
    let cold = AtomicBool::new(false);
    let misses = AtomicUsize::new(0);
    let main = std::thread::current();
    let job = Job {
        content,
        format,
        cold: &cold,
        misses: &misses,
        main: &main,
    };
    // The main thread gathers batches, queues their messages on the pool and prints each batch
    // when it is done; the pool's threads only verify. Spawned jobs may borrow what outlives
    // the scope, which waits for all of them (also on an early return).
    match pool_threads {
        Some(p) => p.in_place_scope(|s| feed(s, verifier, &job, &mut items, &mut emit))?,
        None => rayon::in_place_scope(|s| feed(s, verifier, &job, &mut items, &mut emit))?,
    }
    progress.finish_and_clear();
    if args.format == Format::Human {
        writeln!(
            out,
            "{} messages: {} valid, {} valid-weak, {} invalid, {} not signed, {} encrypted, {} errors",
            tally.total,
            tally.valid,
            tally.weak,
            tally.invalid,
            tally.not_signed,
            tally.encrypted,
            tally.errors
        )
        .map_err(CliError::stdout)?;
    }
    out.flush().map_err(CliError::stdout)?;
    if tally.io_errors > 0 {
        return Ok(2);
    }
    if tally.total == 0 {
        return Err(CliError::new(
            "no-messages",
            "no messages found in the paths given (folders are searched for .eml, .p7m, .p7s, .msg, .mbox and extension-less message files)",
        ));
    }
    let failed = tally.total - tally.valid - if args.strict { 0 } else { tally.weak };
    Ok(u8::from(failed > 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_into_reads_whole_files_of_any_size_into_a_reused_buffer() {
        let dir = tempfile::tempdir().unwrap();
        let mut buf = Vec::new();
        // Around the first size and its doublings, then smaller again (the buffer is reused).
        for len in [0, 1, 65_535, 65_536, 65_537, 131_072, 300_001, 10, 0] {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
            let path = dir.path().join(format!("f{len}"));
            std::fs::write(&path, &bytes).unwrap();
            let read = read_into(&path, &mut buf).unwrap();
            assert_eq!(&buf[..read.len], &bytes[..], "{len} bytes");
        }
        assert!(read_into(&dir.path().join("missing"), &mut buf).is_err());
    }

    /// Files are opened relative to their folder, kept from one file to the next: files of
    /// two folders in turn, a path with no folder, a missing file, a folder that is a file.
    #[test]
    fn files_of_several_folders_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let mut buf = Vec::new();
        for (i, sub) in ["a", "b", "a", "a", "b"].iter().enumerate() {
            let folder = dir.path().join(sub);
            std::fs::create_dir_all(&folder).unwrap();
            let path = folder.join(format!("m{i}.eml"));
            std::fs::write(&path, format!("message {i}")).unwrap();
            let read = read_into(&path, &mut buf).unwrap();
            assert_eq!(&buf[..read.len], format!("message {i}").as_bytes());
        }
        let missing = read_into(&dir.path().join("a/none.eml"), &mut buf).err();
        assert_eq!(missing.map(|e| e.kind()), Some(io::ErrorKind::NotFound));
        let not_a_folder = dir.path().join("a/m0.eml/x.eml");
        assert!(read_into(&not_a_folder, &mut buf).is_err());
        // A bare name: in the current folder, opened as usual.
        assert!(read_into(Path::new("no-such-file-here.eml"), &mut buf).is_err());
    }

    #[test]
    fn a_file_just_written_is_read_without_waiting() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.eml");
        std::fs::write(&path, b"From: a@example.com\r\n\r\nbody").unwrap();
        let mut buf = Vec::new();
        let read = read_into(&path, &mut buf).unwrap();
        assert_eq!(&buf[..read.len], b"From: a@example.com\r\n\r\nbody");
        assert!(!read.waited, "its bytes are in the page cache");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn asking_ahead_for_a_fifo_does_not_wait_for_a_writer() {
        use rustix::fs::{CWD, FileType, Mode};
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.eml");
        rustix::fs::mknodat(CWD, &fifo, FileType::Fifo, Mode::RUSR | Mode::WUSR, 0).unwrap();
        // Without O_NONBLOCK this open would wait for ever: no writer ever comes.
        advise_will_need(&Item::File(fifo));
        advise_will_need(&Item::File(dir.path().join("missing.eml")));
    }

    #[test]
    fn read_ahead_starts_at_two_near_waits_and_asks_each_file_once() {
        let dir = tempfile::tempdir().unwrap();
        let mut items: Vec<Item> = (0..200)
            .map(|i| Item::File(dir.path().join(format!("m{i}.eml"))))
            .collect();
        items[5] = Item::Bytes {
            name: "-".into(),
            index: None,
            bytes: Vec::new(),
        };
        let (cold, misses) = (AtomicBool::new(false), AtomicUsize::new(0));
        let main = std::thread::current();
        let job = Job {
            content: None,
            format: Format::Json,
            cold: &cold,
            misses: &misses,
            main: &main,
        };
        let flags = |n: usize, asked: bool| -> Vec<AtomicBool> {
            (0..n).map(|_| AtomicBool::new(asked)).collect()
        };
        let no_miss = || AtomicUsize::new(usize::MAX);
        let asked_here = flags(items.len(), false);
        let last_here = no_miss();
        let ahead = ReadAhead::new(&items, &asked_here, &last_here, &job);
        let asked = |a: &ReadAhead<'_>| -> Vec<usize> {
            (0..a.items.len())
                .filter(|&j| a.asked[j].load(Ordering::Relaxed))
                .collect()
        };
        // Files in the page cache: nothing is asked for.
        ahead.before(0);
        ahead.before(1);
        assert!(asked(&ahead).is_empty());
        // A lone read waited (a file dropped from the page cache): the miss is counted,
        // nothing is asked for.
        ahead.waited(60);
        assert_eq!(misses.load(Ordering::Relaxed), 1);
        assert!(asked(&ahead).is_empty());
        // Another, far from it: still nothing.
        ahead.waited(60 + NEAR_MISS + 1);
        assert!(asked(&ahead).is_empty());
        // A read waited near the last one (whichever thread read it): the next READ_AHEAD
        // items (missing files are fine: only advice), and the run is not taken to come from
        // the disk for that.
        ahead.waited(1);
        assert!(asked(&ahead).is_empty());
        ahead.waited(2);
        assert_eq!(misses.load(Ordering::Relaxed), 4);
        assert!(!cold.load(Ordering::Relaxed));
        assert_eq!(asked(&ahead), (3..3 + READ_AHEAD).collect::<Vec<_>>());
        ahead.before(3 + READ_AHEAD);
        assert_eq!(asked(&ahead), (3..3 + READ_AHEAD).collect::<Vec<_>>());
        // Once it is (the main thread decides, see confirms_cold), each read moves the
        // window; another thread's share starts its own.
        cold.store(true, Ordering::Relaxed);
        ahead.before(3);
        ahead.before(150);
        let mut expected: Vec<usize> = (3..4 + READ_AHEAD).collect();
        expected.extend(151..200);
        assert_eq!(asked(&ahead), expected);
        // A later batch of the same run reads ahead from its first file.
        let (asked_next, last_next) = (flags(10, false), no_miss());
        let next = ReadAhead::new(&items[..10], &asked_next, &last_next, &job);
        next.before(0);
        assert_eq!(asked(&next), (1..10).collect::<Vec<_>>());
        // One asked for when it was gathered asks for nothing more.
        let (asked_gathered, last_gathered) = (flags(10, true), no_miss());
        let gathered = ReadAhead::new(&items[..10], &asked_gathered, &last_gathered, &job);
        gathered.before(0);
        gathered.waited(1);
        gathered.waited(2);
        assert_eq!(asked(&gathered), (0..10).collect::<Vec<_>>());
    }

    /// A few files dropped from the page cache do not make a run read every file ahead; reads
    /// that keep waiting do.
    #[test]
    fn files_come_from_the_disk_when_reads_keep_waiting() {
        assert!(!confirms_cold(0, 0));
        assert!(!confirms_cold(1, 16));
        assert!(!confirms_cold(COLD_MISSES - 1, COLD_MISSES - 1));
        assert!(confirms_cold(COLD_MISSES, 16));
        assert!(confirms_cold(16, 16));
        assert!(confirms_cold(8, 8 * COLD_RATE));
        assert!(!confirms_cold(8, 8 * COLD_RATE + 1));
        assert!(!confirms_cold(10, 100_000));
    }
}
