//! Whole-build property test: generated small sites (tests/sitegen) go through the full build
//! in-process; each ends in a site or in errors naming a file, with no panic and no hang.
//!
//! CI runs [`DEFAULT_CASES`] cases (about 20 s in a debug build on an idle machine);
//! `HAVEN_FUZZ_CASES=N` runs more. `HAVEN_FUZZ_SECONDS=S` instead runs random sites for S
//! seconds without shrinking (`HAVEN_FUZZ_SEED` picks the stream): a long fuzzing run on stable
//! Rust (docs/fuzzing.md). Every site a run ever broke is kept under `tests/fixtures/fuzz/` and
//! built by [`regressions_build_or_fail_located`].

#[path = "sitegen/mod.rs"]
mod sitegen;

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use arbitrary::Unstructured;
use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use sitegen::{GenSite, Outcome};

const DEFAULT_CASES: u32 = 96;

/// A hang guard, not a speed limit: a small site builds in well under a second.
const HANG_GUARD: Duration = Duration::from_secs(60);

fn cases() -> u32 {
    std::env::var("HAVEN_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(DEFAULT_CASES)
}

/// Runs the property over `cases()` random byte strings, shrinking a failure to a small site;
/// prints how the cases ended (for docs/fuzzing.md).
#[test]
fn any_generated_site_builds_or_fails_located() {
    let config = ProptestConfig {
        cases: cases(),
        // Shrinking rebuilds the site per step; a few hundred steps find a small case.
        max_shrink_iters: 400,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    let built = AtomicUsize::new(0);
    let failed = AtomicUsize::new(0);
    let started = Instant::now();
    let mut runner = TestRunner::new(config);
    if let Some(budget) = std::env::var("HAVEN_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        return long_run(Duration::from_secs(budget));
    }
    let result = runner.run(&proptest::collection::vec(any::<u8>(), 0..4096), |bytes| {
        let mut u = Unstructured::new(&bytes);
        if let Ok(site) = GenSite::generate(&mut u) {
            match site.build_within(HANG_GUARD) {
                Ok(Outcome::Built { .. }) => built.fetch_add(1, Ordering::Relaxed),
                Ok(Outcome::Failed { .. }) => failed.fetch_add(1, Ordering::Relaxed),
                Err(finding) => return Err(TestCaseError::fail(finding)),
            };
        }
        Ok(())
    });
    eprintln!(
        "{} cases in {:.1} s: {} sites built, {} builds failed with located errors",
        built.load(Ordering::Relaxed) + failed.load(Ordering::Relaxed),
        started.elapsed().as_secs_f64(),
        built.into_inner(),
        failed.into_inner()
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// A long fuzzing run on stable Rust: random byte strings for `budget`, no shrinking, progress
/// printed as it goes (so figures survive a run that is stopped). A finding prints its bytes in
/// hex and the site they make, and fails.
fn long_run(budget: Duration) {
    let seed: u64 = std::env::var("HAVEN_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut rng = proptest::test_runner::TestRng::from_seed(
        proptest::test_runner::RngAlgorithm::ChaCha,
        &seed_bytes,
    );
    let started = Instant::now();
    let (mut built, mut failed) = (0usize, 0usize);
    while started.elapsed() < budget {
        let len = rng.random_range(0..4096);
        let bytes: Vec<u8> = (0..len).map(|_| rng.random()).collect();
        let Ok(site) = GenSite::generate(&mut Unstructured::new(&bytes)) else {
            continue;
        };
        match site.build_within(HANG_GUARD) {
            Ok(Outcome::Built { .. }) => built += 1,
            Ok(Outcome::Failed { .. }) => failed += 1,
            Err(finding) => {
                let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
                panic!(
                    "seed {seed}, case {}: {finding}\nbytes: {hex}",
                    built + failed + 1
                );
            }
        }
        if (built + failed) % 25 == 0 {
            eprintln!(
                "seed {seed}: {} cases in {:.0} s ({built} built, {failed} failed located)",
                built + failed,
                started.elapsed().as_secs_f64()
            );
        }
    }
    eprintln!(
        "seed {seed}: {} cases in {:.1} s: {built} sites built, {failed} builds failed with located errors",
        built + failed,
        started.elapsed().as_secs_f64()
    );
}

/// The generator reaches both ends: some sites build, some fail (so the property is not
/// passing by never building, or by never failing).
#[test]
fn generated_sites_both_build_and_fail() {
    let mut built = [0; 4];
    let mut failed = [0; 4];
    let mut rng = proptest::test_runner::TestRng::deterministic_rng(
        proptest::test_runner::RngAlgorithm::ChaCha,
    );
    for _ in 0..40 {
        let bytes: Vec<u8> = (0..2048).map(|_| rng.random()).collect();
        let site = GenSite::generate(&mut Unstructured::new(&bytes)).unwrap();
        let chaos = site.chaos as usize;
        match site.build_within(HANG_GUARD).unwrap() {
            Outcome::Built { .. } => built[chaos] += 1,
            Outcome::Failed { first } => {
                eprintln!("chaos {chaos}: {first}");
                failed[chaos] += 1
            }
        }
    }
    eprintln!("by chaos level: built {built:?}, failed {failed:?}");
    // Tidy sites mostly build (so rendering and output are reached), wild ones mostly fail.
    assert!(built[0] > failed[0], "built {built:?}, failed {failed:?}");
    assert!(
        failed.iter().sum::<i32>() > 0,
        "built {built:?}, failed {failed:?}"
    );
}

/// Sites that once broke the build (found by fuzzing), kept as they were generated.
#[test]
fn regressions_build_or_fail_located() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let root = entry.unwrap().path();
        let mut files = Vec::new();
        for f in walkdir::WalkDir::new(&root) {
            let f = f.unwrap();
            if f.file_type().is_file() {
                let rel = f.path().strip_prefix(&root).unwrap();
                let text = std::fs::read_to_string(f.path()).unwrap();
                files.push((rel.to_string_lossy().replace('\\', "/"), text));
            }
        }
        let site = GenSite {
            files,
            include_drafts: false,
            no_cache: false,
            chaos: 0,
        };
        if let Err(finding) = site.build_within(HANG_GUARD) {
            panic!("{}: {finding}", root.display());
        }
        seen += 1;
    }
    assert!(seen > 0, "no regression sites in {}", dir.display());
}
