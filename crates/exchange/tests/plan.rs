//! Merging with the current value, the diff, the preflight and its refusals.

#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use smimetrust_exchange::{Options, Refusal, Request, diff, merge, parse_current, prepare};
use smimetrust_sst::Element;
use time::macros::datetime;

const ROOT: &str = "E963E8DAF0AC1326BC4C9198E595D406061C2DE1";
const CA_2024: &str = "7B4FF124986A7B31B604E2124ADB13F4C0B5AE35";
const CA_2019: &str = "8B99F5DBA45E942AF75B6973DDA8F54178A0AAFC";

fn sha1s(store: &smimetrust_sst::Store) -> Vec<String> {
    smimetrust_exchange::certificate_lines(store)
        .into_iter()
        .map(|l| l.sha1)
        .collect()
}

#[test]
fn merge_keeps_the_current_value_first_and_drops_duplicates() {
    let (current, _) = common::build(&["ca/root.cer"], &[(ROOT, "Root as uploaded")]);
    let (new, _) = common::build(&["ca/smime-ca-2024.pem", "ca/root.cer"], &[]);
    let merged = merge(&current, &new, &[]).unwrap();
    assert_eq!(sha1s(&merged), [ROOT, CA_2024]);
    // The current copy wins.
    assert_eq!(
        merged.elements[0].friendly_name().unwrap().unwrap(),
        "Root as uploaded"
    );
    let d = diff(&current, &merged);
    assert_eq!(d.kept.len(), 1);
    assert_eq!(d.added[0].sha1, CA_2024);
    assert!(d.removed.is_empty());

    // Removing is explicit.
    let merged = merge(&current, &new, &[ROOT.to_string()]).unwrap();
    assert_eq!(sha1s(&merged), [CA_2024]);
    let d = diff(&current, &merged);
    assert_eq!(d.removed[0].sha1, ROOT);
    assert_eq!(
        d.removed[0].subject.as_deref(),
        Some("CN=Contoso Demo Root CA,O=Contoso Demo,C=US")
    );
    let e = merge(&current, &new, &[CA_2019.to_string()]).unwrap_err();
    assert_eq!(e.code(), "remove-not-found");

    // A duplicate inside the current value is dropped too.
    let mut twice = current.clone();
    twice.elements.push(current.elements[0].clone());
    assert_eq!(sha1s(&merge(&twice, &new, &[]).unwrap()), [ROOT, CA_2024]);
    // ... and listed once by the diff.
    let merged = merge(&twice, &new, &[ROOT.to_string()]).unwrap();
    let d = diff(&twice, &merged);
    assert_eq!(d.removed.len(), 1);
    assert_eq!(d.added.len(), 1);
}

#[test]
fn remove_is_all_or_nothing_and_takes_thumbprints_as_pasted() {
    let (current, _) = common::build(&["ca/root.cer"], &[]);
    let (new, _) = common::build(&["ca/smime-ca-2024.pem"], &[]);
    // The same thumbprint twice, in lower case: removed once, no error.
    let lower = ROOT.to_lowercase();
    let merged = merge(&current, &new, &[lower.clone(), ROOT.to_string()]).unwrap();
    assert_eq!(sha1s(&merged), [CA_2024]);
    // One thumbprint that is nowhere: an error naming it (upper case), whatever comes before.
    let e = merge(&current, &new, &[ROOT.to_string(), CA_2019.to_lowercase()]).unwrap_err();
    assert_eq!(e.code(), "remove-not-found");
    assert!(e.to_string().contains(CA_2019), "{e}");
    let e = merge(&current, &new, &["not hex".to_string()]).unwrap_err();
    assert_eq!(e.code(), "remove-not-found");
}

