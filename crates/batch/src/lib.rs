//! Many S/MIME messages: folders, mbox archives, files and standard input verified in
//! parallel and reported in input order.
//!
//! [`Walk::start`] checks the inputs and starts walking them on a thread of its own (folders
//! in name order, depth first; mbox archives and streams message by message); while it runs,
//! the caller loads its trust material; [`Walk::verify`] then verifies the messages in
//! batches on the current rayon thread pool (one job a message, two batches in flight so the
//! cores never wait for the caller), maps each [`Message`] on the thread that verified it, and
//! hands each batch to the caller's sink in input order. Memory is bounded by the batches in
//! flight, whatever the number of messages.
//!
//! A [`Shard`] splits the messages into N disjoint parts by position, so that N machines each
//! verify one part of the same archive (see `docs/scaling.md`).
//!
//! ```
//! use smimetrust_batch::{Input, Options, verify_all};
//! use smimetrust_path::{Certificate, TrustAnchor, Validator};
//! use smimetrust_smime::{Status, Verifier};
//!
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/smime");
//! let trust = std::fs::read(format!("{dir}/pki/trust.pem"))?;
//! let mut anchors = Vec::new();
//! for block in smimetrust_x509::pem::blocks(&trust).map_err(|e| e.into_error("trust.pem"))? {
//!     let der = block.decode().map_err(|e| e.into_error("trust.pem"))?;
//!     anchors.push(TrustAnchor::new(Certificate::from_der(der)));
//! }
//! let validator = Validator::new(&anchors, &[], &[], smimetrust_sig::default_verifier());
//! let at = smimetrust_path::OffsetDateTime::from_unix_timestamp(1_780_272_000)?; // 2026-06-01
//! let verifier = Verifier::new(&validator, smimetrust_smime::Options::at(at));
//!
//! let inputs = [Input::Path(format!("{dir}/messages").into())];
//! let messages = verify_all(&inputs, &verifier, &Options::default())?;
//! let valid = messages.iter().filter(|m| m.report.status == Status::Valid).count();
//! assert!(valid > 0 && valid < messages.len());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]

mod read;
mod source;

use std::collections::VecDeque;
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex, PoisonError};

/// The types this crate's API takes and returns, re-exported so that a caller adds no
/// dependency.
pub use smimetrust_smime::{Report, Verifier};

/// The thread pool [`Walk::verify_on`] takes.
pub use rayon::ThreadPool;
pub use source::Walked;

use read::ReadAhead;
use source::{Item, Items, Source, WALK_CHUNK};

/// Messages verified together, at most.
const BATCH: usize = 256;
/// Batches queued on the thread pool at once: while the caller's sink takes one, the cores
/// already verify the next.
const IN_FLIGHT: usize = 2;
/// The first batch: small, so that verification starts as soon as a few files are found; each
/// batch after it is twice the one before, up to [`BATCH`].
const FIRST_BATCH: usize = 16;

/// One input.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Input {
    /// A file (a message, a CMS file or an mbox archive), a folder, or a FIFO or device
    /// (read once, like standard input).
    Path(PathBuf),
    /// Standard input: one message, or an mbox read message by message.
    Stdin,
}

/// The one error type of this crate: an input that does not exist or cannot be looked at.
/// What goes wrong reading a message later is that message's report ([`Report::io_error`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An input could not be looked at.
    #[error("{file}: cannot read: {source}")]
    Io {
        /// The path as given.
        file: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

/// Part K of N of the messages (K from 1): message number `p` of the whole run (counted from
/// 0, in input order, over every folder entry, file and mbox message) is in part
/// `p mod N + 1`. The parts are disjoint and together hold every message; each machine of a
/// job array verifies one with the same inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Shard {
    k: u64,
    n: u64,
}

impl Shard {
    /// Every message (part 1 of 1).
    pub const ALL: Shard = Shard { k: 1, n: 1 };

    /// Part `k` of `n`; `None` unless `1 <= k <= n`.
    pub fn new(k: u64, n: u64) -> Option<Shard> {
        (k >= 1 && k <= n).then_some(Shard { k, n })
    }

    /// K, from 1.
    pub fn index(self) -> u64 {
        self.k
    }

    /// N.
    pub fn count(self) -> u64 {
        self.n
    }

    /// Whether message number `position` (from 0) is in this part.
    pub fn contains(self, position: u64) -> bool {
        position % self.n == self.k - 1
    }
}

