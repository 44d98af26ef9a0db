//! `HAVEN_TIMINGS`: how long each stage of a build took, for profiling.

use std::time::Instant;

/// With `HAVEN_TIMINGS` set, prints how long each stage took, for profiling.
pub(super) struct Timings(Option<Instant>);

impl Timings {
    pub(super) fn start() -> Timings {
        Timings(std::env::var_os("HAVEN_TIMINGS").map(|_| Instant::now()))
    }

    pub(super) fn lap(&mut self, stage: &str) {
        if let Some(started) = self.0 {
            // Resident memory too, where /proc tells it.
            let rss = std::fs::read_to_string("/proc/self/status")
                .ok()
                .and_then(|s| {
                    let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
                    Some(line.trim_start_matches("VmRSS:").trim().to_string())
                })
                .unwrap_or_default();
            eprintln!(
                "timing: {stage}: {} ms, resident {rss}",
                started.elapsed().as_millis()
            );
            self.0 = Some(Instant::now());
        }
    }
}
