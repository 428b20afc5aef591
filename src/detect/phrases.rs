//! The phrase stage: every phrase and condition phrase of the text through
//! the trie (with typos and proximity entries), then the PPS conditions
//! checked against what the whole document holds.

use super::compile::Phrase;
use super::findings::{Evidence, Finding};
use super::scan::Document;
use super::trie::{bit_is_set, Terminal};
use super::{Engine, NONE};
use crate::report::SpanKind;

impl Engine {
    pub(super) fn find_phrases(
        &self,
        doc: &Document,
        enabled: &[bool],
        covered: &mut [bool],
    ) -> Vec<Finding> {
        let words = doc.words;
        let lex = doc.lex;
        let mut present = vec![false; self.conditions];
        // (first word, one past last word, phrase index)
        let mut matches: Vec<(usize, usize, u32)> = Vec::new();
        for (i, entry) in lex.iter().enumerate() {
            let word = entry.word;
            if word == NONE {
                continue;
            }
            if doc.has_typo(i) {
                self.walk(doc, i, i, 0, &mut present, &mut matches);
            } else if let Some(node) = self.trie.step(0, word) {
                self.walk_from(doc, i, node, &mut present, &mut matches);
            }
            if !bit_is_set(&self.proximity_first, word as usize) {
                continue;
            }
            if let Some(entries) = self.proximity.get(&word) {
                for &p in entries {
                    if let Some(end) = self.proximity_match(doc, i, p) {
                        matches.push((i, end, p));
                    }
                }
            }
        }
        let requires_met = |p: &Phrase| {
            p.conditions
                .requires
                .iter()
                .all(|g| g.iter().any(|&c| present[c as usize]))
        };
        let excluded = |p: &Phrase| p.conditions.excludes.iter().any(|&c| present[c as usize]);
        let holds = |p: &Phrase| requires_met(p) && !excluded(p);
        // A fully paraphrased text has no "deep learning" left to meet the
        // `requires` of "profound learning": another tortured phrase that
        // holds on its own says the text is paraphrased, and meets it too.
        let paraphrased = matches.iter().any(|&(_, _, p)| {
            let phrase = &self.phrases[p as usize];
            phrase.kind == SpanKind::TorturedPhrase
                && enabled[phrase.dict as usize]
                && holds(phrase)
        });
        let corroborated = |p: &Phrase| {
            paraphrased && p.kind == SpanKind::TorturedPhrase && !requires_met(p) && !excluded(p)
        };
        // Leftmost-longest, then the most attested fingerprint.
        matches.sort_by(|a, b| {
            a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then_with(|| {
                let pa = self.phrases[a.2 as usize].papers.unwrap_or(0);
                let pb = self.phrases[b.2 as usize].papers.unwrap_or(0);
                pb.cmp(&pa)
            })
        });
        let mut out = Vec::new();
        let mut next_free = 0;
        for (i, j, p) in matches {
            let phrase = &self.phrases[p as usize];
            let corroborated = corroborated(phrase);
            if i < next_free || !enabled[phrase.dict as usize] || !(holds(phrase) || corroborated) {
                continue;
            }
            next_free = j;
            covered[i..j].fill(true);
            let typos = doc.typo.iter().filter(|t| t.0 >= i && t.0 < j).count();
            let conditional = !corroborated
                && (!phrase.conditions.requires.is_empty()
                    || !phrase.conditions.excludes.is_empty());
            let mut confidence: f64 = if conditional { 0.95 } else { 0.9 };
            confidence -= 0.1 * typos as f64;
            out.push(Finding {
                start: words[i].start,
                end: words[j - 1].end,
                kind: phrase.kind,
                dict: phrase.dict as usize,
                artifact: phrase.artifact.to_string(),
                suggestions: phrase.originals.iter().map(|o| o.to_string()).collect(),
                confidence: confidence.clamp(0.0, 1.0),
                uncertain: phrase.uncertain || phrase.conditions.within.is_some(),
                evidence: Evidence::Phrase {
                    typos,
                    papers: phrase.papers,
                    conditional,
                    corroborated,
                },
            });
        }
        out
    }

