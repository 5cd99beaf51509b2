//! `smimetrust sst …`

use std::collections::{BTreeMap, HashMap};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use smimetrust_sst::{Element, Store, prop};
use smimetrust_store::{Loaded, Object, ObjectKind};
use smimetrust_x509::pkcs7;

use crate::args::{ExtractFormat, Format, SstCommand, StoreFormat};
use crate::error::{CliError, Result};
use crate::output::{self, check_not_input, is_dash, write_atomic};
use crate::render::{self, hex, parse_sha1};

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
    let mut err = io::stderr().lock();
    for d in &loaded.duplicates {
        let _ = writeln!(
            err,
            "smimetrust: note[duplicate-dropped]: {} in {} (#{}) is already in {} (#{}); keeping the first",
            d.sha1, d.dropped.name, d.dropped.index, d.kept.name, d.kept.index
        );
    }
    Ok(loaded)
}

/// See [`Object::to_element`]; errors become CLI errors.
fn to_element(o: &Object, fresh: bool) -> Result<Element> {
    o.to_element(fresh).map_err(CliError::chain)
}

fn target_format(out: &Path, to: Option<StoreFormat>) -> StoreFormat {
    if let Some(f) = to {
        return f;
    }
    let ext = out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("p7b" | "p7c" | "p7") => StoreFormat::P7b,
        Some("pem" | "crt") => StoreFormat::Pem,
        _ => StoreFormat::Sst,
    }
}

/// Encodes objects in the target format; reports what a format without properties drops.
fn encode(objects: &[Object], elements: Vec<Element>, format: StoreFormat) -> Result<Vec<u8>> {
    match format {
        StoreFormat::Sst => Store { elements }
            .to_bytes()
            .map_err(|e| CliError::sst("output", &e)),
        StoreFormat::P7b | StoreFormat::Pem => {
            let props: usize = elements.iter().map(|e| e.properties.len()).sum();
            let ctls = objects.iter().filter(|o| o.kind == ObjectKind::Ctl).count();
            let mut err = io::stderr().lock();
            if props > 0 && objects.iter().any(|o| !o.properties.is_empty()) {
                let _ = writeln!(
                    err,
                    "smimetrust: warning[properties-dropped]: {} and PEM have no place for store properties (friendly names, EKU restrictions…); {props} property record(s) not written",
                    if format == StoreFormat::P7b {
                        "PKCS#7"
                    } else {
                        "PEM"
                    }
                );
            }
            if ctls > 0 {
                let _ = writeln!(
                    err,
                    "smimetrust: warning[ctl-dropped]: {ctls} certificate trust list(s) cannot be written to this format"
                );
            }
            let kept: Vec<Object> = objects
                .iter()
                .filter(|o| o.kind != ObjectKind::Ctl)
                .cloned()
                .collect();
            if format == StoreFormat::Pem {
                Ok(smimetrust_store::pem_bundle(&kept).into_bytes())
            } else {
                let certs: Vec<&[u8]> = kept
                    .iter()
                    .filter(|o| o.kind == ObjectKind::Certificate)
                    .map(|o| o.der.as_slice())
                    .collect();
                let crls: Vec<&[u8]> = kept
                    .iter()
                    .filter(|o| o.kind == ObjectKind::Crl)
                    .map(|o| o.der.as_slice())
                    .collect();
                Ok(pkcs7::write_certs_only(&certs, &crls))
            }
        }
    }
}

