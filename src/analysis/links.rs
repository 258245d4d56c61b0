//! Document links: the `source` header value when it is an absolute `http` or
//! `https` URL, and the reference of each mention of a registry entity that
//! has a Wikidata id, leading to the item's page. Other values that look like
//! URLs or ids (`x-wikidata:`, URLs in the text) are not links.

use url::Url;

use crate::registry::Registry;
use crate::syntax::{Document, Span};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub span: Span,
    /// An absolute URL.
    pub target: String,
    pub tooltip: Option<String>,
}

/// The links of a document, in document order.
pub fn document_links(doc: &Document, registry: Option<&Registry>) -> Vec<Link> {
    let mut links = Vec::new();
    for entry in doc.header.iter().flat_map(|h| h.get("source")) {
        if let Ok(url) = Url::parse(&entry.value)
            && matches!(url.scheme(), "http" | "https")
            && url.has_host()
        {
            links.push(Link {
                span: entry.value_span.clone(),
                target: url.into(),
                tooltip: Some("Open the published source".to_string()),
            });
        }
    }
    if let Some(registry) = registry {
        for m in doc.mentions() {
            let Some(entity) = registry.entity(&m.reference) else {
                continue;
            };
            let Some(id) = entity.wikidata().filter(|w| is_wikidata_id(w)) else {
                continue;
            };
            links.push(Link {
                span: m.reference_span.clone(),
                target: format!("https://www.wikidata.org/wiki/{id}"),
                tooltip: Some(format!("{} on Wikidata ({id})", entity.name())),
            });
        }
    }
    links
}

/// `Q` and digits: a malformed id (reported in the registry) makes no link.
fn is_wikidata_id(s: &str) -> bool {
    s.strip_prefix('Q')
        .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{LabelContext, parse};

    #[test]
    fn only_http_sources() {
        for (value, linked) in [
            ("https://example.org/a b", true),
            ("http://example.org", true),
            ("ftp://example.org/x", false),
            ("www.example.org/x", false),
            ("https:///nohost", true),
            ("mailto:a@example.org", false),
        ] {
            let text = format!("---\ntitle: T\nsource: {value}\n---\n");
            let doc = parse(&text, &LabelContext::default());
            let links = document_links(&doc, None);
            assert_eq!(links.len(), usize::from(linked), "{value}: {links:?}");
        }
    }
}
