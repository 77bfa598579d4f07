//! The built-in backend: a tantivy index in memory for the words (German stemming, prefixes,
//! typo tolerance by Levenshtein automata) and a compact store of every offer's filter and facet
//! values for the rest. Rebuilt from the database at start.
//!
//! Why tantivy: a maintained full-text engine with a German Snowball stemmer and fuzzy term
//! queries over its term dictionary, embeddable without a server.
//!
//! Why the compact store: a broad search matches most offers of a Kommune, and each match is
//! filtered and counted into the facets. With facet values and areas numbered once at indexing
//! (`Codes`), that is a walk over a few integers per match instead of string comparisons and
//! map lookups. tantivy hands over each match as its store slot (a fast field), not its id.

use crate::{SearchBackend, SearchError};
use async_trait::async_trait;
use qn_domain::directory::search::{
    by_title, page, Facets, OfferDoc, Ranked, SearchQuery, SearchResults,
};
use qn_domain::directory::Point;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, RwLock};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer,
};
use tantivy::{
    doc, DocId, Index, IndexReader, IndexWriter, ReloadPolicy, Score, SegmentOrdinal,
    SegmentReader, TantivyDocument, Term,
};

/// Collects every match as (store slot, score), unsorted: the filters, facets and the page
/// selection come after, so a sorted top-k of all matches (`TopDocs`) would be wasted work.
struct AllSlots;

struct SegmentSlots {
    slots: tantivy::columnar::Column<u64>,
    hits: Vec<(u32, Score)>,
}

impl Collector for AllSlots {
    type Fruit = Vec<(u32, Score)>;
    type Child = SegmentSlots;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentSlots> {
        Ok(SegmentSlots {
            slots: segment.fast_fields().u64("slot")?,
            hits: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<(u32, Score)>>) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.concat())
    }
}

impl SegmentCollector for SegmentSlots {
    type Fruit = Vec<(u32, Score)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if let Some(slot) = self.slots.first(doc).and_then(|s| u32::try_from(s).ok()) {
            self.hits.push((slot, score));
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.hits
    }
}

/// The facets, in the order of their bit in a filter mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Facet {
    Category,
    TargetGroup,
    Language,
    Cost,
    Weekday,
    Area,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Value {
    Text(String),
    Area(i32),
}

/// Every facet value seen so far, numbered densely. Numbers are never reused: the vocabulary of
/// a directory (categories, groups, languages, areas) is small and stable.
#[derive(Default)]
struct Codes {
    /// Per text facet (by `Facet as usize`), value → code.
    text: [HashMap<String, u32>; 5],
    areas: HashMap<i32, u32>,
    keys: Vec<(Facet, Value)>,
}

impl Codes {
    fn next(&mut self, facet: Facet, value: Value) -> u32 {
        self.keys.push((facet, value));
        u32::try_from(self.keys.len() - 1).unwrap_or(u32::MAX)
    }

    fn text(&mut self, facet: Facet, value: &str) -> u32 {
        if let Some(c) = self.text[facet as usize].get(value) {
            return *c;
        }
        let c = self.next(facet, Value::Text(value.to_owned()));
        self.text[facet as usize].insert(value.to_owned(), c);
        c
    }

    fn area(&mut self, area: i32) -> u32 {
        if let Some(c) = self.areas.get(&area) {
            return *c;
        }
        let c = self.next(Facet::Area, Value::Area(area));
        self.areas.insert(area, c);
        c
    }

    fn get_text(&self, facet: Facet, value: &str) -> Option<u32> {
        self.text.get(facet as usize)?.get(value).copied()
    }
}

/// One offer as the search needs it after the words.
struct Entry {
    id: i64,
    tenant: i32,
    codes: Box<[u32]>,
    location: Option<Point>,
    /// Lower-case title for the order by title.
    key: Box<str>,
}

/// The offers by slot; a removed offer's slot is reused by the next new one.
#[derive(Default)]
struct Store {
    entries: Vec<Option<Entry>>,
    slot_of: HashMap<i64, u32>,
    free: Vec<u32>,
    codes: Codes,
}

