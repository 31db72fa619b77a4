//! Reader for GARD disease pages as HTML.
//!
//! Written for the layout the GARD site served around 2017-2019 (`/diseases/<id>/<name>` pages with an `<h1>`
//! title, an "Other Names" line and one heading per section), but kept generic: the page is flattened into a
//! sequence of blocks (headings, paragraphs, list items) in document order, and sections are cut at the heading
//! level that carries the known section names. `script`, `style`, `nav`, `header`, `footer` and other page chrome
//! are skipped.
//!
//! Each section's text is one line per block; paragraphs are those lines (list items as
//! [`ParagraphKind::ListItem`]). A "Last updated: MM/DD/YYYY" line is removed from the text and becomes
//! [`Section::last_updated`]. The references section becomes [`Page::references`] (its paragraphs get no
//! sentences: citations are not prose), and links in research, organization and in-depth sections become
//! [`Page::resources`].

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;
use scraper::{ElementRef, Html, Selector};

use crate::page::{
    GardId, IdOrigin, Page, Paragraph, ParagraphKind, Reference, Resource, ResourceKind, Section, SectionKind, Source,
    Warning, WarningCode,
};
use crate::source::{SourceError, gard_id_from_url, sentences};

/// Reads a GARD disease page written in HTML.
///
/// Errors: [`SourceError::NoTitle`] when the page has neither an `<h1>` nor a `<title>` with text. HTML itself
/// never fails to parse: browsers' error recovery applies.
pub fn read(text: &str, mut source: Source) -> Result<Page, SourceError> {
    let html = Html::parse_document(text);
    let title = find_title(&html).ok_or_else(|| SourceError::NoTitle {
        location: source.location.clone(),
        reason: "no <h1> or <title> with text".into(),
    })?;
    let url = canonical_url(&html);
    let gard_id = url.as_deref().and_then(gard_id_from_url).map(|number| GardId { number, origin: IdOrigin::Url });
    source.url.clone_from(&url);

    let mut blocks = Vec::new();
    if let Some(body) = html.select(&selector("body")).next() {
        walk(body, 0, &mut blocks);
    }
    let mut warnings = Vec::new();
    let synonyms = take_synonyms(&mut blocks, &title);
    let mut builder = Builder { base: url.as_deref().and_then(|u| reqwest::Url::parse(u).ok()), ..Builder::default() };
    builder.cut_sections(blocks, &mut warnings);
    let Builder { sections, references, resources, .. } = builder;
    check_citations(&sections, &references, &mut warnings);

    Ok(Page { source, gard_id, title, synonyms, identifiers: Vec::new(), sections, references, resources, warnings })
}

/// The section a heading names, by its words (`Symptoms`, `In-Depth Information`, `Patient Registry`...).
pub fn classify_heading(heading: &str) -> Option<SectionKind> {
    let h = heading.trim().trim_end_matches(':').trim().to_lowercase();
    let has = |word: &str| h.contains(word);
    let kind = if matches!(h.as_str(), "summary" | "overview" | "disease overview" | "description" | "about")
        || h.starts_with("what is")
    {
        SectionKind::Summary
    } else if has("symptom") || has("signs") {
        SectionKind::Symptoms
    } else if has("inherit") {
        SectionKind::Inheritance
    } else if has("cause") {
        SectionKind::Cause
    } else if has("diagnos") || has("testing") || has("exams") {
        SectionKind::Diagnosis
    } else if has("treatment") || has("management") || has("therap") {
        SectionKind::Treatment
    } else if has("prevalence") || has("how many people") || has("epidemiology") {
        SectionKind::Prevalence
    } else if has("organization") || has("advocacy") || has("support group") {
        SectionKind::Organizations
    } else if has("research") || has("registr") || has("clinical trial") {
        SectionKind::Research
    } else if has("in-depth") || has("in depth") || has("resources") || has("learn more") || has("where to start") {
        SectionKind::Resources
    } else if has("reference") || matches!(h.as_str(), "sources" | "sources for this page" | "citations") {
        SectionKind::References
    } else if has("question") || h == "faqs" || has("gard answers") {
        SectionKind::Questions
    } else {
        return None;
    };
    Some(kind)
}

