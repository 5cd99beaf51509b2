//! List a Windows serialized store: each element's kind, SHA-1 and friendly name.
//!
//! `cargo run -p smimetrust-sst --example list_sst -- fixtures/demo/contoso-cas.sst`
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: list_sst FILE.sst");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{}: {e}", path.to_string_lossy());
            return ExitCode::from(2);
        }
    };
    let store = match smimetrust_sst::Store::from_bytes(&bytes) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{}: error[{}]: {e}", path.to_string_lossy(), e.code());
            return ExitCode::from(2);
        }
    };
    for element in &store.elements {
        let sha1: String = element.sha1().iter().map(|b| format!("{b:02X}")).collect();
        let name = match element.friendly_name() {
            Some(Ok(name)) => name,
            Some(Err(_)) => "(friendly name does not decode)".into(),
            None => String::new(),
        };
        println!("{:<12} {sha1} {name}", element.kind.as_str());
    }
    println!("{} elements", store.elements.len());
    ExitCode::SUCCESS
}
