//! Streaming XML records as small element trees.
//!
//! The XML list readers (EU, UK, Dow Jones) stream a file with quick-xml and materialise one record at a
//! time (a `<sanctionEntity>`, a `<Designation>`, a `<Person>`) as a [`Node`] tree, so memory is bounded
//! by the largest record, not by the file. A node converts to JSON for the entity's `raw` field with every
//! attribute (as `@name`) and child element kept.

use super::ListEvent;
use crate::{Error, Result};
use quick_xml::events::{BytesStart, Event};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

/// One XML element with its attributes, children and text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Node {
    /// Local name (namespace prefix dropped).
    pub name: String,
    /// Attributes in document order (local names).
    pub attrs: Vec<(String, String)>,
    /// Child elements.
    pub children: Vec<Node>,
    /// Concatenated text content of this element (not of its children).
    pub text: String,
}

impl Node {
    /// A non-empty (trimmed) attribute value.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
    }

    /// The first child with this name.
    pub fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    /// All children with this name.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// All descendants reached by following `path` (each step a child name).
    pub fn descendants<'a>(&'a self, path: &[&'a str]) -> Vec<&'a Node> {
        let mut cur = vec![self];
        for step in path {
            cur = cur.into_iter().flat_map(|n| n.children_named(step)).collect();
        }
        cur
    }

    /// Trimmed non-empty text of this element.
    pub fn text(&self) -> Option<&str> {
        Some(self.text.trim()).filter(|t| !t.is_empty())
    }

    /// Trimmed non-empty text of the first child with this name.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).and_then(Node::text)
    }

    /// The element as JSON: attributes as `@name`, children by name (arrays when repeated), text as
    /// `#text` (or the element is just its text string when it has neither attributes nor children).
    /// Whitespace-only text between child elements is not kept.
    pub fn into_json(self) -> Value {
        if self.attrs.is_empty() && self.children.is_empty() {
            return Value::String(self.text);
        }
        let mut map = Map::new();
        for (mut k, v) in self.attrs {
            k.insert(0, '@');
            map.insert(k, Value::String(v));
        }
        for mut child in self.children {
            let name = std::mem::take(&mut child.name);
            let v = child.into_json();
            match map.get_mut(&name) {
                Some(Value::Array(arr)) => arr.push(v),
                Some(existing) => {
                    let prev = existing.take();
                    *existing = Value::Array(vec![prev, v]);
                }
                None => {
                    map.insert(name, v);
                }
            }
        }
        if !self.text.trim().is_empty() {
            map.insert("#text".into(), Value::String(self.text));
        }
        Value::Object(map)
    }
}

/// The event stream of an XML list: each record named in `tags` is handed to `convert`, which turns it
/// into entities and warnings; a fatal XML error ends the stream after being reported once. The one
/// event loop the EU, UK XML and Dow Jones readers share.
pub(crate) struct RecordEvents<F> {
    xml: XmlStream<BufReader<File>>,
    tags: &'static [&'static str],
    path: PathBuf,
    record: u64,
    pending: VecDeque<ListEvent>,
    failed: bool,
    convert: F,
}

impl<F> RecordEvents<F>
where
    F: FnMut(Node, &Path, u64, &mut VecDeque<ListEvent>),
{
    /// Streams the records named `tags` from `xml` (already past its root element).
    pub(crate) fn new(xml: XmlStream<BufReader<File>>, tags: &'static [&'static str], path: &Path, convert: F) -> Self {
        RecordEvents {
            xml,
            tags,
            path: path.to_path_buf(),
            record: 0,
            pending: VecDeque::new(),
            failed: false,
            convert,
        }
    }
}

impl<F> Iterator for RecordEvents<F>
where
    F: FnMut(Node, &Path, u64, &mut VecDeque<ListEvent>),
{
    type Item = Result<ListEvent>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(ev) = self.pending.pop_front() {
                return Some(Ok(ev));
            }
            if self.failed {
                return None;
            }
            match self.xml.next_record(self.tags) {
                Ok(Some(node)) => {
                    self.record += 1;
                    (self.convert)(node, &self.path, self.record, &mut self.pending);
                }
                Ok(None) => return None,
                Err(e) => {
                    self.failed = true;
                    return Some(Err(e));
                }
            }
        }
    }
}

