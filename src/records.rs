//! Reading users' record files (customer files, custom watchlists, `compare --pairs`): a field given
//! twice in a record or a header would leave one of its values unread, so it is found and refused.
//! JSON objects are read with their fields in order, a key given twice kept twice (`Pairs`; a
//! `serde_json::Map` keeps the last one only).

use serde_json::Value;

/// A JSON object's fields in their order, a key given twice kept twice.
#[derive(Debug)]
pub(crate) struct Pairs(pub Vec<(String, Value)>);

impl<'de> serde::Deserialize<'de> for Pairs {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Pairs, D::Error> {
        struct Fields;
        impl<'de> serde::de::Visitor<'de> for Fields {
            type Value = Pairs;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Pairs, A::Error> {
                let mut pairs = Vec::new();
                while let Some(pair) = map.next_entry()? {
                    pairs.push(pair);
                }
                Ok(Pairs(pairs))
            }
        }
        d.deserialize_map(Fields)
    }
}

/// The first name given twice among `names` (each with its position), compared trimmed and without
/// regard to case (`name`, ` Name`), with the positions of its two occurrences.
///
/// ```
/// use saring::records::named_twice;
/// let header = ["customer_id", "name", "note", " Name"];
/// assert_eq!(named_twice(header.into_iter().enumerate()), Some(("name".to_string(), 1, 3)));
/// assert_eq!(named_twice(["name_a", "name_b"].into_iter().enumerate()), None);
/// ```
pub fn named_twice<'a>(names: impl IntoIterator<Item = (usize, &'a str)>) -> Option<(String, usize, usize)> {
    let mut seen: Vec<(String, usize)> = Vec::new();
    for (i, name) in names {
        let name = name.trim().to_ascii_lowercase();
        if let Some(&(_, first)) = seen.iter().find(|(s, _)| *s == name) {
            return Some((name, first, i));
        }
        seen.push((name, i));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_keep_a_key_given_twice_and_names_twice_finds_it() {
        let Pairs(pairs) = serde_json::from_str(r#"{"name": "Kim", "id": 1, "Name ": "Jong", "name": null}"#).unwrap();
        let keys: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["name", "id", "Name ", "name"]);
        assert_eq!(named_twice(keys.into_iter().enumerate()), Some(("name".to_string(), 0, 2)));
        assert_eq!(named_twice(["id", "name", "aliases"].into_iter().enumerate()), None);
        // Positions are the caller's: names left out keep the others' places.
        let some = [(1, "x"), (4, "y"), (6, "X")];
        assert_eq!(named_twice(some), Some(("x".to_string(), 1, 6)));
        let e = serde_json::from_str::<Pairs>("[1, 2]").unwrap_err();
        assert_eq!(e.classify(), serde_json::error::Category::Data);
    }
}
