//! Where an index's bytes go: the size of every field in each part of a morgue index (document
//! store, term dictionary, postings, positions, fast columns, field norms), summed over the
//! segments of the last commit, largest first.
//!
//! ```text
//! cargo build --release --example space
//! space --index IDX
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Result;
use clap::Parser;
use tantivy::space_usage::PerFieldSpaceUsage;

use morgue::store::Store;

#[derive(Parser)]
struct Args {
    /// The morgue index to measure.
    #[arg(long)]
    index: PathBuf,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let store = Store::open(&args.index)?;
    let searcher = store.reader()?.searcher();
    let usage = searcher.space_usage()?;
    // Field name -> bytes in terms, postings, positions, fast columns and norms.
    let mut table: BTreeMap<String, [u64; 5]> = BTreeMap::new();
    let mut add = |part: usize, per_field: &PerFieldSpaceUsage| {
        for usage in per_field.fields() {
            let name = usage.field_name().to_string();
            table.entry(name).or_default()[part] += usage.total().get_bytes();
        }
    };
    let mut store_total = 0;
    for seg in usage.segments() {
        add(0, seg.termdict());
        add(1, seg.postings());
        add(2, seg.positions());
        add(3, seg.fast_fields());
        add(4, seg.fieldnorms());
        store_total += seg.store().total().get_bytes();
    }
    let mb = |b: u64| b as f64 / 1e6;
    let mut rows: Vec<(String, [u64; 5])> = table.into_iter().collect();
    rows.sort_by_key(|(_, parts)| std::cmp::Reverse(parts.iter().sum::<u64>()));
    println!(
        "{:<18} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "field (MB)", "total", "terms", "postings", "positions", "fast", "norms"
    );
    for (name, p) in &rows {
        let total: u64 = p.iter().sum();
        println!(
            "{name:<18} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>9.1}",
            mb(total),
            mb(p[0]),
            mb(p[1]),
            mb(p[2]),
            mb(p[3]),
            mb(p[4])
        );
    }
    println!("document store: {:.1} MB (all fields)", mb(store_total));
    println!("index total: {:.1} MB", mb(usage.total().get_bytes()));
    Ok(())
}
