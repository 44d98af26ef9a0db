//! The quiz's interface text, per language. A site changes or adds any of them in `haven.toml`:
//!
//! ```toml
//! [quiz.strings.fr]
//! check = "Vérifier"
//! ```
//!
//! Lookup order: the site's strings for the page's language, Haven's for that language, the
//! site's English strings, Haven's English. `{n}`, `{total}` and `{names}` are filled in.

use std::collections::BTreeMap;

/// (key, English, Spanish). Keys starting with `js_` are read by the script from `data-` attributes.
pub const STRINGS: &[(&str, &str, &str)] = &[
    (
        "about_knowledge",
        "{total} questions. Your answers stay on this page: nothing is sent anywhere.",
        "{total} preguntas. Tus respuestas se quedan en esta página: no se envía nada.",
    ),
    (
        "about_knowledge_one",
        "1 question. Your answer stays on this page: nothing is sent anywhere.",
        "1 pregunta. Tu respuesta se queda en esta página: no se envía nada.",
    ),
    (
        "about_checklist",
        "Tick what is true for you. Nothing you tick leaves this page.",
        "Marca lo que sea cierto para ti. Nada de lo que marques sale de esta página.",
    ),
    (
        "about_assessment",
        "There are no right or wrong answers. Your answers stay on this page: nothing is sent anywhere.",
        "No hay respuestas correctas ni incorrectas. Tus respuestas se quedan en esta página: no se envía nada.",
    ),
    (
        "question_n",
        "Question {n} of {total}:",
        "Pregunta {n} de {total}:",
    ),
    ("choose_one", "Choose one answer.", "Elige una respuesta."),
    (
        "choose_all",
        "Choose all that apply.",
        "Elige todas las que correspondan.",
    ),
    ("true_false", "True or false?", "¿Verdadero o falso?"),
    (
        "order_hint",
        "Put these in order: move each one up or down.",
        "Ponlos en orden: mueve cada uno hacia arriba o hacia abajo.",
    ),
    ("move_up", "Move up", "Subir"),
    ("move_down", "Move down", "Bajar"),
    ("right_order", "The right order:", "El orden correcto:"),
    ("check", "Check my answer", "Comprobar mi respuesta"),
    ("show_answer", "Show the answer", "Ver la respuesta"),
    ("right_answer", "Right answer:", "Respuesta correcta:"),
    ("right_answers", "Right answers:", "Respuestas correctas:"),
    ("finish_knowledge", "See my score", "Ver mi puntuación"),
    ("finish_checklist", "See what it means", "Ver qué significa"),
    ("finish_assessment", "See my result", "Ver mi resultado"),
    ("reset", "Start again", "Volver a empezar"),
    (
        "checklist_how",
        "What your count means",
        "Qué significa tu número",
    ),
    (
        "checklist_intro",
        "Count the statements you ticked, then find your number:",
        "Cuenta las frases que marcaste y busca tu número:",
    ),
    (
        "checklist_intro_flagged",
        "If you ticked none of those, count the statements you ticked, then find your number:",
        "Si no marcaste ninguna de esas, cuenta las frases que marcaste y busca tu número:",
    ),
    (
        "flag_intro",
        "If you ticked any of these, read this first:",
        "Si marcaste alguna de estas, lee esto primero:",
    ),
    (
        "band_range",
        "{n} to {total} ticked:",
        "De {n} a {total} marcadas:",
    ),
    ("band_from", "{n} or more ticked:", "{n} o más marcadas:"),
    ("band_one", "{n} ticked:", "{n} marcadas:"),
    (
        "assessment_how",
        "How to read your result",
        "Cómo leer tu resultado",
    ),
    (
        "assessment_intro",
        "Each answer leans toward one of the categories below (×2 means it counts twice). Add up which category your answers lean toward most: that is your strongest. If two or more come out level, read each of them: they all matter to you.",
        "Cada respuesta se inclina hacia una de las categorías de abajo (×2 significa que cuenta doble). Suma hacia qué categoría se inclinan más tus respuestas: esa es la más fuerte. Si dos o más quedan empatadas, lee cada una: todas son importantes para ti.",
    ),
    (
        "assessment_leans",
        "Where each answer leans",
        "Hacia dónde se inclina cada respuesta",
    ),
    ("assessment_categories", "The categories", "Las categorías"),
    (
        "remember",
        "Remember my answers on this device",
        "Recordar mis respuestas en este dispositivo",
    ),
    (
        "clear",
        "Clear my saved answers",
        "Borrar mis respuestas guardadas",
    ),
    ("index_title", "Quizzes", "Cuestionarios"),
    (
        "index_description",
        "Every quiz on this site: check what you know, or find what helps you.",
        "Todos los cuestionarios del sitio: comprueba lo que sabes o descubre qué te ayuda.",
    ),
    (
        "summary_knowledge",
        "A knowledge check with {total} questions.",
        "Una prueba de conocimientos con {total} preguntas.",
    ),
    (
        "summary_checklist",
        "A checklist of {total} statements.",
        "Una lista de {total} frases para marcar.",
    ),
    (
        "summary_assessment",
        "A self-assessment with {total} questions and no right answers.",
        "Una autoevaluación con {total} preguntas, sin respuestas correctas.",
    ),
    ("appears_in", "In the article:", "En el artículo:"),
    ("js_correct", "Correct.", "Correcto."),
    ("js_wrong", "Not quite.", "No del todo."),
    ("js_unanswered", "Not answered.", "Sin responder."),
    (
        "js_pick",
        "Choose an answer first.",
        "Elige primero una respuesta.",
    ),
    (
        "js_yours_right",
        "Your choice: right.",
        "Tu elección: correcta.",
    ),
    (
        "js_yours_wrong",
        "Your choice: not right.",
        "Tu elección: no es correcta.",
    ),
    (
        "js_missed",
        "A right answer you did not choose.",
        "Una respuesta correcta que no elegiste.",
    ),
    (
        "js_score",
        "You got {n} of {total} right.",
        "Acertaste {n} de {total}.",
    ),
    ("js_review", "Go over these again:", "Repasa estas:"),
    ("js_question", "Question {n}", "Pregunta {n}"),
    (
        "js_ticked",
        "You ticked {n} of {total}.",
        "Marcaste {n} de {total}.",
    ),
    (
        "js_moved",
        "{text}: now {n} of {total}.",
        "{text}: ahora {n} de {total}.",
    ),
    (
        "js_step_right",
        "In the right place.",
        "En el lugar correcto.",
    ),
    (
        "js_step_wrong",
        "This goes at number {n}.",
        "Este va en el número {n}.",
    ),
    (
        "js_flag_title",
        "Please read this first",
        "Lee esto primero",
    ),
    ("js_flag_ticked", "You ticked:", "Marcaste:"),
    (
        "js_result",
        "Your answers lean most toward {names}.",
        "Tus respuestas se inclinan más hacia {names}.",
    ),
    (
        "js_tie",
        "Your answers lean equally toward {names}. They came out level, so read about each of them: they all matter to you.",
        "Tus respuestas se inclinan por igual hacia {names}. Quedaron empatadas, así que lee sobre cada una: todas son importantes para ti.",
    ),
    (
        "js_none",
        "Answer at least one question to see a result.",
        "Responde al menos una pregunta para ver un resultado.",
    ),
    ("js_and", " and ", " y "),
    (
        "js_reset",
        "Cleared. Start again from the first question.",
        "Borrado. Vuelve a empezar desde la primera pregunta.",
    ),
    (
        "js_cleared",
        "Your saved answers are cleared.",
        "Tus respuestas guardadas están borradas.",
    ),
];

