//! A streaming walk over an XML document for the list parsers.
//!
//! The list formats are record-shaped: leaf elements with text inside a record element.
//! The walk hands a visitor each element's opening (with its path and attributes) and
//! its closing (with its path and the text directly inside it, references resolved), so
//! a parser is a small state machine over paths and memory stays bounded by one record.
//! Namespaces are ignored (local names only): OFAC has published the same schema under
//! two namespaces, and the other lists use none.

use std::io::{self, BufRead, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::ListError;

/// Receives the elements of a document in order.
pub(crate) trait Visitor {
    /// An element opened; `path` ends with its local name.
    fn open(
        &mut self,
        path: &[String],
        attributes: &[(String, String)],
        line: usize,
    ) -> Result<(), ListError>;
    /// An element closed; `text` is the text directly inside it (not its children's).
    fn close(&mut self, path: &[String], text: &str, line: usize) -> Result<(), ListError>;
}

/// Counts the newlines the XML reader has consumed, so errors and warnings can name a line.
struct LineCounter<R> {
    inner: R,
    newlines: usize,
}

impl<R: BufRead> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.newlines += buf[..n].iter().filter(|&&b| b == b'\n').count();
        Ok(n)
    }
}

impl<R: BufRead> BufRead for LineCounter<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        // The bytes being consumed are the front of the current buffer: count them
        // before they go. fill_buf does not read again while the buffer holds data.
        if let Ok(buf) = self.inner.fill_buf() {
            let end = amt.min(buf.len());
            self.newlines += buf[..end].iter().filter(|&&b| b == b'\n').count();
        }
        self.inner.consume(amt);
    }
}

fn local_name(start: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(start.local_name().as_ref()).into_owned()
}

/// Walks `reader` to its end, calling `visitor` for every element. Malformed XML is an
/// error naming `file` and the line.
pub(crate) fn walk<R: BufRead>(
    reader: R,
    file: &str,
    visitor: &mut impl Visitor,
) -> Result<(), ListError> {
    let mut xml = Reader::from_reader(LineCounter {
        inner: reader,
        newlines: 0,
    });
    let mut buf = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    let err = |line: usize, message: String| {
        ListError::parse(file, format!("line {line}"), "XML", message)
    };

    loop {
        let event = xml.read_event_into(&mut buf);
        let line = xml.get_ref().newlines + 1;
        let event = match event {
            Ok(event) => event,
            Err(e) => return Err(err(line, e.to_string())),
        };
        match event {
            Event::Start(start) => {
                let attributes = attributes(&start, xml.decoder()).map_err(|m| err(line, m))?;
                path.push(local_name(&start));
                texts.push(String::new());
                visitor.open(&path, &attributes, line)?;
            }
            Event::Empty(start) => {
                let attributes = attributes(&start, xml.decoder()).map_err(|m| err(line, m))?;
                path.push(local_name(&start));
                visitor.open(&path, &attributes, line)?;
                visitor.close(&path, "", line)?;
                path.pop();
            }
            Event::End(_) => {
                let text = texts.pop().unwrap_or_default();
                visitor.close(&path, &text, line)?;
                path.pop();
            }
            Event::Text(t) => {
                let text = t.decode().map_err(|e| err(line, e.to_string()))?;
                if let Some(current) = texts.last_mut() {
                    // Whitespace between child elements is not content.
                    if !(current.is_empty() && text.trim().is_empty()) {
                        current.push_str(&text);
                    }
                }
            }
            Event::CData(c) => {
                let text = c.decode().map_err(|e| err(line, e.to_string()))?;
                if let Some(current) = texts.last_mut() {
                    current.push_str(&text);
                }
            }
            Event::GeneralRef(r) => {
                let resolved = if r.is_char_ref() {
                    match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        Ok(None) => String::new(),
                        Err(e) => return Err(err(line, e.to_string())),
                    }
                } else {
                    let name = r.decode().map_err(|e| err(line, e.to_string()))?;
                    match name.as_ref() {
                        "amp" => "&".to_string(),
                        "lt" => "<".to_string(),
                        "gt" => ">".to_string(),
                        "quot" => "\"".to_string(),
                        "apos" => "'".to_string(),
                        // Entities declared in a DTD are not expanded (no list uses them,
                        // and expansion is how entity-bomb documents attack parsers).
                        other => format!("&{other};"),
                    }
                };
                if let Some(current) = texts.last_mut() {
                    current.push_str(&resolved);
                }
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
        buf.clear();
    }
    if !path.is_empty() {
        return Err(err(
            xml.get_ref().newlines + 1,
            format!("the document ends inside <{}>", path.join("/")),
        ));
    }
    Ok(())
}

fn attributes(
    start: &BytesStart<'_>,
    decoder: quick_xml::encoding::Decoder,
) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| e.to_string())?;
        let key = String::from_utf8_lossy(attribute.key.local_name().as_ref()).into_owned();
        let value = attribute
            .decode_and_unescape_value(decoder)
            .map_err(|e| e.to_string())?;
        out.push((key, value.into_owned()));
    }
    Ok(out)
}