/// Elements that are page chrome or not text.
const SKIPPED: &[&str] = &[
    "script", "style", "nav", "header", "footer", "noscript", "template", "iframe", "svg", "form", "button", "select",
    "textarea", "object", "canvas", "head",
];
/// Elements that start a new block.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "td",
    "th",
    "caption",
    "section",
    "article",
    "main",
    "aside",
    "blockquote",
    "pre",
    "address",
    "figure",
    "figcaption",
    "details",
    "summary",
    "hr",
    "fieldset",
    "center",
    "body",
];
/// Below this depth the tree is read as flat text (a guard against pathologically nested input).
const MAX_DEPTH: usize = 200;

/// A heading, paragraph or list item in document order.
#[derive(Debug, Clone)]
struct Block {
    kind: BlockKind,
    text: String,
    links: Vec<Link>,
    /// The number of a list item in an ordered list.
    ordinal: Option<u32>,
    /// A later line (after `<br>`) of the same element.
    continued: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BlockKind {
    Heading(u8),
    Prose,
    Item,
}

#[derive(Debug, Clone)]
struct Link {
    text: String,
    href: String,
}

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("static selector")
}

/// The first `<h1>` outside page chrome (a site banner may hold its own `<h1>`), else `<title>` up to " | ".
fn find_title(html: &Html) -> Option<String> {
    let h1 = html
        .select(&selector("body h1"))
        .filter(|h| !h.ancestors().filter_map(ElementRef::wrap).any(is_skipped))
        .map(|h| collapse(&h.text().collect::<String>()))
        .find(|t| !t.is_empty());
    h1.or_else(|| {
        let title = html.select(&selector("title")).next()?.text().collect::<String>();
        let title = collapse(title.split(" | ").next().unwrap_or_default());
        (!title.is_empty()).then_some(title)
    })
}

fn canonical_url(html: &Html) -> Option<String> {
    let canonical = html
        .select(&selector("link[rel]"))
        .filter(|l| {
            l.value().attr("rel").is_some_and(|r| r.split_whitespace().any(|w| w.eq_ignore_ascii_case("canonical")))
        })
        .find_map(|l| l.value().attr("href"));
    let og = || html.select(&selector("meta[property=\"og:url\"]")).find_map(|m| m.value().attr("content"));
    canonical.or_else(og).map(str::trim).filter(|u| !u.is_empty()).map(str::to_owned)
}

/// Whether an element is a block (its content starts a new line).
fn is_block(name: &str) -> bool {
    BLOCKS.contains(&name)
}

fn has_block_descendant(el: ElementRef<'_>) -> bool {
    el.descendent_elements().skip(1).any(|d| is_block(d.value().name()) && !is_skipped(d))
}

fn is_skipped(el: ElementRef<'_>) -> bool {
    let e = el.value();
    SKIPPED.contains(&e.name())
        || e.attr("hidden").is_some()
        || e.attr("role").is_some_and(|r| matches!(r, "navigation" | "banner" | "contentinfo" | "search"))
}

/// Flattens `el` into blocks, in document order.
fn walk(el: ElementRef<'_>, depth: usize, out: &mut Vec<Block>) {
    if is_skipped(el) {
        return;
    }
    let name = el.value().name();
    if depth > MAX_DEPTH {
        let mut text = String::new();
        push_text(&mut text, &el.text().collect::<String>());
        push_lines(out, BlockKind::Prose, &text, Vec::new(), None);
        return;
    }
    if let Some(level) = name.strip_prefix('h').and_then(|l| l.parse::<u8>().ok()).filter(|l| (1..=6).contains(l)) {
        let mut text = String::new();
        inline(el, depth, &mut text, &mut Vec::new(), false);
        let text = collapse(&text);
        if !text.is_empty() {
            out.push(Block {
                kind: BlockKind::Heading(level),
                text,
                links: Vec::new(),
                ordinal: None,
                continued: false,
            });
        }
        return;
    }
    if name == "li" {
        let (mut text, mut links) = (String::new(), Vec::new());
        inline(el, depth, &mut text, &mut links, true);
        let ordinal = list_ordinal(el);
        push_lines(out, BlockKind::Item, &text, links, ordinal);
        // Nested lists come after their item.
        for child in el.descendent_elements().skip(1) {
            if matches!(child.value().name(), "ul" | "ol")
                && child.ancestors().filter_map(ElementRef::wrap).find(|a| a.value().name() == "li") == Some(el)
            {
                walk(child, depth + 1, out);
            }
        }
        return;
    }
    if !has_block_descendant(el) {
        let (mut text, mut links) = (String::new(), Vec::new());
        inline(el, depth, &mut text, &mut links, false);
        push_lines(out, BlockKind::Prose, &text, links, None);
        return;
    }
    // A container: runs of inline content between block children become paragraphs of their own.
    let (mut run, mut links) = (String::new(), Vec::new());
    for child in el.children() {
        if let Some(text) = child.value().as_text() {
            push_text(&mut run, text);
        } else if let Some(child) = ElementRef::wrap(child) {
            if is_skipped(child) {
                continue;
            }
            if is_block(child.value().name()) {
                push_lines(out, BlockKind::Prose, &std::mem::take(&mut run), std::mem::take(&mut links), None);
                walk(child, depth + 1, out);
            } else {
                inline(child, depth + 1, &mut run, &mut links, false);
            }
        }
    }
    push_lines(out, BlockKind::Prose, &run, links, None);
}

