//! Our tera filters. Tera's own `builtins` feature is off: it pulls in chrono, rand and more for
//! a handful of filters; we need only these.

use std::collections::HashMap;

use tera::{Result, Tera, Value, to_value};

use crate::frontmatter::Date;

pub fn register(tera: &mut Tera) {
    tera.register_filter("long_date", long_date);
}

/// `{{ page.date | long_date(lang=lang) }}` -> "20 November 2026" / "20 de noviembre de 2026".
fn long_date(value: &Value, args: &HashMap<String, Value>) -> Result<Value> {
    let text = value.as_str().unwrap_or_default();
    let Some(date) = Date::parse(text) else {
        return Ok(value.clone());
    };
    let lang = args.get("lang").and_then(Value::as_str).unwrap_or("en");
    let m = date.month as usize - 1;
    let out = match lang {
        "es" => {
            const MONTHS: [&str; 12] = [
                "enero",
                "febrero",
                "marzo",
                "abril",
                "mayo",
                "junio",
                "julio",
                "agosto",
                "septiembre",
                "octubre",
                "noviembre",
                "diciembre",
            ];
            format!("{} de {} de {}", date.day, MONTHS[m], date.year)
        }
        "en" => {
            const MONTHS: [&str; 12] = [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ];
            format!("{} {} {}", date.day, MONTHS[m], date.year)
        }
        _ => date.to_string(),
    };
    Ok(to_value(out)?)
}
