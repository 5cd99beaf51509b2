//! The one input loader: content detection, folders, duplicates.

use std::collections::HashMap;
use std::path::Path;

use der::Tag;
use sha1::{Digest, Sha1};
use smimetrust_sst::{ElementKind, Form, StoreRef};

use crate::{
    DuplicateNote, Error, Input, InputFormat, Loaded, Object, ObjectKind, Source, Warning,
    WarningCode,
};
use smimetrust_x509::Error as FormatError;
use smimetrust_x509::pkcs7::{self, Bundle, Shape};
use smimetrust_x509::tlv::{self, Tlv, WalkError, Walker};
use smimetrust_x509::{names, pem};

/// What one DER/BER SEQUENCE is.
enum Classified<'a> {
    Certificate,
    Crl,
    Ctl,
    Bundle(Bundle<'a>),
}

/// Why a DER input was not read.
enum DerProblem {
    /// Not a format this crate reads (detail for the message).
    Unrecognized(String),
    /// A PKCS#7 bundle with a broken structure.
    Pkcs7(WalkError),
}

fn walk_detail(e: &WalkError) -> String {
    format!("at byte {}: {}", e.offset, e.reason)
}

/// Whether a certificate-shaped SEQUENCE's to-be-signed part is a CRL's: a CRL's `thisUpdate`
/// (a time) comes within its first four fields, a certificate's validity is a SEQUENCE.
fn tbs_is_crl(tbs: &Tlv<'_>) -> bool {
    let mut w = Walker::inside(tbs);
    for _ in 0..4 {
        match w.next_tlv() {
            Some(Ok(t)) if t.tag == Tag::UtcTime || t.tag == Tag::GeneralizedTime => return true,
            Some(Ok(t)) if tlv::is_context(t.tag, 0) => return false,
            Some(Ok(_)) => {}
            _ => return false,
        }
    }
    false
}

/// Classifies one framed SEQUENCE.
fn classify<'a>(outer: &Tlv<'a>) -> Result<Classified<'a>, DerProblem> {
    match pkcs7::shape(outer) {
        Shape::ContentInfo(oid) if oid == pkcs7::SIGNED_DATA => {
            let bundle = pkcs7::parse(outer).map_err(DerProblem::Pkcs7)?;
            return Ok(if bundle.content_type == Some(pkcs7::CTL) {
                Classified::Ctl
            } else {
                Classified::Bundle(bundle)
            });
        }
        Shape::ContentInfo(oid) => {
            return Err(DerProblem::Unrecognized(format!(
                "a PKCS#7 ContentInfo of type {}, not signedData",
                names::oid_name(&oid)
            )));
        }
        Shape::WineBare => {
            return pkcs7::parse(outer)
                .map(Classified::Bundle)
                .map_err(DerProblem::Pkcs7);
        }
        Shape::Other => {}
    }
    let mut w = Walker::inside(outer);
    let mut tags = [None; 3];
    let mut tbs = None;
    for (i, slot) in tags.iter_mut().enumerate() {
        match w.next_tlv() {
            Some(Ok(t)) => {
                *slot = Some(t.tag);
                if i == 0 {
                    tbs = Some(t);
                }
            }
            Some(Err(e)) => return Err(DerProblem::Unrecognized(walk_detail(&e))),
            None => break,
        }
    }
    let signed_shape = tags
        == [
            Some(Tag::Sequence),
            Some(Tag::Sequence),
            Some(Tag::BitString),
        ];
    match tbs {
        Some(tbs) if signed_shape && w.is_empty() => Ok(if tbs_is_crl(&tbs) {
            Classified::Crl
        } else {
            Classified::Certificate
        }),
        _ => Err(DerProblem::Unrecognized(
            "a DER SEQUENCE that is neither a certificate, a CRL nor a PKCS#7 bundle".into(),
        )),
    }
}