/// The number of a list item in an ordered list (honouring `start` and `value`).
fn list_ordinal(li: ElementRef<'_>) -> Option<u32> {
    let parent = li.parent().and_then(ElementRef::wrap)?;
    if parent.value().name() != "ol" {
        return None;
    }
    if let Some(value) = li.value().attr("value").and_then(|v| v.trim().parse().ok()) {
        return Some(value);
    }
    let start: u32 = parent.value().attr("start").and_then(|v| v.trim().parse().ok()).unwrap_or(1);
    let index = li.prev_siblings().filter_map(ElementRef::wrap).filter(|s| s.value().name() == "li").count();
    start.checked_add(u32::try_from(index).ok()?)
}

/// Appends the inline text of `el` (links recorded, `<br>` as a line break, nested lists left out when asked).
fn inline(el: ElementRef<'_>, depth: usize, out: &mut String, links: &mut Vec<Link>, skip_lists: bool) {
    for child in el.children() {
        if let Some(text) = child.value().as_text() {
            push_text(out, text);
            continue;
        }
        let Some(child) = ElementRef::wrap(child) else { continue };
        let name = child.value().name();
        if is_skipped(child) || (skip_lists && matches!(name, "ul" | "ol")) {
            continue;
        }
        if depth > MAX_DEPTH {
            push_text(out, &child.text().collect::<String>());
            continue;
        }
        match name {
            "br" => out.push('\n'),
            "a" => {
                let mut text = String::new();
                inline(child, depth + 1, &mut text, &mut Vec::new(), skip_lists);
                if let Some(href) = child.value().attr("href") {
                    links.push(Link { text: collapse(&text), href: href.trim().to_owned() });
                }
                out.push_str(&text);
            }
            _ => {
                // Block children inside inline content still end a line.
                let block = is_block(name);
                if block {
                    out.push('\n');
                }
                inline(child, depth + 1, out, links, skip_lists);
                if block {
                    out.push('\n');
                }
            }
        }
    }
}

/// Appends a text node; its line breaks are plain whitespace in HTML (only `<br>` and blocks break lines).
fn push_text(out: &mut String, text: &str) {
    out.extend(text.chars().map(|c| if c.is_ascii_whitespace() { ' ' } else { c }));
}

/// Pushes one block per non-empty line of `text` (lines come from `<br>`); links go to the first line.
fn push_lines(out: &mut Vec<Block>, kind: BlockKind, text: &str, links: Vec<Link>, ordinal: Option<u32>) {
    let mut links = Some(links);
    let mut continued = false;
    for line in text.split('\n') {
        let line = collapse(line);
        if line.is_empty() {
            continue;
        }
        out.push(Block { kind, text: line, links: links.take().unwrap_or_default(), ordinal, continued });
        continued = true;
    }
}

/// Collapses runs of HTML whitespace (not U+00A0) into one space, and trims.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(|c: char| c.is_ascii_whitespace()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Finds the "Other Names" label, removes it and its value from the blocks, and returns the names.
fn take_synonyms(blocks: &mut Vec<Block>, title: &str) -> Vec<String> {
    static LABEL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)^(?:other names|synonyms)\s*(?::\s*|$)").unwrap());
    let Some(index) = blocks.iter().position(|b| LABEL.is_match(&b.text) && b.text.len() < 2000) else {
        return Vec::new();
    };
    let rest = LABEL.replace(&blocks[index].text, "").trim().to_owned();
    let mut values = Vec::new();
    let mut end = index + 1;
    if rest.is_empty() {
        // The names follow the label: one block, or a run of list items.
        match blocks.get(index + 1).map(|b| b.kind) {
            Some(BlockKind::Item) => {
                while end < blocks.len() && blocks[end].kind == BlockKind::Item {
                    values.push(blocks[end].text.clone());
                    end += 1;
                }
            }
            Some(BlockKind::Prose) => {
                values.push(blocks[index + 1].text.clone());
                end += 1;
            }
            _ => {}
        }
    } else {
        values.push(rest);
    }
    blocks.drain(index..end);
    let mut names: Vec<String> = Vec::new();
    for name in values.iter().flat_map(|v| v.split(';')) {
        let name = name.trim().trim_end_matches('.').trim();
        if name.is_empty() || name.eq_ignore_ascii_case(title) || names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            continue;
        }
        names.push(name.to_owned());
    }
    names
}

