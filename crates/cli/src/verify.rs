//! `smimetrust verify`: S/MIME signatures of messages, CMS files, folders and mbox archives.
//! The work is `smimetrust-batch`'s; this file turns the flags into its inputs and renders
//! each message as it comes, in order.

use std::io::{self, BufWriter, Write};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use smimetrust_batch::{Input, Message, Walk};
use smimetrust_smime::{Options, Status, Verifier};

use crate::args::{Format, ProfileArg, VerifyArgs};
use crate::chain::{load_trust, options};
use crate::error::{CliError, Code, Result};
use crate::render;

/// One message's line, rendered on the thread that verified it (the main thread only counts
/// and writes).
struct Output {
    /// The JSON line or the human lines; an error when rendering failed.
    text: std::result::Result<Vec<u8>, String>,
    status: Status,
    /// Whether the message could not be read (exit code 2).
    io_error: bool,
    /// Whether a signer's path had certificates whose revocation was not checked.
    unchecked: bool,
}

impl Output {
    fn render(m: Message, format: Format) -> Output {
        let mut text = Vec::with_capacity(1024);
        let rendered = match format {
            Format::Json => render::json(&mut text, &m).map_err(|e| e.to_string()),
            Format::Human => human(&mut text, &m).map_err(|e| e.to_string()),
        };
        Output {
            text: rendered.map(|()| text),
            status: m.report.status,
            io_error: m.report.is_io_error(),
            unchecked: m
                .report
                .warnings
                .iter()
                .any(|w| w.code.as_str() == "revocation-unchecked"),
        }
    }
}

/// Counts by status, for the summary.
#[derive(Default)]
struct Tally {
    total: usize,
    valid: usize,
    weak: usize,
    invalid: usize,
    partial: usize,
    not_signed: usize,
    encrypted: usize,
    errors: usize,
    io_errors: usize,
    /// Messages with a revocation-unchecked warning.
    unchecked: usize,
}

impl Tally {
    fn add(&mut self, o: &Output) {
        self.total += 1;
        self.unchecked += usize::from(o.unchecked);
        match o.status {
            Status::Valid => self.valid += 1,
            Status::ValidWeak => self.weak += 1,
            Status::Invalid => self.invalid += 1,
            Status::PartiallySigned => self.partial += 1,
            Status::NotSigned => self.not_signed += 1,
            Status::Encrypted => self.encrypted += 1,
            _ => {
                if o.io_error {
                    self.io_errors += 1;
                }
                self.errors += 1;
            }
        }
    }
}

