//! OFAC `sdnList` XML (the SDN list and the consolidated non-SDN list share the layout).
//!
//! The file is streamed with quick-xml: each `sdnEntry` is gathered into a small element tree
//! (`Node`) and mapped to an [`Entity`]; the tree also becomes `raw`. The header element is
//! `publshInformation` (sic) with a `Publish_Date` in `MM/DD/YYYY`. The small XML tree reader here
//! (`XmlRecords`) is shared with the UN reader.

use super::ofac_csv::Feature;
use super::ofac_csv::{alias_type, apply_feature, id_kind, identifier, parse_date, person_name, push_country};
use super::{country, ListEvent, ListFormat, ListInfo, ListReader, ListWarning};
use crate::model::{Address, CryptoAddress, Entity, EntityKind, Gender, NameQuality, NameType};
use crate::{Error, Publisher, Result};
use quick_xml::events::{BytesStart, Event};
use serde_json::{Map, Value};
use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

/// One XML element with its attributes, text and children.
#[derive(Debug, Clone, Default)]
pub(crate) struct Node {
    /// Local name (namespace prefix dropped).
    pub name: String,
    /// Attributes, in document order.
    pub attrs: Vec<(String, String)>,
    /// Text content, trimmed.
    pub text: String,
    /// Child elements.
    pub children: Vec<Node>,
}

impl Node {
    /// The first child with this name.
    pub fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    /// All children with this name.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The trimmed, non-empty text of the first child with this name.
    pub fn text_of(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_str()).filter(|t| !t.is_empty())
    }

    /// True when the element carries nothing (an empty placeholder such as `<COUNTRY/>`).
    pub fn is_empty(&self) -> bool {
        self.text.is_empty() && self.attrs.is_empty() && self.children.iter().all(Node::is_empty)
    }

    /// The element as JSON: text for a leaf, otherwise an object of its children (repeated names, and
    /// every child of a `...List` element, become arrays); attributes as `@name`. Empty placeholders
    /// are left out.
    pub fn to_json(&self) -> Value {
        if self.children.is_empty() && self.attrs.is_empty() {
            return Value::String(self.text.clone());
        }
        let mut m = Map::new();
        for (k, v) in &self.attrs {
            m.insert(format!("@{k}"), Value::String(v.clone()));
        }
        if !self.text.is_empty() {
            m.insert("#text".into(), Value::String(self.text.clone()));
        }
        let is_list = self.name.ends_with("List") || self.name.ends_with("LIST");
        for c in self.children.iter().filter(|c| !c.is_empty()) {
            let repeated = is_list || self.children.iter().filter(|o| o.name == c.name && !o.is_empty()).count() > 1;
            let v = c.to_json();
            if repeated {
                match m.entry(c.name.clone()).or_insert_with(|| Value::Array(Vec::new())) {
                    Value::Array(a) => a.push(v),
                    other => *other = Value::Array(vec![other.clone(), v]),
                }
            } else {
                m.insert(c.name.clone(), v);
            }
        }
        Value::Object(m)
    }
}

/// Streams the records (elements with one of the given names, at any depth) of an XML file, one
/// [`Node`] tree at a time. The root element's name and attributes are kept.
pub(crate) struct XmlRecords<R: BufRead> {
    reader: quick_xml::Reader<R>,
    buf: Vec<u8>,
    path: PathBuf,
    record_names: &'static [&'static str],
    /// Names of the open elements outside the current record.
    open: Vec<String>,
    /// The root element, once seen.
    pub root: Option<Node>,
    /// Records returned so far.
    pub count: u64,
    done: bool,
}

fn local_name(e: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(e.local_name().as_ref()).into_owned()
}

fn start_node(e: &BytesStart<'_>) -> Node {
    let attrs = e
        .attributes()
        .with_checks(false)
        .flatten()
        .map(|a| {
            let key = String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned();
            let raw = String::from_utf8_lossy(&a.value).into_owned();
            let value = quick_xml::escape::unescape(&raw).map(|v| v.into_owned()).unwrap_or(raw);
            (key, value)
        })
        .collect();
    Node { name: local_name(e), attrs, text: String::new(), children: Vec::new() }
}

