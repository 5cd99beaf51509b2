//! `Store::merge`, `Store::diff` and removal by thumbprint: one identity rule (kind and SHA-1
//! of the data), first copy kept, missing properties merged in.

#![allow(clippy::unwrap_used)] // test code: a panic is a failed test

use smimetrust_sst::{
    Change, Dropped, Element, ElementKind, Property, PropertyChange, Store, parse_thumbprint, prop,
};

const A: [u8; 5] = [0x30, 0x03, 0x02, 0x01, 0x01];
const B: [u8; 5] = [0x30, 0x03, 0x02, 0x01, 0x02];
const C: [u8; 5] = [0x30, 0x03, 0x02, 0x01, 0x03];

fn element(kind: ElementKind, data: &[u8], props: &[(u32, &[u8])]) -> Element {
    let mut e = Element::new(kind, data.to_vec()).unwrap();
    e.properties = props
        .iter()
        .map(|&(id, d)| Property::new(id, d.to_vec()))
        .collect();
    e
}

fn cert(data: &[u8], props: &[(u32, &[u8])]) -> Element {
    element(ElementKind::Certificate, data, props)
}

fn store(elements: Vec<Element>) -> Store {
    Store::from(elements)
}

fn ids(e: &Element) -> Vec<u32> {
    e.properties.iter().map(|p| p.id).collect()
}

fn datas(s: &Store) -> Vec<&[u8]> {
    s.elements.iter().map(|e| e.data.as_slice()).collect()
}

fn sha1(data: &[u8]) -> [u8; 20] {
    cert(data, &[]).sha1()
}

#[test]
fn merge_drops_later_copies_within_one_store() {
    let s = store(vec![
        cert(&A, &[(3, b"a")]),
        cert(&B, &[]),
        cert(&A, &[(11, b"name"), (3, b"other")]),
    ]);
    let m = Store::merge([&s]);
    assert_eq!(datas(&m.store), [&A[..], &B[..]]);
    // The kept copy's own SHA-1 property stays; the friendly name it lacked is added.
    assert_eq!(ids(&m.store.elements[0]), [3, 11]);
    assert_eq!(m.store.elements[0].properties[0].data, b"a");
    assert_eq!(m.dropped.len(), 1);
    let d: Dropped = m.dropped[0];
    assert_eq!(
        (d.input, d.index, d.first_input, d.first_index, d.kept),
        (0, 2, 0, 0, 0)
    );
}

#[test]
fn merge_keeps_the_first_store_first_and_reports_across_stores() {
    let current = store(vec![cert(&A, &[(11, b"kept name")]), cert(&B, &[])]);
    let new = store(vec![
        cert(&C, &[]),
        cert(&B, &[(9, b"eku"), (11, b"n")]),
        cert(&A, &[(11, b"new name"), (20, b"kid")]),
    ]);
    let m = Store::merge([&current, &new]);
    assert_eq!(datas(&m.store), [&A[..], &B[..], &C[..]]);
    // First copy's value wins; ids it lacks come along, in the later copy's order.
    assert_eq!(ids(&m.store.elements[0]), [11, 20]);
    assert_eq!(m.store.elements[0].properties[0].data, b"kept name");
    assert_eq!(ids(&m.store.elements[1]), [9, 11]);
    let dropped: Vec<_> = m
        .dropped
        .iter()
        .map(|d| (d.input, d.index, d.first_input, d.first_index, d.kept))
        .collect();
    assert_eq!(dropped, [(1, 1, 0, 1, 1), (1, 2, 0, 0, 0)]);
    // A later copy adds each missing id once, even when it repeats the id.
    let mut kept = cert(&A, &[]);
    kept.merge_missing_properties(&cert(&A, &[(11, b"x"), (11, b"y")]));
    assert_eq!(kept.properties, [Property::new(11, b"x".to_vec())]);
}

#[test]
fn a_crl_or_ctl_is_never_a_copy_of_a_certificate() {
    let s = store(vec![
        cert(&A, &[]),
        element(ElementKind::Crl, &A, &[]),
        element(ElementKind::Ctl, &A, &[]),
        element(ElementKind::Crl, &A, &[(11, b"n")]),
    ]);
    let m = Store::merge([&s]);
    let kinds: Vec<_> = m.store.elements.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [ElementKind::Certificate, ElementKind::Crl, ElementKind::Ctl]
    );
    assert_eq!(ids(&m.store.elements[1]), [11]);
    assert_eq!(m.dropped.len(), 1);

    let d = store(vec![cert(&A, &[])]).diff(&store(vec![element(ElementKind::Crl, &A, &[])]));
    assert_eq!((d.added, d.removed, d.common), (vec![0], vec![0], vec![]));
}

#[test]
fn merging_one_store_without_copies_changes_nothing() {
    let s = store(vec![
        cert(&B, &[(11, b"b"), (3, b"h")]),
        element(ElementKind::Crl, &C, &[]),
        cert(&A, &[(3, b"h"), (3, b"again")]),
    ]);
    let m = Store::merge([&s]);
    assert_eq!(m.store, s);
    assert!(m.dropped.is_empty());
    assert_eq!(m.store.to_bytes().unwrap(), s.to_bytes().unwrap());
}

