//! Reading back what an interrupted run completed.
//!
//! A record is identified by where it comes from ([`Position`]: the input and
//! the record's ordinal in it), never by its id: scraped archives repeat ids, a
//! record's explicit id may equal the positional id of a malformed line, and `7`
//! and `"7"` are one id as text. Keying by position makes "every input record
//! out exactly once" hold whatever the ids are.
//!
//! The writer puts records out in input order, so the complete records of an
//! output file are a run of consecutive ordinals per input; [`Completed`] keeps
//! them as ranges, a few bytes per input whatever the archive size. The ids of
//! the complete records are kept as 64-bit hashes, only so that the summary can
//! say how many ids repeat across the whole output.

use super::output::{single_line, OutputFormat, CSV_HEADER};
use super::record::Position;
use super::source::io_reason;
use std::collections::HashMap;
use std::fs::File;
use std::hash::{Hash, Hasher};
use std::io::{BufRead, BufReader};

/// The positions already complete in an output file: per input, sorted,
/// disjoint ranges of record ordinals.
#[derive(Debug, Clone, Default)]
pub struct Completed {
    ranges: HashMap<String, Vec<(u64, u64)>>,
    count: u64,
    csv: bool,
}

impl Completed {
    /// Nothing complete, for output in `format`.
    pub(crate) fn new(format: OutputFormat) -> Self {
        Completed {
            csv: format == OutputFormat::Csv,
            ..Completed::default()
        }
    }

    fn key<'a>(&self, input: &'a str) -> std::borrow::Cow<'a, str> {
        if self.csv {
            single_line(input)
        } else {
            input.into()
        }
    }

    /// Marks the position complete (in input order this only extends a range).
    fn insert(&mut self, position: &Position) {
        let ranges = self.ranges.entry(position.input.clone()).or_default();
        let r = position.record;
        match ranges.last_mut() {
            Some(last) if last.1 + 1 == r => last.1 = r,
            Some(last) if last.0 <= r && r <= last.1 => return,
            _ => ranges.push((r, r)),
        }
        self.count += 1;
    }

    /// Sorts and merges the ranges (positions out of order or repeated, in an
    /// output that several runs wrote).
    fn settle(&mut self) {
        self.count = 0;
        for ranges in self.ranges.values_mut() {
            ranges.sort_unstable();
            let mut merged: Vec<(u64, u64)> = Vec::with_capacity(ranges.len());
            for &(a, b) in ranges.iter() {
                match merged.last_mut() {
                    Some(last) if a <= last.1 + 1 => last.1 = last.1.max(b),
                    _ => merged.push((a, b)),
                }
            }
            self.count += merged.iter().map(|(a, b)| b - a + 1).sum::<u64>();
            *ranges = merged;
        }
    }

    /// Whether record `record` of input `input` is already complete.
    pub fn contains(&self, input: &str, record: u64) -> bool {
        let Some(ranges) = self.ranges.get(self.key(input).as_ref()) else {
            return false;
        };
        let i = ranges.partition_point(|&(a, _)| a <= record);
        i > 0 && ranges[i - 1].1 >= record
    }

    /// The inputs with complete records, as the earlier run named them.
    pub fn inputs(&self) -> impl Iterator<Item = &str> {
        self.ranges.keys().map(String::as_str)
    }

    /// How many distinct positions are complete.
    pub fn len(&self) -> u64 {
        self.count
    }

    /// Whether no record is complete.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

/// A 64-bit hash of a document id, for counting repeated ids (a false repeat
/// is a 1 in 10^7 event for 10 million distinct ids).
pub(crate) fn id_hash(id: &str) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

/// What resuming found in the output file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResumeState {
    /// Complete records kept.
    pub complete: u64,
    /// Bytes of torn or unreadable tail cut off.
    pub discarded_bytes: u64,
}

/// What [`scan_complete`] read.
pub(crate) struct Scan {
    pub completed: Completed,
    /// Hashes of the complete records' ids, in output order.
    pub ids: Vec<u64>,
    /// Complete records (lines), repeated positions included.
    pub records: u64,
    /// Length up to the end of the last complete record.
    pub keep: u64,
    /// Bytes read in all: `keep` plus the torn or garbled tail.
    pub end: u64,
    pub has_header: bool,
}