/// A pull reader of records from an XML file.
pub(crate) struct XmlStream<R: BufRead> {
    reader: quick_xml::Reader<R>,
    buf: Vec<u8>,
    path: PathBuf,
    /// Element names from the root to the current position.
    stack: Vec<String>,
    /// The root element (attributes only), once seen.
    pub root: Option<Node>,
    done: bool,
}

impl XmlStream<BufReader<File>> {
    /// Opens a file for streaming.
    pub fn open(path: &Path) -> Result<Self> {
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        Ok(Self::new(BufReader::with_capacity(256 * 1024, file), path))
    }
}

impl<R: BufRead> XmlStream<R> {
    /// Wraps a buffered reader; `path` is used in errors.
    pub fn new(inner: R, path: &Path) -> Self {
        let mut reader = quick_xml::Reader::from_reader(inner);
        reader.config_mut().trim_text(false);
        XmlStream {
            reader,
            buf: Vec::with_capacity(8192),
            path: path.to_path_buf(),
            stack: Vec::new(),
            root: None,
            done: false,
        }
    }

    fn format_error(&self, reason: impl Into<String>) -> Error {
        Error::ListFormat { file: self.path.clone(), reason: reason.into() }
    }

    /// Reads up to (and including) the root element's start tag, returning it (attributes only).
    pub fn read_root(&mut self) -> Result<&Node> {
        while self.root.is_none() {
            if self.done {
                return Err(self.format_error("no XML root element (empty or not an XML file)"));
            }
            self.step(&[])?;
        }
        self.root.as_ref().ok_or_else(|| self.format_error("no XML root element"))
    }

    /// The next element named one of `names` (at any depth below the root), read with its whole subtree.
    /// `Ok(None)` at the end of the document.
    pub fn next_record(&mut self, names: &[&str]) -> Result<Option<Node>> {
        loop {
            if self.done {
                return Ok(None);
            }
            if let Some(node) = self.step(names)? {
                return Ok(Some(node));
            }
        }
    }

    /// Reads one event; returns a record when a start tag in `names` was read with its subtree.
    fn step(&mut self, names: &[&str]) -> Result<Option<Node>> {
        self.buf.clear();
        let ev = match self.reader.read_event_into(&mut self.buf) {
            Ok(ev) => ev.into_owned(),
            Err(e) => {
                self.done = true;
                return Err(self.format_error(format!("malformed XML at byte {}: {e}", self.reader.error_position())));
            }
        };
        match ev {
            Event::Start(start) => {
                let node = start_node(&start);
                if self.root.is_none() {
                    self.root = Some(node);
                    self.stack.push(local(&start));
                    return Ok(None);
                }
                if names.contains(&node.name.as_str()) {
                    let node = self.read_subtree(node)?;
                    return Ok(Some(node));
                }
                self.stack.push(node.name);
            }
            Event::Empty(start) => {
                let node = start_node(&start);
                if self.root.is_none() {
                    self.root = Some(node);
                    self.done = true;
                    return Ok(None);
                }
                if names.contains(&node.name.as_str()) {
                    return Ok(Some(node));
                }
            }
            Event::End(_) => {
                self.stack.pop();
                if self.stack.is_empty() {
                    self.done = true;
                }
            }
            Event::Eof => {
                self.done = true;
                if self.root.is_none() {
                    return Err(self.format_error("no XML root element (empty or not an XML file)"));
                }
                if let Some(open) = self.stack.last() {
                    return Err(self.format_error(format!("truncated XML: file ends inside <{open}>")));
                }
            }
            Event::Text(t) if self.root.is_none() && !t.iter().all(|b| b.is_ascii_whitespace()) => {
                self.done = true;
                return Err(self.format_error("not an XML file: text before the root element"));
            }
            _ => {}
        }
        Ok(None)
    }