#[test]
fn empty_stores() {
    let empty = Store::new();
    assert_eq!(Store::merge([]).store, empty);
    assert_eq!(Store::merge([&empty, &empty]).store, empty);
    let s = store(vec![cert(&A, &[])]);
    assert_eq!(Store::merge([&empty, &s, &empty]).store, s);

    let d = empty.diff(&empty);
    assert!(d.same_elements() && !d.reordered());
    assert_eq!(d.unchanged(), 0);
    let d = empty.diff(&s);
    assert_eq!((d.added.as_slice(), d.removed.len()), (&[0][..], 0));
    assert!(!d.same_elements());
    let d = s.diff(&empty);
    assert_eq!((d.added.len(), d.removed.as_slice()), (0, &[0][..]));
}

#[test]
fn diff_reports_added_removed_and_property_changes() {
    let old = store(vec![
        cert(&A, &[(3, b"h"), (11, b"old"), (20, b"kid")]),
        cert(&B, &[(3, b"h")]),
        cert(&C, &[(3, b"h")]),
    ]);
    let mut renamed = cert(&A, &[(9, b"eku"), (11, b"new"), (3, b"h")]);
    // The encoding-type field is part of a property's value.
    let mut c = cert(&C, &[(3, b"h")]);
    c.properties[0].encoding = 0x1_0001;
    renamed.properties.push(Property::new(
        9,
        b"ignored: only the first record counts".to_vec(),
    ));
    let d_elem = cert(&[0x30, 0x00], &[]);
    let new = store(vec![d_elem, c, renamed]);
    let d = old.diff(&new);
    assert_eq!(d.added, [0]);
    assert_eq!(d.removed, [1]);
    // In the old store's order, with the index of each side.
    let common: Vec<_> = d.common.iter().map(|c| (c.old, c.new)).collect();
    assert_eq!(common, [(0, 2), (2, 1)]);
    let changes = |props: &[PropertyChange]| -> Vec<(u32, Change)> {
        props.iter().map(|p| (p.id, p.change)).collect()
    };
    assert_eq!(
        changes(&d.common[0].properties),
        [
            (9, Change::Added),
            (11, Change::Changed),
            (20, Change::Removed)
        ]
    );
    assert_eq!(changes(&d.common[1].properties), [(3, Change::Changed)]);
    assert_eq!(d.changed().count(), 2);
    assert_eq!(d.unchanged(), 0);
    assert!(d.reordered());
    assert!(!d.same_elements());
    assert_eq!(Change::Added.as_str(), "added");
}

#[test]
fn diff_ignores_order_of_properties_and_later_copies() {
    let old = store(vec![
        cert(&A, &[(3, b"h"), (11, b"n")]),
        cert(&B, &[]),
        cert(&A, &[(11, b"a later copy is not compared")]),
    ]);
    let new = store(vec![
        cert(&B, &[]),
        cert(&A, &[(11, b"n"), (3, b"h")]),
        cert(&B, &[]),
    ]);
    let d = old.diff(&new);
    assert!(d.same_elements());
    assert!(d.reordered());
    assert_eq!(d.unchanged(), 2);
    assert!(d.added.is_empty() && d.removed.is_empty());
    let same = old.diff(&old);
    assert!(same.same_elements() && !same.reordered());
}

#[test]
fn diff_of_a_merge_against_its_first_store() {
    let current = store(vec![cert(&A, &[(11, b"n")]), cert(&B, &[])]);
    let new = store(vec![cert(&C, &[]), cert(&A, &[(9, b"eku")])]);
    let merged = Store::merge([&current, &new]).store;
    let d = current.diff(&merged);
    assert!(d.removed.is_empty());
    assert_eq!(d.added, [2]);
    assert_eq!(d.changed().count(), 1);
    assert_eq!(d.unchanged(), 1);
    assert!(!d.reordered());
}

#[test]
fn remove_by_thumbprint_is_all_or_nothing() {
    let mut s = store(vec![
        cert(&A, &[]),
        cert(&B, &[]),
        element(ElementKind::Crl, &A, &[]),
        cert(&A, &[]),
    ]);
    let before = s.clone();
    assert_eq!(s.remove_thumbprints(&[sha1(&B), sha1(&C)]), Err(sha1(&C)));
    assert_eq!(s, before);
    // Every element with the thumbprint goes, whatever its kind; a repeat is harmless.
    assert_eq!(s.remove_thumbprints(&[sha1(&A), sha1(&A)]), Ok(3));
    assert_eq!(datas(&s), [&B[..]]);
    assert_eq!(s.remove_thumbprints(&[]), Ok(0));
    assert_eq!(Store::new().remove_thumbprints(&[sha1(&A)]), Err(sha1(&A)));
}

#[test]
fn thumbprints_parse_as_pasted() {
    let t = sha1(&A);
    let upper: String = t.iter().map(|b| format!("{b:02X}")).collect();
    let colons = t
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":");
    let spaced = t
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ");
    for text in [&upper, &colons, &spaced, &format!(" {upper}\n")] {
        assert_eq!(parse_thumbprint(text), Some(t), "{text:?}");
    }
    for bad in [
        "",
        &upper[..39],
        &format!("{upper}0"),
        &format!("{}G", &upper[..39]),
        &format!("{}é", &upper[..39]),
        "-0000000000000000000000000000000000000000",
    ] {
        assert_eq!(parse_thumbprint(bad), None, "{bad:?}");
    }
    // The SHA-1 property matches the thumbprint that Element::certificate writes.
    let e = Element::certificate(A.to_vec(), None).unwrap();
    assert_eq!(e.property(prop::SHA1_HASH).unwrap().data, t);
}
