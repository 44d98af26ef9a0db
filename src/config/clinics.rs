//! Clinic profiles' data (`[clinics.NAME]` in `haven.toml`, or `clinics/NAME.toml`). Loading a
//! profile and laying it over the site's settings is `crate::handout::profile`'s job.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::config::{ClinicConfig, ColorsConfig, HelpConfig};

/// What a clinic profile may set. Anything it leaves out stays as `haven.toml` has it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ClinicProfile {
    /// Where this clinic's copy of the guide is published (its pages' canonical URLs, and so the
    /// address in every handout's QR code).
    pub base_url: Option<String>,
    /// The clinic block: name, logo, address, phone, email, hours, website, talk_to_us.
    pub clinic: Option<ClinicConfig>,
    /// Accent colours and logo; each key set here replaces the site's.
    pub colors: Option<ColorsConfig>,
    /// "Where to get help": replaces the site's title and contacts when set.
    pub help: Option<HelpConfig>,
}

/// The profiles of `haven.toml`, for [`Config`](super::Config)'s `clinics` key.
pub type Profiles = BTreeMap<String, ClinicProfile>;
