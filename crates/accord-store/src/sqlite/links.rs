//! Where a page's facts went in the registry, so the page can link each of
//! its highlights to the institution, person or event it became.

use crate::DocumentLinks;
use anyhow::Result;
use rusqlite::Connection;

/// The registry entities of document `id`'s record: institutions by local
/// id, people by name, events by their index in the record.
pub fn document_links(conn: &Connection, id: i64) -> Result<DocumentLinks> {
    let mut links = DocumentLinks::default();
    let mut st = conn.prepare_cached("SELECT local_id, institution_id FROM org_mentions WHERE document_id = ?")?;
    for row in st.query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        let (local, institution) = row?;
        links.institutions.insert(local, institution);
    }
    let mut st = conn.prepare_cached("SELECT name, person_id FROM person_mentions WHERE document_id = ?")?;
    for row in st.query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        let (name, person) = row?;
        links.people.insert(name, person);
    }
    let mut st = conn.prepare_cached("SELECT local_index, event_id FROM event_sources WHERE document_id = ?")?;
    for row in st.query_map([id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))? {
        let (index, event) = row?;
        links.events.insert(index as usize, event);
    }
    Ok(links)
}