fn input_refs(paths: &[PathBuf]) -> Vec<&Path> {
    paths.iter().map(PathBuf::as_path).collect()
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
        let (sha1, name) = n
            .split_once('=')
            .ok_or_else(|| CliError::new("usage", format!("--name {n:?}: expected SHA1=NAME")))?;
        wanted.insert(parse_sha1(sha1)?, name.to_string());
    }
    let mut loaded = load(inputs)?;
    let (store, unknown) =
        smimetrust_store::build_store(&mut loaded.objects, &wanted).map_err(CliError::chain)?;
    if let Some(sha1) = unknown.into_iter().next() {
        return Err(CliError::new(
            "name-unknown-sha1",
            format!("--name {sha1}: no input certificate has this SHA-1 thumbprint"),
        ));
    }
    let elements = store.elements;
    let listed: Vec<Object> = elements
        .iter()
        .zip(&loaded.objects)
        .map(|(e, o)| {
            let mut o = o.clone();
            o.properties.clone_from(&e.properties);
            o
        })
        .collect();
    let format_out = target_format(out, to);
    let bytes = encode(&loaded.objects, elements, format_out)?;
    write_atomic(out, &bytes, force)?;
    if is_dash(out) {
        return Ok(0);
    }
    let entries = render::entries(&listed);
    let mut stdout = BufWriter::new(io::stdout().lock());
    match format {
        Format::Human => {
            writeln!(stdout, "wrote {}", out.display()).map_err(CliError::stdout)?;
            render::human(&mut stdout, &entries, Some(bytes.len()))?;
        }
        Format::Json => render::json(&mut stdout, &entries)?,
    }
    stdout.flush().map_err(CliError::stdout)?;
    Ok(0)
}

/// Reads one file as a list of objects, in file order, without dropping duplicates.
fn read_objects(file: &Path) -> Result<(Vec<Object>, usize)> {
    let bytes = output::read(file)?;
    let objects =
        smimetrust_store::load_bytes(&output::name(file), &bytes).map_err(CliError::chain)?;
    Ok((objects, bytes.len()))
}

fn list(file: &Path, format: Format) -> Result<u8> {
    let (objects, len) = read_objects(file)?;
    let entries = render::entries(&objects);
    let mut stdout = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    match format {
        Format::Human => render::human(&mut stdout, &entries, Some(len))?,
        Format::Json => render::json(&mut stdout, &entries)?,
    }
    stdout.flush().map_err(CliError::stdout)?;
    Ok(0)
}

fn merge(inputs: &[PathBuf], out: &Path, force: bool) -> Result<u8> {
    check_not_input(out, &input_refs(inputs))?;
    let loaded = load(inputs)?;
    let elements = loaded
        .objects
        .iter()
        .map(|o| to_element(o, false))
        .collect::<Result<Vec<_>>>()?;
    let count = elements.len();
    let bytes = Store { elements }
        .to_bytes()
        .map_err(|e| CliError::sst("output", &e))?;
    write_atomic(out, &bytes, force)?;
    if !is_dash(out) {
        let dropped = loaded.duplicates.len();
        println!(
            "wrote {}: {count} element(s), {dropped} duplicate(s) dropped, {} bytes",
            out.display(),
            bytes.len()
        );
    }
    Ok(0)
}

fn parse_store_file(file: &Path) -> Result<Store> {
    let bytes = output::read(file)?;
    Store::from_bytes(&bytes).map_err(|e| CliError::sst(&output::name(file), &e))
}

fn remove(file: &Path, sha1s: &[String], out: &Path, force: bool) -> Result<u8> {
    check_not_input(out, &[file])?;
    let mut store = parse_store_file(file)?;
    let wanted = sha1s
        .iter()
        .map(|s| parse_sha1(s))
        .collect::<Result<Vec<_>>>()?;
    let before = store.elements.len();
    for sha1 in &wanted {
        if !store.elements.iter().any(|e| hex(&e.sha1()) == *sha1) {
            return Err(CliError::new(
                "remove-not-found",
                format!(
                    "{}: no element has SHA-1 {sha1}; nothing written",
                    file.display()
                ),
            ));
        }
    }
    store.elements.retain(|e| !wanted.contains(&hex(&e.sha1())));
    let bytes = store.to_bytes().map_err(|e| CliError::sst("output", &e))?;
    write_atomic(out, &bytes, force)?;
    if !is_dash(out) {
        println!(
            "wrote {}: removed {} of {before} element(s), {} left",
            out.display(),
            before - store.elements.len(),
            store.elements.len()
        );
    }
    Ok(0)
}

