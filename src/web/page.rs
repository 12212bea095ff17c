//! A web page's bytes as text: which character set they are in, and whether
//! they are a web page at all. Pages come from disk or from a server, and
//! either may lie. The order, in short: a byte order mark; then UTF-8 when
//! the bytes are valid UTF-8 and not all ASCII; then the server's `charset`,
//! the page's own `<meta charset>` within its first bytes, else Windows-1252
//! (what browsers assume for an unlabelled Western page).
//!
//! Browsers trust a label over the bytes; this does not, because a saved
//! page is often re-encoded as UTF-8 with its old `<meta charset=gb2312>`
//! left in (Readability's own test pages are), and text in a legacy
//! encoding is almost never valid UTF-8 by accident.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// The largest page factmark reads or fetches. News pages are well under
/// 5 MB even with their inline scripts; a long Wikipedia article is ~3 MB.
pub const MAX_PAGE_BYTES: u64 = 24 * 1024 * 1024;

/// How far into a page its `<meta charset>` is looked for (the HTML
/// standard's pre-scan looks at 1024 bytes; real pages put scripts first).
const META_SCAN_BYTES: usize = 8 * 1024;

/// Why some bytes are not a page factmark can read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    #[error("the page is empty")]
    Empty,
    #[error("this is not a web page: it holds binary data (NUL bytes near byte {0})")]
    Binary(usize),
    #[error("this is not a web page: it does not start with an HTML tag")]
    NotHtml,
}

/// A page decoded to text, and the character set it was read in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedPage {
    pub html: String,
    pub charset: &'static str,
}

/// Decodes `bytes` as a web page; `http_charset` is the server's word for
/// it (the `charset` of its `Content-Type`), if any.
pub fn decode(bytes: &[u8], http_charset: Option<&str>) -> Result<DecodedPage, PageError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(PageError::Empty);
    }
    let bom = Encoding::for_bom(bytes).map(|(encoding, _)| encoding);
    let utf8 = !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok();
    let encoding = bom
        .or(utf8.then_some(UTF_8))
        .or_else(|| http_charset.and_then(|label| Encoding::for_label(label.trim().as_bytes())))
        .or_else(|| meta_charset(bytes))
        .unwrap_or(if bytes.is_ascii() {
            UTF_8
        } else {
            WINDOWS_1252
        });
    // UTF-16 text is full of NULs; any other page with them is not text.
    let wide = encoding == UTF_16LE || encoding == UTF_16BE;
    if !wide && let Some(at) = memchr_nul(bytes) {
        return Err(PageError::Binary(at));
    }
    let (text, used, _) = encoding.decode(bytes);
    if !starts_with_tag(&text) {
        return Err(PageError::NotHtml);
    }
    Ok(DecodedPage {
        html: text.into_owned(),
        charset: used.name(),
    })
}

/// The charset label a `Content-Type` value names, if any.
pub fn charset_of_content_type(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(['"', '\'']))
    })
}

/// Where the first NUL byte is in the page's head, if there is one.
fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    bytes.iter().take(META_SCAN_BYTES).position(|&b| b == 0)
}

/// `<meta charset="…">` or `<meta http-equiv="Content-Type" content="…;
/// charset=…">` near the start of the page.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(META_SCAN_BYTES)];
    // Labels are ASCII, so a lossless ASCII view is enough to find them.
    let head: String = head
        .iter()
        .map(|&b| {
            if b.is_ascii() {
                b.to_ascii_lowercase() as char
            } else {
                ' '
            }
        })
        .collect();
    let mut rest = head.as_str();
    while let Some(at) = rest.find("<meta") {
        rest = &rest[at + 5..];
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        if let Some(at) = tag.find("charset") {
            let value = tag[at + 7..].trim_start();
            if let Some(value) = value.strip_prefix('=') {
                let label: String = value
                    .trim_start()
                    .trim_start_matches(['"', '\''])
                    .chars()
                    .take_while(|c| {
                        !matches!(c, '"' | '\'' | ';' | '/' | '>') && !c.is_whitespace()
                    })
                    .collect();
                if let Some(encoding) = Encoding::for_label(label.as_bytes()) {
                    // A page that says UTF-16 in ASCII is not UTF-16 (as browsers rule).
                    return Some(if encoding.output_encoding() == encoding {
                        encoding
                    } else {
                        UTF_8
                    });
                }
            }
        }
    }
    None
}

