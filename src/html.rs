//! HTML escaping and its inverse, one of each for the whole crate.
//!
//! [`escape`] is pulldown-cmark's own attribute escaper (`pulldown_cmark_escape::escape_html`):
//! `&`, `<`, `>`, `"` and `'` become `&amp;`, `&lt;`, `&gt;`, `&quot;` and `&#39;`, so the result
//! is safe in element text and in quoted attribute values alike, and what Haven writes matches
//! what pulldown-cmark writes for the same text in a link title, an image's alt text or a
//! heading's id. (pulldown-cmark's body text leaves `"` and `'` as they are; no one escaper can
//! match that and still be safe in attributes.) Not for JSON or `<script>` (templates use
//! `json_encode` with `<` written as `\u003c`) nor for URL paths (percent-encoding): an escaped
//! URL is only safe inside a quoted attribute.

/// `s` with `&`, `<`, `>`, `"` and `'` replaced by `&amp;`, `&lt;`, `&gt;`, `&quot;` and `&#39;`.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    pulldown_cmark_escape::escape_html(&mut out, s).expect("writing to a String cannot fail");
    out
}

/// The entities [`escape`] writes, decoded in one pass from left to right, so `&amp;lt;` gives
/// `&lt;` and not `<`. Any other `&` is left as it is.
pub fn unescape(s: &str) -> String {
    const ENTITIES: [(&str, char); 5] = [
        ("&amp;", '&'),
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&quot;", '"'),
        ("&#39;", '\''),
    ];
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match ENTITIES.iter().find(|(e, _)| rest.starts_with(e)) {
            Some((e, c)) => {
                out.push(*c);
                rest = &rest[e.len()..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The text of some HTML: tags dropped, then the entities [`escape`] writes decoded.
pub fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    unescape(&out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_special_character_is_escaped() {
        assert_eq!(
            super::escape(r#"a & <b> "c" 'd'"#),
            "a &amp; &lt;b&gt; &quot;c&quot; &#39;d&#39;"
        );
    }

    #[test]
    fn escaping_matches_pulldown_cmark_in_a_link_title_and_alt_text() {
        let tricky = r#"Tom & Jerry's <"tips">"#;
        let markdown = r#"[x](/a "Tom & Jerry's <\"tips\">") ![Tom & Jerry's \<"tips"\>](/b.png)"#;
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(markdown));
        let escaped = super::escape(tricky);
        assert_eq!(
            html,
            format!(
                "<p><a href=\"/a\" title=\"{escaped}\">x</a> <img src=\"/b.png\" alt=\"{escaped}\" /></p>\n"
            )
        );
    }

    #[test]
    fn unescape_inverts_escape_and_decodes_once() {
        let text = r#"a & <b> "c" 'd' &amp; &lt; &x; & ;"#;
        assert_eq!(super::unescape(&super::escape(text)), text);
        assert_eq!(super::unescape("&amp;lt;"), "&lt;");
        assert_eq!(super::unescape("&amp;#39;"), "&#39;");
        assert_eq!(super::unescape("AT&T &copy; &"), "AT&T &copy; &");
    }

    #[test]
    fn text_of_drops_tags_and_decodes_entities() {
        assert_eq!(
            super::text_of("<p>Ask <em>&quot;how&#39;s this?&quot;</em> &amp;lt;3</p>"),
            "Ask \"how's this?\" &lt;3"
        );
    }
}