fn extract(file: &Path, dir: &Path, format: ExtractFormat, force: bool) -> Result<u8> {
    let (objects, _) = read_objects(file)?;
    std::fs::create_dir_all(dir).map_err(|e| CliError::io(dir, "cannot create folder", e))?;
    let mut written = 0;
    let mut seen = HashMap::new();
    for o in &objects {
        let sha1 = hex(&smimetrust_x509::Certificate::from_der(o.der.clone()).sha1());
        if seen.insert(sha1.clone(), ()).is_some() {
            continue;
        }
        let (ext, bytes) = match (format, o.kind) {
            (ExtractFormat::Der, ObjectKind::Crl) => ("crl", o.der.clone()),
            (ExtractFormat::Der, ObjectKind::Ctl) => ("ctl", o.der.clone()),
            (ExtractFormat::Der, _) => ("cer", o.der.clone()),
            (ExtractFormat::Pem, ObjectKind::Ctl) => ("ctl", o.der.clone()),
            (ExtractFormat::Pem, ObjectKind::Crl) => (
                "crl.pem",
                smimetrust_store::pem_bundle(std::slice::from_ref(o)).into_bytes(),
            ),
            (ExtractFormat::Pem, _) => (
                "pem",
                smimetrust_store::pem_bundle(std::slice::from_ref(o)).into_bytes(),
            ),
        };
        let path = dir.join(format!("{sha1}.{ext}"));
        write_atomic(&path, &bytes, force)?;
        written += 1;
    }
    println!("wrote {written} file(s) to {}", dir.display());
    Ok(0)
}

#[derive(Debug, Serialize)]
struct DiffItem {
    kind: &'static str,
    sha1: String,
    subject: Option<String>,
    friendly_name: Option<String>,
}

#[derive(Debug, Serialize)]
struct PropertyChange {
    id: u32,
    name: Option<&'static str>,
    change: &'static str,
    old_length: Option<usize>,
    new_length: Option<usize>,
}

#[derive(Debug, Serialize)]
struct Changed {
    #[serde(flatten)]
    item: DiffItem,
    properties: Vec<PropertyChange>,
}

#[derive(Debug, Serialize)]
struct DiffReport {
    identical: bool,
    same_elements: bool,
    reordered: bool,
    added: Vec<DiffItem>,
    removed: Vec<DiffItem>,
    changed: Vec<Changed>,
    unchanged: usize,
}

fn diff(a: &Path, b: &Path, format: Format) -> Result<u8> {
    let bytes_a = output::read(a)?;
    let bytes_b = output::read(b)?;
    let objs_a =
        smimetrust_store::load_bytes(&output::name(a), &bytes_a).map_err(CliError::chain)?;
    let objs_b =
        smimetrust_store::load_bytes(&output::name(b), &bytes_b).map_err(CliError::chain)?;
    let ent_a = render::entries(&objs_a);
    let ent_b = render::entries(&objs_b);
    let key = |e: &render::Entry| (e.kind, e.sha1.clone());
    let index_a: HashMap<_, usize> = ent_a.iter().enumerate().map(|(i, e)| (key(e), i)).collect();
    let index_b: HashMap<_, usize> = ent_b.iter().enumerate().map(|(i, e)| (key(e), i)).collect();
    let item = |e: &render::Entry| DiffItem {
        kind: e.kind,
        sha1: e.sha1.clone(),
        subject: e.subject.clone(),
        friendly_name: e.friendly_name.clone(),
    };
    let added: Vec<DiffItem> = ent_b
        .iter()
        .filter(|e| !index_a.contains_key(&key(e)))
        .map(item)
        .collect();
    let removed: Vec<DiffItem> = ent_a
        .iter()
        .filter(|e| !index_b.contains_key(&key(e)))
        .map(item)
        .collect();
    let mut changed = Vec::new();
    let mut unchanged = 0;
    let mut order_a = Vec::new();
    let mut order_b = Vec::new();
    for (ia, ea) in ent_a.iter().enumerate() {
        let Some(&ib) = index_b.get(&key(ea)) else {
            continue;
        };
        order_a.push(ia);
        order_b.push(ib);
        let props = property_changes(&objs_a[ia].properties, &objs_b[ib].properties);
        if props.is_empty() {
            unchanged += 1;
        } else {
            changed.push(Changed {
                item: item(&ent_b[ib]),
                properties: props,
            });
        }
    }
    let reordered = order_b.windows(2).any(|w| w[0] > w[1]);
    let same_elements = added.is_empty() && removed.is_empty() && changed.is_empty();
    let report = DiffReport {
        identical: bytes_a == bytes_b,
        same_elements,
        reordered,
        added,
        removed,
        changed,
        unchanged,
    };
    let mut stdout = BufWriter::new(io::stdout().lock());
    match format {
        Format::Json => render::json(&mut stdout, &report)?,
        Format::Human => human_diff(&mut stdout, a, b, &report).map_err(CliError::stdout)?,
    }
    stdout.flush().map_err(CliError::stdout)?;
    Ok(if same_elements { 0 } else { 1 })
}

