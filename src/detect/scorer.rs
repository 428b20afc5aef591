//! The spun-word scorer: a section's candidates cut by their bounds, judged,
//! pooled over the occurrences of each artifact and rescored over several
//! passes that read likely artifacts beside them as their originals.

use super::bounds::{DENSITY_LEVELS, FEW_OCCURRENCES};
use super::cues::WordClass;
use super::features::MIN_READ_WORDS;
use super::findings::{Evidence, Finding};
use super::judge::Scored;
use super::scan::Document;
use super::sections::{sections, Pooled, SectionArtifacts};
use super::{sigmoid, Engine, NONE};
use crate::report::SpanKind;

/// Scoring passes over a document's candidates. A third pass lets a word
/// read a neighbour as its original when that neighbour's own neighbour was
/// only found in the second: in text spun at 40 %, most words beside an
/// artifact are artifacts themselves.
pub(super) const PASSES: usize = 3;
/// A candidate whose logit reaches this (the default reporting threshold)
/// is read as its top original when its neighbours are judged in the next
/// pass. The candidates that reach it are never cut unscored (see
/// `Engine::score_section`), so what is reported does not depend on the cut. A
/// lower value read more neighbours as their originals and found more in
/// the harness (function-word recall about +0.005 at -3), but the scorer
/// must then score every candidate that could reach it: four times the work.
pub(super) const NEIGHBOUR_REPLACE_LOGIT: f64 = 0.0;

impl Engine {
    /// Scores the spun-word candidates of `doc` not `covered` by a phrase,
    /// one [`sections`] at a time: the document-level evidence (density,
    /// pooling) is a section's, so that a book is read like the chapters it
    /// is made of, and the work per word does not grow with the text.
    pub(super) fn score_spun_words(
        &self,
        doc: &Document,
        covered: &[bool],
        enabled: &[bool],
        phrases: &[Finding],
        min_logit: f64,
        artifacts: &mut SectionArtifacts,
    ) -> (Vec<Finding>, f64) {
        let mut findings = Vec::new();
        let mut near_misses = 0.0;
        let mut replaced = vec![NONE; doc.words.len()];
        for section in sections(doc.words) {
            let first = doc.spun_at.partition_point(|&i| i < section.start);
            let last = doc.spun_at.partition_point(|&i| i < section.end);
            let (bytes_start, bytes_end) = (
                doc.words[section.start].start,
                doc.words[section.end - 1].end,
            );
            let phrase_findings = phrases
                .iter()
                .filter(|f| f.start >= bytes_start && f.start < bytes_end)
                .count();
            let (found, near) = self.score_section(
                doc,
                section.len(),
                &doc.spun_at[first..last],
                covered,
                enabled,
                phrase_findings,
                min_logit,
                &mut replaced,
                artifacts,
            );
            findings.extend(found);
            near_misses += near;
        }
        (findings, near_misses)
    }

