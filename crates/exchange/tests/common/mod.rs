//! Shared test helpers: the demo PKI, hostile certificates, and a PowerShell parser.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use der::asn1::Any;
use der::{Decode, Encode, Tag};
use smimetrust_sst::{Element, Store};
use time::OffsetDateTime;
use time::macros::datetime;

/// The generation time of every golden script.
pub const GENERATED: OffsetDateTime = datetime!(2026-06-01 09:30:00 UTC);

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn demo(path: &str) -> PathBuf {
    repo().join("fixtures/demo").join(path)
}

/// A store built from inputs as `sst create` builds it.
pub fn build(paths: &[&str], names: &[(&str, &str)]) -> (Store, Vec<u8>) {
    let inputs: Vec<smimetrust_store::Input> = paths
        .iter()
        .map(|p| smimetrust_store::Input::Path(demo(p)))
        .collect();
    let mut loaded = smimetrust_store::load(&inputs).unwrap();
    let names: BTreeMap<String, String> = names
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect();
    let (store, _) = smimetrust_store::build_store(&mut loaded.objects, &names).unwrap();
    let bytes = store.to_bytes().unwrap();
    (store, bytes)
}

/// The demo root (DER).
pub fn root_der() -> Vec<u8> {
    std::fs::read(demo("ca/root.cer")).unwrap()
}

fn tlv(tag: Tag, content: &[u8]) -> Vec<u8> {
    Any::new(tag, content).unwrap().to_der().unwrap()
}

/// The demo root with its subject and issuer replaced by `CN=<cn>` (a UTF8String, any
/// characters). The signature no longer verifies; only the names matter here.
pub fn hostile_cert(cn: &str) -> Vec<u8> {
    let mut cert: Vec<Any> = Vec::<Any>::from_der(&root_der()).unwrap();
    let mut tbs: Vec<Any> = Vec::<Any>::from_der(&cert[0].to_der().unwrap()).unwrap();
    let oid = const_oid::ObjectIdentifier::new_unwrap("2.5.4.3")
        .to_der()
        .unwrap();
    let atv = tlv(
        Tag::Sequence,
        &[oid, tlv(Tag::Utf8String, cn.as_bytes())].concat(),
    );
    let name = Any::from_der(&tlv(Tag::Sequence, &tlv(Tag::Set, &atv))).unwrap();
    // [0] version, serial, signature, issuer, validity, subject, key, [3] extensions
    tbs[3] = name.clone();
    tbs[5] = name;
    cert[0] = Any::from_der(&tbs.to_der().unwrap()).unwrap();
    cert.to_der().unwrap()
}

/// Untrusted text that would change a careless script: line breaks of every kind, comment
/// delimiters, subexpressions, backticks, quotes (straight and the curly ones PowerShell also
/// takes as quotes), here-string openers, control and bidi characters, directives.
pub const HOSTILE: &[&str] = &[
    "evil\n$(Remove-Item -Recurse -Force C:\\)\n",
    "carriage\rreturn\r\nand LF",
    "#> Set-SmimeConfig -SMIMECertificateIssuingCA $null <#",
    "<#",
    "#>",
    "<#>",
    "a`nb`$(whoami)`'",
    "it's \"quoted\" \u{2018}curly\u{2019} \u{201C}double\u{201D} \u{201E}low",
    "line\u{2028}separator\u{2029}paragraph\u{0085}next-line",
    "nul\u{0000}bell\u{0007}esc\u{001B}[2Jdel\u{007F}tab\tvt\u{000B}ff\u{000C}",
    "bidi \u{202E}txt.exe\u{202C} \u{2066}isolate\u{2069} \u{200F}rlm",
    "#requires -Version 99",
    "\n#requires -Modules Evil",
    "\n.EXTERNALHELP http://evil.example/help.xml",
    "@'\n'@\n@\"\n\"@",
    "\u{FEFF}bom \u{2013}en-dash \u{2014}em-dash \\backslash \\u{0041}",
    "Ⅿünchen 東京 🔐",
];

/// One store whose certificates carry each hostile text as subject and friendly name.
pub fn hostile_store() -> (Store, Vec<u8>) {
    let mut store = Store::new();
    for (i, text) in HOSTILE.iter().enumerate() {
        let name = format!("{text} #{i}");
        store
            .elements
            .push(Element::certificate(hostile_cert(text), Some(&name)).unwrap());
    }
    let bytes = store.to_bytes().unwrap();
    (store, bytes)
}

/// What a real PowerShell grammar makes of a script.
pub struct Parsed {
    /// ERROR and MISSING nodes, with positions.
    pub errors: Vec<String>,
    /// Every command invoked (`command_name` nodes).
    pub commands: BTreeSet<String>,
    /// Node kinds that appear.
    pub kinds: BTreeSet<String>,
    /// The text of every comment.
    pub comments: Vec<String>,
    /// The text of every double-quoted (expandable) string.
    pub expandable: Vec<String>,
    /// Every variable read or written (`$name`).
    pub variables: BTreeSet<String>,
    /// The script with its comments cut out: the code alone.
    pub code: String,
}