/// One object before its source is attached.
struct Found {
    kind: ObjectKind,
    der: Vec<u8>,
    properties: Vec<smimetrust_sst::Property>,
    format: InputFormat,
}

impl Found {
    fn bare(kind: ObjectKind, der: &[u8], format: InputFormat) -> Self {
        Found {
            kind,
            der: der.to_vec(),
            properties: Vec::new(),
            format,
        }
    }
}

fn push_bundle(out: &mut Vec<Found>, bundle: &Bundle<'_>) {
    out.reserve(bundle.certs.len() + bundle.crls.len());
    for c in &bundle.certs {
        out.push(Found::bare(ObjectKind::Certificate, c, InputFormat::Pkcs7));
    }
    for c in &bundle.crls {
        out.push(Found::bare(ObjectKind::Crl, c, InputFormat::Pkcs7));
    }
}

/// A DER (or BER) file.
fn read_der(name: &str, bytes: &[u8], out: &mut Vec<Found>) -> Result<(), Error> {
    let unrecognized = |detail: String| Error::Unrecognized {
        file: name.to_owned(),
        detail: Some(detail),
    };
    let outer = tlv::single_sequence(bytes).map_err(|e| unrecognized(walk_detail(&e)))?;
    match classify(&outer) {
        Ok(Classified::Certificate) => {
            out.push(Found::bare(
                ObjectKind::Certificate,
                bytes,
                InputFormat::Der,
            ));
        }
        Ok(Classified::Crl) => out.push(Found::bare(ObjectKind::Crl, bytes, InputFormat::Der)),
        Ok(Classified::Ctl) => out.push(Found::bare(ObjectKind::Ctl, bytes, InputFormat::Der)),
        Ok(Classified::Bundle(b)) => push_bundle(out, &b),
        Err(DerProblem::Unrecognized(d)) => return Err(unrecognized(d)),
        Err(DerProblem::Pkcs7(e)) => {
            return Err(Error::from(FormatError::Pkcs7 {
                file: name.to_owned(),
                offset: e.offset,
                pem_block: None,
                reason: e.reason,
            }));
        }
    }
    Ok(())
}

/// What a PEM label promises.
#[derive(Clone, Copy, PartialEq, Eq)]
enum BlockKind {
    Certificate,
    Trusted,
    Crl,
    Bundle,
}

