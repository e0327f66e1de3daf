//! Singapore MAS: the First Schedule of the Terrorism (Suppression of Financing) Act 2002 (TSFA).
//!
//! MAS publishes no list file: it gives effect to the UN list (read it with the UN reader and
//! [`ReadOptions::publisher_override`](super::ReadOptions) set to MAS) and to Singapore's own designations in
//! the TSFA First Schedule, published as legislation on Singapore Statutes Online. This reader takes the
//! Schedule as the saved HTML page (rows of `td.sProvP1No` item number + `td.sProvP1` text) or as plain
//! text (one item per paragraph starting `N.`). Each item reads
//! `NAME [s/o FATHER] [@ ALIAS] (fact)(fact);`: `@` separates aliases, `s/o` / `d/o` ("son/daughter of")
//! names the father, and bracketed facts give citizenship, date of birth (`10 April 1987`), passport or
//! NRIC numbers. Deleted items (`[Deleted by ...]`) produce no entity.
//!
//! Mapping: id `MAS-<item number>`; list `TSFA First Schedule`; `raw` is `{"item": .., "text": ..}`, the item
//! exactly as published.

use super::country;
use super::{ListEvent, ListFormat, ListInfo, ListReader, ListWarning};
use crate::model::{DateValue, EntityName, Gender, Identifier, NameQuality, NameType};
use crate::{Entity, EntityKind, Error, PartialDate, Publisher, Result};
use serde_json::{Map, Value};
use std::path::Path;

/// Reads a TSFA First Schedule as HTML or text.
pub fn read(path: &Path) -> Result<ListReader> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = String::from_utf8(bytes).map_err(|e| Error::ListFormat {
        file: path.to_path_buf(),
        reason: format!("not UTF-8 text (invalid byte at offset {})", e.utf8_error().valid_up_to()),
    })?;
    let is_html = text.contains("sProvP1") || text.trim_start().starts_with('<');
    let items = if is_html { html_items(&text) } else { text_items(&text) };
    if items.is_empty() {
        return Err(Error::ListFormat {
            file: path.to_path_buf(),
            reason: "no First Schedule items found (expected `sProvP1No`/`sProvP1` cells or lines starting `1.`)"
                .into(),
        });
    }
    let info = ListInfo {
        path: path.to_path_buf(),
        format: ListFormat::MasText,
        publisher: Publisher::Mas,
        publication_date: version_date(&strip_tags(&text)),
    };
    let path = path.to_path_buf();
    let events = items.into_iter().flat_map(move |item| convert(&item, &path)).map(Ok);
    Ok(ListReader::new(info, Box::new(events)))
}

/// Whether `path` (with `head`, its first bytes; empty for a directory) looks like this format.
pub(crate) fn sniff(path: &Path, head: &[u8]) -> Option<ListFormat> {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    if !matches!(ext.as_deref(), Some("txt" | "html" | "htm")) {
        return None;
    }
    let head = String::from_utf8_lossy(head).to_lowercase();
    let looks = head.contains("sprovp1no")
        || (head.contains("first schedule") && head.contains("terrorism (suppression of financing)"));
    looks.then_some(ListFormat::MasText)
}

/// One Schedule item: its number, text and where it starts.
#[derive(Debug, Clone, PartialEq)]
struct Item {
    number: String,
    text: String,
    line: u64,
}

fn line_of(text: &str, byte: usize) -> u64 {
    text.get(..byte).map(|t| t.matches('\n').count() as u64 + 1).unwrap_or(0)
}

/// Items of the HTML page: each `sProvP1No` cell and the `sProvP1` cell after it.
fn html_items(html: &str) -> Vec<Item> {
    let mut items = Vec::new();
    let mut pos = 0;
    while let Some(found) = html.get(pos..).and_then(|r| r.find("sProvP1No")) {
        let start = pos + found;
        let Some((number, after_no)) = cell_text(html, start) else { break };
        pos = after_no;
        let Some(text_cell) = html.get(after_no..).and_then(|r| r.find("sProvP1")) else { break };
        // The text cell must come before the next item number.
        let next_no = html.get(after_no..).and_then(|r| r.find("sProvP1No")).unwrap_or(usize::MAX);
        if text_cell >= next_no {
            continue;
        }
        let Some((text, after_text)) = cell_text(html, after_no + text_cell) else { break };
        items.push(Item {
            number: number.trim_end_matches('.').trim().to_string(),
            text,
            line: line_of(html, after_no + text_cell),
        });
        pos = after_text;
    }
    items
}

