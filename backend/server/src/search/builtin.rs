//! The built-in backend: a tantivy index in memory for the words (German stemming, prefixes,
//! typo tolerance by Levenshtein automata) and the documents in a map for filters, facets and
//! distances. Rebuilt from the database at start; 50,000 offers take some 60 MB.
//!
//! Why tantivy: a maintained full-text engine with a German Snowball stemmer and fuzzy term
//! queries over its term dictionary, embeddable without a server.

use super::{SearchBackend, SearchError};
use async_trait::async_trait;
use qn_domain::directory::search::{finish, passes, OfferDoc, SearchQuery, SearchResults};
use qn_domain::directory::taxonomy;
use std::collections::HashMap;
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

/// Collects every match as (offer id, score), unsorted: the filters, facets and the page
/// selection come after, so a sorted top-k of all matches (`TopDocs`) would be wasted work.
struct AllIds;

struct SegmentIds {
    ids: tantivy::columnar::Column<u64>,
    hits: Vec<(u64, Score)>,
}

impl Collector for AllIds {
    type Fruit = Vec<(u64, Score)>;
    type Child = SegmentIds;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentIds> {
        Ok(SegmentIds {
            ids: segment.fast_fields().u64("id")?,
            hits: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<(u64, Score)>>) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.concat())
    }
}

impl SegmentCollector for SegmentIds {
    type Fruit = Vec<(u64, Score)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if let Some(id) = self.ids.first(doc) {
            self.hits.push((id, score));
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.hits
    }
}

const ANALYZER: &str = "de_stem";

/// Text fields and how much a match in each counts.
const FIELDS: [(&str, f32); 4] = [("title", 3.0), ("actor", 2.0), ("tags", 1.5), ("body", 1.0)];

pub struct Builtin {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter<TantivyDocument>>,
    id: Field,
    tenant: Field,
    text: [Field; 4],
    docs: RwLock<HashMap<i64, OfferDoc>>,
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
        let id = sb.add_u64_field("id", INDEXED | FAST);
        let tenant = sb.add_u64_field("tenant", INDEXED);
        let opts = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let text = FIELDS.map(|(name, _)| sb.add_text_field(name, opts.clone()));
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
            tenant,
            text,
            docs: RwLock::new(HashMap::new()),
        })
    }

    fn tantivy_doc(&self, d: &OfferDoc) -> TantivyDocument {
        // Category and target-group labels are searchable words too ("Sprachkurs").
        let tags: Vec<&str> = d
            .categories
            .iter()
            .filter_map(|c| taxonomy::label(taxonomy::CATEGORIES, c))
            .chain(
                d.target_groups
                    .iter()
                    .filter_map(|g| taxonomy::target_group_label(g)),
            )
            .collect();
        let [title, actor, tags_f, body] = self.text;
        doc!(
            self.id => d.id as u64,
            self.tenant => u64::try_from(d.tenant_id).unwrap_or_default(),
            title => d.title.clone(),
            actor => d.actor.clone(),
            tags_f => tags.join(" "),
            body => d.description.clone(),
        )
    }

    fn write(&self, remove: &[i64], add: &[OfferDoc], clear: bool) -> Result<(), SearchError> {
        let mut w = self.writer.lock().map_err(err)?;
        if clear {
            w.delete_all_documents().map_err(err)?;
        }
        for id in remove.iter().chain(add.iter().map(|d| &d.id)) {
            w.delete_term(Term::from_field_u64(self.id, *id as u64));
        }
        for d in add {
            w.add_document(self.tantivy_doc(d)).map_err(err)?;
        }
        w.commit().map_err(err)?;
        self.reader.reload().map_err(err)?;
        Ok(())
    }

    /// The query's words through the index's analyzer (stemmed, folded).
    fn terms(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        if let Ok(mut analyzer) = self.index.tokenizer_for_field(self.text[0]) {
            let mut stream = analyzer.token_stream(text);
            stream.process(&mut |t| out.push(t.text.clone()));
        }
        out.truncate(12);
        out
    }

    /// Every word must match in some field: exactly, as the start of a longer word (compounds:
    /// "Hausaufgaben" finds "Hausaufgabenhilfe"), or with one or two typos. Typos are only
    /// tried for a word the index does not know as it is: a known word means what it says, and
    /// the Levenshtein expansion of common words is what made broad searches slow.
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
        for w in words {
            let known = self.text.iter().any(|f| {
                searcher
                    .doc_freq(&Term::from_field_text(*f, w))
                    .is_ok_and(|n| n > 0)
            });
            let typos: u8 = match w.chars().count() {
                _ if known => 0,
                0..=3 => 0,
                4..=7 => 1,
                _ => 2,
            };
            let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for (field, (_, boost)) in self.text.iter().zip(FIELDS) {
                let term = Term::from_field_text(*field, w);
                any.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(
                        Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)),
                        boost * 2.0,
                    )),
                ));
                if w.chars().count() >= 3 {
                    any.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(
                            Box::new(FuzzyTermQuery::new_prefix(term.clone(), 0, true)),
                            boost,
                        )),
                    ));
                }
                if typos > 0 {
                    any.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(
                            Box::new(FuzzyTermQuery::new(term, typos, true)),
                            boost * 0.5,
                        )),
                    ));
                }
            }
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    fn run(&self, q: &SearchQuery) -> Result<SearchResults, SearchError> {
        let docs = self.docs.read().map_err(err)?;
        let words = self.terms(&q.text);
        if words.is_empty() {
            return Ok(finish(
                q,
                docs.values().filter(|d| passes(d, q)).map(|d| (d, 0.0)),
            ));
        }
        let searcher = self.reader.searcher();
        let found = searcher
            .search(&*self.text_query(&searcher, q.tenant_id, &words), &AllIds)
            .map_err(err)?;
        let matched = found.into_iter().filter_map(|(id, score)| {
            let d = docs.get(&(id as i64))?;
            passes(d, q).then_some((d, score))
        });
        Ok(finish(q, matched))
    }
}

#[async_trait]
impl SearchBackend for Builtin {
    fn name(&self) -> &'static str {
        "eingebaut"
    }

    async fn upsert(&self, docs: Vec<OfferDoc>) -> Result<(), SearchError> {
        self.write(&[], &docs, false)?;
        let mut map = self.docs.write().map_err(err)?;
        for d in docs {
            map.insert(d.id, d);
        }
        Ok(())
    }

    async fn remove(&self, ids: &[i64]) -> Result<(), SearchError> {
        self.write(ids, &[], false)?;
        let mut map = self.docs.write().map_err(err)?;
        for id in ids {
            map.remove(id);
        }
        Ok(())
    }

    async fn replace_all(&self, docs: Vec<OfferDoc>) -> Result<(), SearchError> {
        self.write(&[], &docs, true)?;
        let mut map = self.docs.write().map_err(err)?;
        *map = docs.into_iter().map(|d| (d.id, d)).collect();
        Ok(())
    }

    async fn search(&self, q: &SearchQuery) -> Result<SearchResults, SearchError> {
        self.run(q)
    }
}
