//! What fits in one SMS: the GSM 03.38 alphabet, counted the way operators bill it. A
//! message of at most [`SEGMENT`] units in that alphabet costs one SMS; a character outside
//! it (an emoji, a curly quote) would switch the whole message to UCS-2 and 70 characters.

/// Units in one single-part GSM-7 message.
pub const SEGMENT: usize = 160;

/// The GSM 03.38 basic character set (one unit each).
const BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// The extension table: an escape and the character, two units each.
const EXTENDED: &str = "^{}\\[~]|€\u{000C}";

/// How many GSM-7 units `text` takes, or `None` when a character is outside the alphabet.
pub fn gsm7_units(text: &str) -> Option<usize> {
    text.chars().try_fold(0, |n, c| {
        if BASIC.contains(c) {
            Some(n + 1)
        } else if EXTENDED.contains(c) {
            Some(n + 2)
        } else {
            None
        }
    })
}

/// Whether a resident hears about an application reaching `status` by SMS: every step but
/// the quiet one between the home visit and the decision.
pub fn announces(status: crate::domain::workflow::Status) -> bool {
    !matches!(status, crate::domain::workflow::Status::AwaitingDecision)
}

/// Whether `text` goes as one plain SMS.
pub fn fits_one_segment(text: &str) -> bool {
    gsm7_units(text).is_some_and(|n| n <= SEGMENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_indonesian_is_one_unit_a_character_and_emoji_are_outside() {
        assert_eq!(gsm7_units("Permohonan K7QM-3XH9P diterima."), Some(31));
        assert_eq!(gsm7_units("[a]"), Some(5), "brackets are escaped");
        assert_eq!(gsm7_units("Terima kasih 🙏"), None);
        assert_eq!(gsm7_units("“kutip”"), None, "curly quotes are not GSM-7");
        assert!(fits_one_segment(&"a".repeat(160)) && !fits_one_segment(&"a".repeat(161)));
    }
}
