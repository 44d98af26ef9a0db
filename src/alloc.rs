//! The memory allocator: mimalloc, tuned to give memory back promptly.
//!
//! A build makes millions of small strings on two threads. With glibc's allocator a third of a
//! 10,000-page build went to malloc and free, a larger share the larger the site, so the build
//! grew faster than the site did. mimalloc's defaults keep freed memory for later, which pushed
//! peak memory at 10,000 pages from 268 MB to 340 MB; committing arena memory on demand and
//! purging freed pages at once keeps it near where glibc had it. Figures in BENCHMARKS.md.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

// Option numbers from `mi_option_e` in the mimalloc.h bundled with libmimalloc-sys 0.1.49
// (mimalloc 2.2, the `v2` feature); Cargo.toml pins that version exactly.
const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Sets the options, unless the environment sets them (`MIMALLOC_ARENA_EAGER_COMMIT`,
/// `MIMALLOC_PURGE_DELAY`), for measuring.
pub fn configure() {
    for (option, env, value) in [
        (ARENA_EAGER_COMMIT, "MIMALLOC_ARENA_EAGER_COMMIT", 0),
        (PURGE_DELAY, "MIMALLOC_PURGE_DELAY", 0),
    ] {
        if std::env::var_os(env).is_none() {
            // SAFETY: a plain setter for a global option, called before other threads start.
            unsafe { libmimalloc_sys::mi_option_set(option, value) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_option_numbers_name_the_options_we_mean() {
        // The defaults in this mimalloc version: arena eager commit 2 ("on overcommit
        // systems"), purge delay 10 ms; mimalloc reads `MIMALLOC_*` variables over them, which
        // alloc.rs allows for measuring. A different numbering would read other values.
        for (option, env, default) in [
            (ARENA_EAGER_COMMIT, "MIMALLOC_ARENA_EAGER_COMMIT", 2),
            (PURGE_DELAY, "MIMALLOC_PURGE_DELAY", 10),
        ] {
            let expected = match std::env::var(env) {
                Ok(v) => v.trim().parse().unwrap_or(default),
                Err(_) => default,
            };
            // SAFETY: a plain getter.
            let value = unsafe { libmimalloc_sys::mi_option_get(option) };
            assert_eq!(value, expected, "{env}");
        }
    }
}
