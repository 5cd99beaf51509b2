//! `smimetrust sst diff`: two stores (or any inputs) compared by element.

use std::io::{self, BufWriter, Write};
use std::path::Path;

use serde::Serialize;
use smimetrust_sst::{Element, Store, prop};
use smimetrust_store::Object;

use crate::args::Format;
use crate::error::{CliError, Result};
use crate::render;
use crate::sst::read_objects;

#[derive(Debug, Serialize)]
struct DiffReport<'a> {
    identical: bool,
    same_elements: bool,
    reordered: bool,
    added: Vec<DiffItem<'a>>,
    removed: Vec<DiffItem<'a>>,
    changed: Vec<Changed<'a>>,
    unchanged: usize,
}

#[derive(Debug, Serialize)]
struct DiffItem<'a> {
    kind: &'static str,
    sha1: &'a str,
    subject: Option<&'a str>,
    friendly_name: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct Changed<'a> {
    #[serde(flatten)]
    item: DiffItem<'a>,
    properties: Vec<PropertyChange>,
}

#[derive(Debug, Serialize)]
struct PropertyChange {
    id: u32,
    name: Option<&'static str>,
    change: &'static str,
    old_length: Option<usize>,
    new_length: Option<usize>,
}

/// The item for element `i` of a listing.
fn item(entries: &[render::Entry], i: usize) -> Option<DiffItem<'_>> {
    entries.get(i).map(|e| DiffItem {
        kind: e.kind,
        sha1: &e.sha1,
        subject: e.subject.as_deref(),
        friendly_name: e.friendly_name.as_deref(),
    })
}

/// Any input's objects as store elements, unchecked: a diff only compares them.
fn as_store(objects: &[Object]) -> Store {
    let element =
        |o: &Object| Element::from_parts(o.kind.into(), o.der.clone(), o.properties.clone());
    Store::from(objects.iter().map(element).collect::<Vec<_>>())
}

pub(crate) fn diff(a: &Path, b: &Path, format: Format) -> Result<u8> {
    let ((objs_a, bytes_a), (objs_b, bytes_b)) = (read_objects(a)?, read_objects(b)?);
    let (store_a, store_b) = (as_store(&objs_a), as_store(&objs_b));
    let d = store_a.diff(&store_b);
    let (ent_a, ent_b) = (render::entries(&objs_a), render::entries(&objs_b));
    let length = |s: &Store, i: usize, id| Some(s.elements.get(i)?.property(id)?.data.len());
    let changed = d.changed().filter_map(|c| {
        let properties = c.properties.iter().map(|p| PropertyChange {
            id: p.id,
            name: prop::name(p.id),
            change: p.change.as_str(),
            old_length: length(&store_a, c.old, p.id),
            new_length: length(&store_b, c.new, p.id),
        });
        let properties = properties.collect();
        Some(Changed {
            item: item(&ent_b, c.new)?,
            properties,
        })
    });
    let report = DiffReport {
        identical: bytes_a == bytes_b,
        same_elements: d.same_elements(),
        reordered: d.reordered(),
        added: d.added.iter().filter_map(|&i| item(&ent_b, i)).collect(),
        removed: d.removed.iter().filter_map(|&i| item(&ent_a, i)).collect(),
        changed: changed.collect(),
        unchanged: d.unchanged(),
    };
    let mut stdout = BufWriter::new(io::stdout().lock());
    match format {
        Format::Json => render::json(&mut stdout, &report)?,
        Format::Human => human_diff(&mut stdout, a, b, &report).map_err(CliError::stdout)?,
    }
    stdout.flush().map_err(CliError::stdout)?;
    Ok(if report.same_elements { 0 } else { 1 })
}

fn human_diff(out: &mut impl Write, a: &Path, b: &Path, r: &DiffReport) -> io::Result<()> {
    let label = |i: &DiffItem| {
        let subject = render::printable(i.subject.unwrap_or(i.kind));
        match i.friendly_name {
            Some(n) => format!("{} {subject} \"{}\"", i.sha1, render::printable(n)),
            None => format!("{} {subject}", i.sha1),
        }
    };
    for (sign, items) in [("+", &r.added), ("-", &r.removed)] {
        for i in items {
            writeln!(out, "{sign} {}", label(i))?;
        }
    }
    for c in &r.changed {
        let what: Vec<String> = c
            .properties
            .iter()
            .map(|p| match p.name {
                Some(n) => format!("{} {n} ({})", p.change, p.id),
                None => format!("{} {}", p.change, p.id),
            })
            .collect();
        writeln!(out, "~ {}: {}", label(&c.item), what.join(", "))?;
    }
    let (a, b) = (a.display(), b.display());
    match (r.same_elements, r.identical, r.reordered) {
        (true, true, _) => writeln!(out, "{a} and {b}: identical"),
        (true, false, true) => writeln!(
            out,
            "{a} and {b}: same elements and properties, in another order"
        ),
        (true, false, false) => writeln!(out, "{a} and {b}: same elements and properties"),
        (false, ..) => writeln!(
            out,
            "{} added, {} removed, {} changed, {} unchanged",
            r.added.len(),
            r.removed.len(),
            r.changed.len(),
            r.unchanged
        ),
    }
}
