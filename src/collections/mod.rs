//! Pages the build makes from the blocks across the site: the quiz index and a page per quiz
//! ([`quizzes`]), and the scripts page ([`scripts`]). They read what the pages' blocks returned
//! in the rendered content; the blocks themselves never build pages.

pub mod glossary;
pub mod quizzes;
pub mod scripts;

use crate::model::Site;
use crate::render::{RenderedContent, Shared};
use crate::templates::context::CollectionPage;

/// Every collection page, in a stable order.
pub fn pages(site: &Site, content: &RenderedContent, shared: &Shared) -> Vec<CollectionPage> {
    let mut pages = quizzes::pages(site, content, shared);
    pages.extend(scripts::pages(site, content, shared));
    pages
}
