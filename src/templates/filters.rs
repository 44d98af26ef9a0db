//! Our tera filters. Tera's own `builtins` feature is off: it pulls in chrono, rand and more for
//! a handful of filters; we need only these.

use std::collections::{BTreeMap, HashMap};

use tera::{Result, Tera, Value, to_value};

use crate::frontmatter::Date;

pub fn register(tera: &mut Tera) {
    tera.register_filter("long_date", long_date);
}

/// `{{ page.date | long_date(t=t) }}` -> "20 November 2026" / "20 de noviembre de 2026": the
/// month from `t.month_N`, the order from `t.date_long`, so a site's `i18n/LANG.toml` changes
/// either. `long_date(lang=lang)` (themes written before) uses Haven's strings of that language.
fn long_date(value: &Value, args: &HashMap<String, Value>) -> Result<Value> {
    let text = value.as_str().unwrap_or_default();
    let Some(date) = Date::parse(text) else {
        return Ok(value.clone());
    };
    let strings: BTreeMap<String, String> = match args.get("t") {
        Some(t) => [format!("month_{}", date.month), "date_long".to_string()]
            .into_iter()
            .filter_map(|k| {
                let v = t.get(&k)?.as_str()?.to_string();
                Some((k, v))
            })
            .collect(),
        None => {
            let lang = args.get("lang").and_then(Value::as_str).unwrap_or("en");
            crate::i18n::builtin(lang).cloned().unwrap_or_default()
        }
    };
    Ok(to_value(crate::i18n::long_date(
        &strings, date.day, date.month, date.year,
    ))?)
}
