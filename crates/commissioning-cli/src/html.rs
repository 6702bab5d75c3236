//! A self-contained HTML page: the meeting pack. One file with its styles inline, no scripts,
//! no fonts or images from elsewhere, every chart an inline SVG, a contents list, and each
//! result as readable tables (money as £ and pence, shares as percentages, codes in words).

use std::fmt::Write as _;

use serde_json::{Map, Value};

use crate::table::{cell, is_numeric};

/// One section of the page.
pub(crate) struct Section {
    /// The anchor of the section in the contents.
    pub id: String,
    /// Its heading.
    pub title: String,
    /// Its body, as HTML.
    pub body: String,
}

/// Text with HTML's special characters escaped and control characters dropped (the same
/// escaping as the charts').
pub(crate) use commissioning::model::chart::escape;

/// The styles, in the NHS identity's colours, with system fonts only.
const STYLE: &str = "body{font-family:Arial,Helvetica,sans-serif;color:#231f20;margin:0;background:#f0f4f5}\
header{background:#005eb8;color:white;padding:24px 40px}header h1{margin:0;font-size:28px}\
header p{margin:6px 0 0;font-size:16px}main{max-width:1100px;margin:0 auto;padding:24px 40px}\
nav{background:white;padding:16px 24px;margin-bottom:24px;border-left:6px solid #005eb8}\
nav h2{margin:0 0 8px;font-size:18px}nav ol{margin:0;padding-left:20px}\
section{background:white;padding:20px 24px;margin-bottom:24px}section h2{margin-top:0;color:#003087}\
h3{font-size:16px;margin:18px 0 6px;color:#425563}\
table{border-collapse:collapse;margin:8px 0 12px;font-size:14px}\
th,td{padding:4px 10px;border-bottom:1px solid #d8dde0;text-align:left;vertical-align:top}\
th{background:#e8edee}td.n{text-align:right;font-variant-numeric:tabular-nums}\
.chart{overflow-x:auto;margin:12px 0}.chart svg{max-width:100%;height:auto}\
ul.explain{background:#f0f4f5;padding:10px 10px 10px 30px}pre{background:#f0f4f5;padding:12px;overflow-x:auto;font-size:13px}\
footer{background:#005eb8;color:white;padding:14px 40px;font-size:14px}";

/// The whole page: a header, the contents, each section, and a footer.
pub(crate) fn page(title: &str, subtitle: &str, sections: &[Section]) -> String {
    let mut o = String::with_capacity(64 * 1024);
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header><h1>{}</h1>",
        escape(title),
        escape(title)
    );
    if !subtitle.is_empty() {
        let _ = write!(o, "<p>{}</p>", escape(subtitle));
    }
    o.push_str("</header>\n<main>\n<nav><h2>Contents</h2><ol>");
    for s in sections {
        let _ = write!(
            o,
            "<li><a href=\"#{}\">{}</a></li>",
            escape(&s.id),
            escape(&s.title)
        );
    }
    o.push_str("</ol></nav>\n");
    for s in sections {
        let _ = write!(
            o,
            "<section id=\"{}\">\n<h2>{}</h2>\n{}\n</section>\n",
            escape(&s.id),
            escape(&s.title),
            s.body
        );
    }
    let _ = write!(
        o,
        "</main>\n<footer id=\"end\">{} · {} sections · figures computed exactly by the commissioning libraries</footer>\n</body>\n</html>\n",
        escape(title),
        sections.len()
    );
    o
}

/// A chart, inline.
pub(crate) fn chart(svg: &str) -> String {
    let body = svg
        .find("<svg")
        .map_or(svg, |i| svg.get(i..).unwrap_or(svg));
    format!("<div class=\"chart\">{body}</div>")
}

fn is_records(v: &Value) -> bool {
    v.as_array()
        .is_some_and(|a| !a.is_empty() && a.iter().all(Value::is_object))
}

