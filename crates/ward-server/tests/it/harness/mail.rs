//! Reading the messages the SMTP capture kept: headers with RFC 2047 encoded words.

/// The `Subject:` header, RFC 2047 encoded words decoded.
pub(crate) fn subject(raw: &str) -> String {
    let mut lines = raw.lines().take_while(|l| !l.is_empty()).peekable();
    let mut value = None;
    while let Some(line) = lines.next() {
        if let Some(rest) = line.strip_prefix("Subject:") {
            let mut folded = rest.trim().to_owned();
            while let Some(next) = lines.next_if(|l| l.starts_with([' ', '\t'])) {
                folded.push(' ');
                folded.push_str(next.trim());
            }
            value = Some(folded);
            break;
        }
    }
    decode_words(&value.unwrap_or_default())
}

fn decode_words(text: &str) -> String {
    use base64::Engine as _;
    let mut out = String::new();
    let mut previous_was_word = false;
    for token in text.split(' ') {
        let decoded = token
            .strip_prefix("=?")
            .and_then(|t| t.strip_suffix("?="))
            .and_then(|t| {
                let mut parts = t.splitn(3, '?');
                let (_charset, encoding, data) = (parts.next()?, parts.next()?, parts.next()?);
                match encoding {
                    "b" | "B" => base64::engine::general_purpose::STANDARD
                        .decode(data)
                        .ok()
                        .map(|b| String::from_utf8_lossy(&b).into_owned()),
                    "q" | "Q" => Some(decode_q(data)),
                    _ => None,
                }
            });
        match decoded {
            Some(word) => {
                // Whitespace between adjacent encoded words is not part of the text.
                if !previous_was_word && !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(&word);
                previous_was_word = true;
            }
            None => {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(token);
                previous_was_word = false;
            }
        }
    }
    out
}

fn decode_q(data: &str) -> String {
    let mut bytes = Vec::new();
    let mut input = data.bytes();
    while let Some(b) = input.next() {
        match b {
            b'_' => bytes.push(b' '),
            b'=' => {
                let hex: String = [input.next(), input.next()]
                    .into_iter()
                    .flatten()
                    .map(char::from)
                    .collect();
                bytes.push(u8::from_str_radix(&hex, 16).unwrap_or(b'?'));
            }
            b => bytes.push(b),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn encoded_subjects_are_decoded() {
    assert_eq!(
        subject("To: a\r\nSubject: =?utf-8?b?W3dhcmRdIMOp?=\r\n =?utf-8?q?_x=C3=A9?=\r\n\r\nbody"),
        "[ward] é xé"
    );
    assert_eq!(subject("Subject: plain words\n\n"), "plain words");
}
