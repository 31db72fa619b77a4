//! HTML pages, written with maud: every value from the store goes through maud's escaping, and links leave the
//! server only for `http(s)` IRIs (an IRI such as `javascript:…` is valid RDF but never becomes a link).

use maud::{DOCTYPE, Markup, html};
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term};

use super::disease::{DiseasePage, Named, Statement};
use super::formats::HTML;
use super::limits::Answer;
use super::resource::{ResourceView, href};
use crate::model::vocab::{self, Namespace};
use crate::search::{Hit, HitKind};

/// Where identifiers of other resources are read by people: (CURIE prefix, URL before the local id, after it, site).
const LINK_OUT: &[(&str, &str, &str, &str)] = &[
    ("Orphanet", "https://www.orpha.net/en/disease/detail/", "", "Orphanet"),
    ("OMIM", "https://omim.org/entry/", "", "OMIM"),
    ("UMLS", "https://uts.nlm.nih.gov/uts/umls/concept/", "", "UMLS"),
    ("MONDO", "https://monarchinitiative.org/MONDO:", "", "Monarch"),
    ("HP", "https://hpo.jax.org/browse/term/HP:", "", "HPO"),
    ("PMID", "https://pubmed.ncbi.nlm.nih.gov/", "/", "PubMed"),
    ("PMCID", "https://www.ncbi.nlm.nih.gov/pmc/articles/", "/", "PMC"),
    ("GARD", "https://rarediseases.info.nih.gov/diseases/", "", "GARD"),
];

/// A web page for an IRI outside this server: a site's page for identifiers it knows, else the IRI itself when it is
/// `http(s)` (named by its host), else none.
pub fn external_url(iri: &str) -> Option<(String, String)> {
    if let Some(curie) = vocab::compact_iri(iri) {
        if let Some((prefix, local)) = curie.split_once(':') {
            if let Some((_, before, after, site)) = LINK_OUT.iter().find(|(p, ..)| *p == prefix) {
                let local: String = form_urlencoded::byte_serialize(local.as_bytes()).collect();
                return Some((format!("{before}{local}{after}"), (*site).to_owned()));
            }
        }
    }
    let lower = iri.to_ascii_lowercase();
    let rest = lower.strip_prefix("http://").or_else(|| lower.strip_prefix("https://"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    Some((iri.to_owned(), host.trim_start_matches("www.").to_owned()))
}

/// A short name for an IRI: its CURIE, the project's prefix, or the IRI.
fn short(namespace: &Namespace, iri: &str) -> String {
    if let Some(local) = iri.strip_prefix(namespace.base()) {
        return format!("gardkg:{local}");
    }
    vocab::compact_iri(iri)
        .or_else(|| {
            vocab::W3C_PREFIXES.iter().find_map(|(p, ns)| iri.strip_prefix(ns).map(|local| format!("{p}:{local}")))
        })
        .unwrap_or_else(|| iri.to_owned())
}

fn layout(title: &str, body: &Markup) -> Answer {
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · gardkg" }
                link rel="icon" href="data:,";
                link rel="stylesheet" href="/static/app.css";
                link rel="stylesheet" href="/static/pages.css";
            }
            body {
                header.site-header {
                    div.brand {
                        a.brand-name href="/" { "gardkg" }
                        span.brand-tag { "GARD rare-disease knowledge graph" }
                    }
                    nav.site-nav aria-label="Site" {
                        a href="/" { "SPARQL query page" }
                        " · "
                        a href="/.well-known/void" { "Dataset (VoID)" }
                    }
                }
                main.page { (body) }
                footer.site-footer {
                    "Data: GARD pages modelled with the Biolink Model, HPO, MONDO, Orphanet and MAxO. "
                    "This page as RDF: ask for text/turtle or application/ld+json, or add ?format=ttl."
                }
            }
        }
    };
    Answer { content_type: HTML, body: page.into_string().into() }
}

/// A link to an IRI's page on this server, with a link out when there is one.
fn term_link(namespace: &Namespace, iri: &NamedNode, label: Option<&str>) -> Markup {
    let shown = short(namespace, iri.as_str());
    html! {
        a.term href=(href(namespace, iri.as_str())) title=(iri.as_str()) {
            @if let Some(label) = label { (label) } @else { (shown) }
        }
        @if label.is_some() { " " span.curie { (shown) } }
    }
}

