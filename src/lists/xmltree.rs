//! Streaming XML records as small element trees.
//!
//! The XML list readers (EU, UK, Dow Jones) stream a file with quick-xml and materialise one record at a
//! time (a `<sanctionEntity>`, a `<Designation>`, a `<Person>`) as a [`Tree`], so memory is bounded by the
//! largest record, not by the file. The tree is flat and reused from one record to the next: its elements,
//! attributes and strings live in three buffers that are cleared, not freed, between records, so reading a
//! record allocates nothing once the buffers have grown to the largest record. A [`Node`] is a view of one
//! element; it converts to JSON for the entity's `raw` field with every attribute (as `@name`) and child
//! element kept.

use super::ListEvent;
use crate::{Error, Result};
use quick_xml::escape::unescape;
use quick_xml::events::{BytesStart, Event};
use serde_json::map::Entry;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, TrySendError};
use std::sync::Arc;
use std::thread::JoinHandle;

/// One record (or the root element): its elements in document order, the record element first.
#[derive(Debug, Default)]
pub(crate) struct Tree {
    elements: Vec<Element>,
    attrs: Vec<Attr>,
    /// Every element name, attribute name and value, and text of the record, one after the other.
    strings: String,
}

/// One element; ranges index `Tree::strings` (names, text) and `Tree::attrs`.
#[derive(Debug)]
struct Element {
    /// Local name (namespace prefix dropped).
    name: Range<usize>,
    /// Attributes in document order.
    attrs: Range<usize>,
    /// Concatenated text content of this element (not of its children).
    text: Range<usize>,
    first_child: Option<usize>,
    last_child: Option<usize>,
    next_sibling: Option<usize>,
    child_count: usize,
}

/// One attribute (local name); ranges index `Tree::strings`.
#[derive(Debug)]
struct Attr {
    name: Range<usize>,
    value: Range<usize>,
}

impl Tree {
    /// The record element (the root element, for the tree of a root).
    ///
    /// Panics on an empty tree; [`XmlStream`] only hands out trees holding an element.
    pub fn root(&self) -> Node<'_> {
        assert!(!self.elements.is_empty(), "empty XML tree");
        Node { tree: self, index: 0 }
    }

    /// The element at `index` (a record root returned by [`XmlStream::next_record_into`]).
    fn node(&self, index: usize) -> Node<'_> {
        Node { tree: self, index }
    }

    fn clear(&mut self) {
        self.elements.clear();
        self.attrs.clear();
        self.strings.clear();
    }

    fn push_str(&mut self, s: &str) -> Range<usize> {
        let start = self.strings.len();
        self.strings.push_str(s);
        start..self.strings.len()
    }

    /// `part`, bytes of the start tag whose text is `tag`, as text (invalid UTF-8 replaced).
    fn push_part(&mut self, tag: Option<&str>, part: &[u8]) -> Range<usize> {
        match tag.and_then(|tag| sub_str(tag, part)) {
            Some(s) => self.push_str(s),
            None => self.push_str(&String::from_utf8_lossy(part)),
        }
    }

    /// Adds the element of a start tag, with its attributes, as the last child of `parent`; returns its index.
    /// `tag` is the start tag as text when it is valid UTF-8: its names and values are then slices of it,
    /// not checked again.
    fn open(&mut self, start: &BytesStart, tag: Option<&str>, parent: Option<usize>) -> usize {
        let name = self.push_part(tag, start.local_name().as_ref());
        let first_attr = self.attrs.len();
        for attr in start.attributes().with_checks(false).flatten() {
            if attr.key.as_ref().starts_with(b"xmlns") {
                continue;
            }
            let name = self.push_part(tag, attr.key.local_name().as_ref());
            let unescaped = match tag.and_then(|tag| sub_str(tag, &attr.value)) {
                Some(raw) => unescape(raw).map_err(drop),
                None => attr.unescape_value().map_err(drop),
            };
            let value = match unescaped {
                Ok(v) => self.push_str(&v),
                Err(()) => self.push_str(&resolve_lossy(&attr.value)),
            };
            self.attrs.push(Attr { name, value });
        }
        let index = self.elements.len();
        self.elements.push(Element {
            name,
            attrs: first_attr..self.attrs.len(),
            text: 0..0,
            first_child: None,
            last_child: None,
            next_sibling: None,
            child_count: 0,
        });
        if let Some(parent) = parent {
            match self.elements[parent].last_child {
                Some(last) => self.elements[last].next_sibling = Some(index),
                None => self.elements[parent].first_child = Some(index),
            }
            self.elements[parent].last_child = Some(index);
            self.elements[parent].child_count += 1;
        }
        index
    }

    /// Appends text to an element's text.
    fn append_text(&mut self, index: usize, text: &str) {
        let mut range = self.elements[index].text.clone();
        if range.end != self.strings.len() {
            // Other strings follow this element's text (or it has none yet): copy it to the end, where it
            // can grow. Only text split around child elements is copied.
            let earlier = self.strings[range.clone()].to_string();
            range = self.push_str(&earlier);
        }
        self.strings.push_str(text);
        range.end = self.strings.len();
        self.elements[index].text = range;
    }

    /// Parses `xml` and keeps its first element named `name` (for tests).
    #[cfg(test)]
    pub(crate) fn parse(xml: &str, name: &str) -> Tree {
        let doc = format!("<doc>{xml}</doc>");
        let mut s = XmlStream::new(doc.as_bytes(), Path::new("test.xml"));
        s.read_root().expect("a root element");
        assert!(s.next_record(&[name]).expect("well-formed XML").is_some(), "no <{name}> in {xml}");
        std::mem::take(&mut s.record)
    }
}

