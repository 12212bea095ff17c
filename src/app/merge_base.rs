//! The annotation file's text as opened or last saved: what a three-way
//! merge starts from when the file changes on disk. It is as large as the
//! file (10,000 claims with Arabic quotes make 9.6 MB, more than the
//! article) and is read only when a merge starts, so it is kept deflated:
//! RON shrinks about sixfold, and deflating 10 MB takes about 25 ms, done in
//! the job that read or wrote the file.

use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use std::io::{Read, Write};
use std::sync::Arc;

/// A file's text, kept for a merge.
#[derive(Clone)]
pub struct MergeBase {
    kept: Kept,
    /// The text's length in bytes, which inflating never exceeds.
    len: usize,
    /// SHA-256 of the text: what the disk watcher and a save compare the
    /// file on disk with.
    sha256: String,
}

#[derive(Clone)]
enum Kept {
    Deflated(Arc<[u8]>),
    /// Kept as it is if deflating failed (it cannot, into memory; but
    /// nothing is lost if it ever does).
    Plain(Arc<str>),
}

impl MergeBase {
    pub fn new(text: &str) -> Self {
        let kept = match deflate(text) {
            Some(deflated) => Kept::Deflated(deflated.into()),
            None => Kept::Plain(text.into()),
        };
        Self {
            kept,
            len: text.len(),
            sha256: crate::model::fingerprint(text),
        }
    }

    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// The text again; `None` only if what was kept no longer inflates to
    /// the text it was made from (then the merge goes on without a base).
    pub fn text(&self) -> Option<String> {
        let text = match &self.kept {
            Kept::Plain(text) => text.to_string(),
            Kept::Deflated(deflated) => {
                let mut bytes = Vec::with_capacity(self.len);
                DeflateDecoder::new(&deflated[..])
                    .take(self.len as u64)
                    .read_to_end(&mut bytes)
                    .ok()?;
                String::from_utf8(bytes).ok()?
            }
        };
        (crate::model::fingerprint(&text) == self.sha256).then_some(text)
    }
}

fn deflate(text: &str) -> Option<Vec<u8>> {
    let mut encoder = DeflateEncoder::new(Vec::new(), Compression::fast());
    encoder.write_all(text.as_bytes()).ok()?;
    encoder.finish().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(base: &MergeBase) -> usize {
        match &base.kept {
            Kept::Deflated(deflated) => deflated.len(),
            Kept::Plain(text) => text.len(),
        }
    }

    #[test]
    fn a_file_is_kept_small_and_given_back_whole() {
        let claim = "(id: \"c-00001\", anchor: (start: 120, end: 146, exact: \"قال وزير الخارجية إن المحادثات\", \
                     prefix: \"the talks \", suffix: \" said\"), status: Disputed),\n";
        let text = claim.repeat(5000);
        let base = MergeBase::new(&text);
        assert!(
            held(&base) * 5 < text.len(),
            "{} of {}",
            held(&base),
            text.len()
        );
        assert_eq!(base.text().as_deref(), Some(text.as_str()));
        assert_eq!(base.sha256(), crate::model::fingerprint(&text));
        assert_eq!(MergeBase::new("").text().as_deref(), Some(""));
    }

    #[test]
    fn a_damaged_copy_gives_no_base_rather_than_a_wrong_one() {
        let text = "(claims: [])\n".repeat(100);
        let mut base = MergeBase::new(&text);
        let Kept::Deflated(deflated) = &base.kept else {
            panic!("kept deflated");
        };
        let mut damaged = deflated.to_vec();
        let middle = damaged.len() / 2;
        damaged[middle] ^= 0xFF;
        base.kept = Kept::Deflated(damaged.into());
        assert_eq!(base.text(), None);
        // A stream that inflates well, to other text of the same length.
        let other = "(claims: [0])".repeat(100);
        assert_eq!(other.len(), text.len());
        base.kept = Kept::Deflated(deflate(&other).unwrap_or_default().into());
        assert_eq!(base.text(), None);
    }
}