impl XmlRecords<BufReader<File>> {
    /// Opens a file.
    pub fn open(path: &Path, record_names: &'static [&'static str]) -> Result<Self> {
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        Ok(XmlRecords::new(BufReader::with_capacity(64 * 1024, file), path, record_names))
    }
}

impl<R: BufRead> XmlRecords<R> {
    /// Wraps a reader.
    pub fn new(inner: R, path: &Path, record_names: &'static [&'static str]) -> Self {
        let mut reader = quick_xml::Reader::from_reader(inner);
        reader.config_mut().trim_text(false);
        XmlRecords {
            reader,
            buf: Vec::new(),
            path: path.to_path_buf(),
            record_names,
            open: Vec::new(),
            root: None,
            count: 0,
            done: false,
        }
    }

    fn fail(&mut self, reason: String) -> Error {
        self.done = true;
        Error::ListFormat { file: self.path.clone(), reason }
    }

    /// The next record, `Ok(None)` at the end of the document; a syntax error or a truncated file is an
    /// [`Error::ListFormat`] naming the record where it happened.
    pub fn next_record(&mut self) -> Result<Option<Node>> {
        if self.done {
            return Ok(None);
        }
        // Stack of elements of the record being built.
        let mut stack: Vec<Node> = Vec::new();
        loop {
            self.buf.clear();
            let event = match self.reader.read_event_into(&mut self.buf) {
                Ok(ev) => ev,
                Err(e) => {
                    let at = self.reader.error_position();
                    let rec = self.count + 1;
                    return Err(self.fail(format!("malformed XML at byte {at} (record {rec}): {e}")));
                }
            };
            match event {
                Event::Start(e) => {
                    let node = start_node(&e);
                    if self.root.is_none() {
                        self.root = Some(node.clone());
                    }
                    if !stack.is_empty() || self.record_names.contains(&node.name.as_str()) {
                        stack.push(node);
                    } else {
                        self.open.push(node.name);
                    }
                }
                Event::Empty(e) => {
                    let node = start_node(&e);
                    if self.root.is_none() {
                        self.root = Some(node.clone());
                        self.done = true;
                        return Ok(None);
                    }
                    if let Some(top) = stack.last_mut() {
                        top.children.push(node);
                    } else if self.record_names.contains(&node.name.as_str()) {
                        self.count += 1;
                        return Ok(Some(node));
                    }
                }
                Event::End(_) => {
                    if let Some(mut node) = stack.pop() {
                        let trimmed = node.text.trim();
                        if trimmed.len() != node.text.len() {
                            node.text = trimmed.to_string();
                        }
                        match stack.last_mut() {
                            Some(parent) => parent.children.push(node),
                            None => {
                                self.count += 1;
                                return Ok(Some(node));
                            }
                        }
                    } else {
                        self.open.pop();
                        if self.open.is_empty() {
                            // End of the root element: ignore anything after it.
                            self.done = true;
                            return Ok(None);
                        }
                    }
                }
                Event::Text(t) => {
                    if let Some(top) = stack.last_mut() {
                        let raw = String::from_utf8_lossy(&t);
                        match quick_xml::escape::unescape(&raw) {
                            Ok(s) => top.text.push_str(&s),
                            Err(_) => top.text.push_str(&raw),
                        }
                    }
                }
                Event::CData(t) => {
                    if let Some(top) = stack.last_mut() {
                        top.text.push_str(&String::from_utf8_lossy(&t));
                    }
                }
                Event::Eof => {
                    self.done = true;
                    if self.root.is_none() {
                        return Err(self.fail("no XML root element: not an XML list file".into()));
                    }
                    if let Some(inside) = stack.first().map(|n| n.name.clone()).or_else(|| self.open.last().cloned()) {
                        let rec = self.count + 1;
                        return Err(self.fail(format!(
                            "truncated XML: the file ends inside <{inside}> (record {rec}); the file is incomplete"
                        )));
                    }
                    return Ok(None);
                }
                _ => {}
            }
        }
    }
}