/// Whether the text starts (after white space, a BOM and comments) with a
/// tag or a doctype, as every web page does and plain text hardly ever.
fn starts_with_tag(text: &str) -> bool {
    let mut rest = text.trim_start_matches(['\u{feff}', ' ', '\t', '\n', '\r', '\u{c}']);
    while let Some(comment) = rest.strip_prefix("<!--") {
        let Some(end) = comment.find("-->") else {
            return false;
        };
        rest = comment[end + 3..].trim_start();
    }
    let mut chars = rest.chars();
    chars.next() == Some('<')
        && chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '!' || c == '?')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_charset_comes_from_bom_then_server_then_meta_then_the_bytes() {
        let utf8 = "<p>café</p>".as_bytes();
        assert_eq!(decode(utf8, None).map(|p| p.charset), Ok("UTF-8"));
        // The same word in Windows-1252, unlabelled: browsers' fallback.
        let latin = b"<p>caf\xe9</p>";
        let page = decode(latin, None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (page.html.as_str(), page.charset),
            ("<p>café</p>", "windows-1252")
        );
        // Labelled by the page.
        let labelled = b"<html><head><meta charset=\"iso-8859-2\"></head><p>\xb9</p>";
        let page = decode(labelled, None).unwrap_or_else(|e| panic!("{e}"));
        assert!(page.html.contains("<p>š</p>"), "{}", page.html);
        let http_equiv =
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\"><p>\x93\xfa</p>";
        let page = decode(http_equiv, None).unwrap_or_else(|e| panic!("{e}"));
        assert!(page.html.contains("<p>日</p>"), "{}", page.html);
        // The server outranks the page; a BOM outranks both.
        let page = decode(labelled, Some("windows-1250")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(page.charset, "windows-1250");
        // A page re-encoded as UTF-8 with its old label left in reads as UTF-8.
        let resaved = "<meta charset=\"gb2312\"><p>谷歌</p>".as_bytes();
        let page = decode(resaved, Some("gbk")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((page.charset, page.html.contains("谷歌")), ("UTF-8", true));
        let bom = b"\xef\xbb\xbf<meta charset=latin1><p>\xc3\xa9</p>";
        let page = decode(bom, Some("latin1")).unwrap_or_else(|e| panic!("{e}"));
        assert!(page.html.contains("<p>é</p>"));
        let utf16: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain("<p>é</p>".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(
            decode(&utf16, None).map(|p| p.html),
            Ok("<p>é</p>".to_owned())
        );
        // The server's UTF-16 is taken at its word, without a BOM.
        let bare: Vec<u8> = "<p>é</p>"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(
            decode(&bare, Some("utf-16le")).map(|p| p.html),
            Ok("<p>é</p>".to_owned())
        );
    }

    #[test]
    fn what_is_not_a_page_is_refused_with_why() {
        assert_eq!(decode(b"", None), Err(PageError::Empty));
        assert_eq!(decode(b" \n\t", None), Err(PageError::Empty));
        assert_eq!(
            decode(b"<html\x00\x01\x02", None),
            Err(PageError::Binary(5))
        );
        assert_eq!(
            decode(b"\x89PNG\r\n\x1a\n\x00\x00", None),
            Err(PageError::Binary(8))
        );
        assert_eq!(
            decode(b"Russia called the talks satisfactory.", None),
            Err(PageError::NotHtml)
        );
        assert_eq!(decode(b"<!-- never closed", None), Err(PageError::NotHtml));
        assert_eq!(decode(b"a < b", None), Err(PageError::NotHtml));
        assert!(decode(b"\n<!-- c --> <!DOCTYPE html><p>x", None).is_ok());
        assert!(decode(b"<?xml version=\"1.0\"?><html/>", None).is_ok());
    }

    #[test]
    fn content_type_charsets_are_read_in_any_case_and_quoting() {
        assert_eq!(
            charset_of_content_type("text/html; charset=UTF-8"),
            Some("UTF-8")
        );
        assert_eq!(
            charset_of_content_type("text/html;Charset=\"koi8-r\""),
            Some("koi8-r")
        );
        assert_eq!(charset_of_content_type("text/html"), None);
    }
}
