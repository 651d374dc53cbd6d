//! Builds the place automaton for the embedded gazetteer data (`data/places/places.tsv`) when
//! the binary is built, so that no run spends time on it (see `src/extract/place_forms.rs`).
//! Writes `$OUT_DIR/places.daac`: the digest of the patterns, then the serialized automaton; an
//! empty file if it could not be built (the automaton is then built at run time).

use std::path::PathBuf;

#[path = "src/extract/place_forms.rs"]
#[allow(dead_code)]
mod place_forms;

const DATA: &str = "data/places/places.tsv";

fn main() {
    no_pie();
    println!("cargo:rerun-if-changed={DATA}");
    println!("cargo:rerun-if-changed=src/extract/place_forms.rs");
    let out =
        PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("places.daac");
    let tsv = std::fs::read_to_string(DATA).unwrap_or_default();
    let patterns = place_forms::patterns(&tsv);
    let built = daachorse::DoubleArrayAhoCorasickBuilder::new()
        .match_kind(daachorse::MatchKind::LeftmostLongest)
        .build::<_, _, u32>(&patterns);
    let bytes = match built {
        Ok(automaton) => {
            let mut bytes = place_forms::digest(&patterns).to_le_bytes().to_vec();
            bytes.extend(automaton.serialize());
            bytes
        }
        Err(e) => {
            println!("cargo:warning=place automaton not prebuilt ({e}); it is built at run time");
            Vec::new()
        }
    };
    std::fs::write(&out, bytes).expect("writing the place automaton into OUT_DIR");
}

/// Link the `morgue` executable at a fixed address on x86-64 Linux. A position-independent
/// executable has some 48,000 relocations for the dynamic loader to apply at every start, and
/// writes to the pages they touch: 2.5-2.6 ms for `morgue --version`, against 1.3-1.4 ms
/// without (a search is one process, so this is on every command-line query). The cost is
/// that the executable's own image is not randomized by ASLR (its libraries, stack and heap
/// still are). The code stays position-independent; only the link changes.
fn no_pie() {
    let target = std::env::var("TARGET").unwrap_or_default();
    if target == "x86_64-unknown-linux-gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
