//! The search queries the Problematic Paper Screener runs, and what each one means
//! for a dictionary entry.
//!
//! A PPS fingerprint is a query in the syntax of a bibliographic search engine:
//! quoted phrases, bare words, `AND`, `OR`, `NOT`, parentheses and Lucene-style
//! proximity `"a b"~N`. Most are one quoted phrase; the rest add conditions that
//! keep ordinary uses of the phrase out (`"surface region" AND "surface area"`
//! only flags papers that also use the correct term). The dictionary format
//! cannot hold arbitrary boolean queries, only an artifact with `within=`,
//! `requires=` (an AND of ORs) and `excludes=`, so [`parse`] builds the syntax
//! tree and [`interpret`] maps it onto that shape, recording in plain words every
//! place where the mapping had to choose a reading.

use std::fmt;

/// One phrase of a query: a quoted phrase or a run of bare words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The phrase as written, without quotes.
    pub text: String,
    /// Lucene proximity `~N`: the words may be up to N positions apart.
    pub slop: Option<u32>,
    /// True when the phrase was quoted in the query.
    pub quoted: bool,
}

impl Term {
    /// True when the phrase ends with the search engine's wildcard `*`.
    pub fn is_wildcard(&self) -> bool {
        self.text.ends_with('*')
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.quoted {
            write!(f, "\"{}\"", self.text)?;
        } else {
            f.write_str(&self.text)?;
        }
        if let Some(n) = self.slop {
            write!(f, "~{n}")?;
        }
        Ok(())
    }
}

/// A parsed query. `AND` binds tighter than `OR`; `a NOT b` is `a AND (NOT b)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    /// A single phrase.
    Term(Term),
    /// All parts must match.
    And(Vec<Query>),
    /// Any part may match.
    Or(Vec<Query>),
    /// The part must not match.
    Not(Box<Query>),
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn part(q: &Query, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match q {
                Query::And(_) | Query::Or(_) => write!(f, "({q})"),
                _ => write!(f, "{q}"),
            }
        }
        match self {
            Query::Term(t) => write!(f, "{t}"),
            Query::Not(q) => {
                f.write_str("NOT ")?;
                part(q, f)
            }
            Query::And(parts) | Query::Or(parts) => {
                let op = if matches!(self, Query::And(_)) {
                    "AND"
                } else {
                    "OR"
                };
                for (i, q) in parts.iter().enumerate() {
                    if i > 0 {
                        // `a AND (NOT b)` is written the way PPS writes it: `a NOT b`.
                        if let Query::Not(inner) = q {
                            f.write_str(" NOT ")?;
                            part(inner, f)?;
                            continue;
                        }
                        write!(f, " {op} ")?;
                    }
                    part(q, f)?;
                }
                Ok(())
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Phrase(Term),
    Word(String),
    And,
    Or,
    Not,
    Open,
    Close,
}

/// A query the parser could not read, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError(pub String);

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The result of [`parse`]: the tree and the spelling slips it read past.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// The query tree.
    pub query: Query,
    /// Readings the parser had to choose, e.g. the operator typo `ADN`.
    pub notes: Vec<String>,
}

