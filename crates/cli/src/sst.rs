//! `smimetrust sst …`: arguments in, one library call (the loader, `smimetrust_store`'s store
//! building, `smimetrust_sst`'s merge, diff and removal), output rendered.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use smimetrust_sst::{Element, Store};
use smimetrust_store::{Loaded, Object, ObjectKind, Source};
use smimetrust_x509::pkcs7;

use crate::args::{ExtractFormat, Format, SstCommand, StoreFormat};
use crate::error::{CliError, Code, Result};
use crate::output::{self, check_not_input, is_dash, write_atomic};
use crate::render::{self, hex, parse_sha1};

use crate::sst_diff::diff;

pub fn run(cmd: SstCommand) -> Result<u8> {
    match cmd {
        SstCommand::Create {
            out,
            names,
            to,
            format,
            inputs,
        } => create(&inputs, &out.output, out.force, &names, to, format),
        SstCommand::List { file, format } => list(&file, format),
        SstCommand::Merge { out, inputs } => merge(&inputs, &out.output, out.force),
        SstCommand::Remove { file, sha1, out } => remove(&file, &sha1, &out.output, out.force),
        SstCommand::Extract {
            file,
            dir,
            format,
            force,
        } => extract(&file, &dir, format, force),
        SstCommand::Diff { a, b, format } => diff(&a, &b, format),
        SstCommand::Convert { input, out, to } => convert(&input, &out.output, out.force, to),
    }
}

/// Loads inputs with the one loader; warnings and dropped duplicates go to standard error.
fn load(paths: &[PathBuf]) -> Result<Loaded> {
    let loaded = output::load(paths)?;
    for d in &loaded.duplicates {
        note_duplicate(&d.sha1, &d.dropped, &d.kept);
    }
    Ok(loaded)
}

/// `note[duplicate-dropped]`: the copy at `dropped` is left out, the one at `kept` stays.
fn note_duplicate(sha1: &str, dropped: &Source, kept: &Source) {
    let (d, k) = (&dropped.name, &kept.name);
    let (di, ki) = (dropped.index, kept.index);
    let _ = writeln!(
        io::stderr().lock(),
        "smimetrust: note[{}]: {sha1} in {d} (#{di}) is already in {k} (#{ki}); keeping the first",
        Code::DuplicateDropped,
    );
}

/// `warning[CODE]: message` on standard error.
fn warn(code: Code, message: &str) {
    let _ = writeln!(
        io::stderr().lock(),
        "smimetrust: warning[{code}]: {message}"
    );
}

/// [`Object::to_element`] for each object; errors become CLI errors.
fn to_elements(objects: &[Object], fresh: bool) -> Result<Vec<Element>> {
    let elements = objects.iter().map(|o| o.to_element(fresh));
    elements
        .collect::<std::result::Result<_, _>>()
        .map_err(CliError::chain)
}

/// `--to`, else by OUT's extension, else `.sst`.
fn target_format(out: &Path, to: Option<StoreFormat>) -> StoreFormat {
    let ext = out.extension().and_then(|e| e.to_str());
    match (to, ext.map(str::to_ascii_lowercase).as_deref()) {
        (Some(f), _) => f,
        (None, Some("p7b" | "p7c" | "p7")) => StoreFormat::P7b,
        (None, Some("pem" | "crt")) => StoreFormat::Pem,
        (None, _) => StoreFormat::Sst,
    }
}

/// Encodes in the target format; warns about what PKCS#7 and PEM have no place for.
fn encode(objects: &[Object], elements: Vec<Element>, format: StoreFormat) -> Result<Vec<u8>> {
    if format == StoreFormat::Sst {
        return Store::from(elements)
            .to_bytes()
            .map_err(|e| CliError::sst("output", &e));
    }
    let props: usize = elements.iter().map(|e| e.properties.len()).sum();
    if props > 0 && objects.iter().any(|o| !o.properties.is_empty()) {
        warn(
            Code::PropertiesDropped,
            &format!(
                "PKCS#7 and PEM have no place for store properties (friendly names, EKU restrictions…); {props} property record(s) not written"
            ),
        );
    }
    let ctls = objects.iter().filter(|o| o.kind == ObjectKind::Ctl).count();
    if ctls > 0 {
        let message = format!("{ctls} certificate trust list(s) cannot be written to this format");
        warn(Code::CtlDropped, &message);
    }
    if format == StoreFormat::Pem {
        let kept = objects
            .iter()
            .filter(|o| o.kind != ObjectKind::Ctl)
            .cloned();
        return Ok(smimetrust_store::pem_bundle(&kept.collect::<Vec<_>>()).into_bytes());
    }
    let of = |kind| objects.iter().filter(move |o: &&Object| o.kind == kind);
    let certs: Vec<&[u8]> = of(ObjectKind::Certificate).map(|o| &o.der[..]).collect();
    let crls: Vec<&[u8]> = of(ObjectKind::Crl).map(|o| &o.der[..]).collect();
    Ok(pkcs7::write_certs_only(&certs, &crls))
}

