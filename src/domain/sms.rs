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

/// Whether `text` goes as one plain SMS.
pub fn fits_one_segment(text: &str) -> bool {
    gsm7_units(text).is_some_and(|n| n <= SEGMENT)
}

/// How many SMS the operator bills for `text`: one up to 160 GSM-7 units (70 UCS-2
/// characters), then parts of 153 (67), each carrying the header that joins them.
pub fn segments(text: &str) -> i64 {
    let (units, single, part) = match gsm7_units(text) {
        Some(units) => (units, SEGMENT, 153),
        None => (text.encode_utf16().count(), 70, 67),
    };
    if units <= single { 1 } else { units.div_ceil(part) as i64 }
}

/// What a resident's text to the office's number asks for. Keywords are read in any case,
/// with any spacing, and the registration number with or without its dash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// `CEK <nomor> <PIN>`: the status of that application (the pair is checked like the
    /// tracking page's).
    Check { number: String, pin: String },
    /// `BERHENTI` (or `STOP`): no more text messages to this phone.
    Stop,
    /// `MULAI` (or `START`): text messages again.
    Start,
    /// Anything else, or `CEK` without a number and a PIN: the one-line help.
    Help,
}

impl Command {
    pub fn parse(text: &str) -> Command {
        let words: Vec<String> = text.split_whitespace().map(str::to_uppercase).collect();
        match words.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
            ["CEK" | "CEK#", number, pin] => Command::Check { number: number.to_string(), pin: pin.to_string() },
            ["BERHENTI" | "STOP" | "UNREG"] => Command::Stop,
            ["MULAI" | "START"] => Command::Start,
            _ => Command::Help,
        }
    }

    /// What the command is counted under in the office's SMS costs.
    pub const fn slug(&self) -> &'static str {
        match self {
            Command::Check { .. } => "cek",
            Command::Stop => "berhenti",
            Command::Start => "mulai",
            Command::Help => "bantuan",
        }
    }
}

/// What a delivery report says about a message that left.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    Delivered,
    Failed,
}

impl Delivery {
    /// Kannel's `%d`: 1 delivered to the phone, 2 not delivered to the phone, 16 refused by
    /// the operator's SMSC; 4 (queued) and 8 (the SMSC has it) are on the way, not an answer.
    pub fn from_kannel(status: &str) -> Option<Delivery> {
        match status.trim() {
            "1" => Some(Delivery::Delivered),
            "2" | "16" => Some(Delivery::Failed),
            _ => None,
        }
    }

    pub const fn slug(self) -> &'static str {
        match self {
            Delivery::Delivered => "delivered",
            Delivery::Failed => "failed",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Delivery> {
        [Delivery::Delivered, Delivery::Failed].into_iter().find(|d| d.slug() == slug)
    }
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

    #[test]
    fn longer_messages_are_billed_in_parts() {
        assert_eq!(segments(&"a".repeat(160)), 1);
        assert_eq!(segments(&"a".repeat(161)), 2);
        assert_eq!(segments(&"a".repeat(306)), 2);
        assert_eq!(segments(&"a".repeat(307)), 3);
        assert_eq!(segments("Terima kasih 🙏"), 1, "UCS-2, 16 code units");
        assert_eq!(segments(&"é🙏".repeat(30)), 2, "90 UCS-2 units");
    }

    #[test]
    fn a_residents_text_is_read_in_any_case_and_spacing() {
        assert_eq!(Command::parse("cek  k7qm-3xh9p 123456"), Command::Check { number: "K7QM-3XH9P".into(), pin: "123456".into() });
        assert_eq!(Command::parse(" Berhenti "), Command::Stop);
        assert_eq!(Command::parse("STOP"), Command::Stop);
        assert_eq!(Command::parse("mulai"), Command::Start);
        assert_eq!(Command::parse("CEK K7QM3XH9P"), Command::Help, "a number without its PIN");
        assert_eq!(Command::parse("halo pak"), Command::Help);
        assert_eq!(Command::parse(""), Command::Help);
    }

    #[test]
    fn only_final_delivery_reports_count() {
        assert_eq!(Delivery::from_kannel("1"), Some(Delivery::Delivered));
        assert_eq!(Delivery::from_kannel("2"), Some(Delivery::Failed));
        assert_eq!(Delivery::from_kannel("16"), Some(Delivery::Failed));
        assert_eq!(Delivery::from_kannel("8"), None);
        assert_eq!(Delivery::from_kannel("x"), None);
    }
}
