//! Which segments the writer merges: tantivy's log merge policy, with a cap on the documents
//! that go into one merge.
//!
//! A merge reads every page of its input segments through the memory map, and those pages count
//! as the process's resident memory until the merge ends. Without a cap, the last merges of a
//! large run take in most of the index (several GB at a million articles), so peak memory would
//! grow with the archive. Capping what one merge takes in (like Lucene's largest merged segment)
//! bounds that memory; the price is more segments in a large index (one per `MAX_MERGE_DOCS`
//! documents or so), which searches visit in parallel.

use tantivy::merge_policy::{LogMergePolicy, MergeCandidate, MergePolicy};
use tantivy::SegmentMeta;

/// Documents one merge may take in. An index holds about 1 KB per document (articles, quotes
/// and file records together), so this is a few hundred MB of mapped input.
pub const MAX_MERGE_DOCS: u32 = 400_000;

/// tantivy's log merge policy, with every merge split into merges of at most `max_docs`.
#[derive(Debug)]
pub struct CappedMergePolicy {
    inner: LogMergePolicy,
    max_docs: u32,
}

impl CappedMergePolicy {
    pub fn new(max_docs: u32) -> CappedMergePolicy {
        let mut inner = LogMergePolicy::default();
        // A segment this large is never merged again.
        inner.set_max_docs_before_merge(max_docs as usize / 2);
        CappedMergePolicy { inner, max_docs }
    }
}

impl Default for CappedMergePolicy {
    fn default() -> Self {
        CappedMergePolicy::new(MAX_MERGE_DOCS)
    }
}

impl MergePolicy for CappedMergePolicy {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let docs =
            |id| segments.iter().find(|s| s.id() == id).map(|s| s.num_docs()).unwrap_or(u32::MAX);
        let mut out = Vec::new();
        for MergeCandidate(ids) in self.inner.compute_merge_candidates(segments) {
            let mut group = Vec::new();
            let mut total = 0u32;
            for id in ids {
                let n = docs(id);
                if !group.is_empty() && total.saturating_add(n) > self.max_docs {
                    if group.len() > 1 {
                        out.push(MergeCandidate(std::mem::take(&mut group)));
                    }
                    group.clear();
                    total = 0;
                }
                group.push(id);
                total = total.saturating_add(n);
            }
            if group.len() > 1 {
                out.push(MergeCandidate(group));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::index::SegmentId;
    use tantivy::schema::{Schema, STRING};
    use tantivy::Index;

    #[test]
    fn no_merge_takes_in_more_than_the_cap() {
        let mut sb = Schema::builder();
        sb.add_text_field("x", STRING);
        let index = Index::create_in_ram(sb.build());
        let metas: Vec<SegmentMeta> = (0..10)
            .map(|_| index.new_segment_meta(SegmentId::generate_random(), 100_000))
            .chain(std::iter::once(index.new_segment_meta(SegmentId::generate_random(), 900_000)))
            .collect();
        let docs = |id| metas.iter().find(|m| m.id() == id).unwrap().num_docs();
        let merges = CappedMergePolicy::new(400_000).compute_merge_candidates(&metas);
        // Ten segments of 100k docs: merged four at a time, the big one left alone.
        let sizes: Vec<u32> =
            merges.iter().map(|MergeCandidate(ids)| ids.iter().map(|&id| docs(id)).sum()).collect();
        assert_eq!(sizes, vec![400_000, 400_000, 200_000]);
        // Uncapped, tantivy's policy would take all ten in one merge.
        assert_eq!(LogMergePolicy::default().compute_merge_candidates(&metas)[0].0.len(), 10);
    }
}