fn named_link(namespace: &Namespace, named: &Named) -> Markup {
    term_link(namespace, &named.iri, named.label.as_deref())
}

/// A link to an IRI's page elsewhere (none for the project's own IRIs: they are pages here).
fn out_link(namespace: &Namespace, iri: &str) -> Markup {
    let external = if iri.starts_with(namespace.base()) { None } else { external_url(iri) };
    html! {
        @if let Some((url, site)) = external {
            " " a.out href=(url) rel="noopener noreferrer external" title={ "Open at " (site) } { "↗ " (site) }
        }
    }
}

fn term_value(namespace: &Namespace, term: &Term, label: Option<&str>) -> Markup {
    match term {
        Term::NamedNode(n) => html! { (term_link(namespace, n, label)) (out_link(namespace, n.as_str())) },
        Term::BlankNode(b) => html! { span.bnode { "_:" (b.as_str()) } },
        Term::Literal(l) => html! {
            span.literal { (l.value()) }
            @if let Some(lang) = l.language() { span.lang { "@" (lang) } }
            @else if l.datatype() != vocab::xsd::STRING { " " span.datatype { (short(namespace, l.datatype().as_str())) } }
        },
        #[allow(unreachable_patterns)]
        _ => html! { (term.to_string()) },
    }
}

/// A number as people write it: `90`, `7.5`, `0.03`.
fn number(text: &str) -> String {
    match text.parse::<f64>() {
        Ok(x) if x.is_finite() => {
            let rounded = format!("{x:.3}");
            rounded.trim_end_matches('0').trim_end_matches('.').to_owned()
        }
        _ => text.to_owned(),
    }
}

/// Citation markers (`[2]`) for references, numbered as the page's reference list.
fn citations(page: &DiseasePage, references: &[NamedNode]) -> Markup {
    html! {
        @for reference in references {
            @if let Some(i) = page.references.iter().position(|r| r.iri == *reference) {
                a.cite href={ "#ref-" (i + 1) } title=(page.references[i].title.as_deref().or(page.references[i].citation.as_deref()).unwrap_or(reference.as_str())) {
                    "[" (i + 1) "]"
                }
            } @else {
                a.cite href=(reference.as_str()) { (reference.as_str()) }
            }
        }
    }
}

fn sentences(statement_sentences: &[String]) -> Markup {
    html! {
        @for sentence in statement_sentences { p.sentence { (sentence) } }
    }
}

fn frequency(namespace: &Namespace, s: &Statement) -> Markup {
    html! {
        @if let Some(f) = &s.frequency { (named_link(namespace, f)) }
        @if let Some((n, m)) = &s.count { " " span.count { (n) "/" (m) } }
        @if let Some(p) = &s.percentage { " " span.percentage { (number(p)) " %" } }
    }
}

/// The disease page.
pub fn disease(namespace: &Namespace, page: &DiseasePage) -> Answer {
    let body = html! {
        article.disease {
            (heading(namespace, page))
            (names(namespace, page))
            @if let Some(description) = &page.description {
                section #summary { h2 { "Summary" } p.description { (description) } }
            }
            (phenotypes(namespace, page))
            @if !page.inheritance.is_empty() || !page.course.is_empty() {
                (statements(namespace, page, "course", "Inheritance and course", &[&page.inheritance, &page.course]))
            }
            (statements(namespace, page, "treatments", "Treatments", &[&page.treatments]))
            (statements(namespace, page, "conditions", "Associated conditions", &[&page.conditions]))
            @if !page.named_by.is_empty() {
                section #named-by {
                    h2 { "Named as an associated condition by" }
                    ul { @for d in &page.named_by { li { (named_link(namespace, d)) } } }
                }
            }
            (prevalence(namespace, page))
            (references(namespace, page))
            (sections(namespace, page))
            @if !page.warnings.is_empty() {
                section #warnings {
                    h2 { "Reading warnings" }
                    ul { @for w in &page.warnings { li { (w) } } }
                }
            }
            @if !page.see_also.is_empty() {
                section #see-also {
                    h2 { "Other resources" }
                    ul { @for r in &page.see_also { li { (named_link(namespace, r)) (out_link(namespace, r.iri.as_str())) } } }
                }
            }
        }
    };
    layout(&page.label, &body)
}

