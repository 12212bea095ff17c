//! The annotation file's text as opened or last saved: what a three-way
//! merge starts from when the file changes on disk. It is as large as the
//! file (10,000 claims with Arabic quotes make 9.6 MB, more than the
//! article) and is read only when a merge starts, so it is kept deflated
//! (RON shrinks about sevenfold). Deflating 10 MB takes tens of
//! milliseconds, so a thread of its own does it, after the file is shown.

use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};

/// A file's text, kept for a merge.
#[derive(Clone)]
pub struct MergeBase {
    kept: Arc<Mutex<Kept>>,
    /// The text's length in bytes, which inflating never exceeds.
    len: usize,
    /// SHA-256 of the text: what the disk watcher and a save compare the
    /// file on disk with.
    sha256: String,
}

enum Kept {
    /// Until it is deflated (for good, if deflating ever failed).
    Plain(Arc<str>),
    Deflated(Vec<u8>),
}

impl MergeBase {
    pub fn new(text: &str) -> Self {
        let plain: Arc<str> = text.into();
        let kept = Arc::new(Mutex::new(Kept::Plain(plain.clone())));
        let slot = Arc::downgrade(&kept);
        // Without a thread the text stays as it is: nothing is lost.
        let _ = std::thread::Builder::new()
            .name("deflate-merge-base".into())
            .spawn(move || {
                let Some(deflated) = deflate(&plain) else {
                    return;
                };
                if let Some(kept) = slot.upgrade()
                    && let Ok(mut kept) = kept.lock()
                {
                    *kept = Kept::Deflated(deflated);
                }
            });
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
        let kept = self.kept.lock().ok()?;
        let text = match &*kept {
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

    /// Bytes held for the text once the thread is done.
    fn held(base: &MergeBase) -> usize {
        for _ in 0..1000 {
            if let Ok(kept) = base.kept.lock()
                && let Kept::Deflated(deflated) = &*kept
            {
                return deflated.len();
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        panic!("not deflated in 10 s");
    }

    #[test]
    fn a_file_is_kept_small_and_given_back_whole() {
        let claim = "(id: \"c-00001\", anchor: (start: 120, end: 146, exact: \"قال وزير الخارجية إن المحادثات\", \
                     prefix: \"the talks \", suffix: \" said\"), status: Disputed),\n";
        let text = claim.repeat(5000);
        let base = MergeBase::new(&text);
        assert_eq!(base.text().as_deref(), Some(text.as_str()), "at once");
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
        let base = MergeBase::new(&text);
        held(&base);
        if let Ok(mut kept) = base.kept.lock()
            && let Kept::Deflated(deflated) = &mut *kept
        {
            let middle = deflated.len() / 2;
            deflated[middle] ^= 0xFF;
        }
        assert_eq!(base.text(), None);
    }
}
