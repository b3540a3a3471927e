//! The words of Layan's letters. Letters are official documents of an Indonesian office, so
//! they are written in Bahasa Indonesia whatever language the page around them is in.

use crate::domain::Date;
use crate::domain::letter::LetterKind;
use crate::domain::workflow::Role;

const MONTHS: [&str; 12] = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"];

/// "1 Desember 2026".
pub fn long_date(day: Date) -> String {
    format!("{} {} {}", day.day(), MONTHS[(day.month() as usize).clamp(1, 12) - 1], day.year())
}

/// What the letter is about, after "Perihal:".
pub fn subject(kind: LetterKind) -> &'static str {
    match kind {
        LetterKind::Approved => "Keputusan atas permohonan bantuan sosial: DISETUJUI",
        LetterKind::Rejected => "Keputusan atas permohonan bantuan sosial: TIDAK DISETUJUI",
        LetterKind::Referred => "Keputusan atas permohonan bantuan sosial: DIRUJUK",
        LetterKind::Referral => "Rujukan pelayanan sosial",
    }
}

/// The letter's name on the verification page and in links.
pub fn title(kind: LetterKind) -> &'static str {
    match kind {
        LetterKind::Approved => "Surat keputusan (disetujui)",
        LetterKind::Rejected => "Surat keputusan (tidak disetujui)",
        LetterKind::Referred => "Surat keputusan (dirujuk)",
        LetterKind::Referral => "Surat rujukan",
    }
}

/// The signer's position: the role, never the person's name.
pub fn signer(role: Role) -> &'static str {
    match role {
        Role::Supervisor => "Kepala Seksi Pelayanan Sosial",
        Role::Administrator => "Administrator Layanan",
        Role::Verifier => "Verifikator",
        Role::FieldAssessor => "Petugas Asesmen Lapangan",
        Role::FrontDesk => "Petugas Loket",
        Role::Resident => "Pemohon",
    }
}

pub const NUMBER: &str = "Nomor";
pub const SUBJECT: &str = "Perihal";
pub const TO: &str = "Kepada Yth.";
pub const TO_AGENCY: &str = "Kepada Yth. Pimpinan";
pub const OPENING: &str = "Dengan hormat,";
pub const SERVICE: &str = "Bantuan";
pub const AMOUNT: &str = "Nilai";
pub const REASON: &str = "Alasan";
pub const NOTE: &str = "Catatan";
pub const SIGNED: &str = "Ditandatangani secara elektronik";
pub const PRINT_HINT: &str = "Cetak halaman ini (Ctrl+P, atau menu browser → Cetak) di kertas A4.";
pub const ERASED: &str = "Data pribadi permohonan ini sudah dihapus karena masa simpannya berakhir; suratnya tidak dapat dibuat lagi.";

/// The first paragraph of each letter.
pub fn body(kind: LetterKind, number: &str, program: &str, submitted_on: &str) -> String {
    match kind {
        LetterKind::Approved => format!(
            "Permohonan Saudara nomor {number} untuk program {program}, yang kami terima pada {submitted_on}, telah diperiksa dan DISETUJUI dengan rincian berikut. Petugas akan menghubungi Saudara tentang waktu dan cara penyaluran bantuan."
        ),
        LetterKind::Rejected => format!(
            "Permohonan Saudara nomor {number} untuk program {program}, yang kami terima pada {submitted_on}, telah diperiksa dan TIDAK DISETUJUI dengan alasan berikut."
        ),
        LetterKind::Referred => format!(
            "Permohonan Saudara nomor {number} untuk program {program}, yang kami terima pada {submitted_on}, telah diperiksa. Kebutuhan Saudara lebih sesuai dilayani oleh program atau lembaga berikut, sehingga permohonan Saudara DIRUJUK ke sana. Bawalah surat rujukan yang menyertai surat ini."
        ),
        LetterKind::Referral => format!(
            "Bersama ini kami merujuk warga berikut, yang mengajukan permohonan nomor {number} untuk program {program} pada {submitted_on}, untuk mendapat pelayanan dari lembaga Bapak/Ibu sesuai kebutuhannya. Hasil pemeriksaan kami dapat ditanyakan ke kantor kami dengan menyebut nomor surat ini."
        ),
    }
}

/// How to dispute a rejection: within 14 days, online or at the counter.
pub fn dispute(until: &str, site: &str) -> String {
    format!(
        "Jika Saudara tidak sependapat, Saudara dapat mengajukan sanggahan paling lambat {until} (14 hari sejak surat ini) melalui {site}/pengaduan (pilih \"Sanggahan\") atau di loket Puskesos, dengan membawa surat ini."
    )
}

/// Where the agency or resident reaches this office.
pub const REFERRED_TO: &str = "Dirujuk kepada";
pub const PERSON: &str = "Nama";
pub const NIK: &str = "NIK";
pub const ADDRESS: &str = "Alamat";

/// Under the QR code: how anyone checks the letter.
pub fn check(site: &str) -> String {
    format!("Keaslian surat ini dapat diperiksa dengan memindai kode QR, atau di {site}/verifikasi.")
}