fn graph_link(graph: &NamedNode) -> String {
    format!("/store?graph={}", form_urlencoded::byte_serialize(graph.as_str().as_bytes()).collect::<String>())
}

fn heading(namespace: &Namespace, page: &DiseasePage) -> Markup {
    let here = href(namespace, page.iri.as_str());
    html! {
        p.kind { "Disease" }
        h1 { (page.label) }
        p.ids {
            span.curie { (short(namespace, page.iri.as_str())) }
            @if let Some(source) = &page.source { " · source page" (out_link(namespace, source.as_str())) }
        }
        p.formats {
            "This page as " a href={ (here) "?format=ttl" } { "Turtle" } ", "
            a href={ (here) "?format=jsonld" } { "JSON-LD" }
            @if let Some((_, graph)) = &page.page { "; its " a href=(graph_link(graph)) { "page graph" } }
        }
    }
}

fn names(namespace: &Namespace, page: &DiseasePage) -> Markup {
    html! {
        section #names {
            h2 { "Names and identifiers" }
            dl {
                @if !page.synonyms.is_empty() {
                    dt { "Synonyms" }
                    dd { ul.synonyms { @for s in &page.synonyms { li.synonym { (s) } } } }
                }
                dt { "Identifiers" }
                dd {
                    ul.xrefs {
                        li { span.curie { (short(namespace, page.iri.as_str())) } (out_link(namespace, page.iri.as_str())) }
                        @for x in &page.xrefs {
                            li.xref {
                                (term_link(namespace, x, None)) (out_link(namespace, x.as_str()))
                                @if page.exact.contains(x) { " " span.badge title="skos:exactMatch" { "same disease" } }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn phenotypes(namespace: &Namespace, page: &DiseasePage) -> Markup {
    let negated = page.phenotypes.iter().filter(|p| p.negated).count();
    html! {
        section #phenotypes {
            h2 { "Phenotypes " span.count { "(" (page.phenotypes.len()) @if negated > 0 { ", " (negated) " stated absent" } ")" } }
            @if page.phenotypes.is_empty() { p.empty { "The page names no phenotype that gardkg recognized." } }
            @else {
                div.table-wrap {
                    table.phenotypes {
                        thead { tr {
                            th scope="col" { "Phenotype (HPO)" } th scope="col" { "Frequency" } th scope="col" { "Onset" }
                            th scope="col" { "Evidence" } th scope="col" { "Supporting text" } th scope="col" { "References" }
                        } }
                        tbody {
                            @for p in &page.phenotypes {
                                tr class=[p.negated.then_some("negated")] id=(fragment(&p.iri)) {
                                    td {
                                        @if p.negated { span.not title="biolink:negated true: the page says it is absent" { "NOT " } }
                                        (named_link(namespace, &p.term)) (out_link(namespace, p.term.iri.as_str()))
                                    }
                                    td { (frequency(namespace, p)) }
                                    td { @if let Some(o) = &p.onset { (named_link(namespace, o)) } }
                                    td {
                                        @if let Some(e) = &p.evidence {
                                            a.term href=(href(namespace, e.iri.as_str())) title=(e.text()) { (short(namespace, e.iri.as_str())) }
                                        }
                                    }
                                    td {
                                        (sentences(&p.sentences))
                                        @for section in &p.sections {
                                            a.section-link href=(href(namespace, section.as_str())) title=(section.as_str()) { "§ " (fragment(section)) }
                                            " "
                                        }
                                    }
                                    td { (citations(page, &p.references)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A list of statements (treatments, conditions, inheritance and course) with their sentences and references.
fn statements(namespace: &Namespace, page: &DiseasePage, id: &str, title: &str, lists: &[&Vec<Statement>]) -> Markup {
    let count: usize = lists.iter().map(|l| l.len()).sum();
    html! {
        section id=(id) {
            h2 { (title) " " span.count { "(" (count) ")" } }
            @if count == 0 { p.empty { "None recognized." } }
            ul.statements {
                @for s in lists.iter().flat_map(|l| l.iter()) {
                    li id=(fragment(&s.iri)) {
                        @if s.negated { span.not { "NOT " } }
                        (named_link(namespace, &s.term)) (out_link(namespace, s.term.iri.as_str()))
                        @if let Some(aspect) = &s.aspect { " " span.badge title="HPO annotation aspect" { "aspect " (aspect) } }
                        @else if let Some(p) = &s.predicate { " " span.badge { (short(namespace, p.as_str())) } }
                        @if s.unresolved { " " span.badge title="no ontology term has this exact name" { "unresolved" } }
                        (sentences(&s.sentences)) (citations(page, &s.references))
                    }
                }
            }
        }
    }
}

fn prevalence(namespace: &Namespace, page: &DiseasePage) -> Markup {
    html! {
        section #prevalence {
            h2 { "Prevalence" }
            @if page.prevalence.is_empty() { p.empty { "No figure recognized." } }
            @for p in &page.prevalence {
                div.prevalence id=(fragment(&p.iri)) {
                    p.range { (p.min.as_deref().map(number).unwrap_or_default()) " % to " (p.max.as_deref().map(number).unwrap_or_default()) " %" }
                    (sentences(&p.sentences)) (citations(page, &p.references))
                    @for s in &p.sections { p.source { "Source: " a href=(href(namespace, s.as_str())) { (short(namespace, s.as_str())) } } }
                }
            }
        }
    }
}

fn references(namespace: &Namespace, page: &DiseasePage) -> Markup {
    html! {
        section #references {
            h2 { "References " span.count { "(" (page.references.len()) ")" } }
            @if page.references.is_empty() { p.empty { "None." } }
            ol.references {
                @for (i, r) in page.references.iter().enumerate() {
                    li id={ "ref-" (i + 1) } {
                        @if let Some(citation) = &r.citation { span.citation { (citation) } }
                        @else if let Some(title) = &r.title { span.citation { (title) } }
                        " " (term_link(namespace, &r.iri, None)) (out_link(namespace, r.iri.as_str()))
                        @if let Some(url) = &r.url {
                            @if external_url(url.as_str()).map(|u| u.0) != external_url(r.iri.as_str()).map(|u| u.0) { (out_link(namespace, url.as_str())) }
                        }
                    }
                }
            }
        }
    }
}

fn sections(namespace: &Namespace, page: &DiseasePage) -> Markup {
    html! {
        @if !page.sections.is_empty() {
            section #sections {
                h2 { "Sections of the page" }
                table.sections {
                    thead { tr { th scope="col" { "Section" } th scope="col" { "Heading" } th scope="col" { "Last updated" } } }
                    tbody {
                        @for s in &page.sections {
                            tr {
                                td { a href=(href(namespace, s.iri.as_str())) { (s.kind) } }
                                td { (s.heading.as_deref().unwrap_or("")) }
                                td { @if let Some(date) = &s.modified { time datetime=(date) { (date) } } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The anchor of a node on its page: the last segment of its IRI.
fn fragment(iri: &NamedNode) -> String {
    iri.as_str().rsplit(['/', '#']).next().unwrap_or_default().to_owned()
}

/// Any other resource: its statements, parts, incoming links and graphs.
pub fn resource(namespace: &Namespace, view: &ResourceView) -> Answer {
    let title = view.label.clone().unwrap_or_else(|| short(namespace, view.iri.as_str()));
    let here = href(namespace, view.iri.as_str());
    let with_format =
        |f: &str| if here.contains('?') { format!("{here}&format={f}") } else { format!("{here}?format={f}") };
    let body = html! {
        article.resource {
            h1 { (title) }
            p.ids { code.iri-full { (view.iri.as_str()) } (out_link(namespace, view.iri.as_str())) }
            p.formats {
                "As " a href=(with_format("ttl")) { "Turtle" } ", " a href=(with_format("jsonld")) { "JSON-LD" }
                @if view.is_graph { "; the graph's triples: " a href=(graph_link(&view.iri)) { "/store?graph=…" } }
            }
            @if !view.properties.is_empty() {
                section #statements {
                    h2 { "Statements" }
                    (properties(namespace, &view.properties))
                }
            }
            @for (part, props) in &view.parts {
                section.part id=(fragment(part)) {
                    h2 { (short(namespace, part.as_str())) }
                    (properties(namespace, props))
                }
            }
            @if !view.incoming.is_empty() {
                section #incoming {
                    h2 { "Pointing here" }
                    table.properties {
                        tbody {
                            @for (subject, predicate, label) in &view.incoming {
                                tr {
                                    td { @match subject {
                                        NamedOrBlankNode::NamedNode(n) => (term_link(namespace, n, label.as_deref())),
                                        NamedOrBlankNode::BlankNode(b) => span.bnode { "_:" (b.as_str()) },
                                    } }
                                    td { span.curie { (short(namespace, predicate.as_str())) } }
                                }
                            }
                        }
                    }
                    @if view.more_incoming { p.notice { "Only the first " (ResourceView::MAX_INCOMING) " are listed: query the endpoint for the rest." } }
                }
            }
            @if !view.graphs.is_empty() {
                section #graphs {
                    h2 { "In graphs" }
                    ul { @for g in &view.graphs { li { a href=(href(namespace, g.as_str())) { (short(namespace, g.as_str())) } } } }
                }
            }
        }
    };
    layout(&title, &body)
}

fn properties(namespace: &Namespace, props: &[(NamedNode, Term, Option<String>)]) -> Markup {
    html! {
        table.properties {
            tbody {
                @for (predicate, object, label) in props {
                    tr {
                        th scope="row" { a href=(href(namespace, predicate.as_str())) title=(predicate.as_str()) { (short(namespace, predicate.as_str())) } }
                        td { (term_value(namespace, object, label.as_deref())) }
                    }
                }
            }
        }
    }
}

/// The search page: a search form holding the text, and the hits, each a link to its page here and out.
pub fn search(namespace: &Namespace, text: &str, hits: &[Hit]) -> Answer {
    let body = html! {
        h1 { "Find a disease" }
        form.search-page role="search" action="/search" method="get" {
            label for="q" { "Name, synonym or identifier (typos, word order and case forgiven)" }
            " "
            input #q name="q" type="search" value=(text) spellcheck="false";
            " "
            button type="submit" { "Search" }
        }
        @if !text.is_empty() {
            @if hits.is_empty() {
                p.muted { "No disease matches “" (text) "”." }
            } @else {
                p.muted { (hits.len()) @if hits.len() == 1 { " match" } @else { " matches" } " for “" (text) "”" }
                table.search-hits {
                    thead { tr { th { "#" } th { "Disease" } th { "Identifier" } th { "Matched" } th { "How" } } }
                    tbody {
                        @for (rank, hit) in hits.iter().enumerate() {
                            tr {
                                td { (rank + 1) }
                                td { a.term href=(href(namespace, &hit.iri)) title=(hit.iri) { (hit.label) } }
                                td { span.curie { (hit.id) } (out_link(namespace, &hit.iri)) }
                                td { (hit.matched) }
                                td { (hit.match_kind.name()) @if hit.kind == HitKind::Condition { " (condition, no page)" } }
                            }
                        }
                    }
                }
            }
        }
    };
    let title = if text.is_empty() { "Search".to_owned() } else { format!("Search: {text}") };
    layout(&title, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_iris_become_links_out() {
        assert_eq!(
            external_url("http://www.orpha.net/ORDO/Orphanet_331235").unwrap().0,
            "https://www.orpha.net/en/disease/detail/331235"
        );
        assert_eq!(
            external_url("http://www.ncbi.nlm.nih.gov/pubmed/28730517").unwrap().0,
            "https://pubmed.ncbi.nlm.nih.gov/28730517/"
        );
        assert_eq!(external_url("https://example.org/a").unwrap().0, "https://example.org/a");
        assert!(external_url("javascript:alert(1)").is_none());
        assert!(external_url("data:text/html,<script>alert(1)</script>").is_none());
        assert!(external_url("urn:isbn:123").is_none());
    }

    #[test]
    fn values_are_escaped_and_bad_iris_are_not_links() {
        let ns = Namespace::default();
        let markup = term_value(
            &ns,
            &Term::from(oxigraph::model::Literal::new_simple_literal("<script>alert(1)</script>")),
            None,
        );
        assert_eq!(markup.into_string(), "<span class=\"literal\">&lt;script&gt;alert(1)&lt;/script&gt;</span>");
        let evil = NamedNode::new("javascript:alert(1)").unwrap();
        let markup = term_value(&ns, &Term::from(evil), Some("\"><img src=x onerror=alert(1)>")).into_string();
        assert!(!markup.contains("href=\"javascript"), "{markup}");
        assert!(!markup.contains("<img"), "{markup}");
        assert!(markup.contains("&lt;img"), "{markup}");
    }
}
