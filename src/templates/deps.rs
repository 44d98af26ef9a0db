//! Which templates a template uses (extends, includes, macro imports), so `serve` re-renders
//! only the pages whose templates a change touches.

use std::collections::{BTreeSet, HashMap};

use tera::ast::Node;

/// The templates each template uses directly: its parent, its includes and its macro files.
pub fn direct(tera: &tera::Tera) -> HashMap<String, BTreeSet<String>> {
    tera.templates
        .iter()
        .map(|(name, t)| {
            let mut uses = BTreeSet::new();
            uses.extend(t.parent.iter().cloned());
            uses.extend(t.imported_macro_files.iter().map(|(file, _)| file.clone()));
            includes(&t.ast, &mut uses);
            for m in t.macros.values() {
                includes(&m.body, &mut uses);
            }
            (name.clone(), uses)
        })
        .collect()
}

fn includes(nodes: &[Node], out: &mut BTreeSet<String>) {
    for node in nodes {
        match node {
            // Every candidate of `{% include ["a.html", "b.html"] %}`: which one is used can
            // change when a file appears, so both count.
            Node::Include(_, names, _) => out.extend(names.iter().cloned()),
            Node::Extends(_, name) | Node::ImportMacro(_, name, _) => {
                out.insert(name.clone());
            }
            Node::Block(_, b, _) => includes(&b.body, out),
            Node::MacroDefinition(_, m, _) => includes(&m.body, out),
            Node::FilterSection(_, f, _) => includes(&f.body, out),
            Node::Forloop(_, f, _) => {
                includes(&f.body, out);
                if let Some(empty) = &f.empty_body {
                    includes(empty, out);
                }
            }
            Node::If(i, _) => {
                for (_, _, body) in &i.conditions {
                    includes(body, out);
                }
                if let Some((_, body)) = &i.otherwise {
                    includes(body, out);
                }
            }
            // Listed by name, not `_`, so that a node kind a new tera adds (tera's AST is
            // doc(hidden) and may change in any release; Cargo.toml pins `~1.20`) fails to
            // compile here instead of silently hiding an include from `serve`.
            Node::Super
            | Node::Text(_)
            | Node::VariableBlock(..)
            | Node::Set(..)
            | Node::Raw(..)
            | Node::Break(_)
            | Node::Continue(_)
            | Node::Comment(..) => {}
        }
    }
}

/// Every template that uses one of `changed`, directly or through others, `changed` included.
pub fn dependents(
    uses: &HashMap<String, BTreeSet<String>>,
    changed: &BTreeSet<String>,
) -> BTreeSet<String> {
    let mut found: BTreeSet<String> = changed.clone();
    // Walk the reverse edges until nothing new is found (template sets are small).
    loop {
        let before = found.len();
        for (name, used) in uses {
            if !found.contains(name) && used.iter().any(|u| found.contains(u)) {
                found.insert(name.clone());
            }
        }
        if found.len() == before {
            return found;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tera(files: &[(&str, &str)]) -> tera::Tera {
        let mut t = tera::Tera::default();
        t.add_raw_templates(files.to_vec()).unwrap();
        t
    }

    #[test]
    fn extends_includes_and_imports_are_followed_both_ways() {
        let t = tera(&[
            (
                "base.html",
                "<body>{% block main %}{% endblock %}{% include \"foot.html\" %}</body>",
            ),
            (
                "foot.html",
                "<footer>{% if x %}{% include \"legal.html\" %}{% endif %}</footer>",
            ),
            ("legal.html", "(c)"),
            (
                "macros.html",
                "{% macro card(t) %}{% include \"icon.html\" %}{{ t }}{% endmacro %}",
            ),
            ("icon.html", "*"),
            (
                "page.html",
                "{% extends \"base.html\" %}{% import \"macros.html\" as m %}{% block main %}{% for p in ps %}{{ m::card(t=p) }}{% endfor %}{% endblock %}",
            ),
            (
                "section.html",
                "{% extends \"base.html\" %}{% block main %}{% include \"list.html\" %}{% endblock %}",
            ),
            ("list.html", "<ul></ul>"),
            ("alone.html", "plain"),
        ]);
        let uses = direct(&t);
        assert_eq!(
            uses["page.html"],
            BTreeSet::from(["base.html".to_string(), "macros.html".to_string()])
        );
        let set = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<BTreeSet<_>>();
        assert_eq!(
            dependents(&uses, &set(&["icon.html"])),
            set(&["icon.html", "macros.html", "page.html"])
        );
        assert_eq!(
            dependents(&uses, &set(&["list.html"])),
            set(&["list.html", "section.html"])
        );
        assert_eq!(
            dependents(&uses, &set(&["legal.html"])),
            set(&[
                "legal.html",
                "foot.html",
                "base.html",
                "page.html",
                "section.html"
            ])
        );
        assert_eq!(
            dependents(&uses, &set(&["alone.html"])),
            set(&["alone.html"])
        );
    }

    #[test]
    fn an_include_inside_every_kind_of_body_is_found() {
        // One include in each place a tera body can hold one: an `elif` and an `else`, a
        // `for`'s `else`, a filter section, a block inside a block, and a macro.
        let t = tera(&[
            (
                "elif.html",
                "{% if a %}x{% elif b %}{% include \"a.html\" %}{% endif %}",
            ),
            (
                "else.html",
                "{% if a %}x{% else %}{% include \"b.html\" %}{% endif %}",
            ),
            (
                "for-else.html",
                "{% for p in ps %}x{% else %}{% include \"c.html\" %}{% endfor %}",
            ),
            (
                "filter.html",
                "{% filter upper %}{% include \"d.html\" %}{% endfilter %}",
            ),
            (
                "nested.html",
                "{% block outer %}{% block inner %}{% include \"e.html\" %}{% endblock %}{% endblock %}",
            ),
            (
                "macro.html",
                "{% macro m() %}{% if a %}{% include \"f.html\" %}{% endif %}{% endmacro %}",
            ),
            (
                "either.html",
                "{% include [\"g.html\", \"h.html\"] ignore missing %}",
            ),
            ("a.html", ""),
            ("b.html", ""),
            ("c.html", ""),
            ("d.html", ""),
            ("e.html", ""),
            ("f.html", ""),
            ("g.html", ""),
        ]);
        let uses = direct(&t);
        for (template, included) in [
            ("elif.html", &["a.html"][..]),
            ("else.html", &["b.html"]),
            ("for-else.html", &["c.html"]),
            ("filter.html", &["d.html"]),
            ("nested.html", &["e.html"]),
            ("macro.html", &["f.html"]),
            ("either.html", &["g.html", "h.html"]),
        ] {
            let want: BTreeSet<String> = included.iter().map(|s| s.to_string()).collect();
            assert_eq!(uses[template], want, "{template}");
        }
    }
}