/// The strings for one language, with the site's overrides.
pub struct Strings<'a> {
    lang: &'a str,
    overrides: &'a BTreeMap<String, BTreeMap<String, String>>,
}

impl<'a> Strings<'a> {
    pub fn new(lang: &'a str, overrides: &'a BTreeMap<String, BTreeMap<String, String>>) -> Self {
        Strings { lang, overrides }
    }

    pub fn get(&self, key: &str) -> &'a str {
        let (_, en, es) = STRINGS
            .iter()
            .find(|(k, _, _)| *k == key)
            .unwrap_or_else(|| panic!("no quiz string `{key}`"));
        let site = |lang: &str| {
            self.overrides
                .get(lang)
                .and_then(|m| m.get(key))
                .map(String::as_str)
        };
        if let Some(s) = site(self.lang) {
            return s;
        }
        match self.lang {
            "es" => return es,
            "en" => return en,
            _ => {}
        }
        site("en").unwrap_or(en)
    }

    /// `get(key)` with `{n}` and `{total}` filled in.
    pub fn fill(&self, key: &str, n: usize, total: usize) -> String {
        self.get(key)
            .replace("{n}", &n.to_string())
            .replace("{total}", &total.to_string())
    }
}

/// Every key, for documentation and for checking a site's overrides.
pub fn keys() -> impl Iterator<Item = &'static str> {
    STRINGS.iter().map(|(k, _, _)| *k)
}