fn tokenize(input: &str, notes: &mut Vec<String>) -> Result<Vec<Token>, ParseError> {
    let mut tokens = Vec::new();
    let mut chars = input.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '(' {
            chars.next();
            tokens.push(Token::Open);
        } else if c == ')' {
            chars.next();
            tokens.push(Token::Close);
        } else if c == '"' {
            chars.next();
            let mut text = String::new();
            let mut closed = false;
            for (_, c) in chars.by_ref() {
                if c == '"' {
                    closed = true;
                    break;
                }
                text.push(c);
            }
            if !closed {
                return Err(ParseError(format!("unclosed quote at byte {start}")));
            }
            let mut slop = None;
            if chars.peek().is_some_and(|&(_, c)| c == '~') {
                chars.next();
                let mut digits = String::new();
                while let Some(&(_, d)) = chars.peek().filter(|(_, d)| d.is_ascii_digit()) {
                    digits.push(d);
                    chars.next();
                }
                slop =
                    Some(digits.parse().map_err(|_| {
                        ParseError(format!("`~` without a number after \"{text}\""))
                    })?);
            }
            tokens.push(Token::Phrase(Term {
                text,
                slop,
                quoted: true,
            }));
        } else {
            let mut word = String::new();
            while let Some(&(_, c)) = chars.peek() {
                if c.is_whitespace() || c == '(' || c == ')' || c == '"' {
                    break;
                }
                word.push(c);
                chars.next();
            }
            tokens.push(match word.as_str() {
                "AND" => Token::And,
                "OR" => Token::Or,
                "NOT" => Token::Not,
                "ADN" => {
                    notes.push("ADN as AND (a typo of the operator)".to_string());
                    Token::And
                }
                _ => Token::Word(word),
            });
        }
    }
    // A run of bare words is one phrase: `AND business intelligence`.
    let mut merged: Vec<Token> = Vec::with_capacity(tokens.len());
    for token in tokens {
        match (merged.last_mut(), token) {
            (Some(Token::Phrase(t)), Token::Word(w)) if !t.quoted => {
                t.text.push(' ');
                t.text.push_str(&w);
            }
            (_, Token::Word(w)) => merged.push(Token::Phrase(Term {
                text: w,
                slop: None,
                quoted: false,
            })),
            (_, token) => merged.push(token),
        }
    }
    Ok(merged)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn or_expr(&mut self) -> Result<Query, ParseError> {
        let mut parts = vec![self.and_expr()?];
        while self.peek() == Some(&Token::Or) {
            self.pos += 1;
            parts.push(self.and_expr()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Query::Or(parts)
        })
    }

    fn and_expr(&mut self) -> Result<Query, ParseError> {
        let mut parts = vec![self.unary()?];
        loop {
            match self.peek() {
                Some(Token::And) => {
                    self.pos += 1;
                    parts.push(self.unary()?);
                }
                Some(Token::Not) => {
                    self.pos += 1;
                    parts.push(Query::Not(Box::new(self.unary()?)));
                }
                _ => break,
            }
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Query::And(parts)
        })
    }

    fn unary(&mut self) -> Result<Query, ParseError> {
        match self.tokens.get(self.pos).cloned() {
            Some(Token::Phrase(term)) => {
                self.pos += 1;
                Ok(Query::Term(term))
            }
            Some(Token::Open) => {
                self.pos += 1;
                let inner = self.or_expr()?;
                if self.peek() != Some(&Token::Close) {
                    return Err(ParseError("unbalanced parenthesis".to_string()));
                }
                self.pos += 1;
                Ok(inner)
            }
            Some(other) => Err(ParseError(format!("expected a phrase, found {other:?}"))),
            None => Err(ParseError(
                "query ends where a phrase was expected".to_string(),
            )),
        }
    }
}

/// Parses a PPS query such as `"PC helped" AND ("be that as it" OR "on the off chance")`.
pub fn parse(input: &str) -> Result<Parsed, ParseError> {
    let mut notes = Vec::new();
    let tokens = tokenize(input, &mut notes)?;
    let mut parser = Parser { tokens, pos: 0 };
    let query = parser.or_expr()?;
    if parser.pos != parser.tokens.len() {
        return Err(ParseError(format!(
            "unexpected {:?} after a complete query",
            parser.tokens[parser.pos]
        )));
    }
    Ok(Parsed { query, notes })
}

/// What a query means as dictionary entries: one or more artifacts that share
/// the same conditions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reading {
    /// The tortured phrases; each becomes an entry (with its own `within=`).
    pub artifacts: Vec<Term>,
    /// Every inner list must have one phrase present (an AND of ORs).
    pub requires: Vec<Vec<String>>,
    /// None of these phrases may be present.
    pub excludes: Vec<String>,
    /// Condition phrases as the query wrote them, proximity phrases included:
    /// these are never artifacts, whatever other lists say.
    pub condition_phrases: Vec<String>,
    /// Each place where the reading is not a literal translation, in words.
    pub notes: Vec<String>,
}

/// How a wildcard condition (`optimiz*`) is spelled out, since dictionary
/// conditions are plain phrases. The lists hold the forms a paper would use.
pub type WildcardForms = fn(&str) -> Option<&'static [&'static str]>;

