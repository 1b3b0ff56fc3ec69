//! Reading a ROR data dump (schema v2): the zip ROR publishes, holding one
//! JSON array of organizations, or that JSON file itself.
//!
//! The array is read one organization at a time, so the full registry
//! (over 100,000 records) is imported in bounded memory.

use crate::RorOrg;
use anyhow::{anyhow, bail, Context, Result};
use serde::de::{DeserializeSeed, SeqAccess, Visitor};
use serde::Deserialize;
use std::fmt;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;
use std::sync::mpsc::{sync_channel, Receiver};

/// Streams the organizations of the dump at `path`. Reading happens on a
/// thread of its own; errors (a wrong file, broken JSON) arrive in the stream
/// and name the file.
pub fn read_dump(path: &Path) -> Result<impl Iterator<Item = Result<RorOrg>>> {
    let file = File::open(path).with_context(|| format!("{}: cannot open the ROR dump", path.display()))?;
    let is_zip = {
        let mut magic = [0u8; 4];
        let n = File::open(path)?.read(&mut magic)?;
        n == 4 && magic == *b"PK\x03\x04"
    };
    let (tx, rx) = sync_channel::<Result<RorOrg>>(1024);
    let path = path.to_path_buf();
    std::thread::spawn(move || {
        let send = |org: Result<RorOrg>| tx.send(org).is_ok();
        let result = if is_zip {
            read_zip(file, &send)
        } else {
            stream_array(BufReader::new(file), &send)
        };
        if let Err(e) = result {
            let _ = tx.send(Err(e.context(format!("{}: not a ROR data dump (schema v2)", path.display()))));
        }
    });
    Ok(Stream { rx })
}

struct Stream {
    rx: Receiver<Result<RorOrg>>,
}

impl Iterator for Stream {
    type Item = Result<RorOrg>;
    fn next(&mut self) -> Option<Self::Item> {
        self.rx.recv().ok()
    }
}

fn read_zip(file: File, send: &dyn Fn(Result<RorOrg>) -> bool) -> Result<()> {
    let mut archive = zip::ZipArchive::new(BufReader::new(file)).context("cannot open the zip archive")?;
    let index = (0..archive.len())
        .find(|&i| {
            archive
                .by_index(i)
                .ok()
                .and_then(|f| f.name().ok().map(|n| n.ends_with(".json")))
                .unwrap_or(false)
        })
        .ok_or_else(|| anyhow!("the zip holds no .json file"))?;
    let entry = archive.by_index(index)?;
    stream_array(BufReader::new(entry), send)
}

/// Calls `send` for each organization of a JSON array, without holding the array.
pub fn stream_array<R: Read>(reader: R, send: &dyn Fn(Result<RorOrg>) -> bool) -> Result<()> {
    let mut de = serde_json::Deserializer::from_reader(reader);
    EachOrg { send }.deserialize(&mut de)?;
    de.end()?;
    Ok(())
}

struct EachOrg<'a> {
    send: &'a dyn Fn(Result<RorOrg>) -> bool,
}

impl<'de> DeserializeSeed<'de> for EachOrg<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for EachOrg<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON array of ROR organizations")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        while let Some(raw) = seq.next_element::<RawOrg>()? {
            if !(self.send)(raw.into_org()) {
                break;
            }
        }
        Ok(())
    }
}

#[derive(Deserialize)]
struct RawOrg {
    id: String,
    #[serde(default)]
    names: Vec<RawName>,
    #[serde(default)]
    types: Vec<String>,
    #[serde(default)]
    established: Option<i64>,
    #[serde(default)]
    locations: Vec<RawLocation>,
    #[serde(default)]
    relationships: Vec<RawRelationship>,
}

#[derive(Deserialize)]
struct RawRelationship {
    #[serde(rename = "type")]
    kind: String,
    id: String,
    #[serde(default)]
    label: Option<String>,
}

#[derive(Deserialize)]
struct RawName {
    value: String,
    #[serde(default)]
    types: Vec<String>,
    #[serde(default)]
    lang: Option<String>,
}

#[derive(Deserialize)]
struct RawLocation {
    #[serde(default)]
    geonames_details: Option<RawGeo>,
}

#[derive(Deserialize)]
struct RawGeo {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    country_code: Option<String>,
}

impl RawOrg {
    fn into_org(self) -> Result<RorOrg> {
        if !self.id.starts_with("https://ror.org/") {
            bail!("«{}» is not a ROR id", self.id);
        }
        let display = self
            .names
            .iter()
            .find(|n| n.types.iter().any(|t| t == "ror_display"))
            .or(self.names.first())
            .map(|n| n.value.clone())
            .ok_or_else(|| anyhow!("{} has no name", self.id))?;
        let names = self
            .names
            .into_iter()
            .map(|n| {
                let kind = ["ror_display", "label", "alias", "acronym"]
                    .into_iter()
                    .find(|k| n.types.iter().any(|t| t == k))
                    .unwrap_or("alias");
                (n.value, kind.to_string(), n.lang)
            })
            .collect();
        let geo = self.locations.into_iter().find_map(|l| l.geonames_details);
        Ok(RorOrg {
            id: self.id,
            name: display,
            names,
            types: self.types,
            country: geo.as_ref().and_then(|g| g.country_code.clone()),
            city: geo.and_then(|g| g.name),
            established: self.established,
            relationships: self
                .relationships
                .into_iter()
                .filter(|r| r.id.starts_with("https://ror.org/"))
                .map(|r| (r.kind.to_lowercase(), r.id, r.label))
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    const TWO: &str = r#"[
      {"id": "https://ror.org/0abc12345", "names": [
         {"value": "Rivertown University Hospital", "types": ["ror_display", "label"], "lang": "en"},
         {"value": "RUH", "types": ["acronym"], "lang": null},
         {"value": "Hôpital universitaire de Rivertown", "types": ["label"], "lang": "fr"}],
       "types": ["healthcare"], "status": "active", "established": 1901,
       "locations": [{"geonames_id": 1, "geonames_details": {"name": "Rivertown", "country_code": "FR", "country_name": "France"}}],
       "relationships": [{"type": "child", "id": "https://ror.org/0def67890", "label": "Lakeside Institute"}],
       "links": [], "external_ids": [], "domains": [], "admin": null},
      {"id": "https://ror.org/0def67890", "names": [{"value": "Lakeside Institute", "types": ["ror_display"], "lang": null}],
       "types": ["education"], "locations": []}
    ]"#;

    #[test]
    fn streams_each_organization_of_the_array() {
        let got = RefCell::new(Vec::new());
        stream_array(TWO.as_bytes(), &|o| {
            got.borrow_mut().push(o.unwrap());
            true
        })
        .unwrap();
        let got = got.into_inner();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].name, "Rivertown University Hospital");
        assert_eq!(got[0].country.as_deref(), Some("FR"));
        assert_eq!(got[0].city.as_deref(), Some("Rivertown"));
        assert_eq!(got[0].names[1], ("RUH".to_string(), "acronym".to_string(), None));
        assert_eq!(got[1].country, None);
        assert_eq!(
            got[0].relationships,
            vec![(
                "child".to_string(),
                "https://ror.org/0def67890".to_string(),
                Some("Lakeside Institute".to_string())
            )]
        );
        assert!(got[1].relationships.is_empty());
    }

    #[test]
    fn refuses_what_is_not_a_dump() {
        assert!(stream_array(&b"{\"id\": 1}"[..], &|_| true).is_err());
        assert!(stream_array(&b"[1, 2"[..], &|_| true).is_err());
    }
}