const READ_BUFFER: usize = 1 << 20;

/// Reads an output file: the positions of its complete records, and the length
/// up to the end of the last one (everything after is torn or garbled).
pub(crate) fn scan_complete(file: &File, format: OutputFormat) -> Result<Scan, String> {
    let mut reader = BufReader::with_capacity(READ_BUFFER, file);
    let mut scan = Scan {
        completed: Completed::new(format),
        ids: Vec::new(),
        records: 0,
        keep: 0,
        end: 0,
        has_header: false,
    };
    let mut line = Vec::new();
    let mut first = true;
    loop {
        line.clear();
        let n = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| io_reason(&e))?;
        scan.end += n as u64;
        if n == 0 || line.last() != Some(&b'\n') {
            // The end, or a torn last line.
            scan.completed.settle();
            return Ok(scan);
        }
        let body = &line[..n - 1];
        let parsed = match format {
            OutputFormat::Jsonl => json_record(body),
            OutputFormat::Csv if first => {
                if body.strip_suffix(b"\r").unwrap_or(body) != CSV_HEADER.as_bytes() {
                    return Err(format!(
                        "does not start with the CSV header of unspun batch output (`{CSV_HEADER}`); not touching it"
                    ));
                }
                scan.has_header = true;
                first = false;
                scan.keep = scan.end;
                continue;
            }
            OutputFormat::Csv => csv_record(body),
        };
        match parsed {
            Some((id, position)) => {
                scan.ids.push(id_hash(&id));
                scan.completed.insert(&position);
                scan.records += 1;
            }
            None if first => {
                return Err(format!(
                    "its first line is not a {} record of unspun batch (with `input` and `record`); not touching it",
                    match format {
                        OutputFormat::Jsonl => "JSON Lines",
                        OutputFormat::Csv => "CSV",
                    }
                ))
            }
            None => {
                // Garbled: redo everything from here.
                scan.end += drain(&mut reader).map_err(|e| io_reason(&e))?;
                scan.completed.settle();
                return Ok(scan);
            }
        }
        first = false;
        scan.keep = scan.end;
    }
}

/// Reads to the end, returning how many bytes there were.
fn drain(reader: &mut dyn BufRead) -> std::io::Result<u64> {
    std::io::copy(reader, &mut std::io::sink())
}

fn json_record(line: &[u8]) -> Option<(String, Position)> {
    #[derive(serde::Deserialize)]
    struct Complete {
        id: String,
        input: String,
        record: u64,
        error: Option<String>,
        verdict: Option<serde_json::Value>,
    }
    let r: Complete = serde_json::from_slice(line).ok()?;
    // A record is complete when it is scored or says why not.
    (r.error.is_some() || r.verdict.is_some()).then_some((
        r.id,
        Position {
            input: r.input,
            record: r.record,
        },
    ))
}

fn csv_record(line: &[u8]) -> Option<(String, Position)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line);
    let record = reader.records().next()?.ok()?;
    if record.len() != CSV_HEADER.split(',').count() {
        return None;
    }
    let position = Position {
        input: record[9].to_string(),
        record: record[10].parse().ok()?,
    };
    Some((record[0].to_string(), position))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(input: &str, record: u64) -> Position {
        Position {
            input: input.into(),
            record,
        }
    }

    #[test]
    fn completed_positions_are_ranges_per_input_and_repeats_count_once() {
        let mut c = Completed::new(OutputFormat::Jsonl);
        for r in [1, 2, 3, 7, 8, 2] {
            c.insert(&at("a", r));
        }
        c.insert(&at("b", 1));
        c.settle();
        assert_eq!(c.len(), 6);
        let a: Vec<u64> = (0..10).filter(|&r| c.contains("a", r)).collect();
        assert_eq!(a, [1, 2, 3, 7, 8]);
        assert!(c.contains("b", 1));
        assert!(!c.contains("b", 2));
        assert!(!c.contains("c", 1));
    }
}