    /// Scores the candidates `spun_at` of one section of `words` words.
    /// `replaced` is indexed like `doc.words`; a section writes only its own
    /// entries, and reads none of another's (sections end at a break, where
    /// neighbours are not read).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn score_section(
        &self,
        doc: &Document,
        words: usize,
        spun_at: &[usize],
        covered: &[bool],
        enabled: &[bool],
        phrase_findings: usize,
        min_logit: f64,
        replaced: &mut [u32],
        artifacts: &mut SectionArtifacts,
    ) -> (Vec<Finding>, f64) {
        let mut candidates: Vec<usize> = Vec::with_capacity(spun_at.len());
        let mut possibly_strong = 0.0;
        for &i in spun_at {
            let lex = &doc.lex[i];
            let word = &doc.words[i];
            // Spinners look words up case-sensitively and leave capitalised
            // words alone: a capital inside a sentence is a name ("Trump",
            // "Best"). At a break it may be a sentence start and is kept,
            // with a penalty below. (A word with a digit is a candidate only
            // if a dictionary lists it so: no built-in artifact has one.)
            if !covered[i]
                && enabled[lex.spun_dict as usize]
                && (word.break_before || !word.is_capitalized())
            {
                candidates.push(i);
                if lex.spun_strong {
                    possibly_strong += 1.0;
                }
            }
        }
        if candidates.is_empty() {
            return (Vec::new(), 0.0);
        }
        let t = &self.tuning;
        let section_words = u32::try_from(words).unwrap_or(u32::MAX);
        // Skip every artifact whose logit cannot reach `min_logit` even with the
        // most favourable context: an upper bound from its frequencies, its
        // slot cues and the most strong evidence the document could hold.
        let per_100 = 100.0 / (words.max(MIN_READ_WORDS as usize) as f64);
        let density_bound = ((possibly_strong + t.phrase_weight * phrase_findings as f64)
            * per_100)
            .min(t.max_density);
        // A candidate that is read as its original beside another is scored
        // even under a higher threshold, so that what is reported does not
        // depend on the cut; and the bounds are of the bigram scorer's logit,
        // which the trigram verdict may still raise by its room.
        let cut_logit = min_logit.min(NEIGHBOUR_REPLACE_LOGIT) - self.trigram_room();
        // First cut, from bounds that depend on the artifact alone ([`FirstCut`]).
        let level = DENSITY_LEVELS
            .iter()
            .position(|&l| l >= density_bound)
            .unwrap_or(DENSITY_LEVELS.len() - 1);
        candidates.retain(|&i| {
            let lex = &doc.lex[i];
            lex.spun_strong || f64::from(self.first_cut_bound(lex.spun, level)) >= cut_logit
        });
        // Occurrences of one artifact share a verdict (pooling below), so an
        // artifact is kept whole when any of its occurrences could reach it,
        // with the bound for how often it occurs (the first cut's bounds
        // assume it repeats; all its occurrences pass that cut or none do):
        // first without its slot, then with the cues of each occurrence.
        artifacts.start(self.spun.len());
        let slots: Vec<u32> = candidates
            .iter()
            .map(|&i| {
                let slot = artifacts.slot(doc.lex[i].spun);
                artifacts.keep[slot as usize].occurrences += 1;
                slot
            })
            .collect();
        for (&i, &slot) in candidates.iter().zip(&slots) {
            let k = &mut artifacts.keep[slot as usize];
            if k.kept {
                continue;
            }
            if doc.lex[i].spun_strong {
                k.kept = true;
                continue;
            }
            let spun = &self.spun[doc.lex[i].spun as usize];
            if k.occurrences <= FEW_OCCURRENCES
                && f64::from(self.spun_bounds(spun).few[level]) < cut_logit
            {
                continue;
            }
            let cues = doc.cues(i);
            let capitalized = doc.words[i].is_capitalized() && !doc.capital_read_lower(i);
            let section = (k.occurrences, section_words);
            k.kept = t.logit_bound(spun, &cues, capitalized, density_bound, section) >= cut_logit;
        }
        let (candidates, slots): (Vec<usize>, Vec<u32>) = candidates
            .into_iter()
            .zip(slots)
            .filter(|&(_, slot)| artifacts.keep[slot as usize].kept)
            .unzip();
        let mut scored: Vec<Scored> = Vec::with_capacity(candidates.len());
        let mut strong = vec![false; candidates.len()];
        // Several passes: each later one reads the neighbours that the one
        // before found possibly spun as their originals ("not conscionable
        // commercialized" -> "not just trade"), and knows how dense the strong
        // evidence is in the document.
        for pass in 0..PASSES {
            if pass == 0 {
                scored.extend(candidates.iter().zip(&slots).map(|(&i, &slot)| {
                    let occurrences = artifacts.keep[slot as usize].occurrences;
                    self.judge(doc, i, replaced, (occurrences, section_words))
                }));
            } else {
                // Only a candidate next to a replaced word reads new neighbours.
                let beside_replaced = |i: usize| {
                    (i > 0 && replaced[i - 1] != NONE)
                        || replaced.get(i + 1).is_some_and(|&r| r != NONE)
                };
                for s in scored.iter_mut() {
                    if beside_replaced(s.index) {
                        *s = self.judge(doc, s.index, replaced, (s.occurrences, s.section_words));
                    }
                }
            }
            for (k, s) in scored.iter().enumerate() {
                strong[k] = s.is_strong();
            }
            let strong_total = strong.iter().filter(|&&x| x).count() as f64
                + t.phrase_weight * phrase_findings as f64;
            for (k, s) in scored.iter_mut().enumerate() {
                let others = strong_total - if strong[k] { 1.0 } else { 0.0 };
                s.density = (others * per_100).min(t.max_density);
                let curated = self.spun[doc.lex[s.index].spun as usize].dict_is_curated;
                s.logit = t.logit(&s.features(curated));
            }
            // A spinner replaces a word the same way throughout a document, so
            // every occurrence of one artifact shares its verdict: pool their
            // evidence ("tariff" eight times, mostly where it fits, is the
            // article's topic; "connected" six times before dates and places
            // is one spun "on"). Context that points to a function word at
            // several places is more than one place's worth (see
            // `Tuning::repetition`).
            artifacts.pooled.fill(Pooled::default());
            for (s, &slot) in scored.iter().zip(&slots) {
                let curated = self.spun[doc.lex[s.index].spun as usize].dict_is_curated;
                let e = &mut artifacts.pooled[slot as usize];
                e.logit += s.logit;
                e.context += t.context_logit(&s.features(curated));
            }
            for (s, &slot) in scored.iter_mut().zip(&slots) {
                let p = artifacts.pooled[slot as usize];
                // Every occurrence of a kept artifact is scored.
                let n = f64::from(artifacts.keep[slot as usize].occurrences);
                let repeated = t.repetition(n, s.original_class != WordClass::Content);
                s.logit = (1.0 - t.pooling) * s.logit
                    + t.pooling * (p.logit + repeated * p.context.max(0.0)) / n;
            }
            if pass + 1 < PASSES {
                for s in &scored {
                    replaced[s.index] = if s.logit >= NEIGHBOUR_REPLACE_LOGIT {
                        self.spun[doc.lex[s.index].spun as usize].originals[s.ranked[0].rank].model
                    } else {
                        NONE
                    };
                }
            }
        }
        self.trigram_verdicts(doc, &mut scored, min_logit);
        let near_misses = scored
            .iter()
            .filter(|s| s.logit < min_logit)
            .map(|s| sigmoid(s.logit))
            .sum();
        let findings = scored
            .into_iter()
            .filter(|s| s.logit >= min_logit)
            .map(|s| {
                let i = s.index;
                let spun = &self.spun[doc.lex[i].spun as usize];
                let word = doc.words[i];
                let top = &spun.originals[s.ranked[0].rank];
                let side = |k: Option<usize>| {
                    k.and_then(|k| doc.words.get(k))
                        .map(|w| w.text.to_string())
                        .unwrap_or_default()
                };
                let left = if word.break_before {
                    None
                } else {
                    i.checked_sub(1)
                };
                let right = doc
                    .words
                    .get(i + 1)
                    .filter(|w| !w.break_before)
                    .map(|_| i + 1);
                Finding {
                    start: word.start,
                    end: word.end,
                    kind: SpanKind::SpunWord,
                    dict: spun.dict as usize,
                    artifact: spun.artifact.to_string(),
                    suggestions: s
                        .ranked
                        .iter()
                        .map(|r| spun.originals[r.rank].text.to_string())
                        .collect(),
                    confidence: sigmoid(s.logit),
                    uncertain: spun.uncertain,
                    evidence: Evidence::Context {
                        features: s.features(spun.dict_is_curated),
                        context: s.ranked[0].context,
                        artifact_zipf: spun.zipf,
                        original_zipf: top.zipf,
                        left: side(left),
                        right: side(right),
                    },
                }
            })
            .collect();
        (findings, near_misses)
    }
}
