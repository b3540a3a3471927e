//! The words of Layan's letters, and of the pages that check them. Letters are official
//! documents of an Indonesian office, so they are written in Bahasa Indonesia whatever language
//! the page around them is in; the verification pages speak the reader's language.

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

pub const PAGE_TITLE: &str = "Surat";
pub const BACK: &str = "Kembali";
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

/// The verification page and the public key page.
pub struct VerifyTexts {
    pub title: &'static str,
    pub genuine: &'static str,
    pub issued_by: fn(&str) -> String,
    pub kind: &'static str,
    pub number: &'static str,
    pub date: &'static str,
    pub office: &'static str,
    pub status_today: &'static str,
    pub initials: &'static str,
    pub compare: &'static str,
    pub not_genuine: &'static str,
    pub not_genuine_explain: &'static str,
    pub offline_link: &'static str,
    pub intro: &'static str,
    pub offline_heading: &'static str,
    pub offline_explain: &'static str,
    pub command: &'static str,
    pub public_key: &'static str,
}

pub static VERIFY_ID: VerifyTexts = VerifyTexts {
    title: "Periksa keaslian surat",
    genuine: "Surat ini ASLI",
    issued_by: |office| format!("Dikeluarkan oleh {office} dan tercatat di sistemnya."),
    kind: "Jenis surat",
    number: "Nomor surat",
    date: "Tanggal",
    office: "Kantor",
    status_today: "Status permohonan hari ini",
    initials: "Inisial orang yang bersangkutan",
    compare: "Cocokkan nomor, tanggal, dan inisial dengan surat yang Anda pegang. Halaman ini sengaja tidak menampilkan nama lengkap atau data pribadi lain.",
    not_genuine: "Surat ini TIDAK ASLI",
    not_genuine_explain: "Kode pada surat ini tidak dikeluarkan oleh kantor ini, atau sudah diubah. Jangan terima surat ini; tanyakan ke kantor yang namanya tertulis di kop surat.",
    offline_link: "Cara memeriksa surat tanpa internet",
    intro: "Setiap surat keputusan dan surat rujukan dari Layan memuat kode QR. Pindai kode itu dengan kamera HP: halamannya mengatakan apakah surat itu asli, jenisnya, tanggalnya, kantor yang mengeluarkannya, status permohonan hari ini, dan inisial orang yang bersangkutan.",
    offline_heading: "Tanpa internet",
    offline_explain: "Kode itu ditandatangani dengan kunci Ed25519 kantor. Siapa pun dapat memeriksanya dengan kunci publik di bawah ini, misalnya dengan perintah:",
    command: "layan verify-letter <kode atau alamat dari QR> --public-key <kunci publik>",
    public_key: "Kunci publik (Ed25519, heksadesimal)",
};

pub static VERIFY_EN: VerifyTexts = VerifyTexts {
    title: "Check a letter",
    genuine: "This letter is GENUINE",
    issued_by: |office| format!("Issued by {office} and held in its records."),
    kind: "Kind of letter",
    number: "Letter number",
    date: "Date",
    office: "Office",
    status_today: "The application's status today",
    initials: "Initials of the person concerned",
    compare: "Compare the number, date and initials with the letter you hold. This page shows no full name or other personal data, on purpose.",
    not_genuine: "This letter is NOT GENUINE",
    not_genuine_explain: "The code on this letter was not issued by this office, or it was changed. Do not accept the letter; ask the office named on its letterhead.",
    offline_link: "How to check a letter without internet",
    intro: "Every decision and referral letter from Layan carries a QR code. Scan it with a phone camera: the page says whether the letter is genuine, its kind, its date, the office that issued it, the application's status today and the person's initials.",
    offline_heading: "Without internet",
    offline_explain: "The code is signed with the office's Ed25519 key. Anyone can check it with the public key below, for example with the command:",
    command: "layan verify-letter <code or address from the QR> --public-key <public key>",
    public_key: "Public key (Ed25519, hexadecimal)",
};
