//! What a page's, section's or tag's template context read of other pages, recorded while it
//! is made, so that its key ([`super::page_cache::PageCache::key`]) follows exactly what it
//! shows: a section lists its pages' links, a page its neighbours', a home page its featured
//! pages', a translation whether its original changed. Everything else a context reads is the
//! page's own Markdown or the site's shared data, which the key covers as a whole.
//!
//! Reads are recorded per thread (contexts are made on rayon's threads, each on one), only
//! inside [`recording`].

use std::cell::RefCell;

use crate::model::{PageId, Target};

/// One thing of another page that a context read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Read {
    /// What lists show of page `i` ([`super::shared::Shared::link`]): its reading time comes
    /// from its Markdown.
    Link(PageId),
    /// The source text of a page or section (a translation shows whether its original changed
    /// since it was translated).
    Source(Target),
}

thread_local! {
    static READS: RefCell<Option<Vec<Read>>> = const { RefCell::new(None) };
}

/// Runs `f`, returning what it read through [`note`] (in the order read, without repeats).
pub fn recording<T>(f: impl FnOnce() -> T) -> (T, Vec<Read>) {
    let outer = READS.with(|r| r.borrow_mut().replace(Vec::new()));
    let value = f();
    let mut reads = READS
        .with(|r| std::mem::replace(&mut *r.borrow_mut(), outer))
        .unwrap_or_default();
    reads.sort_unstable();
    reads.dedup();
    (value, reads)
}

/// Notes that the context being made read `read` (nothing outside [`recording`]).
pub fn note(read: Read) {
    READS.with(|r| {
        if let Some(reads) = r.borrow_mut().as_mut() {
            reads.push(read);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_recorded_inside_recording_only_and_nest() {
        note(Read::Link(PageId::nth(9)));
        let ((), reads) = recording(|| {
            note(Read::Link(PageId::nth(2)));
            let ((), inner) = recording(|| note(Read::Link(PageId::nth(5))));
            assert_eq!(inner, vec![Read::Link(PageId::nth(5))]);
            note(Read::Link(PageId::nth(1)));
            note(Read::Link(PageId::nth(2)));
        });
        assert_eq!(
            reads,
            vec![Read::Link(PageId::nth(1)), Read::Link(PageId::nth(2))]
        );
    }
}
