//! Reading the server's pages the way the suites need: a form's CSRF token, an element's
//! attribute or text by id, the rows of the inbox. Plain string scanning over the HTML the
//! server renders (no JavaScript involved), enough for markup the tests know the shape of.

/// The `value` of the first `<input ... name="csrf" ...>`.
pub(crate) fn csrf(html: &str) -> Option<String> {
    tags(html, "input")
        .find(|tag| attr(tag, "name").as_deref() == Some("csrf"))
        .and_then(|tag| attr(tag, "value"))
}

/// The `value` of the first `<input ... name="{name}" ...>`.
pub(crate) fn input_value(html: &str, name: &str) -> Option<String> {
    tags(html, "input")
        .find(|tag| attr(tag, "name").as_deref() == Some(name))
        .and_then(|tag| attr(tag, "value"))
}

/// The value of `attribute` on the element with `id`.
pub(crate) fn attr_of_id(html: &str, id: &str, attribute: &str) -> Option<String> {
    element_with_id(html, id).and_then(|(tag, _)| attr(tag, attribute))
}

/// The text inside the element with `id` (tags stripped, entities decoded, whitespace
/// collapsed).
pub(crate) fn text_of_id(html: &str, id: &str) -> Option<String> {
    let (tag, after) = element_with_id(html, id)?;
    let name = tag_name(tag)?;
    let close = format!("</{name}");
    // Nested elements of the same name are not expected in the ids the suites read.
    let end = after.find(&close)?;
    Some(text(&after[..end]))
}

/// The `data-case` values of the inbox's rows, in page order.
pub(crate) fn inbox_cases(html: &str) -> Vec<String> {
    tags(html, "tr")
        .filter_map(|tag| attr(tag, "data-case"))
        .collect()
}

/// The `href`s of the page's links.
pub(crate) fn links(html: &str) -> Vec<String> {
    tags(html, "a")
        .filter_map(|tag| attr(tag, "href"))
        .collect()
}

/// Text with tags removed, entities decoded and whitespace collapsed.
pub(crate) fn text(fragment: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in fragment.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    unescape(&out)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Decodes the entities an HTML escaper writes.
pub(crate) fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&#47;", "/")
        .replace("&amp;", "&")
}

/// The opening tags named `name` (`<input ...>`), each as the text between `<` and `>`.
fn tags<'a>(html: &'a str, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    let lower = html.to_ascii_lowercase();
    let open = format!("<{name}");
    let mut starts = Vec::new();
    let mut from = 0;
    while let Some(at) = lower[from..].find(&open) {
        let start = from + at;
        let next = lower.as_bytes().get(start + open.len()).copied();
        if matches!(next, Some(b' ' | b'>' | b'\n' | b'\t' | b'\r' | b'/')) {
            starts.push(start);
        }
        from = start + open.len();
    }
    starts.into_iter().filter_map(move |start| {
        let end = html[start..].find('>')?;
        Some(&html[start + 1..start + end])
    })
}

fn element_with_id<'a>(html: &'a str, id: &str) -> Option<(&'a str, &'a str)> {
    let mut from = 0;
    while let Some(at) = html[from..].find('<') {
        let start = from + at;
        let end = start + html[start..].find('>')?;
        let tag = &html[start + 1..end];
        if !tag.starts_with('/') && attr(tag, "id").as_deref() == Some(id) {
            return Some((tag, &html[end + 1..]));
        }
        from = end;
    }
    None
}

fn tag_name(tag: &str) -> Option<&str> {
    tag.split(|c: char| c.is_whitespace() || c == '/').next()
}

/// The value of `name` in an opening tag's text (`input type="hidden" name="csrf" value="x"`).
fn attr(tag: &str, name: &str) -> Option<String> {
    let bytes = tag.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Find an attribute name.
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'=' {
            i += 1;
        }
        let key = &tag[start..i];
        let mut value = None;
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            match bytes.get(i) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let end = tag[i + 1..].find(char::from(quote))? + i + 1;
                    value = Some(&tag[i + 1..end]);
                    i = end + 1;
                }
                _ => {
                    let begin = i;
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    value = Some(&tag[begin..i]);
                }
            }
        }
        if key.eq_ignore_ascii_case(name) {
            return Some(unescape(value.unwrap_or("")));
        }
        if i == start {
            i += 1;
        }
    }
    None
}

#[test]
fn reads_the_markup_the_suites_rely_on() {
    let page = r#"<form method="post"><input type=hidden value="t&amp;1" name="csrf">
        <span class="x" id="state" data-state="acknowledged">Acknowledged</span>
        <table><tr data-case="7" class="overdue"><td>a</td></tr><tr data-case='9'></tr></table>
        <span id="score"><b>9.8</b> Critical</span><a href="/cases/7">x</a>"#;
    assert_eq!(csrf(page).as_deref(), Some("t&1"));
    assert_eq!(input_value(page, "csrf").as_deref(), Some("t&1"));
    assert_eq!(
        attr_of_id(page, "state", "data-state").as_deref(),
        Some("acknowledged")
    );
    assert_eq!(text_of_id(page, "score").as_deref(), Some("9.8 Critical"));
    assert_eq!(inbox_cases(page), ["7", "9"]);
    assert_eq!(links(page), ["/cases/7"]);
}