impl Default for Shard {
    fn default() -> Self {
        Shard::ALL
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

/// A shard that does not read as `K/N` with `1 <= K <= N`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not K/N with 1 <= K <= N (for example 2/8)")]
pub struct ShardParseError(String);

impl FromStr for Shard {
    type Err = ShardParseError;

    fn from_str(s: &str) -> Result<Shard, ShardParseError> {
        let err = || ShardParseError(s.to_owned());
        let (k, n) = s.split_once('/').ok_or_else(err)?;
        let k = k.trim().parse().map_err(|_| err())?;
        let n = n.trim().parse().map_err(|_| err())?;
        Shard::new(k, n).ok_or_else(err)
    }
}

/// How to verify a batch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// The signed content of detached CMS files (`.p7s`) given as inputs.
    pub content: Option<Vec<u8>>,
    /// Which part of the messages to verify.
    pub shard: Shard,
}

/// One verified message.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Message {
    /// The file it came from (`-` for standard input), as given or as found in a folder.
    pub file: String,
    /// Its position in an mbox archive, from 0.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub index: Option<usize>,
    /// The verdict.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub report: Report,
}

/// What a run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Summary {
    /// Messages verified (this shard's).
    pub messages: u64,
    /// Messages found, in every shard.
    pub seen: u64,
}

/// The walk of a run's inputs, started; see the [crate documentation](crate).
pub struct Walk {
    rx: Receiver<Vec<Source>>,
}

impl Walk {
    /// Checks that every input exists and starts walking them on a thread of its own;
    /// `walked` is called on that thread when the walk is done (for a progress bar: the number
    /// of sources is the number of messages when none may hold several). Dropping the `Walk`
    /// stops the walk.
    ///
    /// # Errors
    /// [`Error::Io`] for an input that does not exist or cannot be looked at.
    pub fn start(
        inputs: &[Input],
        walked: impl FnOnce(Walked) + Send + 'static,
    ) -> Result<Walk, Error> {
        let args = source::check(inputs)?;
        // Bounded: memory does not grow with the number of files found ahead.
        let (tx, rx) = mpsc::sync_channel::<Vec<Source>>(4 * BATCH / WALK_CHUNK);
        std::thread::spawn(move || walked(source::walk(&args, &tx)));
        Ok(Walk { rx })
    }

    /// Verifies the walk's messages with `verifier` on the current rayon thread pool; `map`
    /// turns each [`Message`] into what `sink` takes, on the thread that verified it; `sink`
    /// gets each batch in input order, on the calling thread. Stops at the first error of
    /// `sink`, and returns it.
    ///
    /// # Errors
    /// The first error `sink` returned.
    pub fn verify<T: Send, E>(
        self,
        verifier: &Verifier<'_>,
        options: &Options,
        map: impl Fn(Message) -> T + Sync,
        sink: impl FnMut(Vec<T>) -> Result<(), E>,
    ) -> Result<Summary, E> {
        self.verify_on(None, verifier, options, map, sink)
    }

    /// [`Walk::verify`] on the threads of `pool` (`None`: the current pool); `sink` still
    /// runs on the calling thread.
    ///
    /// # Errors
    /// The first error `sink` returned.
    pub fn verify_on<T: Send, E>(
        self,
        pool: Option<&ThreadPool>,
        verifier: &Verifier<'_>,
        options: &Options,
        map: impl Fn(Message) -> T + Sync,
        mut sink: impl FnMut(Vec<T>) -> Result<(), E>,
    ) -> Result<Summary, E> {
        let mut items = Items::new(self.rx.into_iter().flatten(), options.shard);
        let ahead = ReadAhead::default();
        let main = std::thread::current();
        let run = Run {
            verifier,
            content: options.content.as_deref(),
            map: &map,
            ahead: &ahead,
            main: &main,
        };
        let mut messages = 0;
        let mut emit = |batch: Vec<T>| {
            messages += batch.len() as u64;
            sink(batch)
        };
        // The scope runs here, on the calling thread; only the jobs go to the pool.
        match pool {
            Some(p) => p.in_place_scope(|scope| feed(scope, &run, &mut items, &mut emit)),
            None => rayon::in_place_scope(|scope| feed(scope, &run, &mut items, &mut emit)),
        }?;
        Ok(Summary {
            messages,
            seen: items.seen,
        })
    }
}