/// The date of a "Last updated: MM/DD/YYYY" line, as `YYYY-MM-DD`, and the line without it.
fn last_updated(text: &str) -> Option<(String, String)> {
    static LAST: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\s*last\s+updated\s*:?\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$").unwrap());
    let caps = LAST.captures(text)?;
    let (month, day, year): (u32, u32, u32) = (caps[1].parse().ok()?, caps[2].parse().ok()?, caps[3].parse().ok()?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let whole = caps.get(0)?;
    Some((format!("{year:04}-{month:02}-{day:02}"), text[..whole.start()].trim_end().to_owned()))
}

#[derive(Default)]
struct Builder {
    base: Option<reqwest::Url>,
    sections: Vec<Section>,
    references: Vec<Reference>,
    resources: Vec<Resource>,
}

/// A section being collected: its heading and its blocks, with the sub-heading above each block.
struct Pending {
    kind: SectionKind,
    heading: Option<String>,
    blocks: Vec<(Block, Option<String>)>,
}

impl Builder {
    /// Groups the blocks into sections at the section heading level.
    fn cut_sections(&mut self, blocks: Vec<Block>, warnings: &mut Vec<Warning>) {
        // The section level: the highest heading level (below h1) that names a known section.
        let level = blocks
            .iter()
            .filter_map(|b| match b.kind {
                BlockKind::Heading(l) if l > 1 && classify_heading(&b.text).is_some() => Some(l),
                _ => None,
            })
            .min();
        let mut preamble: Vec<(Block, Option<String>)> = Vec::new();
        let mut current: Option<Pending> = None;
        let mut subheading: Option<String> = None;
        for block in blocks {
            match block.kind {
                BlockKind::Heading(l) if Some(l) == level => {
                    if let Some(done) = current.take() {
                        self.finish(done, warnings);
                    }
                    let kind = classify_heading(&block.text).unwrap_or(SectionKind::Other);
                    if kind == SectionKind::Other {
                        warnings.push(Warning {
                            code: WarningCode::UnknownSection,
                            message: format!("unknown section heading {:?}; kept as an 'other' section", block.text),
                            section: Some(kind),
                            line: None,
                        });
                    }
                    current = Some(Pending { kind, heading: Some(block.text), blocks: Vec::new() });
                    subheading = None;
                }
                BlockKind::Heading(l) if l > 1 && level.is_some_and(|s| l > s) => subheading = Some(block.text),
                BlockKind::Heading(_) => {}
                _ => match current.as_mut() {
                    Some(pending) => pending.blocks.push((block, subheading.clone())),
                    None => preamble.push((block, None)),
                },
            }
        }
        if let Some(done) = current.take() {
            self.finish(done, warnings);
        }
        // Prose before the first heading is the summary when the page has no summary heading (page chrome such as
        // breadcrumbs and one-word lines is not prose).
        let prose: Vec<_> =
            preamble.into_iter().filter(|(b, _)| b.text.split(' ').count() >= 6 && b.text.contains('.')).collect();
        if !prose.is_empty() && !self.sections.iter().any(|s| s.kind == SectionKind::Summary) {
            let summary = Pending { kind: SectionKind::Summary, heading: None, blocks: prose };
            let before = self.sections.len();
            self.finish(summary, warnings);
            if self.sections.len() > before {
                let section = self.sections.pop().expect("just pushed");
                self.sections.insert(0, section);
            }
        }
    }

    /// Builds the section (text, paragraphs, sentences, date) and collects its references and resources.
    fn finish(&mut self, pending: Pending, warnings: &mut Vec<Warning>) {
        let Pending { kind, heading, blocks } = pending;
        let mut date = None;
        let mut kept: Vec<(Block, Option<String>)> = Vec::new();
        for (mut block, sub) in blocks {
            if let Some((iso, rest)) = last_updated(&block.text) {
                date = Some(iso);
                if rest.is_empty() {
                    continue;
                }
                block.text = rest;
            }
            kept.push((block, sub));
        }
        if kept.is_empty() && date.is_none() {
            warnings.push(Warning {
                code: WarningCode::EmptyList,
                message: format!("the section {:?} has no text", heading.as_deref().unwrap_or(kind.name())),
                section: Some(kind),
                line: None,
            });
            return;
        }

        let mut text = String::new();
        let mut spans = Vec::new();
        let mut offset = 0;
        for (block, _) in &kept {
            if !text.is_empty() {
                text.push('\n');
                offset += 1;
            }
            let len = block.text.chars().count();
            text.push_str(&block.text);
            spans.push((offset, offset + len));
            offset += len;
        }
        let chars: Vec<char> = text.chars().collect();
        let paragraphs = kept
            .iter()
            .zip(&spans)
            .map(|((block, _), &(start, end))| Paragraph {
                kind: if block.kind == BlockKind::Item { ParagraphKind::ListItem } else { ParagraphKind::Prose },
                start,
                end,
                // Citations are not prose: no sentences in the references section.
                sentences: if kind == SectionKind::References {
                    Vec::new()
                } else {
                    sentences::split(&chars, start, end)
                },
            })
            .collect();

        match kind {
            SectionKind::References => self.collect_references(&kept, warnings),
            SectionKind::Research | SectionKind::Organizations | SectionKind::Resources => {
                self.collect_resources(kind, heading.as_deref(), &kept);
            }
            _ => {}
        }
        self.sections.push(Section { kind, heading, text, paragraphs, table: Vec::new(), last_updated: date });
    }

    fn absolute(&self, href: &str) -> String {
        match &self.base {
            Some(base) => base.join(href).map_or_else(|_| href.to_owned(), |u| u.to_string()),
            None => href.to_owned(),
        }
    }

    fn collect_references(&mut self, blocks: &[(Block, Option<String>)], warnings: &mut Vec<Warning>) {
        static NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*(?:\[(\d{1,3})\]|(\d{1,3})\.)\s+").unwrap());
        let items: Vec<&Block> = blocks.iter().map(|(b, _)| b).filter(|b| b.kind == BlockKind::Item).collect();
        // Without a list, numbered paragraphs are the references.
        let items: Vec<&Block> = if items.is_empty() {
            blocks.iter().map(|(b, _)| b).filter(|b| NUMBER.is_match(&b.text)).collect()
        } else {
            items
        };
        // Lines after a `<br>` belong to the citation they continue.
        let mut merged: Vec<Block> = Vec::new();
        for block in items {
            match merged.last_mut() {
                Some(last) if block.continued => {
                    last.text.push(' ');
                    last.text.push_str(&block.text);
                    last.links.extend(block.links.iter().cloned());
                }
                _ => merged.push(block.clone()),
            }
        }
        let mut next = 1;
        for block in &merged {
            let (number, citation) = match NUMBER.captures(&block.text) {
                Some(caps) => {
                    let n = caps.get(1).or_else(|| caps.get(2)).and_then(|m| m.as_str().parse().ok()).unwrap_or(next);
                    (n, block.text[caps.get(0).map_or(0, |m| m.end())..].trim().to_owned())
                }
                None => (block.ordinal.unwrap_or(next), block.text.clone()),
            };
            next = number + 1;
            let hrefs: Vec<String> = block.links.iter().map(|l| self.absolute(&l.href)).collect();
            let reference = parse_reference(number, &citation, &hrefs);
            if reference.title.is_none()
                && reference.url.is_none()
                && reference.pmid.is_none()
                && reference.doi.is_none()
            {
                warnings.push(Warning {
                    code: WarningCode::UnparsedReference,
                    message: format!("reference {number} could not be parsed beyond its text"),
                    section: Some(SectionKind::References),
                    line: None,
                });
            }
            if self.references.iter().any(|r| r.number == number) {
                warnings.push(Warning {
                    code: WarningCode::Duplicate,
                    message: format!("reference number {number} appears twice; the first is kept"),
                    section: Some(SectionKind::References),
                    line: None,
                });
                continue;
            }
            self.references.push(reference);
        }
    }

    fn collect_resources(&mut self, kind: SectionKind, heading: Option<&str>, blocks: &[(Block, Option<String>)]) {
        for (block, sub) in blocks {
            let context =
                format!("{} {}", heading.unwrap_or_default(), sub.as_deref().unwrap_or_default()).to_lowercase();
            for link in &block.links {
                let href = link.href.trim();
                let lower = href.to_ascii_lowercase();
                if href.is_empty()
                    || href.starts_with('#')
                    || lower.starts_with("javascript:")
                    || lower.starts_with("mailto:")
                {
                    continue;
                }
                let label = if link.text.is_empty() { href.to_owned() } else { link.text.clone() };
                if is_generic_link(&label) {
                    continue;
                }
                let resource_kind = match kind {
                    SectionKind::Organizations => ResourceKind::Organization,
                    SectionKind::Resources => ResourceKind::InDepth,
                    _ if context.contains("registr") || label.to_lowercase().contains("registry") => {
                        ResourceKind::Registry
                    }
                    _ => ResourceKind::Research,
                };
                let resource = Resource { label, kind: resource_kind, url: Some(self.absolute(href)) };
                if !self.resources.contains(&resource) {
                    self.resources.push(resource);
                }
            }
        }
    }
}

/// Link texts that name an action, not a resource ("Learn more about registries.", "Click here").
fn is_generic_link(label: &str) -> bool {
    let l = label.trim().trim_end_matches('.').to_lowercase();
    l.starts_with("learn more")
        || l.starts_with("click here")
        || l.starts_with("visit the")
        || l.starts_with("read more")
        || l == "here"
        || l == "more"
}

/// Parses a citation: the text reader's parser when it exists, then identifiers from the links.
fn parse_reference(number: u32, citation: &str, hrefs: &[String]) -> Reference {
    let mut reference = minimal_reference(number, citation);
    for href in hrefs {
        let ids = minimal_reference(number, href);
        if reference.url.is_none() {
            reference.url = Some(href.clone());
        }
        reference.pmid = reference.pmid.or(ids.pmid);
        reference.pmcid = reference.pmcid.or(ids.pmcid);
        reference.doi = reference.doi.or(ids.doi);
    }
    reference
}

/// A minimal citation parser: the number, the text, the first URL and the `PubMed`, PMC and DOI identifiers.
fn minimal_reference(number: u32, citation: &str) -> Reference {
    static URL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"https?://[^\s<>"]+"#).unwrap());
    static PMID: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)(?:/pubmed/|id=pmid:|pmid:?\s*)(\d{1,9})\b").unwrap());
    static PMCID: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)/pmc/articles/(PMC\d+)|\b(PMC\d{4,})\b").unwrap());
    static DOI: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"(?i)(?:doi\.org/|doi:\s*)(10\.\d{4,9}/[^\s<>"]+)"#).unwrap());
    let tidy = |s: &str| s.trim_end_matches(['.', ',', ';', ')']).to_owned();
    Reference {
        number,
        citation: citation.trim().to_owned(),
        url: URL.find(citation).map(|m| tidy(m.as_str())),
        pmid: PMID.captures(citation).map(|c| c[1].to_owned()),
        pmcid: PMCID.captures(citation).and_then(|c| c.get(1).or_else(|| c.get(2))).map(|m| m.as_str().to_uppercase()),
        doi: DOI.captures(citation).map(|c| tidy(&c[1])),
        ..Reference::default()
    }
}