fn human(out: &mut impl Write, m: &Message) -> io::Result<()> {
    let r = &m.report;
    let name = match m.index {
        Some(i) => format!("{}#{i}", render::printable(&m.file)),
        None => render::printable(&m.file),
    };
    let what = match r.code {
        Some(code) => format!(
            "[{code}] {}",
            render::with_hint(code.as_str(), r.message.as_deref().unwrap_or(""))
        ),
        None => {
            let signers: Vec<String> = r
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
            let mut what = signers.join(", ");
            if !r.signers.is_empty() {
                if r.signed_headers.is_empty() {
                    what.push_str("  (body signed; header fields not signed)");
                } else {
                    what.push_str(&format!(
                        "  (body and header fields {} signed)",
                        r.signed_headers.join(", ")
                    ));
                }
            }
            what
        }
    };
    writeln!(out, "{:<11} {name}  {what}", r.status.as_str())?;
    for p in &r.parts {
        writeln!(
            out,
            "    part {:<6} {:<9} {} ({} bytes)",
            p.path,
            if p.signed { "signed" } else { "unsigned" },
            render::printable(&p.content_type),
            p.size
        )?;
    }
    for w in &r.warnings {
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
        return Err(CliError::new(Code::Usage, "--jobs 0: give at least 1"));
    }
    let chain_options = options(&args.validation, time, ProfileArg::Compat)?;
    let mut batch_options = smimetrust_batch::Options::default();
    batch_options.content = args
        .content
        .as_deref()
        .map(crate::output::read)
        .transpose()?;
    batch_options.shard = args.shard.unwrap_or_default();
    let inputs: Vec<Input> = args
        .paths
        .iter()
        .map(|p| {
            if crate::output::is_dash(p) {
                Input::Stdin
            } else {
                Input::Path(p.clone())
            }
        })
        .collect();
    let pool = match args.jobs {
        Some(n) => Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|e| CliError::new(Code::Usage, format!("--jobs {n}: {e}")))?,
        ),
        None => None,
    };

    // A count until the walk has found every source, then a bar when each is one message
    // (and every one is this run's).
    let progress = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    let rate = |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
        let _ = write!(w, "{:.0}/s", state.per_sec());
    };
    if let Ok(style) = ProgressStyle::with_template("{spinner} {pos} messages, {rate}") {
        progress.set_style(style.with_key("rate", rate));
    }
    let walker_progress = progress.clone();
    let sharded = batch_options.shard != smimetrust_batch::Shard::ALL;
    // The walk starts before the trust material is loaded, so both run at once.
    let walk = Walk::start(&inputs, move |walked| {
        if !walked.multi && !sharded {
            walker_progress.set_length(walked.sources);
            if let Ok(style) =
                ProgressStyle::with_template("{bar:40} {pos}/{len} messages, {rate}, {eta} left")
            {
                walker_progress.set_style(style.with_key("rate", rate));
            }
        }
    })
    .map_err(|e| match e {
        smimetrust_batch::Error::Io { file, source } => {
            CliError::io(std::path::Path::new(&file), "cannot read", source)
        }
        other => CliError::new(Code::IoError, other.to_string()),
    })?;
    // The pool's threads start now, while the trust material loads.
    if pool.is_none() {
        rayon::current_num_threads();
    }
    let trust = load_trust(&args.validation)?;
    let validator = trust.validator(smimetrust_sig::default_verifier());
    let mut opts = Options::at(time);
    opts.chain = chain_options;
    opts.at_signing_time = at_signing_time;
    opts.allow_sha1 = args.allow_sha1;
    opts.require_email_match = args.require_email_match;
    let verifier = Verifier::new(&validator, opts);

    let mut out = BufWriter::new(io::stdout().lock());
    let mut tally = Tally::default();
    let format = args.format;
    let sink = |outputs: Vec<Output>| -> Result<()> {
        let mut write = |out: &mut BufWriter<_>| -> io::Result<()> {
            for o in &outputs {
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
    let map = |m: Message| Output::render(m, format);
    let summary = walk.verify_on(pool.as_ref(), &verifier, &batch_options, map, sink)?;
    progress.finish_and_clear();
    if format == Format::Human {
        writeln!(
            out,
            "{} messages: {} valid, {} valid-weak, {} invalid, {} partially signed, {} not signed, {} encrypted, {} errors{}",
            tally.total,
            tally.valid,
            tally.weak,
            tally.invalid,
            tally.partial,
            tally.not_signed,
            tally.encrypted,
            tally.errors,
            if tally.unchecked > 0 {
                format!("; {} with revocation unchecked", tally.unchecked)
            } else {
                String::new()
            }
        )
        .map_err(CliError::stdout)?;
    }
    out.flush().map_err(CliError::stdout)?;
    if tally.io_errors > 0 {
        return Ok(2);
    }
    if summary.seen == 0 {
        return Err(CliError::new(
            Code::NoMessages,
            "no messages found in the paths given (folders are searched for .eml, .p7m, .p7s, .msg, .mbox and extension-less message files)",
        ));
    }
    let failed = tally.total
        - tally.valid
        - if args.strict { 0 } else { tally.weak }
        - if args.allow_partial { tally.partial } else { 0 };
    Ok(u8::from(failed > 0))
}