impl Store {
    fn entry(&mut self, d: &OfferDoc) -> Entry {
        let c = &mut self.codes;
        let lists: [(Facet, &[String]); 5] = [
            (Facet::Category, &d.categories),
            (Facet::TargetGroup, &d.target_groups),
            (Facet::Language, &d.languages),
            (Facet::Cost, std::slice::from_ref(&d.cost)),
            (Facet::Weekday, &d.weekdays),
        ];
        let mut codes: Vec<u32> = lists
            .into_iter()
            .flat_map(|(facet, values)| values.iter().map(move |v| (facet, v)))
            .map(|(facet, v)| c.text(facet, v))
            .collect();
        codes.extend(d.area_ids.iter().map(|a| c.area(*a)));
        // A value listed twice counts once, as in the other backends.
        codes.sort_unstable();
        codes.dedup();
        Entry {
            id: d.id,
            tenant: d.tenant_id,
            codes: codes.into_boxed_slice(),
            location: d.location,
            key: d.title.to_lowercase().into_boxed_str(),
        }
    }

    /// Stores an offer (replacing one with the same id) and returns its slot.
    fn put(&mut self, d: &OfferDoc) -> u32 {
        let entry = self.entry(d);
        let slot = match self.slot_of.get(&d.id) {
            Some(s) => *s,
            None => self.free.pop().unwrap_or_else(|| {
                self.entries.push(None);
                u32::try_from(self.entries.len() - 1).unwrap_or(u32::MAX)
            }),
        };
        self.slot_of.insert(d.id, slot);
        if let Some(e) = self.entries.get_mut(slot as usize) {
            *e = Some(entry);
        }
        slot
    }

    fn take(&mut self, id: i64) {
        if let Some(slot) = self.slot_of.remove(&id) {
            if let Some(e) = self.entries.get_mut(slot as usize) {
                *e = None;
                self.free.push(slot);
            }
        }
    }
}

/// A query's filters as code masks: `mask[code]` has the bit of the code's facet when the
/// query asks for that value; an entry passes when its codes cover every bit of `required`.
struct Filter {
    mask: Vec<u8>,
    required: u8,
}

impl Filter {
    fn new(q: &SearchQuery, codes: &Codes) -> Self {
        let mut mask = vec![0u8; codes.keys.len()];
        let mut required = 0u8;
        let f = &q.filters;
        let lists: [(Facet, &[String]); 5] = [
            (Facet::Category, &f.categories),
            (Facet::TargetGroup, &f.target_groups),
            (Facet::Language, &f.languages),
            (Facet::Cost, &f.costs),
            (Facet::Weekday, &f.weekdays),
        ];
        let mut want = |facet: Facet, code: Option<u32>| {
            let bit = 1u8 << facet as u8;
            required |= bit;
            // A value no offer has: the facet stays required and nothing passes.
            if let Some(m) = code.and_then(|c| mask.get_mut(c as usize)) {
                *m |= bit;
            }
        };
        for (facet, values) in lists {
            for v in values {
                want(facet, codes.get_text(facet, v));
            }
        }
        if let Some(a) = f.area {
            want(Facet::Area, codes.areas.get(&a).copied());
        }
        Self { mask, required }
    }

    fn passes(&self, e: &Entry) -> bool {
        self.required == 0
            || e.codes.iter().fold(0u8, |m, c| {
                m | self.mask.get(*c as usize).copied().unwrap_or_default()
            }) & self.required
                == self.required
    }
}

const ANALYZER: &str = "de_stem";

/// How much more a word in the title counts than one elsewhere.
const TITLE_BOOST: f32 = 3.0;

pub struct Builtin {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter<TantivyDocument>>,
    id: Field,
    slot: Field,
    tenant: Field,
    /// The title alone, for its boost.
    title: Field,
    /// Title, actor, category and target-group labels and description: one field, so that a
    /// word needs one term lookup, one prefix and one typo automaton, not one per field.
    text: Field,
    /// Held for writing across the index commit, so that a search sees the store and the
    /// index of the same moment.
    store: RwLock<Store>,
}

fn err(e: impl std::fmt::Display) -> SearchError {
    SearchError::Index(e.to_string())
}