/// The text of the element whose opening tag contains `at`: from the end of that tag to the matching
/// `</td>` (or `</div>`), tags stripped and entities decoded. Returns the text and the end position.
fn cell_text(html: &str, at: usize) -> Option<(String, usize)> {
    let open_end = at + html.get(at..)?.find('>')? + 1;
    let rest = html.get(open_end..)?;
    let close = ["</td>", "</div>", "</p>"].iter().filter_map(|c| rest.find(c)).min()?;
    let inner = rest.get(..close)?;
    Some((normalize_space(&decode_entities(&strip_tags(inner))), open_end + close))
}

fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(rest.get(..amp).unwrap_or(""));
        let tail = rest.get(amp..).unwrap_or("");
        let end = tail.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let ent = tail.get(1..e)?;
            let c = match ent {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => ' ',
                "rsquo" | "lsquo" => '\'',
                "ldquo" | "rdquo" => '"',
                _ => {
                    let num = ent.strip_prefix('#')?;
                    let code = match num.strip_prefix('x').or_else(|| num.strip_prefix('X')) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(code)?
                }
            };
            Some((c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = tail.get(len..).unwrap_or("");
            }
            None => {
                out.push('&');
                rest = tail.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
    out
}

fn normalize_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Items of a text file: a paragraph starting with `N.` begins an item; following lines continue it.
fn text_items(text: &str) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::new();
    let mut in_item = false;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() {
            in_item = false;
            continue;
        }
        let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
        let after = t.get(digits.len()..).unwrap_or("");
        if !digits.is_empty() && digits.len() <= 4 && after.starts_with('.') {
            items.push(Item { number: digits, text: after[1..].trim().to_string(), line: i as u64 + 1 });
            in_item = true;
        } else if in_item {
            if let Some(last) = items.last_mut() {
                last.text.push(' ');
                last.text.push_str(t);
            }
        }
    }
    for item in &mut items {
        item.text = normalize_space(&item.text);
    }
    items
}

/// `Current version as at 22 Nov 2026` → `2026-11-22`.
fn version_date(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    let at = lower.find("as at ")?;
    let rest = text.get(at + 6..)?;
    let words: Vec<&str> = rest.split_whitespace().take(3).collect();
    parse_date(&words.join(" ")).filter(|d| d.d > 0).map(|d| d.to_string())
}

/// `10 April 1987`, `April 1987`, `1987`, `10/04/1987`.
fn parse_date(s: &str) -> Option<PartialDate> {
    let months = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let words: Vec<String> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .map(|w| w.trim_end_matches('.').to_lowercase())
        .collect();
    let month = |w: &str| months.iter().position(|m| w.len() >= 3 && m.starts_with(w)).map(|i| i as u8 + 1);
    let year = |w: &str| w.parse::<u16>().ok().filter(|y| (1000..=2100).contains(y));
    match words.as_slice() {
        [d, m, y] => PartialDate::new(year(y)?, month(m)?, d.parse().ok()?).ok(),
        [m, y] => PartialDate::new(year(y)?, month(m)?, 0).ok(),
        [y] if y.contains('/') => super::uk_csv::parse_dmy(y),
        [y] => PartialDate::new(year(y)?, 0, 0).ok(),
        _ => None,
    }
}

/// The name part and the bracketed facts of an item text.
fn split_facts(text: &str) -> (String, Vec<String>) {
    let mut name = String::new();
    let mut facts = Vec::new();
    let mut depth = 0usize;
    let mut cur = String::new();
    for c in text.chars() {
        match c {
            '(' => {
                if depth > 0 {
                    cur.push(c);
                }
                depth += 1;
            }
            ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    facts.push(cur.trim().to_string());
                    cur.clear();
                } else {
                    cur.push(c);
                }
            }
            _ if depth > 0 => cur.push(c),
            _ if facts.is_empty() => name.push(c),
            _ => {}
        }
    }
    if depth > 0 && !cur.trim().is_empty() {
        facts.push(cur.trim().to_string());
    }
    (name.trim().to_string(), facts)
}