    /// [`Engine::walk`] after the root step from word `i` led to `node`, as a
    /// loop while no typo offers a choice: the common path, without recursion.
    pub(super) fn walk_from(
        &self,
        doc: &Document,
        i: usize,
        mut node: u32,
        present: &mut [bool],
        matches: &mut Vec<(usize, usize, u32)>,
    ) {
        let mut end = i + 1;
        loop {
            if self.trie.ends_at(node) {
                self.record_terminals(doc, i, end, node, present, matches);
            }
            if end >= doc.words.len() {
                return;
            }
            if doc.has_typo(end) {
                return self.walk(doc, i, end, node, present, matches);
            }
            let word = doc.lex[end].word;
            if word == NONE {
                return;
            }
            match self.trie.step(node, word) {
                Some(next) => {
                    node = next;
                    end += 1;
                }
                None => return,
            }
        }
    }

    /// Records the conditions and phrases that end at trie `node`, for a
    /// match of words `i..end`. Callers ask [`Trie::ends_at`] first: most
    /// nodes end nothing, and the bit answers without a call.
    #[inline]
    pub(super) fn record_terminals(
        &self,
        doc: &Document,
        i: usize,
        end: usize,
        node: u32,
        present: &mut [bool],
        matches: &mut Vec<(usize, usize, u32)>,
    ) {
        let terminals = &self.trie.terminals[node as usize];
        let words = doc.words;
        // Punctuation inside the match must stand where the phrase has it.
        let same_breaks = |breaks: &[bool]| {
            (i + 1..end).all(|k| !words[k].break_before || breaks.get(k - i) == Some(&true))
        };
        for t in terminals {
            match *t {
                Terminal::Condition(c) => {
                    if same_breaks(&self.condition_breaks[c as usize]) {
                        present[c as usize] = true
                    }
                }
                Terminal::Phrase(p) => {
                    if same_breaks(&self.phrases[p as usize].breaks) {
                        matches.push((i, end, p))
                    }
                }
            }
        }
    }

    /// Follows the trie from `node` at word `j` of a match that began at word
    /// `i`, recording every condition and phrase that ends on the way. A word
    /// read through a typo may stand for several trie words: each is tried.
    pub(super) fn walk(
        &self,
        doc: &Document,
        i: usize,
        j: usize,
        node: u32,
        present: &mut [bool],
        matches: &mut Vec<(usize, usize, u32)>,
    ) {
        if j >= doc.words.len() || doc.lex[j].word == NONE {
            return;
        }
        let single = [doc.lex[j].word];
        let choices: &[u32] = match doc.typo.binary_search_by_key(&j, |t| t.0) {
            Ok(k) => &doc.typo[k].1,
            Err(_) => &single,
        };
        for &word in choices {
            let Some(next) = self.trie.step(node, word) else {
                continue;
            };
            if self.trie.ends_at(next) {
                self.record_terminals(doc, i, j + 1, next, present, matches);
            }
            self.walk(doc, i, j + 1, next, present, matches);
        }
    }

    /// For a proximity entry whose first word stands at `i`: the end of the
    /// smallest window after `i` holding all its words, if within the slop.
    pub(super) fn proximity_match(&self, doc: &Document, i: usize, p: u32) -> Option<usize> {
        let phrase = &self.phrases[p as usize];
        let window = phrase.words.len() + phrase.conditions.within.unwrap_or(0) as usize;
        let end = (i + window).min(doc.words.len());
        let mut last = i;
        for &w in &phrase.words[1..] {
            let at = (i + 1..end).find(|&k| doc.lex[k].word == w)?;
            last = last.max(at);
        }
        Some(last + 1)
    }
}
