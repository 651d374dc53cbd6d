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
    /// Also read every document back from the store and sum the uncompressed bytes of each
    /// stored field by document kind (slow: decompresses the whole store).
    #[arg(long)]
    store: bool,
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
    if args.store {
        stored_by_kind(&searcher)?;
    }
    Ok(())
}

/// Uncompressed stored bytes per (kind, field): what the document store holds before zstd.
fn stored_by_kind(searcher: &tantivy::Searcher) -> Result<()> {
    use tantivy::schema::{OwnedValue, Value};
    use tantivy::TantivyDocument;
    let schema = searcher.schema();
    let kind_field = schema.get_field("kind")?;
    let mut table: BTreeMap<(String, String), (u64, u64)> = BTreeMap::new();
    for reader in searcher.segment_readers() {
        let store = reader.get_store_reader(64)?;
        let alive = reader.alive_bitset();
        for doc in store.iter::<TantivyDocument>(alive) {
            let doc = doc?;
            let kind =
                doc.get_first(kind_field).and_then(|v| v.as_str()).unwrap_or("?").to_string();
            for (field, value) in doc.field_values() {
                let bytes = match OwnedValue::from(value) {
                    OwnedValue::Str(s) => s.len() as u64,
                    OwnedValue::Facet(f) => f.encoded_str().len() as u64,
                    OwnedValue::Bytes(b) => b.len() as u64,
                    // Numbers and dates: their 8 bytes.
                    _ => 8,
                };
                let name = schema.get_field_name(field).to_string();
                let entry = table.entry((kind.clone(), name)).or_default();
                entry.0 += bytes;
                entry.1 += 1;
            }
        }
    }
    let mut rows: Vec<_> = table.into_iter().collect();
    rows.sort_by_key(|(_, (bytes, _))| std::cmp::Reverse(*bytes));
    println!();
    println!("{:<10} {:<18} {:>12} {:>10}", "kind", "stored field", "raw MB", "values");
    for ((kind, name), (bytes, n)) in rows {
        println!("{kind:<10} {name:<18} {:>12.2} {n:>10}", bytes as f64 / 1e6);
    }
    Ok(())
}