/// Warns about citation markers whose number the reference list does not hold.
fn check_citations(sections: &[Section], references: &[Reference], warnings: &mut Vec<Warning>) {
    let mut dangling = BTreeSet::new();
    for section in sections {
        for sentence in section.paragraphs.iter().flat_map(|p| &p.sentences) {
            for &n in &sentence.citations {
                if !references.iter().any(|r| r.number == n) && dangling.insert(n) {
                    warnings.push(Warning {
                        code: WarningCode::DanglingCitation,
                        message: format!("citation [{n}] points to no reference of the page"),
                        section: Some(section.kind),
                        line: None,
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::SourceFormat;

    fn source(location: &str) -> Source {
        Source { format: SourceFormat::Html, location: location.into(), url: None, content_sha256: String::new() }
    }

    const KETTLE: &str = include_str!("../../examples/kettle-fever.html");

    fn kettle() -> Page {
        read(KETTLE, source("examples/kettle-fever.html")).unwrap()
    }

    #[test]
    fn identity_from_title_canonical_link_and_other_names() {
        let page = kettle();
        assert_eq!(page.title, "Kettle fever");
        assert_eq!(page.source.url.as_deref(), Some("https://rarediseases.info.nih.gov/diseases/99999/kettle-fever"));
        assert_eq!(page.gard_id, Some(GardId { number: 99999, origin: IdOrigin::Url }));
        assert_eq!(page.synonyms, ["Whistling kettle syndrome", "KF", "Steam fever type 2"]);
    }

    #[test]
    fn sections_in_page_order_with_dates() {
        let page = kettle();
        let kinds: Vec<_> = page.sections.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            [
                SectionKind::Summary,
                SectionKind::Symptoms,
                SectionKind::Cause,
                SectionKind::Treatment,
                SectionKind::Research,
                SectionKind::Organizations,
                SectionKind::Resources,
                SectionKind::References,
            ]
        );
        let summary = page.section(SectionKind::Summary).unwrap();
        assert_eq!(summary.last_updated.as_deref(), Some("2018-03-07"));
        assert!(!summary.text.contains("Last updated"));
        assert_eq!(page.section(SectionKind::Symptoms).unwrap().last_updated.as_deref(), Some("2019-11-02"));
        // Chrome is not text.
        let all: String = page.sections.iter().map(|s| s.text.as_str()).collect();
        for chrome in ["Skip to main content", "trackPageView", "color: red", "Contact Us", "Search GARD"] {
            assert!(!all.contains(chrome), "{chrome}");
        }
    }

    #[test]
    fn sentences_keep_offsets_and_citations() {
        let page = kettle();
        let symptoms = page.section(SectionKind::Symptoms).unwrap();
        let sentences: Vec<_> = symptoms.paragraphs.iter().flat_map(|p| &p.sentences).collect();
        assert_eq!(
            sentences[0].text,
            "Kettle fever usually begins with a sudden fever and seizures in early childhood."
        );
        assert_eq!(sentences[0].citations, [1]);
        // Line breaks in the HTML source are spaces; only blocks and <br> start lines.
        assert_eq!(sentences[1].text, "Other features may include:");
        let chars: Vec<char> = symptoms.text.chars().collect();
        for (section, s) in page.sentences() {
            let chars: Vec<char> = section.text.chars().collect();
            assert_eq!(chars[s.start..s.end].iter().collect::<String>(), s.text);
        }
        // List items are their own paragraphs, one line each.
        let items: Vec<String> = symptoms
            .paragraphs
            .iter()
            .filter(|p| p.kind == ParagraphKind::ListItem)
            .map(|p| chars[p.start..p.end].iter().collect())
            .collect();
        assert_eq!(items, ["Hearing loss that gets worse over time", "Joint pain after exercise[2]"]);
        assert_eq!(symptoms.text.lines().count(), symptoms.paragraphs.len());
        assert!(page.warnings.iter().all(|w| w.code != WarningCode::DanglingCitation), "{:?}", page.warnings);
    }

    #[test]
    fn references_are_parsed() {
        let page = kettle();
        assert_eq!(page.references.len(), 2);
        let first = page.reference(1).unwrap();
        assert_eq!(first.pmid.as_deref(), Some("12345678"));
        assert_eq!(first.url.as_deref(), Some("https://www.ncbi.nlm.nih.gov/pubmed/12345678"));
        assert!(first.citation.starts_with("Potts A, Spout B."), "{}", first.citation);
        let second = page.reference(2).unwrap();
        assert_eq!(second.doi.as_deref(), Some("10.1000/kettle.2016.7"));
        // The line after <br> continues the same citation.
        assert_eq!(
            second.citation,
            "Brewer C. Steam and children. Tea Medicine. 2016; 7:1-5. https://doi.org/10.1000/kettle.2016.7"
        );
        assert!(page.warnings.is_empty(), "{:?}", page.warnings);
        assert!(page.section(SectionKind::References).unwrap().paragraphs.iter().all(|p| p.sentences.is_empty()));
    }

    #[test]
    fn resources_from_links() {
        let page = kettle();
        let resources: Vec<_> = page.resources.iter().map(|r| (r.label.as_str(), r.kind, r.url.as_deref())).collect();
        assert_eq!(
            resources,
            [
                ("Kettle Fever Registry", ResourceKind::Registry, Some("https://example.org/kettle-registry")),
                ("ClinicalTrials.gov", ResourceKind::Research, Some("https://clinicaltrials.gov/")),
                ("Kettle Families Network", ResourceKind::Organization, Some("https://example.org/kfn")),
                ("Orphanet", ResourceKind::InDepth, Some("https://www.orpha.net/")),
                (
                    "Monarch Initiative",
                    ResourceKind::InDepth,
                    Some("https://rarediseases.info.nih.gov/diseases/99999/monarch")
                ),
            ]
        );
    }

    #[test]
    fn detected_and_dispatched_as_html() {
        let page = crate::source::read_bytes(
            KETTLE.as_bytes(),
            "examples/kettle-fever.html",
            &crate::source::ReadOptions::default(),
        )
        .unwrap();
        assert_eq!(page.source.format, SourceFormat::Html);
        assert_eq!(page.title, "Kettle fever");
        assert_eq!(page.gard_id, Some(GardId { number: 99999, origin: IdOrigin::Url }));
        assert_eq!(page.source.content_sha256.len(), 64);
    }

    #[test]
    fn title_fallbacks_and_no_title() {
        let page =
            read("<html><head><title>Tea cough | GARD</title></head><body><p>x</p></body></html>", source("t.html"))
                .unwrap();
        assert_eq!(page.title, "Tea cough");
        assert_eq!(page.gard_id, None);
        let err = read("<html><body><p>No heading here.</p></body></html>", source("n.html")).unwrap_err();
        assert!(matches!(err, SourceError::NoTitle { .. }));
        assert!(err.to_string().starts_with("n.html: the page has no title"), "{err}");
    }

    #[test]
    fn other_names_label_forms() {
        let page = |body: &str| read(&format!("<h1>Tea cough</h1>{body}"), source("s.html")).unwrap().synonyms;
        assert_eq!(page("<p><b>Other Names:</b> Leaf cough; TC</p>"), ["Leaf cough", "TC"]);
        assert_eq!(page("<dl><dt>Other Names</dt><dd>Leaf cough</dd></dl>"), ["Leaf cough"]);
        assert_eq!(
            page("<h3>Synonyms</h3><ul><li>Leaf cough</li><li>tea cough</li><li>TC</li></ul>"),
            ["Leaf cough", "TC"]
        );
        // Prose that merely starts with the words is not the label.
        assert!(page("<p>Other names for it are rarely used.</p>").is_empty());
    }

    #[test]
    fn og_url_and_unknown_section() {
        let html = r#"<html><head><meta property="og:url" content="https://rarediseases.info.nih.gov/diseases/5/x"></head>
            <body><h1>X</h1><h2>Summary</h2><p>X is rare.</p><h2>Miscellany</h2><p>Odd bits.</p></body></html>"#;
        let page = read(html, source("o.html")).unwrap();
        assert_eq!(page.gard_id.map(|g| g.number), Some(5));
        assert_eq!(page.sections[1].kind, SectionKind::Other);
        assert_eq!(page.warnings[0].code, WarningCode::UnknownSection);
        assert!(page.warnings[0].message.contains("Miscellany"));
    }

    #[test]
    fn garbage_and_deep_nesting_never_panic() {
        // Deterministic byte mutations of the fixture (a cheap stand-in for a fuzzer): errors are fine, panics are not.
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..300 {
            let mut bytes = KETTLE.as_bytes().to_vec();
            for _ in 0..4 {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                let at = usize::try_from(seed >> 33).unwrap() % bytes.len();
                let pool = b"<>&;/\"= x";
                bytes[at] = pool[usize::try_from(seed >> 59).unwrap() % pool.len()];
            }
            let _ = read(&String::from_utf8_lossy(&bytes), source("p.html"));
        }
        for end in (0..KETTLE.len()).step_by(97).filter(|&i| KETTLE.is_char_boundary(i)) {
            let _ = read(&KETTLE[..end], source("p.html"));
        }
        let deep = format!("<h1>T</h1>{}<p>deep text.</p>{}", "<div>".repeat(5000), "</div>".repeat(5000));
        let page = read(&deep, source("d.html")).unwrap();
        assert_eq!(page.title, "T");
        for garbage in
            ["", "<", "<h1>", "<<h1>>x</h1>", "\u{0}\u{1}", "<h1>a</h1><h2>References</h2><ol><li></li></ol>"]
        {
            let _ = read(garbage, source("g.html"));
        }
    }
}