/// The name of the first element in `head` (after the XML declaration, comments, doctype and BOM).
pub(crate) fn root_element(head: &[u8]) -> Option<String> {
    let mut reader = quick_xml::Reader::from_reader(head);
    let mut buf = Vec::new();
    for _ in 0..64 {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => return Some(local_name(&e)),
            Ok(Event::Text(t))
                if t.iter().any(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF) =>
            {
                return None
            }
            Ok(Event::Eof) | Err(_) => return None,
            _ => {}
        }
    }
    None
}

/// Whether the file's root element is `sdnList`.
pub(crate) fn sniff(path: &Path, head: &[u8]) -> Option<ListFormat> {
    let _ = path;
    (root_element(head).as_deref() == Some("sdnList")).then_some(ListFormat::OfacXml)
}

/// `MM/DD/YYYY` to `YYYY-MM-DD`.
fn us_date(s: &str) -> Option<String> {
    let mut it = s.trim().split('/');
    let (m, d, y) = (it.next()?, it.next()?, it.next()?);
    let (m, d, y): (u8, u8, u16) = (m.parse().ok()?, d.parse().ok()?, y.parse().ok()?);
    crate::PartialDate::new(y, m, d).ok().filter(|p| p.d > 0 && p.y > 0).map(|p| p.to_string())
}

/// Reads an OFAC `sdnList` XML file (SDN, or consolidated when the file name contains `cons`).
pub fn read(path: &Path) -> Result<ListReader> {
    let mut records = XmlRecords::open(path, &["publshInformation", "sdnEntry"])?;
    let first = records.next_record()?;
    match records.root.as_ref().map(|r| r.name.as_str()) {
        Some("sdnList") => {}
        Some(other) => {
            return Err(Error::ListFormat {
                file: path.to_path_buf(),
                reason: format!("root element is <{other}>, not <sdnList>: not an OFAC XML list"),
            })
        }
        None => return Err(Error::ListFormat { file: path.to_path_buf(), reason: "empty XML file".into() }),
    }
    let mut publication_date = None;
    let mut pending = None;
    if let Some(node) = first {
        if node.name == "publshInformation" {
            publication_date = node.text_of("Publish_Date").map(|d| us_date(d).unwrap_or_else(|| d.to_string()));
        } else {
            pending = Some(node);
        }
    }
    let name = path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let consolidated = name.contains("cons");
    let info = ListInfo {
        path: path.to_path_buf(),
        format: ListFormat::OfacXml,
        publisher: Publisher::Ofac,
        publication_date,
    };
    let entries = XmlEntries { records, pending, consolidated, path: path.to_path_buf(), queue: VecDeque::new() };
    Ok(ListReader::new(info, Box::new(entries)))
}

struct XmlEntries {
    records: XmlRecords<BufReader<File>>,
    pending: Option<Node>,
    consolidated: bool,
    path: PathBuf,
    queue: VecDeque<ListEvent>,
}

impl Iterator for XmlEntries {
    type Item = Result<ListEvent>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(ev) = self.queue.pop_front() {
                return Some(Ok(ev));
            }
            let node = match self.pending.take() {
                Some(n) => n,
                None => match self.records.next_record() {
                    Ok(Some(n)) => n,
                    Ok(None) => return None,
                    Err(e) => return Some(Err(e)),
                },
            };
            if node.name != "sdnEntry" {
                continue;
            }
            let record = self.records.count;
            let mut problems = Vec::new();
            if let Some(e) = entry(&node, self.consolidated, &mut problems) {
                self.queue.push_back(ListEvent::Entity(Box::new(e)));
            }
            for reason in problems {
                self.queue.push_back(ListEvent::Warning(ListWarning { file: self.path.clone(), line: record, reason }));
            }
        }
    }
}

