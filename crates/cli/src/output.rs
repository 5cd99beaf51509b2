//! Reading inputs and writing outputs safely: atomic replace, no clobbering without --force,
//! never an output that is also an input.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use smimetrust_store::Input;

use crate::error::{CliError, Code, Result};

/// `-` means standard input or output.
pub fn is_dash(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// The display name of an input path.
pub fn name(path: &Path) -> String {
    path.display().to_string()
}

/// Turns a path argument into a loader input; `-` reads standard input now.
pub fn input(path: &Path) -> Result<Input> {
    if is_dash(path) {
        let mut bytes = Vec::new();
        io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map_err(|e| CliError::io(Path::new("-"), "cannot read standard input", e))?;
        Ok(Input::Bytes {
            name: "-".into(),
            bytes,
        })
    } else {
        Ok(Input::Path(path.to_path_buf()))
    }
}

/// Loads path arguments with the one loader; its warnings go to standard error.
pub fn load(paths: &[PathBuf]) -> Result<smimetrust_store::Loaded> {
    let inputs = paths.iter().map(|p| input(p)).collect::<Result<Vec<_>>>()?;
    let loaded = smimetrust_store::load(&inputs).map_err(CliError::chain)?;
    let mut stderr = io::stderr().lock();
    for w in &loaded.warnings {
        let _ = writeln!(stderr, "smimetrust: warning[{}]: {}", w.code, w.message);
    }
    Ok(loaded)
}

/// Reads a whole input file (or standard input for `-`).
pub fn read(path: &Path) -> Result<Vec<u8>> {
    match input(path)? {
        Input::Bytes { bytes, .. } => Ok(bytes),
        Input::Path(p) => fs::read(&p).map_err(|e| CliError::io(&p, "cannot read", e)),
    }
}

/// The absolute, symlink-resolved form of a path that may not exist yet.
fn resolved(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = fs::canonicalize(path) {
        return Some(p);
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Some(fs::canonicalize(parent).ok()?.join(path.file_name()?))
}

/// Refuses an output path that names one of the inputs (which would be truncated).
pub fn check_not_input(output: &Path, inputs: &[&Path]) -> Result<()> {
    if is_dash(output) {
        return Ok(());
    }
    let Some(out) = resolved(output) else {
        return Ok(());
    };
    for input in inputs.iter().filter(|p| !is_dash(p)) {
        if resolved(input).is_some_and(|inp| inp == out) {
            return Err(CliError::new(
                Code::OutputIsInput,
                format!(
                    "{}: the output is also an input; write to another file",
                    output.display()
                ),
            ));
        }
    }
    Ok(())
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, flushed, then
/// renamed over the target. Without `force` an existing file is left alone and is an error.
/// `-` writes to standard output.
pub fn write_atomic(path: &Path, bytes: &[u8], force: bool) -> Result<()> {
    if is_dash(path) {
        let mut out = io::stdout().lock();
        return out
            .write_all(bytes)
            .and_then(|()| out.flush())
            .map_err(CliError::stdout);
    }
    if !force && path.exists() {
        return Err(exists(path));
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".smimetrust-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| CliError::io(path, "cannot create a temporary file beside it", e))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| CliError::io(path, "cannot write", e))?;
    if force {
        tmp.persist(path)
            .map_err(|e| CliError::io(path, "cannot rename into place", e.error))?;
    } else {
        // Refuses atomically if the file appeared since the check above.
        tmp.persist_noclobber(path).map_err(|e| {
            if e.error.kind() == io::ErrorKind::AlreadyExists {
                exists(path)
            } else {
                CliError::io(path, "cannot rename into place", e.error)
            }
        })?;
    }
    Ok(())
}

fn exists(path: &Path) -> CliError {
    CliError::new(
        Code::OutputExists,
        format!(
            "{}: already exists; pass --force to replace it",
            path.display()
        ),
    )
}
