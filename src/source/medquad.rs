//! Reader for `MedQuAD` GARD question/answer XML (`../shared/corpus/medquad-gard`).
//!
//! A `MedQuAD` document is one GARD page rewritten as question/answer pairs:
//!
//! ```text
//! <Document id=".." url="https://rarediseases.info.nih.gov/gard/335/...">
//!   <Focus>title</Focus>
//!   <FocusAnnotations><UMLS><CUIs><CUI>C..</CUI></CUIs>..</UMLS><Synonyms><Synonym>..</Synonym></Synonyms>
//!   </FocusAnnotations>
//!   <QAPairs><QAPair><Question qtype="symptoms">..</Question><Answer>..</Answer></QAPair>..</QAPairs>
//! </Document>
//! ```
//!
//! Each answer becomes a [`Section`] whose text is the answer exactly as written. Answers usually open by
//! repeating a question; that question is kept in the text but gets no sentence. Sign-and-symptom tables that
//! `MedQuAD` flattened into prose are parsed back into [`TableRow`]s, and the table region gets no sentences.

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};

use crate::page::{
    GardId, IdOrigin, Page, Paragraph, ParagraphKind, Section, SectionKind, Source, TableRow, Warning, WarningCode,
};
use crate::source::{SourceError, gard_id_from_url, sentences};

/// The words that open a flattened HPO sign-and-symptom table.
pub const TABLE_START: &str = "Signs and Symptoms Approximate number of patients (when available)";
/// The words that follow the last row of a flattened table.
pub const TABLE_END: &str = "The Human Phenotype Ontology (HPO) has collected";

/// Reads a `MedQuAD` GARD document.
///
/// Errors: malformed or truncated XML gives [`SourceError::Malformed`] with the line of the problem; a
/// well-formed document without a `<Document>` root is also `Malformed`; a missing or empty `<Focus>` gives
/// [`SourceError::NoTitle`].
pub fn read(text: &str, mut source: Source) -> Result<Page, SourceError> {
    let doc = parse_xml(text, &source.location)?;
    let Some(title) = doc.focus.as_deref().map(str::trim).filter(|t| !t.is_empty()) else {
        let reason = if doc.focus.is_some() { "the <Focus> element is empty" } else { "no <Focus> element" };
        return Err(SourceError::NoTitle { location: source.location, reason: reason.into() });
    };
    let title = title.to_owned();
    let mut warnings = doc.warnings;

    let url = doc.url.map(|u| u.trim().to_owned()).filter(|u| !u.is_empty());
    // No warning when the url holds no id: the caller may still know it (`--gard-id`, file name, Mondo title).
    let gard_id = url.as_deref().and_then(gard_id_from_url).map(|number| GardId { number, origin: IdOrigin::Url });
    source.url = url;

    let mut identifiers: Vec<String> = Vec::new();
    for cui in &doc.cuis {
        let curie = format!("UMLS:{}", cui.trim());
        if cui.trim().is_empty() || identifiers.contains(&curie) {
            continue;
        }
        identifiers.push(curie);
    }
    let mut synonyms: Vec<String> = Vec::new();
    for synonym in &doc.synonyms {
        let synonym = synonym.trim();
        if synonym.is_empty()
            || synonym.to_lowercase() == title.to_lowercase()
            || synonyms.iter().any(|s| s.to_lowercase() == synonym.to_lowercase())
        {
            continue;
        }
        synonyms.push(synonym.to_owned());
    }

    let mut sections = Vec::new();
    for qa in doc.pairs {
        if let Some(section) = build_section(qa, &mut warnings) {
            sections.push(section);
        }
    }

    Ok(Page {
        source,
        gard_id,
        title,
        synonyms,
        identifiers,
        sections,
        references: Vec::new(),
        resources: Vec::new(),
        warnings,
    })
}

/// The kind of section a `MedQuAD` `qtype` stands for, or `None` when it is not one of the six GARD types.
pub fn section_kind(qtype: &str) -> Option<SectionKind> {
    match qtype.trim().to_ascii_lowercase().as_str() {
        "information" => Some(SectionKind::Summary),
        "symptoms" => Some(SectionKind::Symptoms),
        "causes" => Some(SectionKind::Cause),
        "inheritance" => Some(SectionKind::Inheritance),
        "treatment" => Some(SectionKind::Treatment),
        "exams and tests" => Some(SectionKind::Diagnosis),
        _ => None,
    }
}