/// One element of a [`Tree`]: its name, attributes, children and text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Node<'a> {
    tree: &'a Tree,
    index: usize,
}

impl<'a> Node<'a> {
    fn element(self) -> &'a Element {
        &self.tree.elements[self.index]
    }

    fn string(self, range: &Range<usize>) -> &'a str {
        &self.tree.strings[range.clone()]
    }

    /// Local name (namespace prefix dropped).
    pub fn name(self) -> &'a str {
        self.string(&self.element().name)
    }

    /// Whether the element's name is `name` (compared as bytes: the navigation methods compare many names).
    fn is_named(self, name: &str) -> bool {
        self.tree.strings.as_bytes().get(self.element().name.clone()) == Some(name.as_bytes())
    }

    /// Attributes (local names, values as written but unescaped) in document order.
    pub fn attrs(self) -> impl Iterator<Item = (&'a str, &'a str)> {
        let attrs = &self.tree.attrs[self.element().attrs.clone()];
        attrs.iter().map(move |a| (self.string(&a.name), self.string(&a.value)))
    }

    /// A non-empty (trimmed) attribute value (the first, should the element repeat the attribute).
    pub fn attr(self, name: &str) -> Option<&'a str> {
        self.attrs().find(|(k, _)| *k == name).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
    }

    /// Child elements in document order.
    pub fn children(self) -> impl Iterator<Item = Node<'a>> {
        let tree = self.tree;
        let first = self.element().first_child.map(|index| Node { tree, index });
        std::iter::successors(first, move |n| n.element().next_sibling.map(|index| Node { tree, index }))
    }

    /// The first child with this name.
    pub fn child(self, name: &str) -> Option<Node<'a>> {
        self.children().find(|c| c.is_named(name))
    }

    /// All children with this name.
    pub fn children_named(self, name: &'a str) -> impl Iterator<Item = Node<'a>> {
        self.children().filter(move |c| c.is_named(name))
    }

    /// All descendants reached by following `path` (each step a child name).
    pub fn descendants(self, path: &[&str]) -> Vec<Node<'a>> {
        let mut cur = vec![self];
        for step in path {
            cur = cur.into_iter().flat_map(|n| n.children().filter(move |c| c.is_named(step))).collect();
        }
        cur
    }

    /// The element's text as read (whitespace-only runs between child elements left out).
    fn raw_text(self) -> &'a str {
        self.string(&self.element().text)
    }

    /// Trimmed non-empty text of this element.
    pub fn text(self) -> Option<&'a str> {
        Some(self.raw_text().trim()).filter(|t| !t.is_empty())
    }

    /// Trimmed non-empty text of the first child with this name.
    pub fn child_text(self, name: &str) -> Option<&'a str> {
        self.child(name).and_then(Node::text)
    }

    /// The element as JSON: attributes as `@name`, children by name (arrays when repeated), text as
    /// `#text` (or the element is just its text string when it has neither attributes nor children).
    /// Whitespace-only text between child elements is not kept.
    pub fn to_json(self) -> Value {
        let element = self.element();
        if element.attrs.is_empty() && element.child_count == 0 {
            return Value::String(self.raw_text().to_string());
        }
        let mut map = Map::with_capacity(element.attrs.len() + element.child_count);
        for (name, value) in self.attrs() {
            let mut key = String::with_capacity(name.len() + 1);
            key.push('@');
            key.push_str(name);
            map.insert(key, Value::String(value.to_string()));
        }
        for child in self.children() {
            let value = child.to_json();
            match map.entry(child.name()) {
                Entry::Vacant(slot) => {
                    slot.insert(value);
                }
                Entry::Occupied(mut slot) => match slot.get_mut() {
                    Value::Array(arr) => arr.push(value),
                    existing => {
                        let prev = existing.take();
                        *existing = Value::Array(vec![prev, value]);
                    }
                },
            }
        }
        let text = self.raw_text();
        if !text.trim().is_empty() {
            map.insert("#text".into(), Value::String(text.to_string()));
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
    F: FnMut(Node<'_>, &Path, u64, &mut VecDeque<ListEvent>),
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
    F: FnMut(Node<'_>, &Path, u64, &mut VecDeque<ListEvent>),
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

/// Records per batch handed from the parsing thread of [`PipelinedRecordEvents`] to the reader.
const BATCH_RECORDS: usize = 64;
/// Batches that may wait in the channel (memory: a few batches, whatever the file size).
const BATCHES_IN_FLIGHT: usize = 4;

/// A batch of records parsed by the parsing thread of [`PipelinedRecordEvents`]: record trees not yet
/// converted, or (when that thread converted them itself, being ahead) their events; the fatal error that
/// ended the stream, if any, comes after them.
struct Batch {
    /// The records, one after the other.
    tree: Tree,
    /// Each record's element in `tree`, and its 1-based record number.
    records: Vec<(usize, u64)>,
    /// Events of records already converted.
    events: VecDeque<ListEvent>,
    error: Option<Error>,
}

impl Batch {
    fn new() -> Self {
        Batch { tree: Tree::default(), records: Vec::new(), events: VecDeque::new(), error: None }
    }

    /// Converts the records (in order) into `events`.
    fn convert<F>(&mut self, convert: &F, path: &Path)
    where
        F: Fn(Node<'_>, &Path, u64, &mut VecDeque<ListEvent>),
    {
        for &(root, record) in &self.records {
            convert(self.tree.node(root), path, record, &mut self.events);
        }
        self.records.clear();
        self.tree.clear();
    }
}

/// [`RecordEvents`] on two threads: a parsing thread reads the XML and cuts it into batches of record
/// trees, sent through a bounded channel; the thread pulling events converts them into entities, in
/// order. When the channel is full (the puller is the slower), the parsing thread converts the batch
/// itself before waiting, so the conversion work is shared out without reordering anything. The same
/// events, warnings (with their record numbers) and fatal error as [`RecordEvents`], in the same order.
///
/// Memory stays bounded by a few batches. Dropping the iterator early disconnects the channel: the
/// parsing thread stops at its next batch and is joined. A panic on the parsing thread is resumed on the
/// pulling thread.
pub(crate) struct PipelinedRecordEvents<F> {
    receiver: Option<Receiver<Batch>>,
    /// Emptied batches going back to the parsing thread, which reuses their buffers.
    recycle: Sender<Batch>,
    thread: Option<JoinHandle<()>>,
    path: PathBuf,
    /// The batch being converted, and the index of its next record.
    batch: Option<Batch>,
    next_record: usize,
    pending: VecDeque<ListEvent>,
    error: Option<Error>,
    convert: Arc<F>,
}

impl<F> PipelinedRecordEvents<F>
where
    F: Fn(Node<'_>, &Path, u64, &mut VecDeque<ListEvent>) + Send + Sync + 'static,
{
    /// Streams the records named `tags` from `xml` (already past its root element) on a parsing thread.
    pub(crate) fn new(
        mut xml: XmlStream<BufReader<File>>,
        tags: &'static [&'static str],
        path: &Path,
        convert: F,
    ) -> Result<Self> {
        let convert = Arc::new(convert);
        let (sender, receiver) = sync_channel::<Batch>(BATCHES_IN_FLIGHT);
        let (recycle, recycled) = channel::<Batch>();
        let (thread_convert, thread_path) = (Arc::clone(&convert), path.to_path_buf());
        let thread = std::thread::Builder::new()
            .name("saring-xml-records".into())
            .spawn(move || {
                let mut record = 0u64;
                loop {
                    let mut batch = recycled.try_recv().unwrap_or_else(|_| Batch::new());
                    let mut end = false;
                    while batch.records.len() < BATCH_RECORDS {
                        match xml.next_record_into(tags, &mut batch.tree) {
                            Ok(Some(root)) => {
                                record += 1;
                                batch.records.push((root, record));
                            }
                            Ok(None) => end = true,
                            Err(e) => batch.error = Some(e),
                        }
                        if end || batch.error.is_some() {
                            break;
                        }
                    }
                    end |= batch.error.is_some();
                    // A send fails only when the reader was dropped.
                    let sent = match sender.try_send(batch) {
                        Ok(()) => true,
                        Err(TrySendError::Full(mut batch)) => {
                            batch.convert(&*thread_convert, &thread_path);
                            sender.send(batch).is_ok()
                        }
                        Err(TrySendError::Disconnected(_)) => false,
                    };
                    if end || !sent {
                        return;
                    }
                }
            })
            .map_err(|e| Error::io(path, e))?;
        Ok(PipelinedRecordEvents {
            receiver: Some(receiver),
            recycle,
            thread: Some(thread),
            path: path.to_path_buf(),
            batch: None,
            next_record: 0,
            pending: VecDeque::new(),
            error: None,
            convert,
        })
    }
}

impl<F> Iterator for PipelinedRecordEvents<F>
where
    F: Fn(Node<'_>, &Path, u64, &mut VecDeque<ListEvent>),
{
    type Item = Result<ListEvent>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(ev) = self.pending.pop_front() {
                return Some(Ok(ev));
            }
            if let Some(e) = self.error.take() {
                return Some(Err(e));
            }
            if let Some(batch) = &mut self.batch {
                // One record at a time: the caller frees each entity before the next is made.
                if let Some(&(root, record)) = batch.records.get(self.next_record) {
                    self.next_record += 1;
                    (self.convert)(batch.tree.node(root), &self.path, record, &mut self.pending);
                    continue;
                }
                if let Some(mut batch) = self.batch.take() {
                    self.error = batch.error.take();
                    batch.records.clear();
                    batch.tree.clear();
                    let _ = self.recycle.send(batch);
                }
                continue;
            }
            let received = self.receiver.as_ref()?.recv();
            match received {
                Ok(mut batch) => {
                    // Events of records the parsing thread converted, if it did.
                    std::mem::swap(&mut self.pending, &mut batch.events);
                    self.batch = Some(batch);
                    self.next_record = 0;
                }
                Err(_) => {
                    // The parsing thread is done: the end of the records (or after its fatal error).
                    self.receiver = None;
                    if let Some(Err(panic)) = self.thread.take().map(JoinHandle::join) {
                        std::panic::resume_unwind(panic);
                    }
                    return None;
                }
            }
        }
    }
}

impl<F> Drop for PipelinedRecordEvents<F> {
    fn drop(&mut self) {
        // Disconnect first: a parsing thread waiting to send (or about to) then stops.
        self.receiver = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// What one top-level event of [`XmlStream::step`] turned out to be.
#[derive(PartialEq)]
enum Step {
    /// Nothing for the caller.
    Other,
    /// A record start tag: its subtree follows.
    RecordStart,
    /// A whole record (an empty element).
    Record,
}

/// A pull reader of records from an XML file.
pub(crate) struct XmlStream<R: BufRead> {
    reader: quick_xml::Reader<R>,
    buf: Vec<u8>,
    path: PathBuf,
    /// Element names from the root to the current position, outside records.
    stack: Vec<String>,
    /// The root element (attributes only), once seen.
    root: Tree,
    /// The last record read (or the batch of records being read, see [`XmlStream::next_record_into`]).
    record: Tree,
    /// Index in `record` of the element of the record being read.
    record_root: usize,
    /// Open elements of the record being read (indices in `record`).
    open: Vec<usize>,
    done: bool,
}

impl XmlStream<BufReader<File>> {
    /// Opens a file for streaming.
    pub fn open(path: &Path) -> Result<Self> {
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        Ok(Self::new(BufReader::with_capacity(256 * 1024, file), path))
    }
}

fn format_error(path: &Path, reason: impl Into<String>) -> Error {
    Error::ListFormat { file: path.to_path_buf(), reason: reason.into() }
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
            root: Tree::default(),
            record: Tree::default(),
            record_root: 0,
            open: Vec::new(),
            done: false,
        }
    }

    /// Reads up to (and including) the root element's start tag, returning it (attributes only).
    pub fn read_root(&mut self) -> Result<Node<'_>> {
        while self.root.elements.is_empty() {
            if self.done {
                return Err(format_error(&self.path, "no XML root element (empty or not an XML file)"));
            }
            self.step(&[], true)?;
        }
        Ok(self.root.root())
    }

    /// The next element named one of `names` (at any depth below the root), read with its whole subtree.
    /// `Ok(None)` at the end of the document.
    pub fn next_record(&mut self, names: &[&str]) -> Result<Option<Node<'_>>> {
        loop {
            if self.done {
                return Ok(None);
            }
            if self.step(names, true)? {
                return Ok(Some(self.record.root()));
            }
        }
    }

    /// Like [`next_record`](Self::next_record), but appends the record to `tree` (which may hold earlier
    /// records) instead of replacing the last one; returns the index of its element in `tree`. On an
    /// error, `tree` may end with part of a record that no returned index points to.
    pub fn next_record_into(&mut self, names: &[&str], tree: &mut Tree) -> Result<Option<usize>> {
        std::mem::swap(&mut self.record, tree);
        let result = loop {
            if self.done {
                break Ok(None);
            }
            match self.step(names, false) {
                Ok(true) => break Ok(Some(self.record_root)),
                Ok(false) => {}
                Err(e) => break Err(e),
            }
        };
        std::mem::swap(&mut self.record, tree);
        result
    }

    /// Reads one event; returns true when a start tag in `names` was read into `record` with its subtree
    /// (replacing the records there when `replace`, else after them).
    fn step(&mut self, names: &[&str], replace: bool) -> Result<bool> {
        let step = self.top_level_event(names, replace)?;
        if step == Step::RecordStart {
            self.read_subtree()?;
        }
        Ok(step != Step::Other)
    }

    /// Reads one event outside records; a record's start tag goes into `record`.
    fn top_level_event(&mut self, names: &[&str], replace: bool) -> Result<Step> {
        self.buf.clear();
        let ev = match self.reader.read_event_into(&mut self.buf) {
            Ok(ev) => ev,
            Err(e) => {
                self.done = true;
                let pos = self.reader.error_position();
                return Err(format_error(&self.path, format!("malformed XML at byte {pos}: {e}")));
            }
        };
        match ev {
            Event::Start(start) => {
                let tag = std::str::from_utf8(&start).ok();
                if self.root.elements.is_empty() {
                    self.root.open(&start, tag, None);
                    self.stack.push(text_of(start.local_name().as_ref()));
                    return Ok(Step::Other);
                }
                let name = String::from_utf8_lossy(start.local_name().into_inner());
                if names.contains(&name.as_ref()) {
                    if replace {
                        self.record.clear();
                    }
                    self.record_root = self.record.open(&start, tag, None);
                    return Ok(Step::RecordStart);
                }
                self.stack.push(name.into_owned());
            }
            Event::Empty(start) => {
                let tag = std::str::from_utf8(&start).ok();
                if self.root.elements.is_empty() {
                    self.root.open(&start, tag, None);
                    self.done = true;
                    return Ok(Step::Other);
                }
                let name = String::from_utf8_lossy(start.local_name().into_inner());
                if names.contains(&name.as_ref()) {
                    if replace {
                        self.record.clear();
                    }
                    self.record_root = self.record.open(&start, tag, None);
                    return Ok(Step::Record);
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
                if self.root.elements.is_empty() {
                    return Err(format_error(&self.path, "no XML root element (empty or not an XML file)"));
                }
                if let Some(open) = self.stack.last() {
                    return Err(format_error(&self.path, format!("truncated XML: file ends inside <{open}>")));
                }
            }
            Event::Text(t) if self.root.elements.is_empty() && !t.iter().all(|b| b.is_ascii_whitespace()) => {
                self.done = true;
                return Err(format_error(&self.path, "not an XML file: text before the root element"));
            }
            _ => {}
        }
        Ok(Step::Other)
    }

    /// Reads the subtree of the record whose start tag was just read into `record`.
    fn read_subtree(&mut self) -> Result<()> {
        self.open.clear();
        self.open.push(self.record_root);
        loop {
            self.buf.clear();
            let ev = match self.reader.read_event_into(&mut self.buf) {
                Ok(ev) => ev,
                Err(e) => {
                    self.done = true;
                    let pos = self.reader.error_position();
                    return Err(format_error(&self.path, format!("malformed XML at byte {pos}: {e}")));
                }
            };
            // The one UTF-8 check of a tag or text: what is read from it below is sliced from `text`.
            let text = match &ev {
                Event::Start(b) | Event::Empty(b) => std::str::from_utf8(b),
                Event::Text(t) => std::str::from_utf8(t),
                Event::CData(c) => std::str::from_utf8(c),
                _ => Ok(""),
            };
            let Ok(text) = text else {
                self.done = true;
                let at = self.reader.buffer_position();
                return Err(format_error(&self.path, format!("not valid UTF-8 (near byte {at}); wrong encoding?")));
            };
            let current = self.open.last().copied();
            match &ev {
                Event::Start(start) => {
                    let index = self.record.open(start, Some(text), current);
                    self.open.push(index);
                }
                Event::Empty(start) => {
                    self.record.open(start, Some(text), current);
                }
                Event::End(_) => {
                    self.open.pop();
                    if self.open.is_empty() {
                        return Ok(());
                    }
                }
                // Indentation between child elements is not content.
                Event::Text(t) if t.iter().all(u8::is_ascii_whitespace) => {}
                Event::Text(t) => {
                    let s = unescape(text).unwrap_or_else(|_| Cow::Owned(resolve_lossy(t)));
                    if let Some(index) = current {
                        self.record.append_text(index, &s);
                    }
                }
                Event::CData(_) => {
                    if let Some(index) = current {
                        self.record.append_text(index, text);
                    }
                }
                Event::Eof => {
                    self.done = true;
                    let inner = current.map(|index| Node { tree: &self.record, index }.name()).unwrap_or_default();
                    return Err(format_error(&self.path, format!("truncated XML: file ends inside <{inner}>")));
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

/// `part`, a slice of `whole`'s bytes, as the same slice of `whole` (`None` if it is not one).
fn sub_str<'a>(whole: &'a str, part: &[u8]) -> Option<&'a str> {
    let start = (part.as_ptr() as usize).checked_sub(whole.as_ptr() as usize)?;
    whole.get(start..start.checked_add(part.len())?)
}

fn text_of(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
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
        assert_eq!(r.name(), "r");
        assert_eq!(r.attr("id"), Some("7"));
        assert_eq!(r.children_named("n").count(), 2);
        assert_eq!(r.child_text("n"), Some("A & B"));
        assert_eq!(serde_json::to_string(&r.to_json()).unwrap(), r#"{"@id":"7","n":["A & B","C"],"e":{"@k":""}}"#);
        assert!(s.next_record(&["r"]).unwrap().is_none());
    }

    #[test]
    fn text_around_children_and_reuse() {
        let mut s = stream(
            "<root><r a='1' a='2' x:b='3'>x <c>y</c> z<c k='v'>w</c><![CDATA[<q>]]></r><r><n>second</n></r></root>",
        );
        s.read_root().unwrap();
        let r = s.next_record(&["r"]).unwrap().unwrap();
        assert_eq!(r.attr("a"), Some("1"), "the first of a repeated attribute");
        assert_eq!(r.attr("b"), Some("3"));
        assert_eq!(r.text(), Some("x  z<q>"));
        assert_eq!(r.children().count(), 2);
        assert_eq!(
            serde_json::to_string(&r.to_json()).unwrap(),
            r##"{"@a":"2","@b":"3","c":["y",{"@k":"v","#text":"w"}],"#text":"x  z<q>"}"##
        );
        let r = s.next_record(&["r"]).unwrap().unwrap();
        assert_eq!(r.child_text("n"), Some("second"));
        assert_eq!(r.attrs().count(), 0);
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