pub fn parse(script: &str) -> Parsed {
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&tree_sitter_powershell::LANGUAGE.into())
        .unwrap();
    let tree = parser.parse(script, None).unwrap();
    let mut parsed = Parsed {
        errors: Vec::new(),
        commands: BTreeSet::new(),
        kinds: BTreeSet::new(),
        comments: Vec::new(),
        expandable: Vec::new(),
        variables: BTreeSet::new(),
        code: String::new(),
    };
    let mut comment_ranges = Vec::new();
    let mut stack = vec![tree.root_node()];
    while let Some(node) = stack.pop() {
        let text = &script[node.byte_range()];
        if node.is_error() || node.is_missing() {
            parsed.errors.push(format!(
                "{} at {:?}: {:?}",
                node.kind(),
                node.start_position(),
                text.chars().take(60).collect::<String>()
            ));
        }
        parsed.kinds.insert(node.kind().to_string());
        match node.kind() {
            "command_name" => {
                parsed.commands.insert(text.to_string());
            }
            "variable" => {
                parsed.variables.insert(text.to_string());
            }
            "expandable_string_literal" | "expandable_here_string_literal" => {
                parsed.expandable.push(text.to_string());
            }
            "comment" => {
                parsed.comments.push(text.to_string());
                comment_ranges.push(node.byte_range());
            }
            _ => {}
        }
        let mut cursor = node.walk();
        stack.extend(node.children(&mut cursor));
    }
    comment_ranges.sort_by_key(|r| r.start);
    let mut at = 0;
    for r in comment_ranges {
        parsed.code.push_str(&script[at..r.start]);
        at = r.end;
    }
    parsed.code.push_str(&script[at..]);
    parsed
}

/// Commands the upload script invokes: its own functions, PowerShell's and the Exchange
/// module's.
pub const UPLOAD_COMMANDS: &[&str] = &[
    "Connect-ExchangeOnline",
    "Connect-IfNeeded",
    "Find-Difference",
    "Get-BackupPath",
    "Get-Command",
    "Get-Location",
    "Get-Module",
    "Get-Sha256Hex",
    "Get-SmimeConfig",
    "Get-Thumbprint",
    "Import-Module",
    "New-Object",
    "Read-IssuingCA",
    "Save-Value",
    "Set-SmimeConfig",
    "Set-StrictMode",
    "Stop-Script",
    "Test-ExchangeSession",
    "Write-Host",
];

/// Commands the backup script invokes (no Set-SmimeConfig).
pub const BACKUP_COMMANDS: &[&str] = &[
    "Connect-ExchangeOnline",
    "Connect-IfNeeded",
    "Find-Difference",
    "Get-BackupPath",
    "Get-Command",
    "Get-Location",
    "Get-Module",
    "Get-Sha256Hex",
    "Get-SmimeConfig",
    "Import-Module",
    "Read-IssuingCA",
    "Save-Value",
    "Set-StrictMode",
    "Stop-Script",
    "Test-ExchangeSession",
    "Write-Host",
];

pub fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| (*s).to_string()).collect()
}

/// The base64 lines of `$newBase64 = @( … ) -join ''`, decoded.
pub fn embedded_store(script: &str) -> (Vec<u8>, Vec<usize>) {
    use base64::Engine as _;
    let start = script.find("$newBase64 = @(\n").unwrap() + "$newBase64 = @(\n".len();
    let end = start + script[start..].find(") -join ''").unwrap();
    let mut text = String::new();
    let mut lengths = Vec::new();
    for line in script[start..end].lines() {
        let l = line
            .trim()
            .strip_prefix('\'')
            .unwrap()
            .strip_suffix('\'')
            .unwrap();
        lengths.push(l.len());
        text.push_str(l);
    }
    (
        base64::engine::general_purpose::STANDARD
            .decode(text)
            .unwrap(),
        lengths,
    )
}

/// PowerShell's own variables the scripts use.
const AUTOMATIC: &[&str] = &[
    "$_",
    "$null",
    "$true",
    "$false",
    "$PSScriptRoot",
    "$PSCmdlet",
    "$WhatIfPreference",
    "$ErrorActionPreference",
];

/// Variables read but never assigned, declared as a parameter or bound by `foreach`: a typo
/// that `Set-StrictMode` would turn into a failure at run time.
pub fn undefined_variables(parsed: &Parsed) -> Vec<String> {
    parsed
        .variables
        .iter()
        .filter(|v| !AUTOMATIC.contains(&v.as_str()))
        .filter(|v| {
            let code = &parsed.code;
            !(code.contains(&format!("{v} = "))
                || code.contains(&format!("] {v}"))
                || code.contains(&format!("foreach ({v} in ")))
        })
        .cloned()
        .collect()
}