fn input_refs(paths: &[PathBuf]) -> Vec<&Path> {
    paths.iter().map(PathBuf::as_path).collect()
}

/// Prints the listing of `objects` (as `sst list` does).
fn print_entries(
    objects: &[Object],
    format: Format,
    heading: Option<&str>,
    len: usize,
) -> Result<u8> {
    let entries = render::entries(objects);
    let mut stdout = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    match format {
        Format::Human => {
            if let Some(h) = heading {
                writeln!(stdout, "{h}").map_err(CliError::stdout)?;
            }
            render::human(&mut stdout, &entries, Some(len))?;
        }
        Format::Json => render::json(&mut stdout, &entries)?,
    }
    stdout.flush().map_err(CliError::stdout)?;
    Ok(0)
}

fn create(
    inputs: &[PathBuf],
    out: &Path,
    force: bool,
    names: &[String],
    to: Option<StoreFormat>,
    format: Format,
) -> Result<u8> {
    check_not_input(out, &input_refs(inputs))?;
    let mut wanted: BTreeMap<String, String> = BTreeMap::new();
    for n in names {
        let (sha1, name) = n.split_once('=').ok_or_else(|| {
            CliError::new(Code::Usage, format!("--name {n:?}: expected SHA1=NAME"))
        })?;
        wanted.insert(parse_sha1(sha1)?, name.to_string());
    }
    let mut loaded = load(inputs)?;
    let (store, unknown) =
        smimetrust_store::build_store(&mut loaded.objects, &wanted).map_err(CliError::chain)?;
    if let Some(sha1) = unknown.into_iter().next() {
        return Err(CliError::new(
            Code::NameUnknownSha1,
            format!("--name {sha1}: no input certificate has this SHA-1 thumbprint"),
        ));
    }
    // What is listed: the store's elements, with the properties they were given.
    let listed = Object::from_store(&store, &output::name(out));
    let bytes = encode(&loaded.objects, store.elements, target_format(out, to))?;
    write_atomic(out, &bytes, force)?;
    if is_dash(out) {
        return Ok(0);
    }
    let heading = format!("wrote {}", out.display());
    print_entries(&listed, format, Some(&heading), bytes.len())
}

/// Reads one file as a list of objects, in file order, without dropping duplicates.
pub(crate) fn read_objects(file: &Path) -> Result<(Vec<Object>, Vec<u8>)> {
    let bytes = output::read(file)?;
    let objects =
        smimetrust_store::load_bytes(&output::name(file), &bytes).map_err(CliError::chain)?;
    Ok((objects, bytes))
}

fn list(file: &Path, format: Format) -> Result<u8> {
    let (objects, bytes) = read_objects(file)?;
    print_entries(&objects, format, None, bytes.len())
}

