//! Accord's extraction pipeline: one page in, one evidence-linked cooperation
//! record out.
//!
//! A [`Document`] is built once from the text read and then annotated by a
//! sequence of small components, each in its own module and tested on its
//! own: text normalisation and sentences ([`text`]), page furniture
//! ([`furniture`]), language ([`language`]), dates ([`dates`]), places and
//! countries ([`gazetteer`]), institutions ([`orgs`]), people ([`people`]) and
//! events ([`events`]). [`assemble`] turns the annotations into the schema's
//! [`Record`]. All word lists and rules live in `data/` and are embedded at
//! build time ([`resources`]).

pub mod assemble;
pub mod caps;
pub mod date_resolve;
pub mod dates;
pub mod event_assembly;
pub mod event_identity;
pub mod events;
pub mod frames;
pub mod furniture;
pub mod gazetteer;
pub mod html;
pub mod input;
pub mod language;
pub mod lexicon;
pub mod morph;
pub mod orgs;
pub mod people;
pub mod resources;
pub mod segment;
pub mod settle;
pub mod span_set;
pub mod text;

use accord_model::{Record, Span};
use resources::Resources;

/// One document and everything the pipeline found in it.
pub struct Document {
    /// The record's `doc`: the file name.
    pub doc: String,
    /// The text layer.
    pub text: text::Text,
    /// Chinese words, on pages with Han characters.
    pub segmentation: segment::Segmentation,
    /// A title given by the page's markup.
    pub markup_title: Option<String>,
    /// Lines of page furniture, sorted.
    pub furniture: Vec<Span>,
    /// ISO 639-1 code of the main language.
    pub language: Option<&'static str>,
    /// Every date mention.
    pub dates: Vec<dates::DateMention>,
    /// The page's publication date and where it stands.
    pub published: Option<(dates::PartialDate, Span)>,
    /// Countries named.
    pub countries: Vec<gazetteer::CountryMention>,
    /// Cities and regions named.
    pub places: Vec<gazetteer::PlaceMention>,
    /// Institutions.
    pub orgs: Vec<orgs::Org>,
    /// People.
    pub people: Vec<people::PersonMention>,
    /// Spans the institution grammar settled as people's names.
    pub person_hints: Vec<Span>,
    /// Event sentences.
    pub events: Vec<events::EventMention>,
}

impl Document {
    /// Runs the whole pipeline over a text.
    pub fn analyse(doc: &str, text: &str, markup_title: Option<&str>) -> Document {
        let res = Resources::get();
        let text = text::Text::new(text, &|w| res.is_abbreviation(w));
        let segmentation = segment::Segmentation::of(&text);
        let mut d = Document {
            doc: doc.to_string(),
            text,
            segmentation,
            markup_title: markup_title.map(str::to_string),
            furniture: Vec::new(),
            language: None,
            dates: Vec::new(),
            published: None,
            countries: Vec::new(),
            places: Vec::new(),
            orgs: Vec::new(),
            people: Vec::new(),
            person_hints: Vec::new(),
            events: Vec::new(),
        };
        d.furniture = furniture::find_furniture(&d.text, res);
        let furniture = d.furniture.clone();
        let skip = move |pos: usize| furniture::in_furniture(&furniture, pos);
        d.language = language::detect(&d.text, res, &skip);
        let lang = d.language.unwrap_or("en");
        d.dates = dates::find_dates(&d.text, res, lang);
        d.published = dates::find_published(&d.text, res, &d.dates);
        d.countries = gazetteer::find_countries(&d.text, res);
        d.places = gazetteer::find_places(&d.text, res);
        d.orgs = orgs::find_orgs(&d.text, res, lang, &d.segmentation, &skip, &mut d.person_hints);
        let org_spans = span_set::SpanSet::new(d.orgs.iter().flat_map(|o| o.mentions.iter().copied()));
        let blocked = |s: Span| org_spans.overlaps(&s);
        d.people = people::find_people(&d.text, res, &skip, &blocked, &d.person_hints, &d.segmentation);
        d.events = events::find_event_mentions(&d.text, res, lang, &skip, &blocked);
        d
    }

    /// True when a character offset lies in page furniture.
    pub fn in_furniture(&self, pos: usize) -> bool {
        furniture::in_furniture(&self.furniture, pos)
    }
}

/// Extracts the cooperation record of one text.
pub fn extract(doc: &str, text: &str, markup_title: Option<&str>) -> Record {
    let d = Document::analyse(doc, text, markup_title);
    assemble::record(&d, Resources::get())
}

/// Extracts the record of a page read from disk.
pub fn extract_page(page: &input::Page) -> Record {
    extract(&page.doc, &page.text, page.title.as_deref())
}
