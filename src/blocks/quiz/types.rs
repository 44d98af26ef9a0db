//! A quiz as data: the [`Quiz`] the parser makes and every part of it, which the HTML, the
//! handouts and the exports read.

/// Option pairs that make a true/false question, by language.
const TRUE_FALSE: &[(&str, &str)] = &[
    ("true", "false"),
    ("verdadero", "falso"),
    ("vrai", "faux"),
    ("wahr", "falsch"),
    ("vero", "falso"),
    ("verdadeiro", "falso"),
];
/// The largest weight an option may give a category.
pub const MAX_WEIGHT: u32 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum QuizType {
    Knowledge,
    Checklist,
    Assessment,
}

impl QuizType {
    pub fn name(self) -> &'static str {
        match self {
            QuizType::Knowledge => "knowledge",
            QuizType::Checklist => "checklist",
            QuizType::Assessment => "assessment",
        }
    }
}

/// Inline Markdown written on a line of the block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub text: String,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quiz {
    pub title: Text,
    pub kind: QuizType,
    /// The quiz's id: `id:`, else made from the title.
    pub id: String,
    /// The line of `id:`, when given.
    pub id_line: Option<usize>,
    /// `shuffle: true` / `false`; None leaves it to the site's `[quiz] shuffle`.
    pub shuffle: Option<bool>,
    pub questions: Vec<Question>,
    /// Checklists only.
    pub bands: Vec<Band>,
    /// Self-assessments only.
    pub categories: Vec<Category>,
}

/// How a knowledge-check question is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// One right option: radio buttons.
    Single,
    /// Several right options: checkboxes, "choose all that apply".
    Multiple,
    /// Options exactly True and False (or the same in another language).
    TrueFalse,
    /// Numbered steps (`1. step`) to put in order.
    Order,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub text: Text,
    /// `## Question {#its-id}`.
    pub id: Option<String>,
    pub options: Vec<Opt>,
    pub explanation: Option<Text>,
}

impl Question {
    /// How a knowledge-check question is answered.
    pub fn answer(&self) -> Answer {
        if self.options.iter().any(|o| o.step.is_some()) {
            return Answer::Order;
        }
        let right = self
            .options
            .iter()
            .filter(|o| o.right == Some(true))
            .count();
        if self.options.len() == 2 {
            let a = self.options[0].text.text.trim().to_lowercase();
            let b = self.options[1].text.text.trim().to_lowercase();
            if TRUE_FALSE
                .iter()
                .any(|(t, f)| (a == *t && b == *f) || (a == *f && b == *t))
            {
                return Answer::TrueFalse;
            }
        }
        if right > 1 {
            Answer::Multiple
        } else {
            Answer::Single
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opt {
    pub text: Text,
    /// `[x]` (Some(true)) or `[ ]` (Some(false)); None in checklists and self-assessments.
    pub right: Option<bool>,
    pub feedback: Option<Text>,
    /// Self-assessments: categories this option leans toward, with weights.
    pub weights: Vec<(String, u32)>,
    /// Line of the `{...}` weights, for errors (same as the option's).
    pub weights_line: usize,
    /// Checklists: `- (!) statement` acts on its own, whatever the count. The message under it
    /// (indented lines) is shown first when it is ticked; `Some` with empty text until read.
    pub flag: Option<Text>,
    /// Ordering questions: the step's number as written (`2. step`), its place in the right order.
    pub step: Option<usize>,
}

/// The mark that flags a checklist statement: `- (!) I have had thoughts of hurting myself`.
pub const FLAG: &str = "(!)";

/// `[min-max] message`: what a checklist count from `min` to `max` (open when None) means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    pub min: usize,
    pub max: Option<usize>,
    pub message: Text,
}

impl Band {
    pub fn contains(&self, n: usize) -> bool {
        n >= self.min && self.max.is_none_or(|m| n <= m)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub id: String,
    pub name: Text,
    pub description: Option<Text>,
}

/// What a block holds: a quiz, or the name of a quiz file (`use: NAME`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Inline(Box<Quiz>),
    Use { name: String, line: usize },
}
