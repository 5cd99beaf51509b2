//! Reading message files: one buffer per thread, and read-ahead when files come from the disk.
//!
//! Read-ahead (Linux): each file's first read does not wait for the disk (`preadv2` with
//! `RWF_NOWAIT` fails at once when the bytes are not in the page cache), which tells whether
//! the run's files come from the disk. Once they do (at the end of a batch, at least
//! [`COLD_MISSES`] reads, and one in [`COLD_RATE`] of the reads so far, have waited), every
//! later batch is asked for as a whole when it is gathered (`posix_fadvise(WILLNEED)`), while
//! the batch before it is verified: the disk then has many reads in flight instead of one per
//! thread. Files in the page cache never wait, so none of this runs for them. Measured in
//! `docs/performance.md` (cold folder).

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::source::Item;

/// Reads that must have waited for the disk, at the least, before later batches are asked
/// for ahead...
const COLD_MISSES: usize = 4;
/// ...and at least one read in this many of those done so far (a file the kernel dropped
/// from the page cache here and there is not a cold folder).
const COLD_RATE: usize = 32;
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
pub(crate) struct FileRead {
    /// The file's length.
    pub len: usize,
    /// Whether its first bytes were not in the page cache (the read waited for the disk).
    pub waited: bool,
}

/// Reads the file at `path` into the start of `buf`, growing it as needed: open, read, the
/// read that finds the end, close (`fs::read` also asks the size and position).
pub(crate) fn read_into(path: &Path, buf: &mut Vec<u8>) -> io::Result<FileRead> {
    let mut file = File::open(path)?;
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

/// `f` over the bytes of the file at `path`, read into this thread's buffer; whether the read
/// waited for the disk goes to `misses`.
pub(crate) fn with_file<R>(
    path: &Path,
    misses: &AtomicUsize,
    f: impl FnOnce(io::Result<&[u8]>) -> R,
) -> R {
    READ_BUFFER.with_borrow_mut(|buf| {
        let r = match read_into(path, buf) {
            Ok(read) => {
                if read.waited {
                    misses.fetch_add(1, Ordering::Relaxed);
                }
                f(Ok(&buf[..read.len]))
            }
            Err(e) => f(Err(e)),
        };
        if buf.len() > KEEP_READ_BUFFER {
            *buf = Vec::new();
        }
        r
    })
}

/// The first read of a file into `buf`, one that does not wait for the disk (Linux): the bytes
/// read (`None`: read on as usual) and whether they were not in the page cache.
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

/// Elsewhere: read as usual.
#[cfg(not(target_os = "linux"))]
fn first_read(_file: &File, _buf: &mut [u8]) -> (Option<usize>, bool) {
    (None, false)
}

/// Whether the run's files come from the disk, from its reads so far.
#[derive(Default)]
pub(crate) struct ReadAhead {
    /// Reads of the run that waited for the disk.
    pub misses: AtomicUsize,
    cold: AtomicBool,
}

impl ReadAhead {
    /// After a batch: `reads` files read so far.
    pub fn batch_done(&self, reads: usize) {
        if !self.cold.load(Ordering::Relaxed)
            && confirms_cold(self.misses.load(Ordering::Relaxed), reads)
        {
            self.cold.store(true, Ordering::Relaxed);
        }
    }

    /// A batch just gathered: asked for as a whole when files come from the disk.
    pub fn gathered(&self, items: &[Item]) {
        if self.cold.load(Ordering::Relaxed) {
            items.iter().for_each(advise_will_need);
        }
    }
}

/// Whether `misses` reads that waited for the disk, of `reads` done, say that the files come
/// from the disk.
fn confirms_cold(misses: usize, reads: usize) -> bool {
    misses >= COLD_MISSES && misses.saturating_mul(COLD_RATE) >= reads
}

/// Asks the kernel to read an item's file into the page cache in the background; only
/// advice, so failures are ignored (the file's own read reports them). Opened without
/// waiting (`O_NONBLOCK`): a FIFO among the paths must not block here. Linux only.
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

    /// A few files dropped from the page cache do not make a run read ahead; reads that keep
    /// waiting do.
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
        let ahead = ReadAhead::default();
        ahead.misses.store(COLD_MISSES, Ordering::Relaxed);
        ahead.batch_done(1_000_000);
        assert!(!ahead.cold.load(Ordering::Relaxed));
        ahead.batch_done(16);
        assert!(ahead.cold.load(Ordering::Relaxed));
    }
}