/// Maps one `sdnEntry`; `None` (with a problem) when it has no uid or no name.
fn entry(node: &Node, consolidated: bool, problems: &mut Vec<String>) -> Option<Entity> {
    let Some(uid) = node.text_of("uid") else {
        problems.push("sdnEntry without <uid>; skipped".into());
        return None;
    };
    let kind = match node.text_of("sdnType").map(str::to_ascii_lowercase).as_deref() {
        Some("individual") => EntityKind::Individual,
        Some("entity") | None => EntityKind::Entity,
        Some("vessel") => EntityKind::Vessel,
        Some("aircraft") => EntityKind::Aircraft,
        Some(other) => {
            problems.push(format!("uid {uid}: unknown sdnType {other:?}; kind left unknown"));
            EntityKind::Unknown
        }
    };
    let full = |n: &Node| -> Option<String> {
        match (n.text_of("lastName"), n.text_of("firstName")) {
            (Some(l), Some(f)) => Some(format!("{l}, {f}")),
            (Some(l), None) => Some(l.to_string()),
            (None, Some(f)) => Some(f.to_string()),
            (None, None) => None,
        }
    };
    let Some(primary) = full(node) else {
        problems.push(format!("uid {uid}: no name; skipped"));
        return None;
    };
    let (prefix, list) = if consolidated { ("OFAC-CONS-", "NON-SDN") } else { ("OFAC-SDN-", "SDN") };
    let mut e = Entity {
        id: format!("{prefix}{uid}"),
        publisher: Some(Publisher::Ofac),
        list: list.into(),
        kind,
        ..Default::default()
    };
    let mut name = person_name(&primary, NameType::Primary, NameQuality::Strong, EntityKind::Entity);
    if kind == EntityKind::Individual {
        name.family = node.text_of("lastName").map(String::from);
        name.given = node.text_of("firstName").map(String::from);
    }
    e.names.push(name);
    for aka in node.child("akaList").into_iter().flat_map(|l| l.all("aka")) {
        let Some(full_name) = full(aka) else {
            problems.push(format!("uid {uid}: alias without a name; skipped"));
            continue;
        };
        let t = alias_type(aka.text_of("type").unwrap_or("a.k.a."));
        let q = if aka.text_of("category").is_some_and(|c| c.eq_ignore_ascii_case("weak")) {
            NameQuality::Weak
        } else {
            NameQuality::Strong
        };
        let mut n = person_name(&full_name, t, q, EntityKind::Entity);
        if kind == EntityKind::Individual {
            n.family = aka.text_of("lastName").map(String::from);
            n.given = aka.text_of("firstName").map(String::from);
        }
        e.names.push(n);
    }
    e.programs = node
        .child("programList")
        .into_iter()
        .flat_map(|l| l.all("program"))
        .filter(|p| !p.text.is_empty())
        .map(|p| p.text.clone())
        .collect();
    if let Some(r) = node.text_of("remarks") {
        e.remarks.push(r.to_string());
    }
    for id in node.child("idList").into_iter().flat_map(|l| l.all("id")) {
        let label = id.text_of("idType").unwrap_or("");
        let number = id.text_of("idNumber").unwrap_or("");
        if let Some(k) = id_kind(label) {
            let mut ident = identifier(k, number, id.text_of("idCountry"));
            let notes: Vec<String> = [("issued", "issueDate"), ("expires", "expirationDate")]
                .iter()
                .filter_map(|(w, tag)| id.text_of(tag).map(|d| format!("{w} {d}")))
                .collect();
            if !notes.is_empty() {
                ident.note = Some(notes.join(" "));
            }
            e.identifiers.push(ident);
        } else if let Some(cur) = label.strip_prefix("Digital Currency Address - ") {
            e.crypto_addresses.push(CryptoAddress { currency: cur.trim().into(), address: number.into() });
        } else if label.eq_ignore_ascii_case("Gender") {
            match number.to_ascii_lowercase().as_str() {
                "male" => e.gender = Some(Gender::Male),
                "female" => e.gender = Some(Gender::Female),
                _ => {}
            }
        } else if !label.is_empty() || !number.is_empty() {
            e.remarks.push(format!("{label} {number}").trim().to_string());
        }
    }
    for a in node.child("addressList").into_iter().flat_map(|l| l.all("address")) {
        let street: Vec<&str> = ["address1", "address2", "address3"].iter().filter_map(|t| a.text_of(t)).collect();
        let street = (!street.is_empty()).then(|| street.join(", "));
        let (city, province, postal, ctry) =
            (a.text_of("city"), a.text_of("stateOrProvince"), a.text_of("postalCode"), a.text_of("country"));
        let parts: Vec<&str> = [street.as_deref(), city, province, postal, ctry].into_iter().flatten().collect();
        if parts.is_empty() {
            continue;
        }
        e.addresses.push(Address {
            street: street.clone(),
            city: city.map(String::from),
            province: province.map(String::from),
            postal_code: postal.map(String::from),
            country: ctry.and_then(country::to_iso).map(String::from),
            text: Some(parts.join(", ")),
        });
    }
    for n in node.child("nationalityList").into_iter().flat_map(|l| l.all("nationality")) {
        if let Some(c) = n.text_of("country") {
            push_country(&mut e.nationalities, c);
        }
    }
    for n in node.child("citizenshipList").into_iter().flat_map(|l| l.all("citizenship")) {
        if let Some(c) = n.text_of("country") {
            push_country(&mut e.citizenships, c);
        }
    }
    for d in node.child("dateOfBirthList").into_iter().flat_map(|l| l.all("dateOfBirthItem")) {
        if let Some(text) = d.text_of("dateOfBirth") {
            let f = match parse_date(text) {
                Some(v) => Feature::Dob(v),
                None => Feature::BadDate(text.to_string()),
            };
            let mut p = Vec::new();
            apply_feature(f, &mut e, &mut p);
            problems.extend(p.into_iter().map(|p| format!("uid {uid}: {p}")));
        }
    }
    for p in node.child("placeOfBirthList").into_iter().flat_map(|l| l.all("placeOfBirthItem")) {
        if let Some(text) = p.text_of("placeOfBirth") {
            e.places_of_birth.push(text.to_string());
        }
    }
    if let Some(v) = node.child("vesselInfo") {
        if let Some(cs) = v.text_of("callSign") {
            e.identifiers.push(crate::model::Identifier {
                kind: "call_sign".into(),
                number: cs.into(),
                country: None,
                note: None,
            });
        }
    }
    e.raw = node.to_json();
    Some(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_names() {
        assert_eq!(
            root_element(b"\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- c -->\n<sdnList a='1'>").as_deref(),
            Some("sdnList")
        );
        assert_eq!(root_element(b"ent_num,name").as_deref(), None);
        assert_eq!(us_date("04/06/2018").as_deref(), Some("2018-04-06"));
        assert_eq!(us_date("13/45/2018"), None);
    }

    #[test]
    fn truncated_is_an_error() {
        let xml = b"<sdnList><sdnEntry><uid>1</uid><lastName>X</lastName></sdnEntry><sdnEntry><uid>2";
        let mut r = XmlRecords::new(&xml[..], Path::new("t.xml"), &["sdnEntry"]);
        assert!(r.next_record().unwrap().is_some());
        let err = r.next_record().unwrap_err().to_string();
        assert!(err.contains("truncated"), "{err}");
        assert!(r.next_record().unwrap().is_none());
    }

    #[test]
    fn json_shape() {
        let xml = b"<r><e a='1'><x>1</x><x>2</x><y/><zList><z>3</z></zList></e></r>";
        let mut r = XmlRecords::new(&xml[..], Path::new("t.xml"), &["e"]);
        let n = r.next_record().unwrap().unwrap();
        assert_eq!(n.to_json(), serde_json::json!({"@a": "1", "x": ["1", "2"], "zList": {"z": ["3"]}}));
    }
}