    /// Reads the subtree of an element whose start tag was just read.
    fn read_subtree(&mut self, top: Node) -> Result<Node> {
        let mut stack: Vec<Node> = vec![top];
        loop {
            self.buf.clear();
            let ev = match self.reader.read_event_into(&mut self.buf) {
                Ok(ev) => ev,
                Err(e) => {
                    self.done = true;
                    let pos = self.reader.error_position();
                    return Err(self.format_error(format!("malformed XML at byte {pos}: {e}")));
                }
            };
            let bytes: &[u8] = match &ev {
                Event::Start(b) | Event::Empty(b) => b,
                Event::Text(t) => t,
                Event::CData(c) => c,
                _ => &[],
            };
            if std::str::from_utf8(bytes).is_err() {
                self.done = true;
                let at = self.reader.buffer_position();
                return Err(self.format_error(format!("not valid UTF-8 (near byte {at}); wrong encoding?")));
            }
            match ev {
                Event::Start(start) => stack.push(start_node(&start)),
                Event::Empty(start) => {
                    let node = start_node(&start);
                    if let Some(parent) = stack.last_mut() {
                        parent.children.push(node);
                    }
                }
                Event::End(_) => {
                    let Some(node) = stack.pop() else {
                        return Err(self.format_error("unbalanced XML end tag"));
                    };
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(node),
                        None => return Ok(node),
                    }
                }
                // Indentation between child elements is not content.
                Event::Text(t) if t.iter().all(u8::is_ascii_whitespace) => {}
                Event::Text(t) => {
                    let s = t.unescape().unwrap_or_else(|_| Cow::Owned(resolve_lossy(&t)));
                    if let Some(n) = stack.last_mut() {
                        n.text.push_str(&s);
                    }
                }
                Event::CData(c) => {
                    if let Some(n) = stack.last_mut() {
                        n.text.push_str(&String::from_utf8_lossy(&c));
                    }
                }
                Event::Eof => {
                    self.done = true;
                    let inner = stack.last().map(|n| n.name.clone()).unwrap_or_default();
                    return Err(self.format_error(format!("truncated XML: file ends inside <{inner}>")));
                }
                _ => {}
            }
        }
    }
}

/// Text with entities quick-xml does not know (HTML ones such as `&nbsp;`): decode the common ones,
/// keep others as written.
fn resolve_lossy(raw: &[u8]) -> String {
    let s = String::from_utf8_lossy(raw);
    quick_xml::escape::unescape_with(&s, |ent| match ent {
        "nbsp" => Some("\u{a0}"),
        "ndash" => Some("–"),
        "mdash" => Some("—"),
        "rsquo" => Some("’"),
        "lsquo" => Some("‘"),
        "ldquo" => Some("“"),
        "rdquo" => Some("”"),
        "hellip" => Some("…"),
        "eacute" => Some("é"),
        _ => None,
    })
    .map(|c| c.into_owned())
    .unwrap_or_else(|_| s.into_owned())
}

fn text_of(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

fn local(start: &BytesStart) -> String {
    text_of(start.local_name().as_ref())
}

fn start_node(start: &BytesStart) -> Node {
    let mut node = Node { name: local(start), attrs: Vec::new(), children: Vec::new(), text: String::new() };
    for attr in start.attributes().with_checks(false).flatten() {
        if attr.key.as_ref().starts_with(b"xmlns") {
            continue;
        }
        let key = text_of(attr.key.local_name().as_ref());
        let value = attr.unescape_value().map(Cow::into_owned).unwrap_or_else(|_| resolve_lossy(&attr.value));
        node.attrs.push((key, value));
    }
    node
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(xml: &str) -> XmlStream<&[u8]> {
        XmlStream::new(xml.as_bytes(), Path::new("t.xml"))
    }

    #[test]
    fn records_and_json() {
        let mut s =
            stream("<?xml version='1.0'?><root a='1'><x/><r id='7'><n>A &amp; B</n><n>C</n><e k=''/></r></root>");
        assert_eq!(s.read_root().unwrap().attr("a"), Some("1"));
        let r = s.next_record(&["r"]).unwrap().unwrap();
        assert_eq!(r.attr("id"), Some("7"));
        assert_eq!(r.children_named("n").count(), 2);
        assert_eq!(r.child_text("n"), Some("A & B"));
        assert_eq!(
            serde_json::to_string(&r.clone().into_json()).unwrap(),
            r#"{"@id":"7","n":["A & B","C"],"e":{"@k":""}}"#
        );
        assert!(s.next_record(&["r"]).unwrap().is_none());
    }

    #[test]
    fn truncated_and_garbage() {
        let mut s = stream("<root><r id='1'><n>A</n></r><r id='2'><n>B");
        assert!(s.next_record(&["r"]).unwrap().is_some());
        let err = s.next_record(&["r"]).unwrap_err().to_string();
        assert!(err.contains("truncated"), "{err}");
        let mut s = stream("hello, world");
        assert!(s.read_root().is_err());
        let mut s = stream("");
        assert!(s.read_root().is_err());
        let mut s = stream("<root><r></x></root>");
        assert!(s.next_record(&["r"]).is_err());
    }
}