/// One question/answer pair as read from the XML.
#[derive(Debug, Default)]
struct QaPair {
    qtype: Option<String>,
    question: Option<String>,
    answer: Option<String>,
    /// 1-based line of the `<Answer>` start tag (or of the `<QAPair>` when there is no answer).
    line: usize,
}

/// The parts of a `MedQuAD` document the reader keeps.
#[derive(Debug, Default)]
struct Document {
    url: Option<String>,
    focus: Option<String>,
    cuis: Vec<String>,
    synonyms: Vec<String>,
    pairs: Vec<QaPair>,
    warnings: Vec<Warning>,
}

/// Elements whose text the reader keeps.
const TEXT_ELEMENTS: &[&str] = &["Focus", "CUI", "Synonym", "Question", "Answer"];
/// Elements the reader knows and deliberately ignores (their text is structure or not needed).
const KNOWN_ELEMENTS: &[&str] = &[
    "Document",
    "FocusAnnotations",
    "UMLS",
    "CUIs",
    "SemanticTypes",
    "SemanticType",
    "SemanticGroup",
    "Synonyms",
    "QAPairs",
    "QAPair",
];

/// Streams the XML into a [`Document`], checking well-formedness (including truncation).
fn parse_xml(text: &str, location: &str) -> Result<Document, SourceError> {
    let malformed = |byte: u64, reason: String| SourceError::Malformed {
        location: location.to_owned(),
        line: line_at(text, usize::try_from(byte).unwrap_or(usize::MAX)),
        reason,
    };
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut state = Collector::default();
    loop {
        let before = reader.buffer_position();
        let event =
            reader.read_event().map_err(|e| malformed(reader.error_position(), format!("malformed XML: {e}")))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let line = line_at(text, usize::try_from(before).unwrap_or(usize::MAX));
                let is_empty = matches!(event, Event::Empty(_));
                state.start(e, is_empty, line, &reader).map_err(|reason| malformed(before, reason))?;
            }
            Event::End(e) => state.end(e.name().as_ref()),
            Event::Text(t) => {
                if state.collecting() {
                    let value = t.xml10_content().map_err(|e| malformed(before, format!("bad text encoding: {e}")))?;
                    state.buf.push_str(&value);
                } else if state.stack.is_empty() && !t.iter().all(u8::is_ascii_whitespace) {
                    return Err(malformed(before, "text outside the <Document> element".to_owned()));
                }
            }
            Event::CData(t) => {
                if state.collecting() {
                    state.buf.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::GeneralRef(r) => {
                let resolved = resolve_reference(&r).map_err(|reason| malformed(before, reason))?;
                if state.collecting() {
                    state.buf.push_str(&resolved);
                }
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if let Some((name, line)) = state.stack.last() {
        return Err(SourceError::Malformed {
            location: location.to_owned(),
            line: line_at(text, text.len()),
            reason: format!("the document ends inside <{name}> (opened at line {line}): the file is truncated"),
        });
    }
    if !state.seen_document {
        return Err(SourceError::Malformed {
            location: location.to_owned(),
            line: 1,
            reason: "not a MedQuAD document: no <Document> element".to_owned(),
        });
    }
    Ok(state.doc)
}

/// The state of the streaming parse.
#[derive(Default)]
struct Collector {
    doc: Document,
    seen_document: bool,
    /// Open elements: name and the line of their start tag.
    stack: Vec<(String, usize)>,
    /// The text of the innermost kept element so far.
    buf: String,
    current: Option<QaPair>,
    /// Unknown element names already reported.
    skipped: Vec<String>,
}

impl Collector {
    /// Whether text at this point belongs to an element the reader keeps.
    fn collecting(&self) -> bool {
        self.stack.last().is_some_and(|(name, _)| TEXT_ELEMENTS.contains(&name.as_str()))
    }

    fn start(&mut self, e: &BytesStart<'_>, is_empty: bool, line: usize, reader: &Reader<&[u8]>) -> Result<(), String> {
        let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
        let attribute = |key: &[u8]| -> Result<Option<String>, String> {
            for attr in e.attributes() {
                let attr = attr.map_err(|err| format!("bad attribute in <{name}>: {err}"))?;
                if attr.key.as_ref() == key {
                    let value = attr
                        .decode_and_unescape_value(reader.decoder())
                        .map_err(|err| format!("bad attribute in <{name}>: {err}"))?;
                    return Ok(Some(value.into_owned()));
                }
            }
            Ok(None)
        };
        if self.stack.is_empty() {
            if self.seen_document {
                return Err(format!("a second root element <{name}> after </Document>"));
            }
            if name != "Document" {
                return Err(format!("not a MedQuAD document: the root element is <{name}>, not <Document>"));
            }
            self.seen_document = true;
            self.doc.url = attribute(b"url")?;
        } else if name == "QAPair" {
            self.current = Some(QaPair { line, ..QaPair::default() });
        } else if name == "Question" {
            let qtype = attribute(b"qtype")?;
            let qa = self.current.get_or_insert_with(|| QaPair { line, ..QaPair::default() });
            qa.qtype = qtype;
            if is_empty {
                qa.question = Some(String::new());
            }
        } else if name == "Answer" {
            let qa = self.current.get_or_insert_with(|| QaPair { line, ..QaPair::default() });
            qa.line = line;
            if is_empty {
                qa.answer = Some(String::new());
            }
        } else if name == "Focus" && is_empty {
            self.doc.focus.get_or_insert_with(String::new);
        } else if !TEXT_ELEMENTS.contains(&name.as_str())
            && !KNOWN_ELEMENTS.contains(&name.as_str())
            && !self.skipped.contains(&name)
        {
            self.doc.warnings.push(Warning {
                code: WarningCode::Skipped,
                message: format!("unknown element <{name}> was not read"),
                section: None,
                line: Some(line),
            });
            self.skipped.push(name.clone());
        }
        if !is_empty {
            self.stack.push((name, line));
            self.buf.clear();
        }
        Ok(())
    }

    fn end(&mut self, name: &[u8]) {
        self.stack.pop();
        let value = std::mem::take(&mut self.buf);
        match name {
            b"Focus" if self.doc.focus.is_none() => self.doc.focus = Some(value),
            b"CUI" => self.doc.cuis.push(value),
            b"Synonym" => self.doc.synonyms.push(value),
            b"Question" => {
                if let Some(qa) = self.current.as_mut() {
                    qa.question = Some(value);
                }
            }
            b"Answer" => {
                if let Some(qa) = self.current.as_mut() {
                    qa.answer = Some(value);
                }
            }
            b"QAPair" => {
                if let Some(qa) = self.current.take() {
                    self.doc.pairs.push(qa);
                }
            }
            _ => {}
        }
    }
}

/// Resolves `&name;` and `&#N;`; any other entity is an error (`MedQuAD` declares none).
fn resolve_reference(r: &BytesRef<'_>) -> Result<String, String> {
    let name = String::from_utf8_lossy(r).into_owned();
    if r.is_char_ref() {
        return match r.resolve_char_ref() {
            Ok(Some(c)) => Ok(c.to_string()),
            _ => Err(format!("invalid character reference &{name};")),
        };
    }
    match name.as_str() {
        "lt" => Ok("<".into()),
        "gt" => Ok(">".into()),
        "amp" => Ok("&".into()),
        "apos" => Ok("'".into()),
        "quot" => Ok("\"".into()),
        _ => Err(format!("unknown entity &{name};")),
    }
}

/// The 1-based line of a byte offset (clamped to the text).
fn line_at(text: &str, byte: usize) -> usize {
    let byte = byte.min(text.len());
    text.as_bytes()[..byte].split(|&b| b == b'\n').count()
}

/// Builds the section of one question/answer pair; `None` (with a warning) when the answer is empty.
fn build_section(qa: QaPair, warnings: &mut Vec<Warning>) -> Option<Section> {
    let qtype = qa.qtype.unwrap_or_default();
    let heading = qa.question.map(|q| q.trim().to_owned()).filter(|q| !q.is_empty());
    let kind = section_kind(&qtype).unwrap_or(SectionKind::Other);
    let text = qa.answer.unwrap_or_default();
    if text.trim().is_empty() {
        warnings.push(Warning {
            code: WarningCode::Skipped,
            message: format!("the answer to {:?} is empty", heading.as_deref().unwrap_or(&qtype)),
            section: Some(kind),
            line: Some(qa.line),
        });
        return None;
    }
    if kind == SectionKind::Other {
        warnings.push(Warning {
            code: WarningCode::UnknownSection,
            message: format!("unknown question type {qtype:?}; the answer is kept as an 'other' section"),
            section: Some(kind),
            line: Some(qa.line),
        });
    }

    let chars: Vec<char> = text.chars().collect();
    let mut body_start = skip_space(&chars, 0);
    if let Some(end) = leading_question(&chars, body_start) {
        body_start = skip_space(&chars, end);
    }

    // Prose ranges: the body minus the flattened table, which is not prose.
    let mut prose: Vec<(usize, usize)> = Vec::new();
    let mut table = Vec::new();
    match find_table(&text) {
        Some(found) => {
            let (header_start, rows_start) = (found.header_start.max(body_start), found.rows_start.max(body_start));
            prose.push((body_start, header_start));
            let rows_end = found.end_marker.unwrap_or(chars.len());
            let parsed = parse_table(&chars, rows_start, rows_end);
            table = parsed.rows;
            if found.end_marker.is_none() {
                warnings.push(Warning {
                    code: WarningCode::Skipped,
                    message: format!(
                        "the sign-and-symptom table has no end marker ({TABLE_END:?}); {} rows were read up to the \
                         end of the answer",
                        table.len()
                    ),
                    section: Some(kind),
                    line: Some(qa.line),
                });
            }
            if let Some(rest) = parsed.dangling {
                warnings.push(Warning {
                    code: WarningCode::Skipped,
                    message: format!("the last table label {rest:?} has no frequency and was not read as a row"),
                    section: Some(kind),
                    line: Some(qa.line),
                });
            }
            if let Some(marker) = found.end_marker {
                prose.push((marker, chars.len()));
            }
        }
        None => prose.push((body_start, chars.len())),
    }

    let mut paragraphs = Vec::new();
    for (start, end) in prose {
        for (p_start, p_end) in blank_line_blocks(&chars, start, end) {
            let sentences = sentences::split(&chars, p_start, p_end);
            if sentences.is_empty() {
                continue;
            }
            paragraphs.push(Paragraph { kind: ParagraphKind::Prose, start: p_start, end: p_end, sentences });
        }
    }

    Some(Section { kind, heading, text, paragraphs, table, last_updated: None })
}

/// When the text at `start` opens with questions ("How is X diagnosed? Is testing needed?"), the offset just past
/// the last `?` of that run.
fn leading_question(chars: &[char], start: usize) -> Option<usize> {
    let mut end = None;
    for sentence in sentences::split(chars, start, chars.len()) {
        let expected = end.map_or(start, |e| skip_space(chars, e));
        if sentence.start != expected || !sentence.text.ends_with('?') {
            break;
        }
        end = Some(sentence.end);
    }
    end
}

/// Where a flattened table sits in an answer, in `char` offsets.
struct TableSpan {
    header_start: usize,
    rows_start: usize,
    end_marker: Option<usize>,
}

fn find_table(text: &str) -> Option<TableSpan> {
    let header = text.find(TABLE_START)?;
    let rows = header + TABLE_START.len();
    let end = text[rows..].find(TABLE_END).map(|i| rows + i);
    let to_chars = |byte: usize| text[..byte].chars().count();
    Some(TableSpan { header_start: to_chars(header), rows_start: to_chars(rows), end_marker: end.map(to_chars) })
}

/// The rows of a flattened table, and the trailing label without frequency, if any.
struct ParsedTable {
    rows: Vec<TableRow>,
    dangling: Option<String>,
}

/// Parses `label frequency label frequency ...` in `chars[start..end]`.
///
/// A frequency is one whole token (`90%`, `7.5%`, `25/25`, `-`) or the three tokens `N of M` that a few pages use
/// (`13 of 23`); everything between two frequencies is the label.
fn parse_table(chars: &[char], start: usize, end: usize) -> ParsedTable {
    let mut tokens: Vec<(usize, usize)> = Vec::new();
    let mut i = start;
    loop {
        while i < end && chars[i].is_whitespace() {
            i += 1;
        }
        if i >= end {
            break;
        }
        let token_start = i;
        while i < end && !chars[i].is_whitespace() {
            i += 1;
        }
        tokens.push((token_start, i));
    }
    let text = |(s, e): (usize, usize)| chars[s..e].iter().collect::<String>();
    let mut rows = Vec::new();
    // Start and end of the label tokens read since the last frequency.
    let mut label: Option<(usize, usize)> = None;
    let mut k = 0;
    while k < tokens.len() {
        let token = text(tokens[k]);
        let of_form =
            k + 2 < tokens.len() && is_count(&token) && text(tokens[k + 1]) == "of" && is_count(&text(tokens[k + 2]));
        let frequency = if of_form {
            k += 3;
            Some(Some(text((tokens[k - 3].0, tokens[k - 1].1))))
        } else if is_frequency(&token) {
            k += 1;
            Some((token != "-").then_some(token))
        } else {
            label = Some(label.map_or(tokens[k], |(l_start, _)| (l_start, tokens[k].1)));
            k += 1;
            None
        };
        if let (Some(frequency), Some((l_start, l_end))) = (frequency, label) {
            rows.push(TableRow { label: text((l_start, l_end)), frequency, start: l_start, end: l_end });
            label = None;
        }
    }
    let dangling = label.map(text);
    ParsedTable { rows, dangling }
}

fn is_count(token: &str) -> bool {
    !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit())
}

/// Whether a whitespace-separated token is a table frequency: `90%`, `7.5%`, `25/25` or `-`.
pub fn is_frequency(token: &str) -> bool {
    fn number(s: &str) -> bool {
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
    }
    if token == "-" {
        return true;
    }
    if let Some(percent) = token.strip_suffix('%') {
        return match percent.split_once('.') {
            Some((whole, fraction)) => number(whole) && number(fraction),
            None => number(percent),
        };
    }
    token.split_once('/').is_some_and(|(a, b)| number(a) && number(b))
}

/// Splits `start..end` on blank lines into trimmed, non-empty blocks.
fn blank_line_blocks(chars: &[char], start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut blocks = Vec::new();
    let mut block_start = start;
    let mut i = start;
    while i < end {
        if chars[i] == '\n' {
            // A blank line: a newline followed by only spaces and another newline.
            let mut j = i + 1;
            while j < end && chars[j] != '\n' && chars[j].is_whitespace() {
                j += 1;
            }
            if j < end && chars[j] == '\n' {
                push_trimmed(&mut blocks, chars, block_start, i);
                block_start = j + 1;
                i = j + 1;
                continue;
            }
        }
        i += 1;
    }
    push_trimmed(&mut blocks, chars, block_start, end);
    blocks
}

fn push_trimmed(blocks: &mut Vec<(usize, usize)>, chars: &[char], start: usize, end: usize) {
    let start = skip_space(chars, start).min(end);
    let mut end = end;
    while end > start && chars[end - 1].is_whitespace() {
        end -= 1;
    }
    if end > start {
        blocks.push((start, end));
    }
}

fn skip_space(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() && chars[i].is_whitespace() {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::SourceFormat;

    fn source(location: &str) -> Source {
        Source { format: SourceFormat::Medquad, location: location.into(), url: None, content_sha256: String::new() }
    }

    /// An imaginary disease in the `MedQuAD` layout, with invented wording.
    const KETTLE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Document id="0099999" source="GARD" url="https://rarediseases.info.nih.gov/gard/99999/kettle-fever">
<Focus>Kettle fever</Focus>
<FocusAnnotations>
	<UMLS>
		<CUIs>
			<CUI>C9999991</CUI>
			<CUI>C9999992</CUI>
			<CUI>C9999991</CUI>
		</CUIs>
		<SemanticTypes><SemanticType>T047</SemanticType></SemanticTypes>
		<SemanticGroup>Disorders</SemanticGroup>
	</UMLS>
	<Synonyms>
		<Synonym>Steam &amp; whistle disease</Synonym>
		<Synonym>kettle fever</Synonym>
		<Synonym>Boiling syndrome</Synonym>
		<Synonym>Boiling syndrome</Synonym>
	</Synonyms>
</FocusAnnotations>
<QAPairs>
	<QAPair pid="1">
		<Question qid="0099999-1" qtype="information">What is (are) Kettle fever ?</Question>
		<Answer>Kettle fever is an invented condition of teapots. It is said to &quot;whistle&quot; at night.</Answer>
	</QAPair>
	<QAPair pid="2">
		<Question qid="0099999-2" qtype="symptoms">What are the symptoms of Kettle fever ?</Question>
		<Answer>What are the signs and symptoms of Kettle fever? A made-up list follows for this test. Signs and Symptoms Approximate number of patients (when available) Aplasia/Hypoplasia of the lid 90% Fever 90% Type II steam leak 7.5% Abnormality of the 2nd spout 25/25 Short spout 13 of 23 Seizures - Hearing loss, mild (rare) - The Human Phenotype Ontology (HPO) has collected invented numbers here. Frequencies are rough.</Answer>
	</QAPair>
	<QAPair pid="3">
		<Question qid="0099999-3" qtype="exams and tests">How to diagnose Kettle fever ?</Question>
		<Answer>How is Kettle fever diagnosed? Is a test needed? Listening closely is the usual test.</Answer>
	</QAPair>
	<QAPair pid="4">
		<Question qid="0099999-4" qtype="susceptibility">Who is at risk for Kettle fever ?</Question>
		<Answer>Old kettles are at risk.</Answer>
	</QAPair>
	<QAPair pid="5">
		<Question qid="0099999-5" qtype="treatment">What are the treatments for Kettle fever ?</Question>
		<Answer></Answer>
	</QAPair>
</QAPairs>
</Document>
"#;

    fn span(section: &Section, start: usize, end: usize) -> String {
        section.text.chars().skip(start).take(end - start).collect()
    }

    #[test]
    fn reads_identity_of_the_page() {
        let page = read(KETTLE, source("kettle.xml")).unwrap();
        assert_eq!(page.title, "Kettle fever");
        assert_eq!(page.gard_id, Some(GardId { number: 99999, origin: IdOrigin::Url }));
        assert_eq!(page.source.url.as_deref(), Some("https://rarediseases.info.nih.gov/gard/99999/kettle-fever"));
        assert_eq!(page.identifiers, ["UMLS:C9999991", "UMLS:C9999992"]);
        assert_eq!(page.synonyms, ["Steam & whistle disease", "Boiling syndrome"]);
    }

    #[test]
    fn answers_become_sections_by_question_type() {
        let page = read(KETTLE, source("kettle.xml")).unwrap();
        let kinds: Vec<_> = page.sections.iter().map(|s| s.kind).collect();
        assert_eq!(kinds, [SectionKind::Summary, SectionKind::Symptoms, SectionKind::Diagnosis, SectionKind::Other]);
        let summary = page.section(SectionKind::Summary).unwrap();
        assert_eq!(summary.heading.as_deref(), Some("What is (are) Kettle fever ?"));
        assert_eq!(
            summary.text,
            "Kettle fever is an invented condition of teapots. It is said to \"whistle\" at night."
        );
        let texts: Vec<_> = page.sentences().map(|(_, s)| s.text.as_str()).take(2).collect();
        assert_eq!(texts, ["Kettle fever is an invented condition of teapots.", "It is said to \"whistle\" at night."]);
        // The unknown type is kept and reported; the empty treatment answer is reported, not silently dropped.
        let codes: Vec<_> = page.warnings.iter().map(|w| w.code).collect();
        assert_eq!(codes, [WarningCode::UnknownSection, WarningCode::Skipped]);
        assert!(page.warnings[0].message.contains("susceptibility"));
        assert!(page.warnings[1].message.contains("What are the treatments for Kettle fever ?"));
    }

    #[test]
    fn leading_question_gets_no_sentence_but_stays_in_text() {
        let page = read(KETTLE, source("kettle.xml")).unwrap();
        let diagnosis = page.section(SectionKind::Diagnosis).unwrap();
        assert!(diagnosis.text.starts_with("How is Kettle fever diagnosed? Is a test needed? "));
        let sentences: Vec<_> = diagnosis.paragraphs.iter().flat_map(|p| &p.sentences).collect();
        assert_eq!(sentences.len(), 1);
        assert_eq!(sentences[0].text, "Listening closely is the usual test.");
        assert_eq!(span(diagnosis, sentences[0].start, sentences[0].end), sentences[0].text);
    }

    #[test]
    fn flattened_table_becomes_rows_and_not_sentences() {
        let page = read(KETTLE, source("kettle.xml")).unwrap();
        let symptoms = page.section(SectionKind::Symptoms).unwrap();
        let rows: Vec<_> = symptoms.table.iter().map(|r| (r.label.as_str(), r.frequency.as_deref())).collect();
        assert_eq!(
            rows,
            [
                ("Aplasia/Hypoplasia of the lid", Some("90%")),
                ("Fever", Some("90%")),
                ("Type II steam leak", Some("7.5%")),
                ("Abnormality of the 2nd spout", Some("25/25")),
                ("Short spout", Some("13 of 23")),
                ("Seizures", None),
                ("Hearing loss, mild (rare)", None),
            ]
        );
        for row in &symptoms.table {
            assert_eq!(span(symptoms, row.start, row.end), row.label);
        }
        let sentences: Vec<_> =
            symptoms.paragraphs.iter().flat_map(|p| &p.sentences).map(|s| s.text.as_str()).collect();
        assert_eq!(
            sentences,
            [
                "A made-up list follows for this test.",
                "The Human Phenotype Ontology (HPO) has collected invented numbers here.",
                "Frequencies are rough."
            ]
        );
        assert_eq!(symptoms.paragraphs.len(), 2);
    }

    #[test]
    fn table_without_end_marker_is_read_and_reported() {
        let xml = KETTLE.replace("The Human Phenotype Ontology (HPO) has collected", "Trailing");
        let page = read(&xml, source("k.xml")).unwrap();
        let symptoms = page.section(SectionKind::Symptoms).unwrap();
        assert_eq!(symptoms.table.len(), 7);
        assert!(page.warnings.iter().any(|w| w.code == WarningCode::Skipped && w.message.contains("no end marker")));
        assert!(
            page.warnings
                .iter()
                .any(|w| w.message.contains("\"Trailing invented numbers here. Frequencies are rough.\""))
        );
    }

    #[test]
    fn detected_and_dispatched_as_medquad() {
        let options = crate::source::ReadOptions::default();
        let page = crate::source::read_bytes(KETTLE.as_bytes(), "0099999.xml", &options).unwrap();
        assert_eq!(page.source.format, SourceFormat::Medquad);
        assert_eq!(page.gard_id, Some(GardId { number: 99999, origin: IdOrigin::Url }));
    }

    #[test]
    fn frequency_tokens() {
        for yes in ["90%", "7.5%", "25/25", "-", "100%"] {
            assert!(is_frequency(yes), "{yes}");
        }
        for no in ["2nd", "II", "Aplasia/Hypoplasia", "%", ".5%", "5.%", "1/", "--", "a-b", "5"] {
            assert!(!is_frequency(no), "{no}");
        }
    }

    #[test]
    fn truncated_document_names_the_line() {
        let cut = &KETTLE[..KETTLE.find("<QAPair pid=\"3\">").unwrap()];
        let err = read(cut, source("cut.xml")).unwrap_err();
        let SourceError::Malformed { line, reason, location } = &err else { panic!("{err}") };
        assert_eq!(location, "cut.xml");
        assert_eq!(*line, cut.lines().count());
        assert!(reason.contains("<QAPairs>") && reason.contains("truncated"), "{reason}");
    }

    #[test]
    fn mismatched_tag_is_malformed_with_its_line() {
        let xml = "<?xml version=\"1.0\"?>\n<Document url=\"x\">\n<Focus>A</Focus>\n<QAPairs>\n</QAPair>\n</Document>";
        let err = read(xml, source("bad.xml")).unwrap_err();
        assert!(matches!(err, SourceError::Malformed { line: 5, .. }), "{err}");
        assert!(err.to_string().starts_with("bad.xml: line 5: malformed XML"), "{err}");
    }

    #[test]
    fn unknown_entity_is_malformed() {
        let xml = "<Document>\n<Focus>A &foo; B</Focus></Document>";
        let err = read(xml, source("e.xml")).unwrap_err();
        assert!(err.to_string().contains("line 2") && err.to_string().contains("&foo;"), "{err}");
    }

    #[test]
    fn not_medquad_and_no_title() {
        let err = read("<?xml version=\"1.0\"?>\n<svg><g/></svg>", source("s.xml")).unwrap_err();
        assert!(err.to_string().contains("not a MedQuAD document"), "{err}");
        let err = read("<?xml version=\"1.0\"?>\n<!-- nothing -->", source("s.xml")).unwrap_err();
        assert!(err.to_string().contains("no <Document>"), "{err}");
        let err = read("<Document><Focus>  </Focus></Document>", source("t.xml")).unwrap_err();
        assert!(matches!(err, SourceError::NoTitle { .. }), "{err}");
        let err = read("<Document><QAPairs/></Document>", source("t.xml")).unwrap_err();
        assert!(err.to_string().contains("no <Focus>"), "{err}");
    }

    #[test]
    fn missing_url_leaves_the_id_to_the_caller() {
        let page = read("<Document><Focus>Kettle fever</Focus></Document>", source("t.xml")).unwrap();
        assert_eq!((page.gard_id, page.source.url), (None, None));
        assert!(page.sections.is_empty() && page.warnings.is_empty());
    }

    #[test]
    fn garbage_and_every_prefix_never_panic() {
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
            let _ = read(&String::from_utf8_lossy(&bytes), source("p.xml"));
        }
        for end in (0..KETTLE.len()).filter(|&i| KETTLE.is_char_boundary(i)) {
            let _ = read(&KETTLE[..end], source("p.xml"));
        }
        for garbage in
            ["", "<", "<<>>", "&", "<Document", "<Document><Focus>x</Focus></Document><Document/>", "\u{feff}x"]
        {
            let _ = read(garbage, source("g.xml"));
        }
    }

    /// Every file of the real corpus reads; a few are checked fact by fact.
    #[test]
    fn shared_corpus() {
        let Some(shared) = std::env::var_os("GARDKG_SHARED") else { return };
        let dir = std::path::Path::new(&shared).join("corpus/medquad-gard");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "xml"))
            .collect();
        files.sort();
        assert!(files.len() >= 2385, "{} files in {}", files.len(), dir.display());
        let (mut tables, mut rows) = (0, 0);
        for file in &files {
            let location = file.display().to_string();
            let bytes = std::fs::read(file).unwrap();
            let text = crate::source::check_text(&bytes, &location).unwrap();
            let page = read(text, source(&location)).unwrap_or_else(|e| panic!("{e}"));
            assert!(!page.title.is_empty(), "{location}");
            assert!(page.gard_id.is_some(), "{location}");
            for section in &page.sections {
                for sentence in section.paragraphs.iter().flat_map(|p| &p.sentences) {
                    assert_eq!(span(section, sentence.start, sentence.end), sentence.text, "{location}");
                    assert!(!sentence.text.contains(TABLE_START), "{location}: table header in a sentence");
                }
                if !section.table.is_empty() {
                    tables += 1;
                }
                for row in &section.table {
                    rows += 1;
                    assert!(!row.label.is_empty() && !is_frequency(&row.label), "{location}: {row:?}");
                    assert_eq!(span(section, row.start, row.end), row.label, "{location}");
                }
            }
        }
        // Every table in the corpus has its end marker; row counts are a regression guard.
        assert_eq!(tables, 1943);
        assert_eq!(rows, 43_389);

        let read_one = |name: &str| {
            let path = dir.join(name);
            let location = path.display().to_string();
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{location}: {e}"));
            read(crate::source::check_text(&bytes, &location).unwrap(), source(&location)).unwrap()
        };
        let flynn = read_one("0002396.xml");
        assert_eq!(flynn.gard_id, Some(GardId { number: 2347, origin: IdOrigin::Url }));
        assert_eq!(flynn.title, "Flynn Aird syndrome");
        assert_eq!(flynn.identifiers, ["UMLS:C0343108"]);
        assert_eq!(flynn.synonyms.len(), 2);
        assert_eq!(flynn.synonyms[1], "Flynn-Aird syndrome");
        let symptoms = flynn.section(SectionKind::Symptoms).unwrap();
        assert_eq!(symptoms.table.len(), 41);
        assert_eq!(symptoms.table[0].label, "Aplasia/Hypoplasia of the skin");
        assert_eq!(symptoms.table[0].frequency.as_deref(), Some("90%"));
        let diabetes = symptoms.table.iter().find(|r| r.label == "Type II diabetes mellitus").unwrap();
        assert_eq!(diabetes.frequency.as_deref(), Some("7.5%"));
        let last = symptoms.table.last().unwrap();
        assert_eq!((last.label.as_str(), last.frequency.as_deref()), ("Rod-cone dystrophy", None));

        let abcd = read_one("0000004.xml");
        assert_eq!(abcd.gard_id.map(|g| g.number), Some(335));
        assert_eq!(abcd.title, "ABCD syndrome");
        assert_eq!(abcd.identifiers, ["UMLS:C1838099"]);
        let table = &abcd.section(SectionKind::Symptoms).unwrap().table;
        assert_eq!(table.len(), 7);
        assert!(table.iter().all(|r| r.frequency.is_none()));
        assert_eq!(table[1].label, "Aganglionic megacolon");
    }
}