/// A result as tables: its scalar fields as one table of fields and values, each list of
/// records as a table of its own, each nested object under a heading of its own.
pub(crate) fn tables(command: &str, v: &Value) -> String {
    let mut o = String::new();
    let context = vec![command.to_owned()];
    match v {
        Value::Object(m) => object(m, &context, &mut o, 0),
        Value::Array(_) if is_records(v) => records(v, "", &context, &mut o),
        other => {
            let _ = write!(o, "<p>{}</p>", escape(&cell("", other, &context)));
        }
    }
    o
}

fn words(key: &str) -> String {
    let s = key.replace('_', " ");
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn object(m: &Map<String, Value>, context: &[String], o: &mut String, depth: usize) {
    let scalars: Vec<(&String, &Value)> = m
        .iter()
        .filter(|(_, x)| {
            !(is_records(x)
                || x.is_object() && !is_flat_object(x)
                || x.as_array().is_some_and(Vec::is_empty))
        })
        .collect();
    if !scalars.is_empty() {
        o.push_str("<table>");
        for (k, x) in scalars {
            let shown = cell(k, x, context);
            let class = if is_numeric(&shown) {
                " class=\"n\""
            } else {
                ""
            };
            let _ = write!(
                o,
                "<tr><th scope=\"row\">{}</th><td{class}>{}</td></tr>",
                escape(&words(k)),
                escape(&shown)
            );
        }
        o.push_str("</table>");
    }
    for (k, x) in m {
        let mut inner = context.to_vec();
        inner.push(k.clone());
        if is_records(x) {
            let _ = write!(o, "<h3>{}</h3>", escape(&words(k)));
            records(x, k, context, o);
        } else if let Value::Object(n) = x
            && !is_flat_object(x)
            && depth < 4
        {
            let _ = write!(o, "<h3>{}</h3>", escape(&words(k)));
            object(n, &inner, o, depth.saturating_add(1));
        }
    }
}

fn is_flat_object(v: &Value) -> bool {
    v.as_object()
        .is_some_and(|m| m.values().all(|x| !x.is_object() && !x.is_array()))
}

fn records(v: &Value, key: &str, context: &[String], o: &mut String) {
    let Some(rows) = v.as_array() else { return };
    let mut columns: Vec<&String> = Vec::new();
    for r in rows {
        if let Some(m) = r.as_object() {
            for k in m.keys() {
                if !columns.contains(&k) {
                    columns.push(k);
                }
            }
        }
    }
    let mut ctx = context.to_vec();
    ctx.push(key.to_owned());
    o.push_str("<table><thead><tr>");
    for c in &columns {
        let _ = write!(o, "<th scope=\"col\">{}</th>", escape(&words(c)));
    }
    o.push_str("</tr></thead><tbody>");
    for r in rows {
        o.push_str("<tr>");
        for c in &columns {
            let shown = r.get(c.as_str()).map_or_else(String::new, |x| {
                if x.is_object() && !is_flat_object(x) || is_records(x) {
                    "…".to_owned()
                } else {
                    cell(c, x, &ctx)
                }
            });
            let class = if is_numeric(&shown) {
                " class=\"n\""
            } else {
                ""
            };
            let _ = write!(o, "<td{class}>{}</td>", escape(&shown));
        }
        o.push_str("</tr>");
    }
    o.push_str("</tbody></table>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_self_contained_and_escapes_what_it_is_given() {
        let sections = [Section {
            id: "s1".into(),
            title: "Risk <share>".into(),
            body: tables(
                "settle",
                &serde_json::json!({"transfer": "960000.00", "split": [{"id": "QWO", "amount": "-720000.00"}]}),
            ),
        }];
        let html = page("Review & plan", "", &sections);
        assert!(html.contains("<title>Review &amp; plan</title>"));
        assert!(html.contains("<a href=\"#s1\">Risk &lt;share&gt;</a>"));
        assert!(html.contains("<td class=\"n\">£960,000.00</td>"));
        assert!(html.contains("<td class=\"n\">-£720,000.00</td>"));
        assert!(
            !html.contains("http://") && !html.contains("https://") && !html.contains("<script")
        );
    }
}