fn convert(item: &Item, path: &Path) -> Vec<ListEvent> {
    let warn = |reason: String| ListEvent::Warning(ListWarning { file: path.to_path_buf(), line: item.line, reason });
    let id = format!("MAS-{}", item.number);
    let text = item.text.trim();
    if text.starts_with("[Deleted") || text.is_empty() {
        return Vec::new();
    }
    let body = text.trim_end_matches("and").trim().trim_end_matches([';', '.', ',']).trim();
    let (name_part, facts) = split_facts(body);
    let mut raw = Map::new();
    raw.insert("item".into(), Value::String(item.number.clone()));
    raw.insert("text".into(), Value::String(item.text.clone()));
    let mut e = Entity {
        id: id.clone(),
        publisher: Some(Publisher::Mas),
        list: "TSFA First Schedule".into(),
        raw: Value::Object(raw),
        ..Default::default()
    };
    let mut person = false;
    for (i, part) in name_part.split(" @ ").map(str::trim).filter(|p| !p.is_empty()).enumerate() {
        let ty = if i == 0 { NameType::Primary } else { NameType::Aka };
        let lower = part.to_lowercase();
        let father = [" s/o ", " d/o "].iter().find_map(|m| lower.find(m));
        let mut name = EntityName::new(part, ty, NameQuality::Strong);
        if let Some(at) = father {
            person = true;
            let own = part.get(..at).unwrap_or(part).trim();
            name.given = Some(own.to_string());
            e.names.push(name);
            // The person's own name without the father's, as a variant.
            if own.split_whitespace().count() >= 2 && !e.names.iter().any(|n| n.full == own) {
                e.names.push(EntityName::new(own, NameType::Aka, NameQuality::Strong));
            }
        } else if !e.names.iter().any(|n| n.full == part) {
            e.names.push(name);
        }
    }
    if e.names.is_empty() {
        return vec![warn(format!("{id}: item without a name: {text:?}; skipped"))];
    }
    let mut problems = Vec::new();
    for fact in facts {
        let lower = fact.to_lowercase();
        if let Some(rest) = lower.strip_prefix("date of birth").map(|r| r.trim_start_matches([':', ' '])) {
            person = true;
            let original = fact.len().checked_sub(rest.len()).and_then(|i| fact.get(i..)).unwrap_or(rest);
            for one in original.split(" or ").flat_map(|p| p.split(';')) {
                match parse_date(one.trim()) {
                    Some(d) => e.dates_of_birth.push(DateValue::exact(d)),
                    None => problems.push(format!("unreadable date of birth {one:?}")),
                }
            }
        } else if let Some(rest) = lower.strip_prefix("place of birth").map(|r| r.trim_start_matches([':', ' '])) {
            person = true;
            e.places_of_birth
                .push(fact.len().checked_sub(rest.len()).and_then(|i| fact.get(i..)).unwrap_or(rest).to_string());
        } else if lower.contains("passport") || lower.contains("nric") || lower.contains("identity card") {
            person = true;
            let kind = if lower.contains("passport") { "passport" } else { "national_id" };
            let number = fact
                .split_whitespace()
                .find(|w| w.chars().any(|c| c.is_ascii_digit()) && w.chars().all(|c| c.is_ascii_alphanumeric()))
                .unwrap_or("")
                .to_string();
            if number.is_empty() {
                problems.push(format!("no number in {fact:?}"));
            } else {
                let country = [" issued by ", " issued in "].iter().find_map(|m| {
                    lower.find(m).and_then(|at| country::to_iso(fact.get(at + m.len()..).unwrap_or("").trim()))
                });
                e.identifiers.push(Identifier {
                    kind: kind.into(),
                    number,
                    country: country.map(str::to_string),
                    note: Some(fact.clone()),
                });
            }
        } else if lower.contains("citizen") || lower.contains("national") {
            person = true;
            let found = country::split_countries(&fact);
            if found.is_empty() {
                problems.push(format!("unknown citizenship {fact:?}"));
            }
            for c in found {
                if !e.nationalities.iter().any(|x| x == c) {
                    e.nationalities.push(c.to_string());
                }
            }
        } else if lower == "male" || lower == "female" {
            person = true;
            e.gender = Some(if lower == "male" { Gender::Male } else { Gender::Female });
        } else {
            e.remarks.push(fact);
        }
    }
    e.kind = if person { EntityKind::Individual } else { EntityKind::Unknown };
    let mut out = vec![ListEvent::Entity(Box::new(e))];
    out.extend(problems.into_iter().map(|p| warn(format!("{id}: {p}; kept in raw"))));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_facts() {
        let (name, facts) =
            split_facts("Rahim s/o Salleh @ Abu Rahim (Singapore citizen)(Date of Birth: 10 April 1987)");
        assert_eq!(name, "Rahim s/o Salleh @ Abu Rahim");
        assert_eq!(facts, ["Singapore citizen", "Date of Birth: 10 April 1987"]);
        assert_eq!(parse_date("10 April 1987"), Some(PartialDate { y: 1987, m: 4, d: 10 }));
        assert_eq!(parse_date("Sept 1987"), Some(PartialDate { y: 1987, m: 9, d: 0 }));
        assert_eq!(parse_date("31 February 1987"), None);
        assert_eq!(decode_entities("A &amp; B&nbsp;&#8217;x&#x41; &foo"), "A & B \u{2019}xA &foo");
        assert_eq!(version_date("Current version as at 22 Nov 2026 PDF").as_deref(), Some("2026-11-22"));
    }
}
