//! The text messages residents get, in plain Bahasa Indonesia only: an SMS is read on any
//! phone, often a shared one, and the language choice of a browser does not reach it. Each
//! fits one GSM-7 segment (`domain::sms`) with the longest number, date and site address —
//! a test holds every one to it. The registration number and what to do next; never a NIK,
//! a name or a PIN.

use crate::domain::workflow::Status;

/// The message for an application reaching `status`, or `None` for a step that is not news
/// to the resident (`Status::tells_resident`: the visit done and the decision not yet
/// taken, a fix recorded at the counter).
/// `number` as shown (`K7QM-3XH9P`), `due` the decision date as shown, `site` the public
/// address without its scheme (`layan.dinsos.example.go.id`).
pub fn application(status: Status, number: &str, due: &str, site: &str) -> Option<String> {
    status.tells_resident().then(|| status_reply(status, number, due, site))
}

/// Where an application at `status` stands and what comes next: the message of the step
/// that reached it, and the answer to `CEK`.
pub fn status_reply(status: Status, number: &str, due: &str, site: &str) -> String {
    match status {
        Status::Submitted => format!("Dinsos: Permohonan {number} DITERIMA. Keputusan paling lambat {due}. Simpan nomor & PIN Anda. Lacak: {site}/lacak"),
        Status::NeedsCorrection => format!("Dinsos: Permohonan {number} PERLU PERBAIKAN. Lihat yang diminta dan perbaiki di {site}/lacak atau di loket Puskesos."),
        Status::Resubmitted => format!("Dinsos: Perbaikan permohonan {number} DITERIMA. Petugas memeriksanya lagi. Lacak: {site}/lacak"),
        Status::FieldAssessment => format!("Dinsos: Permohonan {number} lengkap. Petugas akan MENGUNJUNGI rumah Anda; pastikan HP ini aktif. Lacak: {site}/lacak"),
        Status::AwaitingDecision => {
            format!("Dinsos: Permohonan {number} sudah dikunjungi dan MENUNGGU KEPUTUSAN, paling lambat {due}. Lacak: {site}/lacak")
        }
        Status::Approved => format!("Dinsos: Permohonan {number} DISETUJUI. Petugas akan menghubungi Anda tentang penyaluran bantuan. Rincian: {site}/lacak"),
        Status::Rejected => format!("Dinsos: Permohonan {number} TIDAK DISETUJUI. Alasan dan cara sanggah (14 hari): {site}/lacak atau loket Puskesos."),
        Status::Referred => format!("Dinsos: Permohonan {number} DITERUSKAN ke program/lembaga lain yang lebih sesuai. Tujuannya: {site}/lacak"),
        Status::Served => format!("Dinsos: Bantuan untuk permohonan {number} sudah DIBERIKAN. Terima kasih."),
        Status::Withdrawn => format!("Dinsos: Permohonan {number} sudah DICABUT dan tidak diproses lagi. Info: {site}/lacak"),
    }
}

/// A `CEK` whose number and PIN do not match (the same words whichever half was wrong).
pub fn wrong_pair(site: &str) -> String {
    format!("Dinsos: Nomor permohonan atau PIN tidak cocok. Periksa tanda terima, lalu kirim CEK <nomor> <PIN>. Lupa PIN? Buka {site}/lacak")
}

/// A `CEK` past the guessing limits.
pub const THROTTLED: &str =
    "Dinsos: Terlalu banyak percobaan. Coba lagi beberapa jam lagi, atau datang ke loket Puskesos dengan KTP dan tanda terima Anda.";

/// Anything the office's number does not understand.
pub const HELP: &str =
    "Dinsos: Perintah tidak dikenal. Kirim CEK <nomor> <PIN> untuk status permohonan, BERHENTI untuk berhenti menerima SMS, MULAI untuk menerima lagi.";

/// After `BERHENTI`: the last message this phone gets until `MULAI`.
pub fn stopped(site: &str) -> String {
    format!("Dinsos: Anda tidak akan menerima SMS dari kami lagi. Status tetap ada di {site}/lacak. Kirim MULAI untuk menerima SMS lagi.")
}

/// After `MULAI`.
pub const STARTED: &str = "Dinsos: SMS dari kami aktif lagi untuk nomor ini. Kirim BERHENTI kapan saja untuk berhenti.";