impl Builtin {
    /// An empty index.
    ///
    /// # Errors
    /// When tantivy cannot set up its writer (memory).
    pub fn new() -> Result<Self, SearchError> {
        let mut sb = Schema::builder();
        let id = sb.add_u64_field("id", INDEXED);
        let slot = sb.add_u64_field("slot", FAST);
        let tenant = sb.add_u64_field("tenant", INDEXED);
        let indexing = |record| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(ANALYZER)
                    .set_index_option(record),
            )
        };
        // Titles are short: whether a word is there matters, not how often.
        let title = sb.add_text_field("title", indexing(IndexRecordOption::WithFreqs));
        let text = sb.add_text_field("text", indexing(IndexRecordOption::WithFreqs));
        let index = Index::create_in_ram(sb.build());
        // Stem before folding: the Snowball stemmer knows umlauts.
        index.tokenizers().register(
            ANALYZER,
            TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(48))
                .filter(LowerCaser)
                .filter(Stemmer::new(Language::German))
                .filter(AsciiFoldingFilter)
                .build(),
        );
        let writer = index.writer_with_num_threads(1, 30_000_000).map_err(err)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(err)?;
        Ok(Self {
            index,
            reader,
            writer: Mutex::new(writer),
            id,
            slot,
            tenant,
            title,
            text,
            store: RwLock::new(Store::default()),
        })
    }

    fn tantivy_doc(&self, d: &OfferDoc, slot: u32) -> TantivyDocument {
        let mut text = format!("{}\n{}", d.title, d.actor);
        for tag in &d.tags {
            text.push('\n');
            text.push_str(tag);
        }
        text.push('\n');
        text.push_str(&d.description);
        doc!(
            self.id => d.id as u64,
            self.slot => u64::from(slot),
            self.tenant => u64::try_from(d.tenant_id).unwrap_or_default(),
            self.title => d.title.clone(),
            self.text => text,
        )
    }

    fn write(&self, remove: &[i64], add: &[OfferDoc], clear: bool) -> Result<(), SearchError> {
        let mut store = self.store.write().map_err(err)?;
        let mut w = self.writer.lock().map_err(err)?;
        if clear {
            w.delete_all_documents().map_err(err)?;
            *store = Store::default();
        }
        for id in remove.iter().chain(add.iter().map(|d| &d.id)) {
            w.delete_term(Term::from_field_u64(self.id, *id as u64));
        }
        for id in remove {
            store.take(*id);
        }
        for d in add {
            let slot = store.put(d);
            w.add_document(self.tantivy_doc(d, slot)).map_err(err)?;
        }
        w.commit().map_err(err)?;
        self.reader.reload().map_err(err)?;
        Ok(())
    }

    /// The query's words through the index's analyzer (stemmed, folded).
    fn terms(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        if let Ok(mut analyzer) = self.index.tokenizer_for_field(self.text) {
            let mut stream = analyzer.token_stream(text);
            stream.process(&mut |t| out.push(t.text.clone()));
        }
        out.truncate(12);
        out
    }

    /// Whether the index has `word` itself, and whether it has longer words starting with it.
    fn known(searcher: &tantivy::Searcher, field: Field, word: &str) -> (bool, bool) {
        let (mut exact, mut longer) = (false, false);
        for segment in searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(field) else {
                continue;
            };
            let Ok(mut terms) = inverted.terms().range().ge(word.as_bytes()).into_stream() else {
                continue;
            };
            while let Some((term, _)) = terms.next() {
                if term == word.as_bytes() {
                    exact = true;
                } else {
                    longer |= term.starts_with(word.as_bytes());
                    break;
                }
            }
            if exact && longer {
                break;
            }
        }
        (exact, longer)
    }

    /// Every word must match: exactly (more in the title), as the start of a longer word
    /// (compounds: "Hausaufgaben" finds "Hausaufgabenhilfe"), or with one or two typos. Typos
    /// are only tried for a word the index does not know as it is: a known word means what it
    /// says, and the Levenshtein expansion of common words is what makes broad searches slow.
    fn text_query(
        &self,
        searcher: &tantivy::Searcher,
        tenant: i32,
        words: &[String],
    ) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_u64(self.tenant, u64::try_from(tenant).unwrap_or_default()),
                IndexRecordOption::Basic,
            )),
        )];
        let boosted = |q: Box<dyn Query>, boost: f32| -> (Occur, Box<dyn Query>) {
            (Occur::Should, Box::new(BoostQuery::new(q, boost)))
        };
        for w in words {
            let (known, longer) = Self::known(searcher, self.text, w);
            let chars = w.chars().count();
            let typos: u8 = match chars {
                _ if known => 0,
                0..=3 => 0,
                4..=7 => 1,
                _ => 2,
            };
            let term = Term::from_field_text(self.text, w);
            let mut any = vec![
                boosted(
                    Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)),
                    2.0,
                ),
                boosted(
                    Box::new(TermQuery::new(
                        Term::from_field_text(self.title, w),
                        IndexRecordOption::WithFreqs,
                    )),
                    2.0 * TITLE_BOOST,
                ),
            ];
            // Only when some longer word starts with it: else the prefix finds the same offers.
            if chars >= 3 && longer {
                any.push(boosted(
                    Box::new(FuzzyTermQuery::new_prefix(term.clone(), 0, true)),
                    1.0,
                ));
            }
            if typos > 0 {
                any.push(boosted(
                    Box::new(FuzzyTermQuery::new(term, typos, true)),
                    0.5,
                ));
            }
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    fn run(&self, q: &SearchQuery) -> Result<SearchResults, SearchError> {
        let store = self.store.read().map_err(err)?;
        let words = self.terms(&q.text);
        let matched: Vec<(&Entry, Score)> = if words.is_empty() {
            store
                .entries
                .iter()
                .flatten()
                .filter(|e| e.tenant == q.tenant_id)
                .map(|e| (e, 0.0))
                .collect()
        } else {
            let searcher = self.reader.searcher();
            searcher
                .search(&*self.text_query(&searcher, q.tenant_id, &words), &AllSlots)
                .map_err(err)?
                .into_iter()
                .filter_map(|(slot, score)| {
                    let e = store.entries.get(slot as usize)?.as_ref()?;
                    (e.tenant == q.tenant_id).then_some((e, score))
                })
                .collect()
        };
        let filter = Filter::new(q, &store.codes);
        let radius = q.near.zip(q.radius_m);
        let titles = by_title(q);
        let mut counts = vec![0u64; store.codes.keys.len()];
        let rows: Vec<Ranked> = matched
            .into_iter()
            .filter_map(|(e, score)| {
                if !filter.passes(e) {
                    return None;
                }
                let distance = q.near.and_then(|p| e.location.map(|l| l.distance_m(&p)));
                if let Some((_, r)) = radius {
                    if distance.is_none_or(|d| d > r) {
                        return None;
                    }
                }
                for c in e.codes.iter() {
                    if let Some(n) = counts.get_mut(*c as usize) {
                        *n += 1;
                    }
                }
                Some(Ranked {
                    id: e.id,
                    score,
                    distance,
                    key: if titles { &e.key } else { "" },
                })
            })
            .collect();
        let facets = facets(&store.codes, &counts);
        let (hits, total) = page(q, rows);
        Ok(SearchResults {
            hits,
            total,
            facets,
            degraded: false,
        })
    }
}