/// A PEM text file.
fn read_pem(
    name: &str,
    bytes: &[u8],
    out: &mut Vec<Found>,
    warnings: &mut Vec<Warning>,
) -> Result<(), Error> {
    let blocks = pem::blocks(bytes).map_err(|e| Error::from(e.into_error(name)))?;
    if blocks.is_empty() {
        return Err(Error::Unrecognized {
            file: name.to_owned(),
            detail: Some("text without a complete PEM block".into()),
        });
    }
    let mut skipped: Vec<&str> = Vec::new();
    let mut usable = 0usize;
    for block in &blocks {
        let pem_err = |reason: String| FormatError::Pem {
            file: name.to_owned(),
            offset: block.offset,
            label: block.label.to_owned(),
            reason,
        };
        let p7_err = |e: WalkError| FormatError::Pkcs7 {
            file: name.to_owned(),
            offset: e.offset,
            pem_block: Some(block.offset),
            reason: e.reason,
        };
        let kind = match block.label {
            "CERTIFICATE" | "X509 CERTIFICATE" => BlockKind::Certificate,
            "TRUSTED CERTIFICATE" => BlockKind::Trusted,
            "X509 CRL" => BlockKind::Crl,
            "PKCS7" | "CMS" => BlockKind::Bundle,
            other => {
                skipped.push(other);
                warnings.push(Warning {
                    code: WarningCode::InputSkippedPemBlock,
                    message: format!(
                        "{name}: skipped the PEM block {other:?} at byte {}: not a certificate, CRL or PKCS#7 bundle",
                        block.offset
                    ),
                });
                continue;
            }
        };
        usable += 1;
        let der = block.decode().map_err(|e| e.into_error(name))?;
        if kind == BlockKind::Trusted {
            // OpenSSL's form: the certificate, then its trust settings. Keep the certificate.
            let first = Walker::new(&der, 0)
                .require("a certificate")
                .map_err(|e| pem_err(format!("the decoded data {}", walk_detail(&e))))?;
            if first.tag != Tag::Sequence {
                return Err(Error::from(pem_err(format!(
                    "the decoded data starts with {} instead of a certificate SEQUENCE",
                    tlv::tag_name(first.tag)
                ))));
            }
            out.push(Found::bare(
                ObjectKind::Certificate,
                first.raw,
                InputFormat::Pem,
            ));
            continue;
        }
        let outer = tlv::single_sequence(&der).map_err(|e| {
            pem_err(format!(
                "the decoded data is not one DER SEQUENCE ({})",
                walk_detail(&e)
            ))
        })?;
        match kind {
            BlockKind::Crl => out.push(Found::bare(ObjectKind::Crl, &der, InputFormat::Pem)),
            BlockKind::Certificate | BlockKind::Trusted => {
                // Some tools label a PKCS#7 bundle CERTIFICATE: read it as what it is.
                match pkcs7::shape(&outer) {
                    Shape::ContentInfo(oid) if oid == pkcs7::SIGNED_DATA => {
                        let bundle = pkcs7::parse(&outer).map_err(p7_err)?;
                        push_bundle(out, &bundle);
                    }
                    _ => out.push(Found::bare(ObjectKind::Certificate, &der, InputFormat::Pem)),
                }
            }
            BlockKind::Bundle => {
                let bundle = pkcs7::parse(&outer).map_err(p7_err)?;
                if bundle.content_type == Some(pkcs7::CTL) {
                    out.push(Found::bare(ObjectKind::Ctl, &der, InputFormat::Pem));
                } else {
                    push_bundle(out, &bundle);
                }
            }
        }
    }
    if usable == 0 {
        return Err(Error::NoObjects {
            file: name.to_owned(),
            detail: format!(
                "no certificate, CRL or PKCS#7 block among {} PEM block(s) ({})",
                blocks.len(),
                skipped.join(", ")
            ),
        });
    }
    Ok(())
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    let b: [u8; 4] = bytes.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_le_bytes(b))
}

/// A store file: `"CERT"` at byte 4 or a zero first u32 (the codec's own rule).
fn looks_like_store(bytes: &[u8]) -> bool {
    bytes.get(4..8) == Some(&smimetrust_sst::HEADER[4..])
        || bytes.get(..4) == Some(&smimetrust_sst::HEADER[..4])
}

/// A lone element: the first record's id is a property or context id (1..=0xFFFF), its
/// encoding-type field a known value, and its length fits in the input.
fn looks_like_element(bytes: &[u8]) -> bool {
    let (Some(id), Some(encoding), Some(len)) =
        (u32_at(bytes, 0), u32_at(bytes, 4), u32_at(bytes, 8))
    else {
        return false;
    };
    let fits = usize::try_from(len).is_ok_and(|l| l <= bytes.len().saturating_sub(12));
    (1..=0xFFFF).contains(&id) && matches!(encoding, 0 | 1 | 0x1_0000 | 0x1_0001) && fits
}

fn read_sst(
    name: &str,
    parsed: Result<StoreRef<'_>, smimetrust_sst::Error>,
    out: &mut Vec<Found>,
) -> Result<(), Error> {
    let store = parsed.map_err(|source| Error::Sst {
        file: name.to_owned(),
        source,
    })?;
    let format = match store.form() {
        Form::Store => InputFormat::Sst,
        _ => InputFormat::SstElement,
    };
    out.reserve(store.elements().len());
    for e in store.elements() {
        let kind = match e.kind {
            ElementKind::Certificate => ObjectKind::Certificate,
            ElementKind::Crl => ObjectKind::Crl,
            ElementKind::Ctl => ObjectKind::Ctl,
            // The codec frames no other kind today; a future one is not an object here.
            _ => continue,
        };
        out.push(Found {
            kind,
            der: e.data.to_vec(),
            properties: e.properties().map(|p| p.to_owned()).collect(),
            format,
        });
    }
    Ok(())
}