#[test]
fn prepare_refuses_errors_and_unallowed_warnings() {
    let at = datetime!(2026-06-01 00:00 UTC);
    // The demo store holds an expired CA: refused, no script.
    let bytes = std::fs::read(common::demo("contoso-cas.sst")).unwrap();
    let store = smimetrust_sst::Store::from_bytes(&bytes).unwrap();
    let p = prepare(Request::new(store.clone(), bytes.clone(), Options::at(at))).unwrap();
    assert_eq!(p.refusal, Some(Refusal::Errors(1)));
    assert!(p.script.is_none());
    let expired: Vec<_> = p
        .report
        .findings
        .iter()
        .filter(|f| f.code == "expired")
        .collect();
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0].sha1.as_deref(), Some(CA_2019));

    // Without it, ready: the script embeds the bytes as they are.
    let (ready, ready_bytes) = common::build(&["ca/root.cer", "ca/smime-ca-2024.pem"], &[]);
    let p = prepare(Request::new(
        ready.clone(),
        ready_bytes.clone(),
        Options::at(at),
    ))
    .unwrap();
    assert_eq!(p.refusal, None);
    assert_eq!(p.bytes, ready_bytes);
    assert_eq!(
        common::embedded_store(p.script.as_deref().unwrap()).0,
        ready_bytes
    );

    // A leaf in the list is a warning: refused unless allowed.
    let (leafy, leafy_bytes) = common::build(
        &["ca/root.cer", "ca/smime-ca-2024.pem", "leaves/alice.pem"],
        &[],
    );
    let p = prepare(Request::new(
        leafy.clone(),
        leafy_bytes.clone(),
        Options::at(at),
    ))
    .unwrap();
    assert_eq!(p.refusal, Some(Refusal::Warnings(1)));
    assert!(p.script.is_none());
    let mut request = Request::new(leafy, leafy_bytes, Options::at(at));
    request.allow_warnings = true;
    let p = prepare(request).unwrap();
    assert!(p.script.is_some());
}

#[test]
fn prepare_merges_with_the_current_value() {
    let at = datetime!(2026-06-01 00:00 UTC);
    let (root_only, root_bytes) = common::build(&["ca/root.cer"], &[]);
    let current = parse_current(&root_bytes).unwrap();
    let (new, new_bytes) = common::build(&["ca/smime-ca-2024.pem"], &[]);
    let mut request = Request::new(new.clone(), new_bytes, Options::at(at));
    request.current = Some(&current);
    let p = prepare(request).unwrap();
    assert_eq!(sha1s(&p.store), [ROOT, CA_2024]);
    assert_eq!(p.current_sha256, Some(current.sha256()));
    let d = p.diff.as_ref().unwrap();
    assert_eq!((d.added.len(), d.kept.len(), d.removed.len()), (1, 1, 0));
    let script = p.script.unwrap();
    assert_eq!(common::embedded_store(&script).0, p.bytes);
    assert!(script.contains(&format!(
        "$expectedCurrentSha256 = '{}'",
        current
            .sha256()
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<String>()
    )));
    // Nothing new: the upload is the current value, byte for byte.
    let mut request = Request::new(root_only, root_bytes.clone(), Options::at(at));
    request.current = Some(&current);
    let p = prepare(request).unwrap();
    assert_eq!(p.bytes, root_bytes);

    // An expired CA already uploaded blocks the merge until it is removed.
    let expired = Element::certificate(
        std::fs::read(common::demo("contoso-cas.sst"))
            .map(|b| smimetrust_sst::Store::from_bytes(&b).unwrap())
            .unwrap()
            .elements
            .into_iter()
            .find(|e| {
                smimetrust_exchange::certificate_lines(&smimetrust_sst::Store::from(vec![
                    e.clone(),
                ]))[0]
                    .sha1
                    == CA_2019
            })
            .unwrap()
            .data,
        None,
    )
    .unwrap();
    let mut with_expired = smimetrust_sst::Store::from_bytes(&root_bytes).unwrap();
    with_expired.elements.push(expired);
    let current = parse_current(&with_expired.to_bytes().unwrap()).unwrap();
    let mut request = Request::new(new.clone(), new.to_bytes().unwrap(), Options::at(at));
    request.current = Some(&current);
    assert_eq!(prepare(request).unwrap().refusal, Some(Refusal::Errors(1)));
    let remove = [CA_2019.to_string()];
    let mut request = Request::new(new.clone(), new.to_bytes().unwrap(), Options::at(at));
    request.current = Some(&current);
    request.remove = &remove;
    let p = prepare(request).unwrap();
    assert_eq!(p.refusal, None);
    assert_eq!(p.diff.unwrap().removed[0].sha1, CA_2019);
}