/// The counted codes back as facet values.
fn facets(codes: &Codes, counts: &[u64]) -> Facets {
    let mut f = Facets::default();
    for ((facet, value), n) in codes.keys.iter().zip(counts) {
        if *n == 0 {
            continue;
        }
        let map: &mut BTreeMap<String, u64> = match (facet, value) {
            (Facet::Area, Value::Area(a)) => {
                f.areas.insert(*a, *n);
                continue;
            }
            (_, Value::Area(_)) | (Facet::Area, _) => continue,
            (Facet::Category, _) => &mut f.categories,
            (Facet::TargetGroup, _) => &mut f.target_groups,
            (Facet::Language, _) => &mut f.languages,
            (Facet::Cost, _) => &mut f.costs,
            (Facet::Weekday, _) => &mut f.weekdays,
        };
        if let Value::Text(v) = value {
            map.insert(v.clone(), *n);
        }
    }
    f
}

#[async_trait]
impl SearchBackend for Builtin {
    fn name(&self) -> &'static str {
        "eingebaut"
    }

    async fn upsert(&self, docs: Vec<OfferDoc>) -> Result<(), SearchError> {
        self.write(&[], &docs, false)
    }

    async fn remove(&self, ids: &[i64]) -> Result<(), SearchError> {
        self.write(ids, &[], false)
    }

    async fn replace_all(&self, docs: Vec<OfferDoc>) -> Result<(), SearchError> {
        self.write(&[], &docs, true)
    }

    async fn search(&self, q: &SearchQuery) -> Result<SearchResults, SearchError> {
        self.run(q)
    }
}
