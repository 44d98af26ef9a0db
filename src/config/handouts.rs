//! `[handouts]` in `haven.toml`: the settings the handout generator (`crate::handout`) reads.

use serde::{Deserialize, Serialize};

/// `[handouts]` in `haven.toml`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct HandoutsConfig {
    /// The paper handouts are laid out for: `"a4"` (the default) or `"letter"`.
    pub paper: Paper,
    /// Make a handout of every article, except those with `handout = false`.
    pub default: bool,
    /// `haven check` (and the build) warns when a handout's large-print version is estimated
    /// at more pages than this. Unset: no budget.
    pub large_print_max_pages: Option<PageBudget>,
    /// Print every handout (and its large-print version) to PDF files with Chromium on each
    /// `haven build`, as `haven build --pdf` does (docs/handouts.md#pdf-files).
    pub pdf: bool,
    /// The Chromium (or Chrome) to print PDFs with: a path, relative to the site folder, or a
    /// program name looked up on `PATH`. Unset: `HAVEN_CHROMIUM`, else `chromium`,
    /// `chromium-browser`, `google-chrome` or `google-chrome-stable` on `PATH`.
    pub chromium: Option<std::path::PathBuf>,
}

/// A page budget: a whole number of pages from 1 to [`PageBudget::MAX`]. Anything else is an
/// error at the value in `haven.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct PageBudget(pub usize);

impl PageBudget {
    /// More pages than this is no longer a handout.
    pub const MAX: usize = 50;
}

impl<'de> Deserialize<'de> for PageBudget {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = i64::deserialize(d)?;
        if n < 1 || n > PageBudget::MAX as i64 {
            return Err(serde::de::Error::custom(format!(
                "a page budget of {n} makes no sense: give a whole number of pages from 1 to {} (e.g. large_print_max_pages = 6), or remove the line for no budget",
                PageBudget::MAX
            )));
        }
        Ok(PageBudget(n as usize))
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    /// 210 × 297 mm.
    #[default]
    A4,
    /// US Letter, 8.5 × 11 in (215.9 × 279.4 mm).
    Letter,
}

impl Paper {
    /// The name as written in `haven.toml` and given to templates (`a4`, `letter`).
    pub fn name(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::Letter => "letter",
        }
    }

    /// The CSS `@page` size keyword.
    pub fn css_size(self) -> &'static str {
        match self {
            Paper::A4 => "A4",
            Paper::Letter => "letter",
        }
    }

    /// Both paper sizes, in the order their PDFs are listed.
    pub const ALL: [Paper; 2] = [Paper::A4, Paper::Letter];

    /// Width and height in inches (what Chromium's Page.printToPDF takes).
    pub fn size_in(self) -> (f64, f64) {
        match self {
            Paper::A4 => (8.27, 11.69),
            Paper::Letter => (8.5, 11.0),
        }
    }

    /// Width and height in millimetres.
    pub fn size_mm(self) -> (f64, f64) {
        match self {
            Paper::A4 => (210.0, 297.0),
            Paper::Letter => (215.9, 279.4),
        }
    }
}
