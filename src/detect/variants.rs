//! Word forms a spinner or a typist produces from a dictionary word: regular
//! inflections (so "profound learnings" matches "profound learning") and the
//! one-letter deletions behind typo matching.

/// Regular inflections of a lower-case word: plural, past, -ing, and the
/// singular of a plural. Irregular forms are not generated; they rarely occur in
/// the catalogued phrases.
///
/// ```ignore
/// assert!(inflections("learning").contains(&"learnings".to_string()));
/// ```
pub fn inflections(word: &str) -> Vec<String> {
    let mut out = Vec::new();
    if word.len() < 3 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return out;
    }
    let bytes = word.as_bytes();
    let last = bytes[bytes.len() - 1];
    let before_last = bytes[bytes.len() - 2];
    let vowel = |b: u8| matches!(b, b'a' | b'e' | b'i' | b'o' | b'u');
    let stem = &word[..word.len() - 1];
    // plural / third person
    if word.ends_with('s')
        || word.ends_with('x')
        || word.ends_with('z')
        || word.ends_with("ch")
        || word.ends_with("sh")
    {
        out.push(concat(word, "es"));
    } else if last == b'y' && !vowel(before_last) {
        out.push(concat(stem, "ies"));
    } else {
        out.push(concat(word, "s"));
    }
    // past
    if last == b'e' {
        out.push(concat(word, "d"));
    } else if last == b'y' && !vowel(before_last) {
        out.push(concat(stem, "ied"));
    } else {
        out.push(concat(word, "ed"));
    }
    // -ing
    if last == b'e' && before_last != b'e' {
        out.push(concat(stem, "ing"));
    } else {
        out.push(concat(word, "ing"));
    }
    // singular of a plural
    if let Some(s) = word.strip_suffix("ies") {
        out.push(concat(s, "y"));
    } else if let Some(s) = word.strip_suffix("es") {
        out.push(s.to_string());
        out.push(concat(s, "e"));
    } else if let Some(s) = word.strip_suffix('s') {
        if !s.ends_with('s') {
            out.push(s.to_string());
        }
    }
    out.retain(|f| f != word && f.len() >= 3);
    out
}

/// `stem` followed by `suffix`, allocated once (the dictionaries ask for
/// inflections of tens of thousands of words when the checker is built).
fn concat(stem: &str, suffix: &str) -> String {
    let mut s = String::with_capacity(stem.len() + suffix.len());
    s.push_str(stem);
    s.push_str(suffix);
    s
}

/// Calls `f` with every distinct string made by deleting one character of
/// `word`, built in one reused buffer. Deleting either of two equal
/// neighbours gives the same string, so a run of equal characters is tried
/// once (and no other two deletions coincide).
pub fn for_each_deletion(word: &str, mut f: impl FnMut(&str)) {
    let mut deletion = String::with_capacity(word.len());
    let mut previous = None;
    for (i, c) in word.char_indices() {
        if previous == Some(c) {
            continue;
        }
        previous = Some(c);
        deletion.clear();
        deletion.push_str(&word[..i]);
        deletion.push_str(&word[i + c.len_utf8()..]);
        f(&deletion);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflections_cover_plural_past_and_ing() {
        assert!(inflections("learning").contains(&"learnings".into()));
        assert!(inflections("information").contains(&"informations".into()));
        assert!(inflections("study").contains(&"studies".into()));
        assert!(inflections("studies").contains(&"study".into()));
        assert!(inflections("produce").contains(&"producing".into()));
        assert!(inflections("classes").contains(&"class".into()));
        assert!(inflections("a").is_empty());
    }

    #[test]
    fn deletions_drop_one_character_each() {
        let deletions = |word: &str| {
            let mut out = Vec::new();
            for_each_deletion(word, |d| out.push(d.to_string()));
            out.sort();
            out
        };
        assert_eq!(deletions("abc"), ["ab", "ac", "bc"]);
        assert_eq!(deletions("aab"), ["aa", "ab"]);
        assert_eq!(deletions("abaa"), ["aaa", "aba", "baa"]);
    }
}
