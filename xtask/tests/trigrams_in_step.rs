//! Keeps `dictionaries/model/trigrams.bin` in step with its generator and its
//! source, the CMU Sphinx model of Debian's `pocketsphinx-en-us`.

#[allow(dead_code)]
#[path = "../src/args.rs"]
mod args;
#[allow(dead_code)]
#[path = "../src/trigrams.rs"]
mod trigrams;

use std::fs;
use std::path::Path;

/// Under CI (`CI=true`) a missing source is a failure, elsewhere a skip.
fn source_or_skip() -> Option<&'static Path> {
    let lm = Path::new(trigrams::DEFAULT_LM);
    if lm.is_file() {
        return Some(lm);
    }
    let message = format!(
        "{} is missing; install it with apt-get install pocketsphinx-en-us",
        lm.display()
    );
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{message} (CI=true: the in-step test must run)");
    }
    eprintln!("skipping: {message}");
    None
}

#[test]
fn committed_trigram_model_matches_the_one_regenerated_from_the_debian_package() {
    let Some(lm) = source_or_skip() else { return };
    let generated = trigrams::read_source(lm)
        .and_then(|trie| trie.to_layout())
        .expect("the installed model converts");
    let path = trigrams::default_output();
    let committed = fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let first = committed
        .iter()
        .zip(&generated)
        .position(|(a, b)| a != b)
        .unwrap_or(committed.len().min(generated.len()));
    assert!(
        committed == generated,
        "dictionaries/model/trigrams.bin is out of date ({} bytes committed, {} regenerated, first \
         difference at byte {first}); run cargo run -p xtask -- trigrams",
        committed.len(),
        generated.len()
    );
}

#[test]
fn the_converted_model_keeps_every_source_record() {
    let Some(lm) = source_or_skip() else { return };
    let trie = trigrams::read_source(lm).unwrap();
    let bytes = trie.to_layout().unwrap();
    let model = unspun::lm::TrigramModel::from_bytes(&bytes).unwrap();
    assert_eq!(model.words() as usize, trie.words.len());
    assert_eq!(model.bigrams() as usize, trie.bigrams.len() - 1);
    assert_eq!(model.trigrams() as usize, trie.trigrams.len());
    // Every n-gram of the source is found with its own probability, through
    // the word look-up, the bigram search and the trigram search. Unigram `w`
    // owns the bigrams "v w", bigram "v w" the trigrams "u v w".
    let text = |id: u32| std::str::from_utf8(&trie.words[id as usize]).unwrap();
    let mut checked = 0;
    for (w, range) in trie.unigrams.windows(2).enumerate() {
        let w_id = model.word(text(w as u32)).unwrap();
        for j in range[0].2 as usize..range[1].2 as usize {
            let (v, _, bigram_prob, first) = trie.bigrams[j];
            let v_id = model.word(text(v)).unwrap();
            assert_eq!(
                model.raw_log_prob(&[v_id], w_id),
                trie.tables[0][bigram_prob as usize],
                "{} {}",
                text(v),
                text(w as u32)
            );
            for k in first as usize..trie.bigrams[j + 1].3 as usize {
                let (u, q) = trie.trigrams[k];
                let u_id = model.word(text(u)).unwrap();
                assert_eq!(
                    model.raw_log_prob(&[u_id, v_id], w_id),
                    trie.tables[2][q as usize],
                    "{} {} {}",
                    text(u),
                    text(v),
                    text(w as u32)
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, trie.trigrams.len());
}