/// The one-time code that opens a phone's open applications on the tracking page, with as
/// many of their numbers as fit in one message.
pub fn code(code: &str, numbers: &[String], site: &str) -> String {
    let mut text = format!("Dinsos: Kode {code} membuka permohonan Anda di {site}/lacak, berlaku 15 menit. JANGAN beri ke siapa pun. Nomor:");
    for (i, number) in numbers.iter().enumerate() {
        let more = if i + 1 < numbers.len() { " dll." } else { "" };
        let next = format!("{} {number}", if i == 0 { "" } else { "," });
        if crate::domain::sms::gsm7_units(&format!("{text}{next}{more}")).unwrap_or(usize::MAX) > crate::domain::sms::SEGMENT {
            text.push_str(" dll.");
            return text;
        }
        text.push_str(&next);
    }
    text
}

/// `CEK` on a complaint not yet answered.
pub fn complaint_received(number: &str, due: &str, site: &str) -> String {
    format!("Dinsos: Pengaduan {number} sudah DITERIMA dan sedang ditangani. Jawaban paling lambat {due}. Lacak: {site}/lacak")
}

/// `CEK` when the server is too busy to check PINs: not counted, send again.
pub const BUSY: &str = "Dinsos: Sistem sedang sibuk. Kirim lagi pesan CEK Anda beberapa menit lagi.";

/// A complaint or dispute answered (or answered and closed): the reply is read on the page.
pub fn complaint_answered(number: &str, site: &str) -> String {
    format!("Dinsos: Pengaduan {number} sudah DIJAWAB. Baca jawabannya di {site}/lacak dengan nomor dan PIN pengaduan Anda.")
}

/// A breach notice: the office's words between a heading and where to ask. Several parts
/// when the words are long (the administrator's page says how many).
pub fn breach(message: &str, site: &str) -> String {
    format!("Dinsos: PEMBERITAHUAN DATA PRIBADI. {message} Tanya: loket Puskesos atau {site}/pengaduan")
}

/// The public address as a message shows it: without `https://` and a trailing slash.
pub fn site(public_url: &str) -> &str {
    let rest = public_url.split_once("://").map(|(_, r)| r).unwrap_or(public_url);
    rest.trim_end_matches('/')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sms::{SEGMENT, gsm7_units};
    use crate::domain::workflow::Status;

    #[test]
    fn every_message_fits_one_segment_with_the_longest_number_date_and_address() {
        // A number as shown, a date as shown, and a long office address (38 characters).
        let (number, due, site) = ("WWWW-WWWWW", "30-09-2027", "layan.dinsos.kabupaten-contoh.go.id/pd");
        assert_eq!(site.len(), 38);
        for &status in Status::ALL {
            let text = status_reply(status, number, due, site);
            assert_eq!(application(status, number, due, site).is_some(), status.tells_resident());
            let units = gsm7_units(&text).unwrap_or_else(|| panic!("{status:?} is not GSM-7: {text}"));
            println!("{} ({units}) {text}", status.slug());
            assert!(units <= SEGMENT, "{status:?}: {units} units: {text}");
            assert!(text.contains(number), "{status:?} names the application");
            assert!(!text.to_lowercase().contains("nik"), "{status:?}");
        }
    }

    #[test]
    fn every_reply_fits_one_segment_too() {
        let (number, due, site) = ("WWWW-WWWWW", "30-09-2027", "layan.dinsos.kabupaten-contoh.go.id/pd");
        let many: Vec<String> = (0..9).map(|_| number.to_string()).collect();
        let texts = [
            wrong_pair(site),
            THROTTLED.to_string(),
            HELP.to_string(),
            stopped(site),
            STARTED.to_string(),
            code("123456", &many[..1], site),
            code("123456", &many, site),
            complaint_answered(number, site),
            complaint_received(number, due, site),
            BUSY.to_string(),
        ];
        for text in texts {
            let units = gsm7_units(&text).unwrap_or_else(|| panic!("not GSM-7: {text}"));
            // `cargo test --lib i18n::sms -- --nocapture` lists every message with its length.
            println!("({units}) {text}");
            assert!(units <= SEGMENT, "{units} units: {text}");
        }
        assert!(code("123456", &many[..1], site).ends_with(number));
        assert!(code("123456", &many, site).ends_with(" dll."), "{}", code("123456", &many, site));
    }

    #[test]
    fn the_address_is_shown_without_its_scheme() {
        assert_eq!(site("https://layan.dinsos.example.go.id/"), "layan.dinsos.example.go.id");
        assert_eq!(site("http://127.0.0.1:3000"), "127.0.0.1:3000");
    }
}
