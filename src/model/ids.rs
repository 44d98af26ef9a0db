//! Typed identities of pages and sections, and the vectors they index.
//!
//! A page is a [`PageId`], a section a [`SectionId`]; what the site holds per page (its model,
//! its rendered Markdown, its cache key, its link) is an [`IdVec`] indexed by that id alone. So
//! passing a section where a page is meant, or indexing by a bare position, does not compile.
//! Ids are made by the model as it builds the site ([`IdVec::push`], [`IdVec::ids`]); an id is
//! good for the vectors of the site that made it, which all have one entry per page (or section).

use std::fmt;
use std::marker::PhantomData;
use std::ops::{Index, IndexMut};

/// A position in a vector of one kind of thing, made only by the model.
pub trait Id: Copy + Eq + Ord + fmt::Debug {
    /// Its position in the vectors it indexes.
    fn index(self) -> usize;
    /// The id at `index`; only this module can make the token, so only the model makes ids.
    fn from_index(index: usize, token: IdToken) -> Self;
}

/// Proof that an id is made here: its field is private, so no other module can make one.
pub struct IdToken(());

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
        )]
        pub struct $name(u32);

        impl Id for $name {
            fn index(self) -> usize {
                self.0 as usize
            }
            fn from_index(index: usize, _: IdToken) -> Self {
                $name(u32::try_from(index).expect("fewer than 2^32 pages"))
            }
        }

        impl $name {
            /// Its position in the vectors it indexes (for a cache file's order, a log line).
            pub fn index(self) -> usize {
                Id::index(self)
            }

            /// The id at `index`, for tests that name a page of a site they built by position.
            #[cfg(test)]
            pub(crate) fn nth(index: usize) -> Self {
                make(index)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }
    };
}

id!(
    /// A page of the site (`Site::pages`).
    PageId
);
id!(
    /// A section of the site (`Site::sections`), the home page included.
    SectionId
);

/// The id at `index`.
fn make<I: Id>(index: usize) -> I {
    I::from_index(index, IdToken(()))
}

/// A vector indexed by one kind of id only: `site.pages[page_id]`, `content.pages[page_id]`.
#[derive(Clone, PartialEq, Eq)]
pub struct IdVec<I, T> {
    items: Vec<T>,
    id: PhantomData<fn(I) -> I>,
}

impl<I: Id, T> IdVec<I, T> {
    pub fn new() -> Self {
        IdVec {
            items: Vec::new(),
            id: PhantomData,
        }
    }

    /// Adds `item`, returning its id.
    pub fn push(&mut self, item: T) -> I {
        self.items.push(item);
        make::<I>(self.items.len() - 1)
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn get(&self, id: I) -> Option<&T> {
        self.items.get(id.index())
    }

    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }

    pub fn par_iter(&self) -> rayon::slice::Iter<'_, T>
    where
        T: Sync,
    {
        use rayon::prelude::*;
        self.items.par_iter()
    }

    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, T> {
        self.items.iter_mut()
    }

    /// Every id, in order.
    pub fn ids(&self) -> impl DoubleEndedIterator<Item = I> + ExactSizeIterator + use<I, T> {
        (0..self.items.len()).map(make::<I>)
    }

    /// Each item with its id, in order.
    pub fn enumerate(&self) -> impl DoubleEndedIterator<Item = (I, &T)> + ExactSizeIterator {
        self.items
            .iter()
            .enumerate()
            .map(|(i, t)| (make::<I>(i), t))
    }

    /// Each item with the other vector's item of the same id: two vectors of one site's pages
    /// (or sections), which have one entry per id.
    pub fn zip<'a, U>(
        &'a self,
        other: &'a IdVec<I, U>,
    ) -> impl DoubleEndedIterator<Item = (&'a T, &'a U)> + ExactSizeIterator {
        debug_assert_eq!(self.len(), other.len(), "two vectors of different sites");
        self.items.iter().zip(&other.items)
    }

    /// The id of the first item for which `pred` holds.
    pub fn position(&self, pred: impl FnMut(&T) -> bool) -> Option<I> {
        self.items.iter().position(pred).map(make::<I>)
    }
}

impl<I: Id, T> Default for IdVec<I, T> {
    fn default() -> Self {
        IdVec::new()
    }
}

impl<I, T: fmt::Debug> fmt::Debug for IdVec<I, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.items.fmt(f)
    }
}

impl<I: Id, T> Index<I> for IdVec<I, T> {
    type Output = T;
    fn index(&self, id: I) -> &T {
        &self.items[id.index()]
    }
}

impl<I, T: std::hash::Hash> std::hash::Hash for IdVec<I, T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.items.hash(state);
    }
}

impl<I: Id, T: Send> rayon::iter::FromParallelIterator<T> for IdVec<I, T> {
    fn from_par_iter<P: rayon::iter::IntoParallelIterator<Item = T>>(items: P) -> Self {
        IdVec::from(Vec::from_par_iter(items))
    }
}

impl<I: Id, T> IndexMut<I> for IdVec<I, T> {
    fn index_mut(&mut self, id: I) -> &mut T {
        &mut self.items[id.index()]
    }
}

impl<I: Id, T> FromIterator<T> for IdVec<I, T> {
    fn from_iter<It: IntoIterator<Item = T>>(iter: It) -> Self {
        IdVec {
            items: iter.into_iter().collect(),
            id: PhantomData,
        }
    }
}

impl<I: Id, T> Extend<T> for IdVec<I, T> {
    fn extend<It: IntoIterator<Item = T>>(&mut self, iter: It) {
        self.items.extend(iter);
    }
}

impl<I: Id, T> From<Vec<T>> for IdVec<I, T> {
    fn from(items: Vec<T>) -> Self {
        IdVec {
            items,
            id: PhantomData,
        }
    }
}

impl<I, T> IntoIterator for IdVec<I, T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, I, T> IntoIterator for &'a IdVec<I, T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl<'a, I, T> IntoIterator for &'a mut IdVec<I, T> {
    type Item = &'a mut T;
    type IntoIter = std::slice::IterMut<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_index_their_own_vector() {
        let mut pages: IdVec<PageId, &str> = IdVec::new();
        let a = pages.push("a");
        let b = pages.push("b");
        assert_eq!((pages[a], pages[b]), ("a", "b"));
        assert_eq!(pages.ids().collect::<Vec<_>>(), vec![a, b]);
        assert_eq!(pages.position(|p| *p == "b"), Some(b));
        let lengths: IdVec<PageId, usize> = pages.iter().map(|p| p.len()).collect();
        assert_eq!(pages.zip(&lengths).count(), 2);
    }
}