fn property_changes(
    a: &[smimetrust_sst::Property],
    b: &[smimetrust_sst::Property],
) -> Vec<PropertyChange> {
    let mut ids: Vec<u32> = a.iter().chain(b).map(|p| p.id).collect();
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter()
        .filter_map(|id| {
            let pa = a.iter().find(|p| p.id == id);
            let pb = b.iter().find(|p| p.id == id);
            let change = match (pa, pb) {
                (Some(x), Some(y)) if x == y => return None,
                (Some(_), Some(_)) => "changed",
                (None, Some(_)) => "added",
                (Some(_), None) => "removed",
                (None, None) => return None,
            };
            Some(PropertyChange {
                id,
                name: prop::name(id),
                change,
                old_length: pa.map(|p| p.data.len()),
                new_length: pb.map(|p| p.data.len()),
            })
        })
        .collect()
}

fn human_diff(out: &mut impl Write, a: &Path, b: &Path, r: &DiffReport) -> io::Result<()> {
    let label = |i: &DiffItem| {
        let mut s = format!(
            "{} {}",
            i.sha1,
            render::printable(i.subject.as_deref().unwrap_or(i.kind))
        );
        if let Some(n) = &i.friendly_name {
            s.push_str(&format!(" \"{}\"", render::printable(n)));
        }
        s
    };
    for i in &r.added {
        writeln!(out, "+ {}", label(i))?;
    }
    for i in &r.removed {
        writeln!(out, "- {}", label(i))?;
    }
    for c in &r.changed {
        let what: Vec<String> = c
            .properties
            .iter()
            .map(|p| {
                format!(
                    "{} {}",
                    p.change,
                    p.name
                        .map_or(p.id.to_string(), |n| format!("{n} ({})", p.id))
                )
            })
            .collect();
        writeln!(out, "~ {}: {}", label(&c.item), what.join(", "))?;
    }
    if r.same_elements {
        let how = if r.identical {
            "identical"
        } else if r.reordered {
            "same elements and properties, in another order"
        } else {
            "same elements and properties"
        };
        writeln!(out, "{} and {}: {how}", a.display(), b.display())
    } else {
        writeln!(
            out,
            "{} added, {} removed, {} changed, {} unchanged",
            r.added.len(),
            r.removed.len(),
            r.changed.len(),
            r.unchanged
        )
    }
}

fn convert(input: &Path, out: &Path, force: bool, to: Option<StoreFormat>) -> Result<u8> {
    check_not_input(out, &[input])?;
    let (objects, _) = read_objects(input)?;
    let elements = objects
        .iter()
        .map(|o| to_element(o, true))
        .collect::<Result<Vec<_>>>()?;
    let format = target_format(out, to);
    let bytes = encode(&objects, elements, format)?;
    write_atomic(out, &bytes, force)?;
    if !is_dash(out) {
        println!(
            "wrote {}: {} element(s), {} bytes",
            out.display(),
            objects.len(),
            bytes.len()
        );
    }
    Ok(0)
}