fn merge(inputs: &[PathBuf], out: &Path, force: bool) -> Result<u8> {
    check_not_input(out, &input_refs(inputs))?;
    // Each input on its own: the loader collapses copies within it, the library's merge those
    // across inputs (the same rule: same kind and SHA-1, first copy kept).
    let one = |p: &PathBuf| output::load(std::slice::from_ref(p));
    let loaded = inputs.iter().map(one).collect::<Result<Vec<_>>>()?;
    let store = |l: &Loaded| to_elements(&l.objects, false).map(Store::from);
    let stores = loaded.iter().map(store).collect::<Result<Vec<_>>>()?;
    let merged = Store::merge(&stores);
    let object = |input: usize, index: usize| loaded.get(input)?.objects.get(index);
    let across: Vec<(usize, &Object, &Object)> = merged
        .dropped
        .iter()
        .filter_map(|d| {
            let first = object(d.first_input, d.first_index)?;
            Some((d.input, object(d.input, d.index)?, first))
        })
        .collect();
    // A copy the loader kept within its input may have been dropped across inputs: the notes
    // name the copy kept in the end.
    let moved: HashMap<&Source, &Source> = across
        .iter()
        .map(|(_, o, k)| (&o.source, &k.source))
        .collect();
    for (input, l) in loaded.iter().enumerate() {
        for n in &l.duplicates {
            let kept = moved.get(&n.kept).copied().unwrap_or(&n.kept);
            note_duplicate(&n.sha1, &n.dropped, kept);
        }
        for (_, o, kept) in across.iter().filter(|(i, ..)| *i == input) {
            note_duplicate(&hex(&o.sha1()), &o.source, &kept.source);
        }
    }
    let dropped = merged.dropped.len() + loaded.iter().map(|l| l.duplicates.len()).sum::<usize>();
    let (count, bytes) = (merged.store.elements.len(), merged.store.to_bytes());
    let bytes = bytes.map_err(|e| CliError::sst("output", &e))?;
    write_atomic(out, &bytes, force)?;
    if !is_dash(out) {
        let (out, len) = (out.display(), bytes.len());
        println!("wrote {out}: {count} element(s), {dropped} duplicate(s) dropped, {len} bytes");
    }
    Ok(0)
}

fn remove(file: &Path, sha1s: &[String], out: &Path, force: bool) -> Result<u8> {
    check_not_input(out, &[file])?;
    let bytes = output::read(file)?;
    let mut store =
        Store::from_bytes(&bytes).map_err(|e| CliError::sst(&output::name(file), &e))?;
    let thumbprint = |arg: &String| {
        smimetrust_sst::parse_thumbprint(arg).ok_or_else(|| {
            let message = format!("{arg:?} is not a SHA-1 thumbprint (40 hexadecimal digits)");
            CliError::new(Code::Usage, message)
        })
    };
    let wanted = sha1s.iter().map(thumbprint).collect::<Result<Vec<_>>>()?;
    let before = store.elements.len();
    let removed = store.remove_thumbprints(&wanted).map_err(|sha1| {
        let (file, sha1) = (file.display(), hex(&sha1));
        let message = format!("{file}: no element has SHA-1 {sha1}; nothing written");
        CliError::new(Code::RemoveNotFound, message)
    })?;
    let bytes = store.to_bytes().map_err(|e| CliError::sst("output", &e))?;
    write_atomic(out, &bytes, force)?;
    if !is_dash(out) {
        let (out, left) = (out.display(), store.elements.len());
        println!("wrote {out}: removed {removed} of {before} element(s), {left} left");
    }
    Ok(0)
}

fn extract(file: &Path, dir: &Path, format: ExtractFormat, force: bool) -> Result<u8> {
    let (objects, _) = read_objects(file)?;
    std::fs::create_dir_all(dir).map_err(|e| CliError::io(dir, "cannot create folder", e))?;
    let mut written = 0;
    // A later copy (same kind, same SHA-1) would write the same file again.
    let mut seen = HashSet::new();
    for o in objects.iter().filter(|o| seen.insert((o.kind, o.sha1()))) {
        let pem = || smimetrust_store::pem_bundle(std::slice::from_ref(o)).into_bytes();
        let (ext, bytes) = match (format, o.kind) {
            (ExtractFormat::Der, ObjectKind::Crl) => ("crl", o.der.clone()),
            (_, ObjectKind::Ctl) => ("ctl", o.der.clone()),
            (ExtractFormat::Der, _) => ("cer", o.der.clone()),
            (ExtractFormat::Pem, ObjectKind::Crl) => ("crl.pem", pem()),
            (ExtractFormat::Pem, _) => ("pem", pem()),
        };
        let path = dir.join(format!("{}.{ext}", hex(&o.sha1())));
        write_atomic(&path, &bytes, force)?;
        written += 1;
    }
    println!("wrote {written} file(s) to {}", dir.display());
    Ok(0)
}

/// The JSON shape of `sst diff` (documented in docs/cli/sst.md).
fn convert(input: &Path, out: &Path, force: bool, to: Option<StoreFormat>) -> Result<u8> {
    check_not_input(out, &[input])?;
    let (objects, _) = read_objects(input)?;
    let elements = to_elements(&objects, true)?;
    let bytes = encode(&objects, elements, target_format(out, to))?;
    write_atomic(out, &bytes, force)?;
    if !is_dash(out) {
        let (out, n, len) = (out.display(), objects.len(), bytes.len());
        println!("wrote {out}: {n} element(s), {len} bytes");
    }
    Ok(0)
}
