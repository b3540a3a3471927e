//! The text messages residents get, in plain Bahasa Indonesia only: an SMS is read on any
//! phone, often a shared one, and the language choice of a browser does not reach it. Each
//! fits one GSM-7 segment (`domain::sms`) with the longest number, date and site address —
//! a test holds every one to it. The registration number and what to do next; never a NIK,
//! a name or a PIN.

use crate::domain::workflow::Status;

/// The message for an application reaching `status`, or `None` for a step the resident
/// need not hear about by SMS (the visit done, the decision not yet taken).
/// `number` as shown (`K7QM-3XH9P`), `due` the decision date as shown, `site` the public
/// address without its scheme (`layan.dinsos.example.go.id`).
pub fn application(status: Status, number: &str, due: &str, site: &str) -> Option<String> {
    if !crate::domain::sms::announces(status) {
        return None;
    }
    let text = match status {
        Status::Submitted => format!("Dinsos: Permohonan {number} DITERIMA. Keputusan paling lambat {due}. Simpan nomor & PIN Anda. Lacak: {site}/lacak"),
        Status::NeedsCorrection => format!("Dinsos: Permohonan {number} PERLU PERBAIKAN. Lihat yang diminta dan perbaiki di {site}/lacak atau di loket Puskesos."),
        Status::Resubmitted => format!("Dinsos: Perbaikan permohonan {number} DITERIMA. Petugas memeriksanya lagi. Lacak: {site}/lacak"),
        Status::FieldAssessment => format!("Dinsos: Permohonan {number} lengkap. Petugas akan MENGUNJUNGI rumah Anda; pastikan HP ini aktif. Lacak: {site}/lacak"),
        Status::AwaitingDecision => return None,
        Status::Approved => format!("Dinsos: Permohonan {number} DISETUJUI. Petugas akan menghubungi Anda tentang penyaluran bantuan. Rincian: {site}/lacak"),
        Status::Rejected => format!("Dinsos: Permohonan {number} TIDAK DISETUJUI. Alasan dan cara sanggah (14 hari): {site}/lacak atau loket Puskesos."),
        Status::Referred => format!("Dinsos: Permohonan {number} DITERUSKAN ke program/lembaga lain yang lebih sesuai. Tujuannya: {site}/lacak"),
        Status::Served => format!("Dinsos: Bantuan untuk permohonan {number} sudah DIBERIKAN. Terima kasih."),
        Status::Withdrawn => format!("Dinsos: Permohonan {number} sudah DICABUT dan tidak diproses lagi. Info: {site}/lacak"),
    };
    Some(text)
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
            let Some(text) = application(status, number, due, site) else { continue };
            let units = gsm7_units(&text).unwrap_or_else(|| panic!("{status:?} is not GSM-7: {text}"));
            assert!(units <= SEGMENT, "{status:?}: {units} units: {text}");
            assert!(text.contains(number), "{status:?} names the application");
            assert!(!text.to_lowercase().contains("nik"), "{status:?}");
        }
    }

    #[test]
    fn the_address_is_shown_without_its_scheme() {
        assert_eq!(site("https://layan.dinsos.example.go.id/"), "layan.dinsos.example.go.id");
        assert_eq!(site("http://127.0.0.1:3000"), "127.0.0.1:3000");
    }
}
