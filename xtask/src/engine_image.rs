//! Generator of `dictionaries/engine.bin`: the default engine compiled ahead of
//! time, so that the checker starts without compiling its dictionaries (see
//! `unspun::detect::prebuilt` for why and how it is read).
//!
//! Its sources are files of this repository (the dictionaries and the context
//! model's text), so it needs nothing installed. Run
//! `cargo run -p xtask -- engine-image` after changing a dictionary or the
//! dictionary compiler; `-- engine-image --check` only says whether the
//! committed file is up to date. The library's test
//! `the_committed_engine_image_is_the_one_the_dictionaries_compile_to` fails
//! while it is not.

use std::path::Path;
use unspun::detect::prebuilt;

/// Generator name on the `xtask` command line.
pub const NAME: &str = "engine-image";

pub fn run(args: &[String]) -> i32 {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => {
            eprintln!("usage: cargo run -p xtask -- {NAME} [--check]");
            return 2;
        }
    };
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(prebuilt::IMAGE_PATH);
    let image = prebuilt::default_engine_image();
    if check {
        let committed = std::fs::read(&path).unwrap_or_default();
        if committed == image {
            println!(
                "{} is up to date ({} bytes)",
                prebuilt::IMAGE_PATH,
                image.len()
            );
            return 0;
        }
        eprintln!(
            "{} is stale: run `cargo run -p xtask -- {NAME}` and commit it",
            prebuilt::IMAGE_PATH
        );
        return 1;
    }
    if let Err(e) = std::fs::write(&path, &image) {
        eprintln!("writing {}: {e}", path.display());
        return 1;
    }
    println!("wrote {} ({} bytes)", prebuilt::IMAGE_PATH, image.len());
    0
}