/// One file's objects, in file order, with warnings for skipped PEM blocks.
pub(crate) fn read_file(
    name: &str,
    bytes: &[u8],
    warnings: &mut Vec<Warning>,
) -> Result<Vec<Object>, Error> {
    let mut found = Vec::new();
    if bytes.is_empty() {
        return Err(Error::Empty {
            file: name.to_owned(),
        });
    } else if looks_like_store(bytes) {
        read_sst(name, smimetrust_sst::parse_store(bytes), &mut found)?;
    } else if looks_like_element(bytes) {
        read_sst(name, smimetrust_sst::parse_element(bytes), &mut found)?;
    } else if bytes.first() == Some(&0x30) {
        read_der(name, bytes, &mut found)?;
    } else if pem::looks_like_pem(bytes) {
        read_pem(name, bytes, &mut found, warnings)?;
    } else {
        return Err(Error::Unrecognized {
            file: name.to_owned(),
            detail: None,
        });
    }
    Ok(found
        .into_iter()
        .enumerate()
        .map(|(index, f)| Object {
            kind: f.kind,
            der: f.der,
            properties: f.properties,
            source: Source {
                name: name.to_owned(),
                index,
                format: f.format,
            },
        })
        .collect())
}

/// Errors that mean "this file is not for us": skipped with a warning inside a folder. A file
/// that was only guessed to be a store or lone element (no `"CERT"` magic: a zero first u32, or a
/// small first record id) and fails to frame is junk too; one with the magic is a damaged store.
fn skippable(e: &Error, bytes: &[u8]) -> bool {
    match e {
        Error::Unrecognized { .. } | Error::Empty { .. } | Error::NoObjects { .. } => true,
        Error::Sst { .. } => bytes.get(4..8) != Some(&smimetrust_sst::HEADER[4..]),
        _ => false,
    }
}

fn io_error(path: &Path, source: std::io::Error) -> Error {
    Error::Io {
        file: path.display().to_string(),
        source,
    }
}

/// A folder, recursively: regular files (symlinks followed) in name order.
fn read_folder(
    root: &Path,
    warnings: &mut Vec<Warning>,
    sink: &mut dyn FnMut(Vec<Object>),
) -> Result<(), Error> {
    let mut total = 0usize;
    let mut skipped = 0usize;
    let walk = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name();
    for entry in walk {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().unwrap_or(root).display().to_string();
                if e.loop_ancestor().is_some() {
                    warnings.push(Warning {
                        code: WarningCode::InputSkippedFile,
                        message: format!("{path}: skipped: a symbolic link loop"),
                    });
                    continue;
                }
                let source = e
                    .into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("cannot walk the folder"));
                return Err(Error::Io { file: path, source });
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| io_error(path, e))?;
        match read_file(&name, &bytes, warnings) {
            Ok(objects) => {
                total += objects.len();
                sink(objects);
            }
            Err(e) if skippable(&e, &bytes) => {
                skipped += 1;
                warnings.push(Warning {
                    code: WarningCode::InputSkippedFile,
                    message: format!("skipped: {e}"),
                });
            }
            Err(e) => return Err(e),
        }
    }
    if total == 0 {
        return Err(Error::NoObjects {
            file: root.display().to_string(),
            detail: format!("no certificate, CRL or CTL in the folder ({skipped} file(s) skipped)"),
        });
    }
    Ok(())
}