fn words_of(text: &str) -> Vec<String> {
    unspun::text::words(text)
        .map(|w| w.text.to_lowercase())
        .collect()
}

/// Maps a parsed query onto an entry's shape. Fails on shapes no reading is
/// known for, so a new kind of query in the data stops the generator instead of
/// being misread.
pub fn interpret(parsed: &Parsed, wildcard_forms: WildcardForms) -> Result<Reading, ParseError> {
    let mut reading = Reading {
        notes: parsed.notes.clone(),
        ..Reading::default()
    };
    let query = regroup_or_and(&parsed.query, &mut reading.notes);
    let parts: Vec<&Query> = match &query {
        Query::And(parts) => parts.iter().collect(),
        other => vec![other],
    };
    let (first, conditions) = parts.split_first().expect("a query has at least one part");
    match first {
        Query::Term(t) => reading.artifacts.push(t.clone()),
        Query::Or(alternatives) => {
            for q in alternatives {
                match q {
                    Query::Term(t) => reading.artifacts.push(t.clone()),
                    other => {
                        return Err(ParseError(format!(
                            "cannot read {other} as a tortured phrase"
                        )))
                    }
                }
            }
            if conditions.is_empty() {
                reading.notes.push(format!(
                    "{} separate entries, each with the paper count of the whole query",
                    reading.artifacts.len()
                ));
            }
        }
        other => {
            return Err(ParseError(format!(
                "cannot read {other} as a tortured phrase"
            )))
        }
    }
    for artifact in &reading.artifacts {
        if artifact.is_wildcard() {
            return Err(ParseError(format!(
                "wildcard in the tortured phrase {artifact}"
            )));
        }
    }
    let mut proximity_conditions = Vec::new();
    for condition in conditions {
        match condition {
            Query::Term(t) if t.slop.is_some() => proximity_conditions.push(t),
            Query::Term(t) => {
                reading.condition_phrases.push(t.text.clone());
                let group = expand(t, wildcard_forms, &mut reading.notes)?;
                reading.requires.push(group);
            }
            Query::Or(alternatives) => {
                let mut group = Vec::new();
                for q in alternatives {
                    match q {
                        Query::Term(t) if t.slop.is_none() => {
                            reading.condition_phrases.push(t.text.clone());
                            group.extend(expand(t, wildcard_forms, &mut reading.notes)?);
                        }
                        other => return Err(ParseError(format!("cannot read {other} inside OR"))),
                    }
                }
                reading.requires.push(group);
            }
            Query::Not(inner) => match inner.as_ref() {
                Query::Term(t) if t.slop.is_some() => {
                    reading.condition_phrases.push(t.text.clone());
                    let artifact_words: Vec<String> = reading
                        .artifacts
                        .iter()
                        .flat_map(|a| words_of(&a.text))
                        .collect();
                    let rest: Vec<&str> = unspun::text::words(&t.text)
                        .filter(|w| !artifact_words.contains(&w.text.to_lowercase()))
                        .map(|w| w.text)
                        .collect();
                    if rest.is_empty() {
                        return Err(ParseError(format!("cannot read NOT {t}")));
                    }
                    let rest = rest.join(" ");
                    reading.notes.push(format!(
                        "excludes={rest}: the window of NOT {t} cannot be expressed, \
                         so \"{rest}\" anywhere in the document excludes it"
                    ));
                    reading.excludes.push(rest);
                }
                Query::Term(t) => {
                    reading.condition_phrases.push(t.text.clone());
                    reading
                        .excludes
                        .extend(expand(t, wildcard_forms, &mut reading.notes)?);
                }
                other => return Err(ParseError(format!("cannot read NOT {other}"))),
            },
            Query::And(_) => unreachable!("nested AND is flattened by the parser"),
        }
    }
    // An AND-ed proximity phrase over words the query already requires only
    // narrows the match to a window, which attributes cannot say: keep the
    // co-occurrence and drop the window.
    for t in proximity_conditions {
        reading.condition_phrases.push(t.text.clone());
        let mut covered: Vec<String> = reading
            .artifacts
            .iter()
            .flat_map(|a| words_of(&a.text))
            .collect();
        for group in &reading.requires {
            if let [only] = group.as_slice() {
                covered.extend(words_of(only));
            }
        }
        if !words_of(&t.text).iter().all(|w| covered.contains(w)) {
            return Err(ParseError(format!(
                "cannot read the proximity condition {t}"
            )));
        }
        reading.notes.push(format!(
            "the conditions without AND {t}: a window between phrases cannot be \
             expressed, so the phrases anywhere in the document count"
        ));
    }
    Ok(reading)
}