/// Verifies the messages of `inputs` and returns them in order: [`Walk::start`] and
/// [`Walk::verify`] in one call, for callers that hold every report at once.
///
/// # Errors
/// [`Error::Io`] for an input that does not exist or cannot be looked at.
pub fn verify_all(
    inputs: &[Input],
    verifier: &Verifier<'_>,
    options: &Options,
) -> Result<Vec<Message>, Error> {
    let walk = Walk::start(inputs, |_| {})?;
    let mut all = Vec::new();
    let Ok(_) = walk.verify::<_, std::convert::Infallible>(
        verifier,
        options,
        |m| m,
        |batch| {
            all.extend(batch);
            Ok(())
        },
    );
    Ok(all)
}

/// What every job of a run shares.
struct Run<'a, F> {
    verifier: &'a Verifier<'a>,
    content: Option<&'a [u8]>,
    map: &'a F,
    ahead: &'a ReadAhead,
    /// The thread to wake when a batch is done.
    main: &'a std::thread::Thread,
}

/// A batch on the thread pool: one job a message, each filling its output; the job that
/// finishes the batch wakes the caller's thread.
struct Batch<T> {
    items: Vec<Item>,
    /// Each message's output, set by its job and taken by the caller's thread.
    outputs: Vec<Mutex<Option<T>>>,
    /// Jobs not yet done.
    left: AtomicUsize,
}

impl<T> Batch<T> {
    fn new(items: Vec<Item>) -> Batch<T> {
        Batch {
            outputs: items.iter().map(|_| Mutex::new(None)).collect(),
            left: AtomicUsize::new(items.len()),
            items,
        }
    }

    /// Waits until every message of the batch is verified (the caller's thread only).
    fn wait(&self) {
        while self.left.load(Ordering::Acquire) != 0 {
            std::thread::park();
        }
    }
}

impl<F> Run<'_, F> {
    /// Verifies item `i` of `batch` into its output; wakes the caller when it was the last.
    fn verify<T>(&self, batch: &Batch<T>, i: usize)
    where
        F: Fn(Message) -> T,
    {
        let message = match &batch.items[i] {
            Item::File(path) => {
                let file = path.display().to_string();
                let report = read::with_file(path, &self.ahead.misses, |bytes| match bytes {
                    Ok(bytes) => self.verifier.verify(bytes, self.content),
                    Err(e) => Report::io_error(format!("cannot read: {e}")),
                });
                Message {
                    file,
                    index: None,
                    report,
                }
            }
            Item::Bytes { name, index, bytes } => Message {
                file: name.clone(),
                index: *index,
                report: self.verifier.verify(bytes, self.content),
            },
            Item::Unreadable { name, error } => Message {
                file: name.clone(),
                index: None,
                report: Report::io_error(error.clone()),
            },
        };
        let output = (self.map)(message);
        *batch.outputs[i]
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(output);
        if batch.left.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.main.unpark();
        }
    }
}

/// Queues the messages of `items` on the pool in batches ([`IN_FLIGHT`] at a time) and hands
/// each batch's outputs to `emit` in order.
fn feed<'scope, T, F, E>(
    scope: &rayon::Scope<'scope>,
    run: &'scope Run<'scope, F>,
    items: &mut impl Iterator<Item = Item>,
    emit: &mut dyn FnMut(Vec<T>) -> Result<(), E>,
) -> Result<(), E>
where
    T: Send + 'scope,
    F: Fn(Message) -> T + Sync,
{
    let mut queued: VecDeque<Arc<Batch<T>>> = VecDeque::with_capacity(IN_FLIGHT);
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
            run.ahead.gathered(&next);
            let batch = Arc::new(Batch::new(next));
            // One job a message: a core that is done takes the next message, so neither core
            // waits for the other's share at the end of a batch.
            for i in 0..batch.items.len() {
                let batch = Arc::clone(&batch);
                scope.spawn(move |_| run.verify(&batch, i));
            }
            queued.push_back(batch);
        }
        let Some(done) = queued.pop_front() else {
            return Ok(());
        };
        done.wait();
        read += done.items.len();
        run.ahead.batch_done(read);
        let outputs = done
            .outputs
            .iter()
            .filter_map(|o| o.lock().unwrap_or_else(PoisonError::into_inner).take())
            .collect();
        emit(outputs)?;
    }
}