/// Collapses duplicates while objects arrive.
struct Dedup {
    loaded: Loaded,
    seen: HashMap<(ObjectKind, [u8; 20]), usize>,
}

impl Dedup {
    fn add(&mut self, objects: Vec<Object>) {
        self.loaded.objects.reserve(objects.len());
        let hashes: Vec<[u8; 20]> =
            crate::map_items(&objects, |o| -> [u8; 20] { Sha1::digest(&o.der).into() });
        for (o, sha1) in objects.into_iter().zip(hashes) {
            match self.seen.get(&(o.kind, sha1)) {
                Some(&at) => {
                    if let Some(kept) = self.loaded.objects.get_mut(at) {
                        smimetrust_sst::merge_missing_properties(
                            &mut kept.properties,
                            &o.properties,
                        );
                        self.loaded.duplicates.push(DuplicateNote {
                            sha1: smimetrust_x509::hex(&sha1),
                            kept: kept.source.clone(),
                            dropped: o.source,
                        });
                    }
                }
                None => {
                    self.seen.insert((o.kind, sha1), self.loaded.objects.len());
                    self.loaded.objects.push(o);
                }
            }
        }
    }
}

/// Loads every input, in order, and collapses duplicates.
///
/// Each input is detected by content, not by name: a serialized store (`.sst`) or lone
/// serialized element, a DER certificate, CRL, CTL or PKCS#7 bundle (DER or BER, or Wine's bare
/// form), or PEM text (blocks `CERTIFICATE`, `X509 CERTIFICATE`, `TRUSTED CERTIFICATE`,
/// `X509 CRL`, `PKCS7`, `CMS`; text around them; other blocks skipped with an
/// `input-skipped-pem-block` warning). A folder is walked recursively (symlinks followed, names
/// sorted); a file in it that is not recognised (or empty, or PEM without a usable block) is
/// skipped with an `input-skipped-file` warning, while a recognised but damaged file is an
/// error.
///
/// Objects with the same kind and the same SHA-1 of their bytes collapse to the first; each
/// dropped copy is reported in [`Loaded::duplicates`], and its store properties are added to the
/// kept object where that lacks a property with the same id.
///
/// # Errors
/// The first input that cannot be read: `input-io`, `input-empty`, `input-unrecognized`,
/// `input-pem`, `input-pkcs7`, `input-no-objects` (a folder with nothing in it, or a PEM file
/// whose blocks are all of other kinds), or the SST codec's `sst-…` framing errors.
pub fn load(inputs: &[Input]) -> Result<Loaded, Error> {
    let mut dedup = Dedup {
        loaded: Loaded::default(),
        seen: HashMap::new(),
    };
    let mut warnings = Vec::new();
    for input in inputs {
        match input {
            Input::Bytes { name, bytes } => {
                let objects = read_file(name, bytes, &mut warnings)?;
                dedup.add(objects);
            }
            Input::Path(path) => {
                let meta = std::fs::metadata(path).map_err(|e| io_error(path, e))?;
                if meta.is_dir() {
                    read_folder(path, &mut warnings, &mut |objects| dedup.add(objects))?;
                } else {
                    let bytes = std::fs::read(path).map_err(|e| io_error(path, e))?;
                    let objects = read_file(&path.display().to_string(), &bytes, &mut warnings)?;
                    dedup.add(objects);
                }
            }
        }
    }
    let mut loaded = dedup.loaded;
    loaded.warnings = warnings;
    Ok(loaded)
}

/// The objects of one input's content, in order, without collapsing duplicates. `name` is used
/// in [`Source`]s and error messages.
///
/// Warnings (skipped PEM blocks) are not returned; [`load`] with [`Input::Bytes`] reports them.
///
/// # Errors
/// As for [`load`].
pub fn load_bytes(name: &str, bytes: &[u8]) -> Result<Vec<Object>, Error> {
    let mut warnings = Vec::new();
    read_file(name, bytes, &mut warnings)
}
