//! The words handouts print, in English and Spanish. A theme or site overrides any of them with
//! the same key in its `i18n/LANG.toml` (e.g. `handout_answers = "Answers"`); other languages
//! fall back to English until they are added there.

use std::collections::BTreeMap;

/// (key, English, Spanish).
pub const STRINGS: &[(&str, &str, &str)] = &[
    (
        "handout_link",
        "Print this as a handout",
        "Imprimir como folleto",
    ),
    ("handout_title", "Handout", "Folleto"),
    ("handouts_title", "Handouts", "Folletos"),
    (
        "handouts_intro",
        "Printable versions of our articles, with the clinic's details and a QR code that opens the article online. Each fits on at most two pages. Each also has a large-print version, which may take more pages.",
        "Versiones para imprimir de nuestros artículos, con los datos de la clínica y un código QR que abre el artículo en línea. Cada uno ocupa como mucho dos páginas. Cada uno tiene también una versión en letra grande, que puede ocupar más páginas.",
    ),
    ("handout_large_print", "Large print", "Letra grande"),
    (
        "handout_large_print_link",
        "Large print version",
        "Versión en letra grande",
    ),
    (
        "handout_standard_link",
        "Standard print version",
        "Versión en letra normal",
    ),
    (
        "handouts_print_all",
        "Print all handouts",
        "Imprimir todos los folletos",
    ),
    ("handouts_all_title", "All handouts", "Todos los folletos"),
    ("handouts_index", "All handouts", "Todos los folletos"),
    (
        "handouts_pages_note",
        "Page counts are estimated from the length of each handout.",
        "El número de páginas es una estimación a partir de la extensión de cada folleto.",
    ),
    ("handout_page", "page", "página"),
    ("handout_pages", "pages", "páginas"),
    ("handout_read_online", "Read it online", "Leerlo en línea"),
    (
        "handout_print_hint",
        "Print this page with your browser's Print command (Ctrl+P, or ⌘P on a Mac). The printout leaves out the menus and buttons.",
        "Imprime esta página con la orden Imprimir del navegador (Ctrl+P, o ⌘P en un Mac). Lo impreso no lleva los menús ni los botones.",
    ),
    (
        "handout_sample",
        "Sample handout: the clinic details on it are examples. Replace them before giving this to patients.",
        "Folleto de muestra: los datos de la clínica son ejemplos. Cámbialos antes de dar este folleto a pacientes.",
    ),
    (
        "handout_scan",
        "Scan to read this online:",
        "Escanea para leerlo en línea:",
    ),
    ("handout_qr_label", "QR code of", "Código QR de"),
    ("handout_answers", "Answers", "Respuestas"),
    (
        "handout_answers_note",
        "The answers are at the end of this handout.",
        "Las respuestas están al final de este folleto.",
    ),
    ("handout_printed_on", "Printed on", "Impreso el"),
    ("handout_from", "From", "De"),
    ("handout_phone", "Phone", "Teléfono"),
    ("handout_email", "Email", "Correo"),
    ("handout_hours", "Opening hours", "Horario"),
    ("handout_website", "Website", "Web"),
    ("handout_address", "Address", "Dirección"),
    ("handout_reviewed_by", "Reviewed by", "Revisado por"),
    ("handout_reviewed_on", "on", "el"),
    (
        "handout_last_reviewed",
        "Last reviewed on",
        "Última revisión el",
    ),
    ("handout_sources", "Sources", "Fuentes"),
    ("handout_content_note", "Content note", "Aviso de contenido"),
    (
        "handout_pdf_download",
        "Download it as a PDF file:",
        "Descárgalo como archivo PDF:",
    ),
    ("handout_pdf", "PDF", "PDF"),
    ("handout_pdf_a4", "A4", "A4"),
    ("handout_pdf_letter", "US Letter", "carta (EE. UU.)"),
    ("handout_pdf_kb", "KB", "KB"),
];

/// The handout strings of `lang`: Haven's own, then the theme's and site's UI strings (`t`) over
/// them for the same keys.
pub fn for_lang(lang: &str, ui: Option<&BTreeMap<String, String>>) -> BTreeMap<String, String> {
    let spanish = lang == "es" || lang.starts_with("es-");
    let mut out: BTreeMap<String, String> = STRINGS
        .iter()
        .map(|(k, en, es)| (k.to_string(), if spanish { es } else { en }.to_string()))
        .collect();
    if let Some(ui) = ui {
        for (k, v) in ui {
            if out.contains_key(k) {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_strings_win() {
        let mut ui = BTreeMap::new();
        ui.insert("handout_answers".to_string(), "Solutions".to_string());
        ui.insert("unrelated".to_string(), "x".to_string());
        let s = for_lang("en", Some(&ui));
        assert_eq!(s["handout_answers"], "Solutions");
        assert!(!s.contains_key("unrelated"));
        assert_eq!(for_lang("es", None)["handout_answers"], "Respuestas");
        assert_eq!(for_lang("fr", None)["handout_answers"], "Answers");
    }
}
