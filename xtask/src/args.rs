//! The command line the generators share: `--check`, `--help`, and options
//! that take one value.

/// A generator's parsed arguments.
#[derive(Debug, Default)]
pub struct GeneratorArgs {
    /// Compare with the committed output instead of writing it.
    pub check: bool,
    values: Vec<(&'static str, String)>,
}

impl GeneratorArgs {
    /// Parses `args` (those after the generator's name). `with_value` names
    /// the options that take a value. `Err` carries the exit code: 0 after
    /// printing `usage` for `--help`, 2 after explaining a bad argument.
    pub fn parse(args: &[String], with_value: &[&'static str], usage: &str) -> Result<Self, i32> {
        let mut parsed = GeneratorArgs::default();
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            match arg.as_str() {
                "--check" => parsed.check = true,
                "-h" | "--help" => {
                    println!("{usage}");
                    return Err(0);
                }
                flag => match with_value.iter().find(|&&known| known == flag) {
                    Some(&known) => {
                        let Some(value) = it.next() else {
                            eprintln!("{flag} needs a value\n{usage}");
                            return Err(2);
                        };
                        parsed.values.push((known, value.clone()));
                    }
                    None => {
                        eprintln!("unknown argument {flag:?}\n{usage}");
                        return Err(2);
                    }
                },
            }
        }
        Ok(parsed)
    }

    /// The value of `flag` (the last one given), if any.
    pub fn value(&self, flag: &str) -> Option<&str> {
        self.values
            .iter()
            .rev()
            .find(|(f, _)| *f == flag)
            .map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<GeneratorArgs, i32> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        GeneratorArgs::parse(&args, &["--out"], "usage")
    }

    #[test]
    fn values_check_and_errors() {
        let a = parse(&["--out", "x", "--check"]).unwrap();
        assert!(a.check);
        assert_eq!(a.value("--out"), Some("x"));
        assert_eq!(a.value("--pps"), None);
        assert_eq!(parse(&["--out"]).unwrap_err(), 2);
        assert_eq!(parse(&["--bogus"]).unwrap_err(), 2);
        assert_eq!(parse(&["--help"]).unwrap_err(), 0);
    }
}
