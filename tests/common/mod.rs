//! Shared by the integration tests (each test file that needs it says `mod common;`).
// Each test file is its own crate and uses only some of these.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::Child;
use std::sync::{Arc, Mutex};

/// A copy of `tests/fixtures/NAME` in a temporary folder, to edit and build.
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let dir = tempfile::tempdir().unwrap();
    // What a build made in the fixture folder itself (tests that build a fixture in place with
    // `--output` elsewhere leave a build cache there) is not part of the fixture.
    let made = |e: &walkdir::DirEntry| {
        e.depth() == 1 && matches!(e.file_name().to_str(), Some(".haven-cache" | "public"))
    };
    for entry in walkdir::WalkDir::new(&from)
        .into_iter()
        .filter_entry(|e| !made(e))
    {
        let entry = entry.unwrap();
        let target = dir.path().join(entry.path().strip_prefix(&from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    dir
}

/// Records that the test `name` could not run here and why, then the caller returns.
///
/// The test runner counts a test that returns as passed. `tests/run.sh` sets `HAVEN_SKIP_LOG`
/// and moves every test named there from the passed count to the skipped count, printing the
/// reason, so a machine without a capability (IPv6, permissions that bind root) shows up as a
/// skip, never as a pass.
pub fn skip(name: &str, reason: &str) {
    eprintln!("skipped: {name}: {reason}");
    if let Some(log) = std::env::var_os("HAVEN_SKIP_LOG") {
        let line = format!("{name}: {reason}\n");
        let written = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .and_then(|mut f| f.write_all(line.as_bytes()));
        // A skip that cannot be recorded would be counted as a pass: fail instead.
        if let Err(e) = written {
            panic!(
                "could not record the skip in {}: {e}",
                log.to_string_lossy()
            );
        }
    }
}

/// Everything `child` prints on stdout and stderr, line by line as it comes (read on two
/// threads, so a test can poll it while the process runs).
pub fn capture_output(child: &mut Child) -> Arc<Mutex<String>> {
    let output = Arc::new(Mutex::new(String::new()));
    for pipe in [
        Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
        Box::new(child.stderr.take().unwrap()),
    ] {
        let output = output.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                let mut out = output.lock().unwrap();
                out.push_str(&line);
                out.push('\n');
            }
        });
    }
    output
}

/// Runs `cmd` with its output captured, killing it if it outlives `guard` (a guard against a
/// hanging CI, not a speed assertion: callers pass far more than the command ever needs).
pub fn output_within(
    cmd: &mut std::process::Command,
    guard: std::time::Duration,
) -> std::process::Output {
    use std::process::Stdio;
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the command runs");
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(guard) {
        Ok(output) => output.expect("the command runs"),
        Err(_) => {
            let _ = std::process::Command::new("kill")
                .args(["-9", &pid.to_string()])
                .status();
            panic!("{cmd:?} still running after {guard:?}: it hangs");
        }
    }
}

/// Runs the `haven` binary under test with `args` and waits for it.
pub fn haven(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(args)
        .output()
        .expect("haven runs")
}

/// What a command printed: its standard output, then its standard error.
pub fn printed(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}