/// The conditions a wildcard phrase stands for, or the phrase itself.
fn expand(
    term: &Term,
    wildcard_forms: WildcardForms,
    notes: &mut Vec<String>,
) -> Result<Vec<String>, ParseError> {
    if !term.is_wildcard() {
        return Ok(vec![term.text.clone()]);
    }
    let forms = wildcard_forms(&term.text)
        .ok_or_else(|| ParseError(format!("no spelled-out forms known for {term}")))?;
    notes.push(format!("{} for {term}", forms.join("|")));
    Ok(forms.iter().map(|s| s.to_string()).collect())
}

/// `"a" OR "b" AND "c"` parses as `"a" OR ("b" AND "c")`, which would leave the
/// first phrase without the condition every other query of this kind carries.
/// PPS queries put the tortured phrases first and the conditions after, so the
/// closer reading is `("a" OR "b") AND "c"`.
fn regroup_or_and(query: &Query, notes: &mut Vec<String>) -> Query {
    let Query::Or(alternatives) = query else {
        return query.clone();
    };
    let Some((Query::And(last), heads)) = alternatives.split_last() else {
        return query.clone();
    };
    if !heads.iter().all(|q| matches!(q, Query::Term(_))) {
        return query.clone();
    }
    let mut phrases: Vec<Query> = heads.to_vec();
    phrases.push(last[0].clone());
    let mut parts = vec![Query::Or(phrases)];
    parts.extend(last[1..].iter().cloned());
    let regrouped = Query::And(parts);
    notes.push(format!(
        "{regrouped}: the tortured phrases come first and share the condition"
    ));
    regrouped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(text: &str) -> Query {
        Query::Term(Term {
            text: text.to_string(),
            slop: None,
            quoted: true,
        })
    }

    fn no_wildcards(_: &str) -> Option<&'static [&'static str]> {
        None
    }

    fn read(query: &str) -> Reading {
        interpret(&parse(query).unwrap(), no_wildcards).unwrap()
    }

    #[test]
    fn a_single_quoted_phrase_is_an_unconditional_artifact() {
        let r = read("\"grouping methods\"");
        assert_eq!(r.artifacts[0].text, "grouping methods");
        assert!(r.requires.is_empty() && r.excludes.is_empty() && r.notes.is_empty());
    }

    #[test]
    fn and_makes_a_required_phrase() {
        let r = read("\"surface region\" AND \"surface area\"");
        assert_eq!(r.artifacts[0].text, "surface region");
        assert_eq!(r.requires, [["surface area"]]);
    }

    #[test]
    fn bare_words_after_an_operator_form_one_phrase() {
        let r = read("\"business knowledge\" AND business intelligence");
        assert_eq!(r.requires, [["business intelligence"]]);
        let r = read("\"moderate dissipation\" AND crystal");
        assert_eq!(r.requires, [["crystal"]]);
    }

    #[test]
    fn and_with_a_parenthesised_or_is_one_requires_group() {
        let r = read("\"PC helped\" AND (\"be that as it\" OR \"on the off chance\")");
        assert_eq!(r.requires, [["be that as it", "on the off chance"]]);
    }

    #[test]
    fn several_ands_are_several_requires_groups() {
        let r = read(
            "\"preformation\" AND (\"rat\" OR \"mouse\" OR \"mice\") AND (\"final destiny\" OR \"ultimate destiny\")",
        );
        assert_eq!(
            r.requires,
            [
                vec!["rat", "mouse", "mice"],
                vec!["final destiny", "ultimate destiny"]
            ]
        );
        let r = read("\"brilliant\" AND \"keen\" AND \"savvy\" AND \"shrewd\"");
        assert_eq!(r.requires, [["keen"], ["savvy"], ["shrewd"]]);
    }

    #[test]
    fn not_makes_an_excluded_phrase_quoted_or_bare() {
        assert_eq!(
            read("\"backward probability\" NOT \"Markov\"").excludes,
            ["Markov"]
        );
        assert_eq!(
            read("\"surface highlights\" NOT specular").excludes,
            ["specular"]
        );
    }

    #[test]
    fn proximity_on_the_artifact_becomes_its_window() {
        let r = read("\"extricating highlights\"~20 NOT specular");
        assert_eq!(r.artifacts[0].slop, Some(20));
        assert_eq!(r.excludes, ["specular"]);
        assert_eq!(
            read("\"gatherings clustering\"~10").artifacts[0].slop,
            Some(10)
        );
    }

    #[test]
    fn or_of_phrases_gives_separate_artifacts_with_a_note() {
        let r = read("\"affirmed recuperated demise\" OR \"affirmed recuperated passing\"");
        let texts: Vec<_> = r.artifacts.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "affirmed recuperated demise",
                "affirmed recuperated passing"
            ]
        );
        assert_eq!(r.notes.len(), 1);
    }

    #[test]
    fn or_before_and_is_read_as_a_shared_condition() {
        let parsed = parse("\"fit record\" OR \"fit file\" AND \"fit index\"").unwrap();
        assert_eq!(
            parsed.query,
            Query::Or(vec![
                term("fit record"),
                Query::And(vec![term("fit file"), term("fit index")])
            ])
        );
        let r = interpret(&parsed, no_wildcards).unwrap();
        assert_eq!(r.artifacts.len(), 2);
        assert_eq!(r.requires, [["fit index"]]);
        assert!(r.notes[0].starts_with("(\"fit record\" OR \"fit file\") AND \"fit index\""));
    }

    #[test]
    fn and_typo_adn_is_read_as_and_with_a_note() {
        let r = read("\"total national production\" ADN \"GDP\"");
        assert_eq!(r.requires, [["GDP"]]);
        assert_eq!(r.notes, ["ADN as AND (a typo of the operator)"]);
    }

    #[test]
    fn proximity_exclusion_keeps_the_words_beyond_the_artifact() {
        let r = read("\"Chime labs\" NOT \"CHIMe labs Stanford\"~5");
        assert_eq!(r.excludes, ["Stanford"]);
        assert_eq!(r.notes.len(), 1);
    }

    #[test]
    fn proximity_between_required_phrases_is_dropped_with_a_note() {
        let r = read(
            "\"created nations\" AND \"developed countries\" AND \"created nations developed countries\"~100",
        );
        assert_eq!(r.requires, [["developed countries"]]);
        assert!(r
            .condition_phrases
            .contains(&"created nations developed countries".to_string()));
        assert_eq!(r.notes.len(), 1);
    }

    #[test]
    fn wildcards_are_spelled_out_or_rejected() {
        fn forms(w: &str) -> Option<&'static [&'static str]> {
            (w == "optimiz*").then_some(&["optimization", "optimize"][..])
        }
        let parsed = parse("\"enhancement calculation\" AND optimiz*").unwrap();
        let r = interpret(&parsed, forms).unwrap();
        assert_eq!(r.requires, [["optimization", "optimize"]]);
        assert!(interpret(&parse("\"a b\" AND hear*").unwrap(), forms).is_err());
    }

    #[test]
    fn malformed_queries_are_errors() {
        assert!(parse("\"open").is_err());
        assert!(parse("\"a\" AND (\"b\" OR \"c\"").is_err());
        assert!(parse("\"a\" AND").is_err());
        assert!(parse("\"a\"~x").is_err());
    }

    #[test]
    fn display_writes_the_query_back() {
        for q in [
            "\"extricating highlights\"~20 NOT specular",
            "\"PC helped\" AND (\"be that as it\" OR \"on the off chance\")",
        ] {
            assert_eq!(parse(q).unwrap().query.to_string(), q);
        }
    }
}
