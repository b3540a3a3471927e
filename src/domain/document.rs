//! Uploaded documents: what kind of file it really is (by its first bytes, never by its
//! name or the type the browser claims), and how large it may be.

use serde::{Deserialize, Serialize};

/// Per file. Phones' photos are downscaled in the browser to well under this; without
/// JavaScript an original photo of up to 5 MB still fits.
pub const MAX_UPLOAD_BYTES: u64 = 5 * 1024 * 1024;

/// The longest side photos are scaled to in the browser before upload: enough to read a
/// KTP's smallest print.
pub const PHOTO_LONGEST_SIDE: u32 = 1600;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FileType {
    Jpeg,
    Png,
    Webp,
    Pdf,
}

impl FileType {
    /// How many leading bytes [`FileType::sniff`] needs.
    pub const SNIFF_BYTES: usize = 12;

    /// Recognises a file by its signature; anything else is refused.
    pub fn sniff(head: &[u8]) -> Option<FileType> {
        match head {
            [0xFF, 0xD8, 0xFF, ..] => Some(FileType::Jpeg),
            [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(FileType::Png),
            [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some(FileType::Webp),
            [b'%', b'P', b'D', b'F', b'-', ..] => Some(FileType::Pdf),
            _ => None,
        }
    }

    pub const fn mime(self) -> &'static str {
        match self {
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
            FileType::Webp => "image/webp",
            FileType::Pdf => "application/pdf",
        }
    }

    pub fn from_mime(mime: &str) -> Option<FileType> {
        [FileType::Jpeg, FileType::Png, FileType::Webp, FileType::Pdf].into_iter().find(|t| t.mime() == mime)
    }

    pub const fn is_image(self) -> bool {
        !matches!(self, FileType::Pdf)
    }

    /// For the resident's list ("Foto (JPEG), 412 KB").
    pub const fn label(self) -> &'static str {
        match self {
            FileType::Jpeg => "JPEG",
            FileType::Png => "PNG",
            FileType::Webp => "WebP",
            FileType::Pdf => "PDF",
        }
    }
}

/// "412 KB", "1,2 MB": sizes as residents read them (Indonesian decimal comma).
pub fn human_size(bytes: u64) -> String {
    if bytes < 1024 * 1024 {
        format!("{} KB", bytes.div_ceil(1024))
    } else {
        let tenths = (bytes * 10).div_ceil(1024 * 1024);
        format!("{},{} MB", tenths / 10, tenths % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_known_by_their_first_bytes_only() {
        assert_eq!(FileType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]), Some(FileType::Jpeg));
        assert_eq!(FileType::sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some(FileType::Png));
        assert_eq!(FileType::sniff(b"RIFF\x24\0\0\0WEBPVP8 "), Some(FileType::Webp));
        assert_eq!(FileType::sniff(b"%PDF-1.7\n"), Some(FileType::Pdf));
        // A Windows program renamed to .jpg, an HTML page, a WAV file, nothing at all.
        assert_eq!(FileType::sniff(b"MZ\x90\0\x03\0\0\0\x04\0\0\0"), None);
        assert_eq!(FileType::sniff(b"<html><script>"), None);
        assert_eq!(FileType::sniff(b"RIFF\x24\0\0\0WAVEfmt "), None);
        assert_eq!(FileType::sniff(b""), None);
    }

    #[test]
    fn sizes_read_the_indonesian_way() {
        assert_eq!(human_size(1), "1 KB");
        assert_eq!(human_size(412 * 1024), "412 KB");
        assert_eq!(human_size(1_258_291), "1,2 MB");
        assert_eq!(human_size(MAX_UPLOAD_BYTES), "5,0 MB");
    }
}
