//! Turning a PPS "expected phrase" into the text a writer would have written.
//!
//! The expected phrases were written by people flagging papers, for people: they
//! carry acronyms in parentheses ("back propagation (BP)"), editorial context in
//! brackets ("[neural network] layer outputs"), doubt ("rythm pattern (?)"),
//! links ("social influence, see https://..."), alternatives with slashes
//! ("benign cancer/tumor") and the odd typo. The checker replaces an artifact by
//! an original and shows it as a suggestion, so each original must be plain text
//! that fits where the artifact stood. [`clean`] does the general rewriting;
//! entries no rule reads right are spelled out in [`super::decisions`].

use super::decisions;

/// A correction read as originals, best first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cleaned {
    /// Plain-text originals, best first.
    pub originals: Vec<String>,
    /// The source marked the correction as a guess.
    pub uncertain: bool,
    /// The correction was read through an entry of [`decisions::CORRECTION_READINGS`].
    pub by_decision: bool,
}

/// Why a correction yields no original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unusable {
    /// Nothing left once the doubt markers, links and notes are removed.
    NoOriginal,
}

/// Removes backslash escapes (`\&`, `\"`) and collapses whitespace.
pub fn normalize_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|n| !n.is_alphanumeric()) {
            continue;
        }
        // Non-breaking and other typographic hyphens read as plain ones.
        out.push(if matches!(c, '\u{2010}' | '\u{2011}') {
            '-'
        } else {
            c
        });
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The key under which the checker sees a phrase: its lower-case words joined
/// by single spaces (hyphens and punctuation are separators).
pub fn key(text: &str) -> String {
    unspun::text::words(text)
        .map(|w| w.text.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads `correction` (the expected phrase for `artifact`, both as the source
/// wrote them) as originals.
pub fn clean(artifact: &str, correction: &str) -> Result<Cleaned, Unusable> {
    let artifact = normalize_text(artifact);
    let text = normalize_text(correction);
    if let Some(reading) = decisions::correction_reading(&key(&artifact), &text) {
        if reading.originals.is_empty() {
            return Err(Unusable::NoOriginal);
        }
        return Ok(Cleaned {
            originals: reading.originals.split('|').map(str::to_string).collect(),
            uncertain: reading.uncertain,
            by_decision: true,
        });
    }
    let text = cut_link(&text);
    let uncertain = text.contains('?');
    // "?" marks doubt and "*" emphasis; neither is part of the text.
    let text = text.replace(['?', '*'], "");
    // "differential equation AND 3rd order": what follows AND is the original of
    // the query's condition phrase, not of the artifact.
    let text = match text.find(" AND ") {
        Some(i) => text[..i].to_string(),
        None => text,
    };
    let mut originals: Vec<String> = Vec::new();
    for variant in expand_attached_groups(&text, &artifact) {
        let mut text = drop_groups(&variant, &artifact);
        append_artifact_acronym(&mut text, &artifact);
        let text = strip_wrapping_quotes(text.trim());
        for alternative in split_alternatives(&text) {
            for expanded in expand_slashes(&alternative, &artifact) {
                let tidy = tidy(&decisions::fix_typos(&expanded));
                let original = writer_case(&tidy);
                if !key(&original).is_empty() && !originals.contains(&original) {
                    originals.push(original);
                }
            }
        }
    }
    if originals.is_empty() {
        return Err(Unusable::NoOriginal);
    }
    Ok(Cleaned {
        originals,
        uncertain,
        by_decision: false,
    })
}

/// Removes a link and the words that introduce it: "social influence, see
/// https://..." -> "social influence".
fn cut_link(text: &str) -> String {
    let Some(at) = text.find("http") else {
        return text.to_string();
    };
    let mut head = text[..at].trim_end();
    loop {
        let before = head;
        head = head.trim_end_matches([' ', ',', '(', ':', ';']);
        for word in ["see", "See"] {
            if let Some(stripped) = head.strip_suffix(word) {
                if stripped.is_empty() || stripped.ends_with([' ', ',', '(']) {
                    head = stripped;
                }
            }
        }
        if head == before {
            break;
        }
    }
    // Whatever stood after the link in its parentheses went with it.
    head.to_string()
}

fn count_groups(text: &str, open: char) -> usize {
    text.matches(open).count()
}

/// Drops parenthesised and bracketed groups: acronyms "(BP)", explanations "(of
/// a car)", editorial context "[neural network]". When the artifact itself has
/// such groups ("synthetic intelligence (AI)"), the first as many groups of the
/// correction stay, since they stand in the same place in the text.
fn drop_groups(text: &str, artifact: &str) -> String {
    let mut keep_paren = count_groups(artifact, '(');
    let mut keep_bracket = count_groups(artifact, '[');
    let mut out = String::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        let close = match c {
            '(' => ')',
            '[' => ']',
            _ => {
                out.push(c);
                continue;
            }
        };
        let keep = if c == '(' {
            &mut keep_paren
        } else {
            &mut keep_bracket
        };
        let mut group = String::from(c);
        let mut depth = 1;
        for (_, g) in chars.by_ref() {
            group.push(g);
            if g == c {
                depth += 1;
            } else if g == close {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
        }
        let inner = group[1..group.len() - 1].trim();
        let is_note = inner.is_empty()
            || [
                "note", "please", "see ", "e.g", "i.e", "found in", "could be", "as in", "via ",
                "=",
            ]
            .iter()
            .any(|p| inner.to_lowercase().starts_with(p));
        if *keep > 0 && !is_note {
            *keep -= 1;
            out.push_str(&group);
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// "data technology (IT)" -> "information technology": the writer's acronym
/// stood in the text and the spinner left it alone, so the original keeps it.
fn append_artifact_acronym(text: &mut String, artifact: &str) {
    if text.contains('(') {
        return;
    }
    let Some(inner) = artifact
        .trim_end()
        .strip_suffix(')')
        .and_then(|s| s.rsplit_once('('))
        .map(|(_, inner)| inner)
    else {
        return;
    };
    let uppers = inner.chars().filter(|c| c.is_uppercase()).count();
    if uppers >= 2 && !inner.contains(' ') && !text.trim().is_empty() {
        text.push_str(&format!(" ({inner})"));
    }
}

/// "emotion(al) processing" -> "emotional processing", "emotion processing":
/// a group glued to a word marks an optional part of it. Only when the artifact
/// has no parentheses of its own (there they stand for text, "Intel(R)").
fn expand_attached_groups(text: &str, artifact: &str) -> Vec<String> {
    if artifact.contains('(') {
        return vec![text.to_string()];
    }
    let bytes = text.as_bytes();
    let mut search_from = 0;
    while let Some(open) = text[search_from..].find('(').map(|i| i + search_from) {
        let Some(close) = text[open..].find(')').map(|i| i + open) else {
            break;
        };
        let inner = &text[open + 1..close];
        let glued_before = open > 0 && text[..open].chars().last().is_some_and(char::is_alphabetic);
        let glued_after = close + 1 < bytes.len()
            && text[close + 1..]
                .chars()
                .next()
                .is_some_and(char::is_alphabetic);
        if (glued_before || glued_after)
            && !inner.is_empty()
            && inner.chars().all(|c| c.is_lowercase())
        {
            let with = format!("{}{}{}", &text[..open], inner, &text[close + 1..]);
            let without = format!("{}{}", &text[..open], &text[close + 1..]);
            let mut variants = expand_attached_groups(&with, artifact);
            variants.extend(expand_attached_groups(&without, artifact));
            return variants;
        }
        search_from = close;
    }
    vec![text.to_string()]
}

const QUOTES: [char; 6] = ['"', '\'', '\u{201c}', '\u{201d}', '\u{2018}', '\u{2019}'];

fn strip_wrapping_quotes(text: &str) -> String {
    let starts = text.starts_with(['"', '\u{201c}']);
    let ends = text.ends_with(['"', '\u{201d}']);
    if starts && ends && text.chars().count() > 1 {
        let inner = text.trim_matches(['"', '\u{201c}', '\u{201d}']);
        if !inner.contains(['"', '\u{201c}', '\u{201d}']) {
            return inner.trim().to_string();
        }
    }
    text.to_string()
}

/// Alternatives written out: `X OR Y`, and `“X” or “Y”` with both sides quoted.
/// A plain " or " is left alone: it is usually part of the text ("solid, liquid
/// or gas").
fn split_alternatives(text: &str) -> Vec<String> {
    if text.contains(" OR ") {
        return text.split(" OR ").map(|p| p.trim().to_string()).collect();
    }
    let parts: Vec<&str> = text.split(" or ").collect();
    let quoted = |p: &str| {
        let p = p.trim();
        p.starts_with(QUOTES) && p.ends_with(QUOTES)
    };
    if parts.len() > 1 && parts.iter().all(|p| quoted(p)) {
        return parts
            .iter()
            .map(|p| p.trim().trim_matches(QUOTES).trim().to_string())
            .collect();
    }
    vec![text.to_string()]
}

/// "benign cancer/tumor" -> "benign cancer", "benign tumor"; and when both
/// sides of a single slash are phrases as long as the artifact, "digital
/// crime/cyber crime" -> "digital crime", "cyber crime". Slashes the artifact
/// has too ("grasp/slave" -> "master/slave") are part of the text.
fn expand_slashes(text: &str, artifact: &str) -> Vec<String> {
    if artifact.contains('/') || !text.contains('/') {
        return vec![text.to_string()];
    }
    // "head pain / headache": spaced slashes separate whole phrases.
    if text.contains(" /") || text.contains("/ ") {
        return text
            .split('/')
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect();
    }
    let artifact_words = key(artifact).split(' ').count();
    if let Some((left, right)) = text.split_once('/') {
        let words = |s: &str| key(s).split(' ').filter(|w| !w.is_empty()).count();
        if !right.contains('/')
            && artifact_words > 1
            && words(left) == artifact_words
            && words(right) == artifact_words
        {
            return vec![left.trim().to_string(), right.trim().to_string()];
        }
    }
    let mut variants = vec![String::new()];
    for (i, word) in text.split(' ').enumerate() {
        let choices: Vec<&str> = if word.contains('/') {
            word.split('/').filter(|c| !c.is_empty()).collect()
        } else {
            vec![word]
        };
        let mut next = Vec::with_capacity(variants.len() * choices.len());
        for v in &variants {
            for c in &choices {
                next.push(if i == 0 {
                    c.to_string()
                } else {
                    format!("{v} {c}")
                });
            }
        }
        variants = next;
    }
    variants
}

/// Spacing and stray punctuation left behind by the removals.
fn tidy(text: &str) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let collapsed = collapsed
        .replace(" ,", ",")
        .replace("( ", "(")
        .replace(" )", ")");
    collapsed
        .trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':'))
        .trim_end_matches("...")
        .trim_end_matches('\u{2026}')
        .trim()
        .to_string()
}

/// True for words whose case carries meaning: acronyms ("CNN", "IoT", "ReLU"),
/// words with digits and capitals ("CO2", "B1", "F0").
pub fn is_acronym_like(word: &str) -> bool {
    let uppers = word.chars().filter(|c| c.is_uppercase()).count();
    let first_upper = word.chars().next().is_some_and(char::is_uppercase);
    uppers >= 2
        || (uppers >= 1 && !first_upper)
        || (uppers >= 1 && word.chars().any(|c| c.is_ascii_digit()))
}

const SMALL_WORDS: [&str; 17] = [
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to",
    "via", "with",
];

/// True for a whitespace-separated chunk written in capitals throughout
/// ("R&D", "GC/MS"), which the word split would cut into single letters.
fn is_capitals_chunk(chunk: &str) -> bool {
    let chunk = chunk.trim_matches(|c: char| !c.is_alphanumeric());
    chunk.chars().filter(|c| c.is_uppercase()).count() >= 2
        && !chunk.chars().any(char::is_lowercase)
}

/// Lower case, except acronyms ("CNN", "R&D"), single capital letters inside
/// a phrase ("α-L-guluronic acid", "vitamin B") and proper names. Title Case
/// ("Fit Index") and a capital first word ("Machine learning") are styling of
/// the source, not of the writer's text. Names that are also ordinary words
/// ("Hall effect") keep their capital only outside Title Case.
pub fn writer_case(text: &str) -> String {
    let words: Vec<_> = unspun::text::words(text).collect();
    let content: Vec<_> = words
        .iter()
        .filter(|w| w.text.chars().next().is_some_and(char::is_alphabetic))
        .filter(|w| !SMALL_WORDS.contains(&w.text.to_lowercase().as_str()))
        .filter(|w| !is_acronym_like(w.text))
        .collect();
    let title_case = content.len() >= 2 && content.iter().all(|w| w.is_capitalized());
    let chunk_of = |start: usize| {
        let from = text[..start].rfind(' ').map_or(0, |i| i + 1);
        let to = text[start..].find(' ').map_or(text.len(), |i| i + start);
        &text[from..to]
    };
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (i, w) in words.iter().enumerate() {
        out.push_str(&text[last..w.start]);
        let single_capital = i > 0 && w.text != "A" && w.text.chars().count() == 1;
        let keep = is_acronym_like(w.text)
            || is_capitals_chunk(chunk_of(w.start))
            || (single_capital && w.is_capitalized())
            || decisions::is_proper_name(w.text)
            || (!title_case && decisions::is_name_or_word(w.text));
        if keep {
            out.push_str(w.text);
        } else {
            out.push_str(&w.text.to_lowercase());
        }
        last = w.end;
    }
    out.push_str(&text[last..]);
    out
}

/// Case for a phrase inside an attribute value: lower case, except acronyms
/// ("AR", "CNN", "NoSQL"), whose case tells them from ordinary words.
pub fn condition_case(text: &str) -> String {
    let text = normalize_text(text);
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for w in unspun::text::words(&text) {
        out.push_str(&text[last..w.start]);
        if is_acronym_like(w.text) {
            out.push_str(w.text);
        } else {
            out.push_str(&w.text.to_lowercase());
        }
        last = w.end;
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn originals(artifact: &str, correction: &str) -> Vec<String> {
        clean(artifact, correction).unwrap().originals
    }

    #[test]
    fn doubt_markers_are_removed_and_mark_the_entry_uncertain() {
        let c = clean("cadence design", "rythm pattern (?)").unwrap();
        assert_eq!(c.originals, ["rhythm pattern"]);
        assert!(c.uncertain);
        let c = clean("corvus corone", "Crow search algorithm ?").unwrap();
        assert_eq!(c.originals, ["crow search algorithm"]);
        assert!(c.uncertain);
        assert!(
            !clean("grouping methods", "classification methods")
                .unwrap()
                .uncertain
        );
    }

    #[test]
    fn links_and_the_words_introducing_them_are_removed() {
        let url = "social influence, see https://en.wikipedia.org/wiki/Unified_theory";
        assert_eq!(originals("social impact UTAUT", url), ["social influence"]);
    }

    #[test]
    fn acronyms_and_explanations_in_parentheses_are_removed() {
        assert_eq!(
            originals("feedback processing", "back propagation (BP)"),
            ["back propagation"]
        );
        assert_eq!(
            originals("front barbecue", "front grille (of a car)"),
            ["front grille"]
        );
        assert_eq!(
            originals("directed learning", "supervised (machine) learning"),
            ["supervised learning"]
        );
    }

    #[test]
    fn parentheses_the_artifact_has_too_are_kept_or_supplied() {
        assert_eq!(
            originals("Dimensionality Reduction (DR)", "Diabetic Retinopathy (DR)"),
            ["diabetic retinopathy (DR)"]
        );
        assert_eq!(
            originals("data technology (IT)", "information technology"),
            ["information technology (IT)"]
        );
        assert_eq!(
            originals("region underneath the recipient working bend (ROC AUC)",
                "area under the receiver operating [characteristic] curve (ROC AUC) (Note: ROC = receiver operating characteristic)"),
            ["area under the receiver operating curve (ROC AUC)"]
        );
    }

    #[test]
    fn bracketed_context_is_removed() {
        assert_eq!(
            originals("layer yields", "[neural network] layer outputs"),
            ["layer outputs"]
        );
        assert_eq!(
            originals("extricating highlights", "extracting [...] features"),
            ["extracting features"]
        );
    }

    #[test]
    fn slashes_become_alternatives_unless_the_artifact_has_one() {
        assert_eq!(
            originals("kind cancer", "benign cancer/tumor"),
            ["benign cancer", "benign tumor"]
        );
        assert_eq!(originals("grasp/slave", "master/slave"), ["master/slave"]);
    }

    #[test]
    fn the_original_of_a_condition_phrase_after_and_is_removed() {
        assert_eq!(
            originals(
                "differential condition",
                "differential equation AND 3rd order"
            ),
            ["differential equation"]
        );
    }

    #[test]
    fn quoted_alternatives_joined_by_or_are_split() {
        assert_eq!(
            originals(
                "adversative association",
                "\u{201c}adverse effect\u{201d} or \u{201c}negative relationship\u{201d}"
            ),
            ["adverse effect", "negative relationship"]
        );
    }

    #[test]
    fn latex_escapes_are_undone() {
        assert_eq!(
            originals(
                "command along with authority",
                "command and control (c\\&c)"
            ),
            ["command and control"]
        );
    }

    #[test]
    fn nothing_but_doubt_is_unusable() {
        assert_eq!(
            clean("built-interconnected", "???"),
            Err(Unusable::NoOriginal)
        );
        assert_eq!(
            clean(
                "like manner coupling (PCC)",
                "??? (found in 10.1109/icerect)"
            ),
            Err(Unusable::NoOriginal)
        );
        assert_eq!(
            clean("unwavering quality (CR)", "(?)"),
            Err(Unusable::NoOriginal)
        );
    }

    #[test]
    fn case_is_kept_only_for_acronyms_and_proper_names() {
        assert_eq!(writer_case("Fit Index"), "fit index");
        assert_eq!(writer_case("Machine learning"), "machine learning");
        assert_eq!(writer_case("naïve Bayes"), "naïve Bayes");
        assert_eq!(writer_case("Naïve Bayes"), "naïve Bayes");
        assert_eq!(
            writer_case("Hidden Markov Model (HMM)"),
            "hidden Markov model (HMM)"
        );
        assert_eq!(
            writer_case("accuracy, recall and F1-score"),
            "accuracy, recall and F1-score"
        );
        assert_eq!(writer_case("Hall effect"), "Hall effect");
    }

    #[test]
    fn conditions_are_lower_case_except_acronyms() {
        assert_eq!(condition_case("Machine learning"), "machine learning");
        assert_eq!(condition_case("AR"), "AR");
        assert_eq!(condition_case("NoSQL"), "NoSQL");
        assert_eq!(condition_case("CO2 emission"), "CO2 emission");
        assert_eq!(condition_case("Markov"), "markov");
    }

    #[test]
    fn keys_ignore_case_hyphens_and_punctuation() {
        assert_eq!(key("Switch-gaining  knowledge"), "switch gaining knowledge");
        assert_eq!(
            key("synthetic intelligence (AI)"),
            "synthetic intelligence ai"
        );
    }
}
