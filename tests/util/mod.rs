//! Test harness: run the binary in a temporary folder and look at what it did.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Where the repository's files are.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The demo PKI committed in fixtures/demo.
pub fn demo() -> PathBuf {
    repo().join("fixtures/demo")
}

/// The shared SST corpus, or None (and a message) when it is absent.
pub fn sst_corpus() -> Option<PathBuf> {
    let dir = repo().join("../shared/corpus/sst");
    if dir.is_dir() {
        Some(fs::canonicalize(dir).unwrap())
    } else {
        assert!(
            std::env::var_os("SMIMETRUST_REQUIRE_CORPUS").is_none(),
            "the shared corpus is absent and SMIMETRUST_REQUIRE_CORPUS is set"
        );
        eprintln!("skipping: ../shared/corpus/sst not found");
        None
    }
}

/// What a run produced.
#[derive(Debug)]
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub raw_stdout: Vec<u8>,
}

impl Out {
    /// Asserts the exit code, showing both streams on failure.
    #[track_caller]
    pub fn code(self, want: i32) -> Self {
        assert_eq!(
            self.code, want,
            "exit code\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Parses standard output as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("{e}: {}", self.stdout))
    }
}

/// A temporary working folder.
pub struct Dir {
    tmp: tempfile::TempDir,
}

impl Dir {
    pub fn new() -> Self {
        Dir {
            tmp: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    pub fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.path(name);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::write(&p, bytes).unwrap();
        p
    }

    pub fn read(&self, name: &str) -> Vec<u8> {
        fs::read(self.path(name)).unwrap()
    }

    /// Runs `smimetrust ARGS` in this folder (at most [`RUN_TIMEOUT`]).
    pub fn run(&self, args: &[&str]) -> Out {
        self.run_stdin(args, None)
    }

    /// Runs with bytes on standard input.
    pub fn run_stdin(&self, args: &[&str], stdin: Option<&[u8]>) -> Out {
        let mut child = Command::new(env!("CARGO_BIN_EXE_smimetrust"))
            .args(args)
            .current_dir(self.tmp.path())
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // A run that hangs (a FIFO never opened, a read that waits for ever) fails the test
        // instead of hanging the suite: killed after RUN_TIMEOUT.
        let (done, watchdog) = std::sync::mpsc::channel::<()>();
        let pid = child.id().to_string();
        let killer = std::thread::spawn(move || {
            let timed_out = watchdog.recv_timeout(RUN_TIMEOUT).is_err();
            if timed_out {
                let _ = Command::new("kill").args(["-9", &pid]).status();
            }
            timed_out
        });
        if let Some(bytes) = stdin {
            // A child killed by the watchdog closes the pipe: the write fails, the test too.
            let _ = child.stdin.take().unwrap().write_all(bytes);
        }
        let out = child.wait_with_output().unwrap();
        let _ = done.send(());
        assert!(
            !killer.join().unwrap(),
            "smimetrust {args:?} ran for more than {RUN_TIMEOUT:?} and was killed"
        );
        Out {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            raw_stdout: out.stdout,
        }
    }
}

/// How long one run of the binary may take before the test fails (the slowest, 10,000-element
/// stores in a debug build, take a few seconds).
pub const RUN_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(180);

/// A path as a &str argument.
pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Upper-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}
