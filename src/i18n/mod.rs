//! Every word the interface shows, in Bahasa Indonesia first and English second.
//!
//! One struct of texts per language: adding a field without translating it fails to
//! compile, so no page can ship half in one language. Texts that depend on a value are
//! function pointers.
//!
//! The language is a cookie set by the switch in the header (a plain form, so it works
//! without JavaScript). The server reads the cookie and writes `<html lang>`; the browser
//! reads `<html lang>` back when it hydrates, so both render the same words.
//!
//! Longer than 500 lines: the shared words in two tables, and the language detection they are read through.

use crate::domain::DocumentKind;
use crate::domain::identity::IdentityError;
use crate::domain::person::{NameError, PersonError, PhoneError};
use crate::domain::eligibility::{AgeGroup, Disaster, ForWhom, Housing, Income, Need, Question, Reason};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub mod admin;
pub mod apply;
pub mod casework;
pub mod complaints;
pub mod letters;
pub mod offline;
pub mod reports;
pub mod sms;
pub mod staff;
pub mod tracking;
pub use admin::AdminTexts;
pub use apply::ApplyTexts;
pub use casework::CaseTexts;
pub use complaints::ComplaintTexts;
pub use reports::ReportTexts;
pub use staff::StaffTexts;
pub use tracking::TrackingTexts;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Id,
    En,
}

impl Lang {
    /// The cookie that remembers the choice.
    pub const COOKIE: &'static str = "layan_lang";
    pub const ALL: [Lang; 2] = [Lang::Id, Lang::En];

    /// The BCP 47 tag, as used in `<html lang>` and the cookie.
    pub const fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code.trim())
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Id => &ID,
            Lang::En => &EN,
        }
    }

    /// The staff side's words. Kept out of [`Texts`], which the islands reach, so the
    /// WebAssembly every resident downloads does not carry the back office's vocabulary.
    pub fn staff(self) -> &'static StaffTexts {
        match self {
            Lang::Id => &staff::STAFF_ID,
            Lang::En => &staff::STAFF_EN,
        }
    }

    /// Tracking's words (server-rendered pages without islands, like [`Lang::staff`]).
    pub fn complaints(self) -> &'static ComplaintTexts {
        match self {
            Lang::Id => &complaints::COMPLAINTS_ID,
            Lang::En => &complaints::COMPLAINTS_EN,
        }
    }

    /// Administration's words (server-rendered only).
    pub fn admin(self) -> &'static AdminTexts {
        match self {
            Lang::Id => &admin::ADMIN_ID,
            Lang::En => &admin::ADMIN_EN,
        }
    }

    /// The reports' and public statistics' words (server-rendered only).
    pub fn reports(self) -> &'static ReportTexts {
        match self {
            Lang::Id => &reports::REPORTS_ID,
            Lang::En => &reports::REPORTS_EN,
        }
    }

    pub fn tracking(self) -> &'static TrackingTexts {
        match self {
            Lang::Id => &tracking::TRACKING_ID,
            Lang::En => &tracking::TRACKING_EN,
        }
    }

    /// The pages that check letters.
    pub fn verify(self) -> &'static letters::VerifyTexts {
        match self {
            Lang::Id => &letters::VERIFY_ID,
            Lang::En => &letters::VERIFY_EN,
        }
    }

    /// The page the service worker shows without signal.
    pub fn offline(self) -> &'static offline::OfflineTexts {
        match self {
            Lang::Id => &offline::OFFLINE_ID,
            Lang::En => &offline::OFFLINE_EN,
        }
    }

    /// The review page's words (server-rendered only, like [`Lang::staff`]).
    pub fn case(self) -> &'static CaseTexts {
        match self {
            Lang::Id => &casework::CASE_ID,
            Lang::En => &casework::CASE_EN,
        }
    }

    /// Of a name stored in both languages (programs, categories), the reader's.
    pub fn pick<T>(self, id: T, en: T) -> T {
        match self {
            Lang::Id => id,
            Lang::En => en,
        }
    }

    /// The language's name written in itself, for the switch.
    pub const fn endonym(self) -> &'static str {
        match self {
            Lang::Id => "Bahasa Indonesia",
            Lang::En => "English",
        }
    }

    /// Reads the language cookie out of a `Cookie:` header value.
    pub fn from_cookie_header(header: &str) -> Option<Self> {
        crate::cookies::find(header, Self::COOKIE).and_then(Self::parse)
    }
}

#[cfg(feature = "ssr")]
impl Lang {
    /// The language a request asks for through its cookie; Bahasa Indonesia otherwise.
    pub fn from_headers(headers: &axum::http::HeaderMap) -> Self {
        crate::cookies::headers(headers).find_map(Self::from_cookie_header).unwrap_or_default()
    }
}

pub struct Texts {
    pub site_name: &'static str,
    pub site_tagline: &'static str,
    pub skip_to_content: &'static str,
    pub language_switch_label: &'static str,
    pub home_title: &'static str,
    pub home_lead: &'static str,
    pub home_what_heading: &'static str,
    pub home_what_items: [&'static str; 4],
    pub home_programs_heading: &'static str,
    pub home_programs_intro: &'static str,
    pub home_no_programs: &'static str,
    pub home_visit_heading: &'static str,
    pub home_visit_body: &'static str,
    pub home_privacy_heading: &'static str,
    pub home_privacy_body: &'static str,
    pub program_for: &'static str,
    pub program_documents: &'static str,
    pub program_decision: &'static str,
    pub working_days: fn(u8) -> String,
    pub loading: &'static str,
    pub load_failed: fn(&str) -> String,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub back_home: &'static str,
    pub footer_office: &'static str,
    pub footer_region_data: &'static str,
    pub footer_source: &'static str,
    pub document: fn(DocumentKind) -> &'static str,
    pub cross_site_refused: &'static str,
    pub language_unknown: &'static str,
    pub request_incomplete: &'static str,
    /// 429: an address past its hourly budget of new drafts, uploads or complaints.
    pub too_many_writes: fn(i64) -> String,
    /// 413: a request far larger than any form of ours.
    pub request_too_large: &'static str,
    /// The server is checking too many passwords at once (`secrets::Busy`).
    pub busy: &'static str,
    pub home_check_button: &'static str,
    pub check_title: &'static str,
    pub check_intro: &'static str,
    pub check_submit: &'static str,
    pub check_question: fn(Question) -> &'static str,
    pub check_hint: fn(Question) -> Option<&'static str>,
    pub check_missing: fn(Question) -> &'static str,
    pub for_whom: fn(ForWhom) -> &'static str,
    pub age_group: fn(AgeGroup) -> &'static str,
    pub disaster: fn(Disaster) -> &'static str,
    pub housing: fn(Housing) -> &'static str,
    pub income: fn(Income) -> &'static str,
    pub need: fn(Need) -> &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub none_of_these: &'static str,
    pub or: &'static str,
    pub error_summary_title: &'static str,
    pub results_title: &'static str,
    pub results_intro: &'static str,
    pub results_none: &'static str,
    pub results_not_answered: &'static str,
    pub results_why: &'static str,
    pub results_count: fn(usize) -> String,
    pub results_change: &'static str,
    pub results_service_points_heading: &'static str,
    pub results_service_points_none: &'static str,
    pub reason: fn(Reason) -> &'static str,
    pub person_error: fn(PersonError) -> &'static str,
    pub apply: &'static ApplyTexts,
}

pub static ID: Texts = Texts {
    apply: &apply::APPLY_ID,
    site_name: "Layan",
    site_tagline: "Layanan mandiri Dinas Sosial",
    skip_to_content: "Langsung ke isi halaman",
    language_switch_label: "Bahasa",
    home_title: "Bantuan sosial, tanpa harus antre",
    home_lead: "Layan adalah layanan daring Dinas Sosial. Di sini Anda dapat mengetahui bantuan \
                yang sesuai, mengajukan permohonan untuk diri sendiri atau untuk orang lain yang \
                membutuhkan, lalu memantau setiap langkahnya sampai selesai.",
    home_what_heading: "Yang dapat Anda lakukan",
    home_what_items: [
        "Cek bantuan yang sesuai dengan keadaan Anda.",
        "Ajukan permohonan dan unggah foto dokumen dari ponsel.",
        "Lacak permohonan dengan nomor registrasi dan PIN.",
        "Sampaikan pertanyaan, saran, atau pengaduan.",
    ],
    home_programs_heading: "Program bantuan yang dibuka",
    home_programs_intro: "Setiap program menjelaskan untuk siapa, dokumen yang perlu disiapkan, \
                          dan berapa lama keputusan dibuat.",
    home_no_programs: "Saat ini belum ada program yang dibuka.",
    home_visit_heading: "Lebih suka datang langsung?",
    home_visit_body: "Petugas di Puskesos dan layanan SLRT terdekat dapat membantu Anda mengisi \
                      permohonan dan mencetak tanda terima. Bawa KTP dan Kartu Keluarga.",
    home_privacy_heading: "Data Anda dijaga",
    home_privacy_body: "NIK, Kartu Keluarga, dan keterangan kesehatan hanya dilihat petugas yang \
                        menangani permohonan Anda, dan setiap akses dicatat.",
    program_for: "Untuk",
    program_documents: "Dokumen yang disiapkan",
    program_decision: "Keputusan",
    working_days: |n| format!("paling lama {n} hari kerja"),
    loading: "Memuat…",
    load_failed: |reference| {
        format!("Maaf, data tidak dapat dimuat saat ini. Coba lagi beberapa saat lagi (kode: {reference}).")
    },
    not_found_title: "Halaman tidak ditemukan",
    not_found_body: "Alamat yang Anda buka tidak ada. Mungkin tautannya salah ketik atau sudah tidak berlaku.",
    back_home: "Kembali ke beranda",
    footer_office: "Dinas Sosial",
    footer_region_data: "Data wilayah dari idn-area-data, lisensi ODbL.",
    footer_source: "Layan adalah perangkat lunak sumber terbuka.",
    document: |kind| match kind {
        DocumentKind::Ktp => "Foto KTP",
        DocumentKind::Kk => "Foto Kartu Keluarga (KK)",
        DocumentKind::Sktm => "Surat Keterangan Tidak Mampu (SKTM) dari kelurahan/desa",
        DocumentKind::HousePhoto => "Foto rumah tampak depan",
        DocumentKind::MedicalLetter => "Surat keterangan dokter atau disabilitas",
        DocumentKind::DisasterStatement => "Surat keterangan bencana dari kelurahan/desa",
        DocumentKind::DeathCertificate => "Surat keterangan kematian",
        DocumentKind::BirthCertificate => "Akta kelahiran anak",
        DocumentKind::SchoolLetter => "Surat keterangan aktif sekolah",
        DocumentKind::BusinessPlan => "Rencana usaha singkat",
        DocumentKind::StrandedStatement => "Surat keterangan terlantar dari kepolisian atau kelurahan",
    },
    cross_site_refused: "Permintaan ditolak: formulir ini dikirim dari situs lain. Buka Layan langsung, lalu coba lagi.",
    language_unknown: "Bahasa tidak dikenal.",
    request_incomplete: "Permintaan tidak lengkap. Kembali ke halaman sebelumnya dan coba lagi.",
    too_many_writes: |m| format!(
        "Terlalu banyak kiriman dari jaringan ini dalam satu jam. Coba lagi dalam {m} menit, atau datang ke Puskesos terdekat."
    ),
    request_too_large: "Isian terlalu besar untuk dikirim. Kembali ke halaman sebelumnya dan kirim isian yang lebih pendek.",
    busy: "Layanan sedang sangat sibuk. Tunggu beberapa detik, lalu coba lagi.",
    home_check_button: "Cek bantuan yang sesuai",
    check_title: "Cek bantuan yang sesuai",
    check_intro: "Jawab enam pertanyaan singkat tentang orang yang membutuhkan bantuan — Anda sendiri \
                  atau orang lain. Jawaban tidak disimpan sebagai permohonan dan tidak dikirim ke siapa pun.",
    check_submit: "Lihat bantuan yang sesuai",
    check_question: |q| match q {
        Question::ForWhom => "Siapa yang membutuhkan bantuan?",
        Question::Province => "Di provinsi mana ia tinggal?",
        Question::Age => "Berapa usia orang yang membutuhkan bantuan?",
        Question::Disability => "Apakah ia penyandang disabilitas?",
        Question::Disaster => "Apakah ia baru saja terkena bencana?",
        Question::Housing => "Bagaimana tempat tinggalnya?",
        Question::Income => "Bagaimana penghasilan keluarganya?",
        Question::Needs => "Apa yang ia butuhkan?",
    },
    check_hint: |q| match q {
        Question::Disability => Some("Misalnya disabilitas fisik, netra, rungu, wicara, intelektual, atau mental."),
        Question::Disaster => Some("Dalam tiga bulan terakhir."),
        Question::Needs => Some("Pilih semua yang sesuai."),
        Question::Province => Some("Untuk menunjukkan tempat layanan terdekat."),
        _ => None,
    },
    check_missing: |q| match q {
        Question::ForWhom => "Pilih siapa yang membutuhkan bantuan",
        Question::Province => "Pilih provinsi tempat tinggalnya",
        Question::Age => "Pilih usia orang yang membutuhkan bantuan",
        Question::Disability => "Pilih apakah ia penyandang disabilitas",
        Question::Disaster => "Pilih apakah ia baru saja terkena bencana",
        Question::Housing => "Pilih keadaan tempat tinggalnya",
        Question::Income => "Pilih keadaan penghasilan keluarganya",
        Question::Needs => "Pilih kebutuhannya, atau pilih \u{201c}Tidak ada yang sesuai\u{201d} saja",
    },
    for_whom: |w| match w {
        ForWhom::Myself => "Saya sendiri",
        ForWhom::SomeoneElse => "Orang lain (keluarga, tetangga, warga yang saya dampingi)",
    },
    age_group: |a| match a {
        AgeGroup::Toddler => "0–5 tahun (balita)",
        AgeGroup::Child => "6–17 tahun (anak)",
        AgeGroup::Adult => "18–59 tahun",
        AgeGroup::Elderly => "60 tahun ke atas (lanjut usia)",
    },
    disaster: |d| match d {
        Disaster::None => "Tidak",
        Disaster::Natural => "Ya, bencana alam (banjir, longsor, gempa, kebakaran)",
        Disaster::Social => "Ya, konflik sosial",
    },
    housing: |h| match h {
        Housing::Adequate => "Rumah yang layak",
        Housing::Uninhabitable => "Rumah rusak atau tidak layak huni",
        Housing::Homeless => "Tidak punya rumah, tinggal di jalan atau tempat umum",
        Housing::Stranded => "Sedang di perjalanan dan tidak punya bekal untuk pulang",
    },
    income: |i| match i {
        Income::Enough => "Cukup untuk kebutuhan sehari-hari",
        Income::Low => "Tidak cukup untuk kebutuhan sehari-hari",
        Income::None => "Tidak ada penghasilan",
    },
    need: |n| match n {
        Need::Care => "Perawatan, karena tidak ada yang mengurusnya",
        Need::HealthInsurance => "Jaminan kesehatan (BPJS Kesehatan)",
        Need::SchoolCosts => "Biaya dan perlengkapan sekolah",
        Need::BusinessCapital => "Modal usaha",
        Need::FuneralCosts => "Biaya pemakaman anggota keluarga",
        Need::DrugRecovery => "Pemulihan dari narkoba (NAPZA)",
        Need::SocialRegister => "Terdaftar sebagai keluarga penerima bantuan sosial (DTSEN)",
    },
    yes: "Ya",
    no: "Tidak",
    none_of_these: "Tidak ada yang sesuai",
    or: "atau",
    error_summary_title: "Ada yang perlu diperbaiki",
    results_title: "Bantuan yang mungkin sesuai",
    results_service_points_heading: "Tempat layanan di provinsi Anda",
    results_service_points_none: "Belum ada tempat layanan Layan yang tercatat di provinsi ini. Hubungi Dinas Sosial kabupaten/kota Anda.",
    results_intro: "Berdasarkan jawaban Anda, program di bawah ini mungkin sesuai. Petugas tetap \
                    memeriksa setiap permohonan sebelum memutuskan.",
    results_none: "Belum ada program yang sesuai dengan jawaban Anda. Petugas di Puskesos atau \
                   layanan SLRT terdekat dapat membantu mencari jalan lain.",
    results_not_answered: "Jawab dulu pertanyaan singkat tentang orang yang membutuhkan bantuan.",
    results_why: "Sesuai karena",
    results_count: |n| format!("{n} program mungkin sesuai"),
    results_change: "Ubah jawaban",
    reason: |r| match r {
        Reason::Age(AgeGroup::Toddler) => "balita",
        Reason::Age(AgeGroup::Child) => "anak usia sekolah",
        Reason::Age(AgeGroup::Adult) => "usia 18–59 tahun",
        Reason::Age(AgeGroup::Elderly) => "lanjut usia",
        Reason::Disability => "penyandang disabilitas",
        Reason::Disaster(Disaster::Natural) => "korban bencana alam",
        Reason::Disaster(_) => "korban konflik sosial",
        Reason::Housing(Housing::Uninhabitable) => "rumah tidak layak huni",
        Reason::Housing(Housing::Homeless) => "tidak punya rumah",
        Reason::Housing(Housing::Stranded) => "terlantar di perjalanan",
        Reason::Housing(Housing::Adequate) => "rumah layak",
        Reason::Income(Income::None) => "tidak ada penghasilan",
        Reason::Income(_) => "penghasilan tidak cukup",
        Reason::Need(Need::Care) => "tidak ada yang mengurus",
        Reason::Need(Need::HealthInsurance) => "butuh jaminan kesehatan",
        Reason::Need(Need::SchoolCosts) => "butuh biaya sekolah",
        Reason::Need(Need::BusinessCapital) => "butuh modal usaha",
        Reason::Need(Need::FuneralCosts) => "butuh biaya pemakaman",
        Reason::Need(Need::DrugRecovery) => "butuh pemulihan dari narkoba",
        Reason::Need(Need::SocialRegister) => "ingin terdaftar di DTSEN",
    },
    person_error: |e| match e {
        PersonError::Nik(IdentityError::Empty) => "Masukkan NIK",
        PersonError::Nik(IdentityError::NotDigits) => "NIK hanya berisi angka",
        PersonError::Nik(IdentityError::WrongLength(_)) => "NIK harus 16 angka",
        PersonError::Nik(IdentityError::NoRegion) => "Periksa lagi NIK: 4 angka pertama adalah kode wilayah",
        PersonError::Nik(IdentityError::ImpossibleDate) => "Periksa lagi NIK: angka ke-7 sampai ke-12 adalah tanggal lahir",
        PersonError::Nik(IdentityError::ZeroSerial) => "Periksa lagi NIK: 4 angka terakhir tidak mungkin 0000",
        PersonError::Name(NameError::Empty) => "Masukkan nama lengkap sesuai KTP",
        PersonError::Name(NameError::TooShort) => "Nama terlalu pendek",
        PersonError::Name(NameError::TooLong) => "Nama paling banyak 100 huruf",
        PersonError::Name(NameError::Characters) => "Nama hanya berisi huruf, spasi, dan tanda ' . , -",
        PersonError::BirthDateMissing => "Masukkan tanggal lahir",
        PersonError::BirthDateInvalid => "Tanggal lahir harus tanggal yang ada",
        PersonError::BirthDateInFuture => "Tanggal lahir tidak boleh di masa depan",
        PersonError::BirthDateNotNik => "Tanggal lahir tidak sama dengan yang tertulis di NIK",
        PersonError::SexMissing => "Pilih jenis kelamin",
        PersonError::SexNotNik => "Jenis kelamin tidak sama dengan yang tertulis di NIK",
        PersonError::Phone(PhoneError::Empty) => "Masukkan nomor HP",
        PersonError::Phone(PhoneError::NotMobile) => "Masukkan nomor HP Indonesia, misalnya 0812 3456 7890",
        PersonError::Email => "Masukkan alamat email seperti nama@contoh.com, atau kosongkan",
    },
};

pub static EN: Texts = Texts {
    apply: &apply::APPLY_EN,
    site_name: "Layan",
    site_tagline: "Social services self-service portal",
    skip_to_content: "Skip to main content",
    language_switch_label: "Language",
    home_title: "Social aid, without the queue",
    home_lead: "Layan is the social services office's online service. Here you can find out \
                which aid fits, apply for yourself or for someone else in need, and follow every \
                step until it is done.",
    home_what_heading: "What you can do",
    home_what_items: [
        "Check which aid fits your situation.",
        "Apply and upload photos of documents from your phone.",
        "Track an application with its registration number and PIN.",
        "Send a question, a suggestion or a complaint.",
    ],
    home_programs_heading: "Programs open for applications",
    home_programs_intro: "Each program says who it is for, which documents to prepare and how \
                          long a decision takes.",
    home_no_programs: "No program is open for applications right now.",
    home_visit_heading: "Rather come in person?",
    home_visit_body: "Staff at the nearest Puskesos or SLRT service point can help you fill in \
                      an application and print a receipt. Bring your ID card and family card.",
    home_privacy_heading: "Your data is protected",
    home_privacy_body: "Your NIK, family card and health details are seen only by the staff \
                        handling your application, and every access is recorded.",
    program_for: "For",
    program_documents: "Documents to prepare",
    program_decision: "Decision",
    working_days: |n| {
        if n == 1 { "within 1 working day".to_string() } else { format!("within {n} working days") }
    },
    loading: "Loading…",
    load_failed: |reference| {
        format!("Sorry, this could not be loaded right now. Please try again shortly (code: {reference}).")
    },
    not_found_title: "Page not found",
    not_found_body: "The address you opened does not exist. The link may be mistyped or out of date.",
    back_home: "Back to the home page",
    footer_office: "Social Services Office (Dinas Sosial)",
    footer_region_data: "Region data from idn-area-data, under the ODbL.",
    footer_source: "Layan is open-source software.",
    document: |kind| match kind {
        DocumentKind::Ktp => "Photo of the ID card (KTP)",
        DocumentKind::Kk => "Photo of the family card (KK)",
        DocumentKind::Sktm => "Low-income letter (SKTM) from the village office",
        DocumentKind::HousePhoto => "Photo of the front of the house",
        DocumentKind::MedicalLetter => "Doctor's or disability letter",
        DocumentKind::DisasterStatement => "Disaster statement from the village office",
        DocumentKind::DeathCertificate => "Death certificate",
        DocumentKind::BirthCertificate => "Child's birth certificate",
        DocumentKind::SchoolLetter => "Letter of school enrolment",
        DocumentKind::BusinessPlan => "Short business plan",
        DocumentKind::StrandedStatement => "Police or village letter confirming you are stranded",
    },
    cross_site_refused: "Request refused: this form was sent from another website. Open Layan directly and try again.",
    language_unknown: "Unknown language.",
    request_incomplete: "The request was incomplete. Go back to the previous page and try again.",
    too_many_writes: |m| format!("Too many submissions from this network in an hour. Try again in {m} minutes, or visit the nearest Puskesos."),
    request_too_large: "This is too large to send. Go back to the previous page and send something shorter.",
    busy: "The service is very busy. Wait a few seconds, then try again.",
    home_check_button: "Check which aid fits",
    check_title: "Check which aid fits",
    check_intro: "Answer six short questions about the person who needs help — you or someone else. \
                  The answers are not an application and are not sent to anyone.",
    check_submit: "Show the aid that fits",
    check_question: |q| match q {
        Question::ForWhom => "Who needs help?",
        Question::Province => "Which province do they live in?",
        Question::Age => "How old is the person who needs help?",
        Question::Disability => "Do they have a disability?",
        Question::Disaster => "Were they recently hit by a disaster?",
        Question::Housing => "Where do they live?",
        Question::Income => "What is their family's income like?",
        Question::Needs => "What do they need?",
    },
    check_hint: |q| match q {
        Question::Disability => Some("For example a physical, visual, hearing, speech, intellectual or mental disability."),
        Question::Disaster => Some("In the last three months."),
        Question::Needs => Some("Choose all that apply."),
        Question::Province => Some("To show the nearest service points."),
        _ => None,
    },
    check_missing: |q| match q {
        Question::ForWhom => "Choose who needs help",
        Question::Province => "Choose the province they live in",
        Question::Age => "Choose the age of the person who needs help",
        Question::Disability => "Choose whether they have a disability",
        Question::Disaster => "Choose whether they were recently hit by a disaster",
        Question::Housing => "Choose where they live",
        Question::Income => "Choose what their family's income is like",
        Question::Needs => "Choose what they need, or choose only \u{201c}None of these\u{201d}",
    },
    for_whom: |w| match w {
        ForWhom::Myself => "Me",
        ForWhom::SomeoneElse => "Someone else (family, a neighbour, a resident I support)",
    },
    age_group: |a| match a {
        AgeGroup::Toddler => "0–5 years (toddler)",
        AgeGroup::Child => "6–17 years (child)",
        AgeGroup::Adult => "18–59 years",
        AgeGroup::Elderly => "60 or over (older person)",
    },
    disaster: |d| match d {
        Disaster::None => "No",
        Disaster::Natural => "Yes, a natural disaster (flood, landslide, earthquake, fire)",
        Disaster::Social => "Yes, a social conflict",
    },
    housing: |h| match h {
        Housing::Adequate => "A decent home",
        Housing::Uninhabitable => "A damaged or uninhabitable home",
        Housing::Homeless => "No home: living in the street or public places",
        Housing::Stranded => "Travelling and without means to get home",
    },
    income: |i| match i {
        Income::Enough => "Enough for daily needs",
        Income::Low => "Not enough for daily needs",
        Income::None => "No income",
    },
    need: |n| match n {
        Need::Care => "Care, because nobody looks after them",
        Need::HealthInsurance => "Health insurance (BPJS Kesehatan)",
        Need::SchoolCosts => "School costs and supplies",
        Need::BusinessCapital => "Capital for a small business",
        Need::FuneralCosts => "Funeral costs for a family member",
        Need::DrugRecovery => "Recovery from drug use (NAPZA)",
        Need::SocialRegister => "Listing as a family eligible for social aid (DTSEN)",
    },
    yes: "Yes",
    no: "No",
    none_of_these: "None of these",
    or: "or",
    error_summary_title: "There is a problem",
    results_title: "Aid that may fit",
    results_service_points_heading: "Service points in your province",
    results_service_points_none: "No Layan service point is listed in this province yet. Contact your regency or city social services office.",
    results_intro: "From your answers, the programs below may fit. Staff still check every \
                    application before deciding.",
    results_none: "No program fits your answers yet. Staff at the nearest Puskesos or SLRT \
                   service point can help find another way.",
    results_not_answered: "First answer a few short questions about the person who needs help.",
    results_why: "Fits because of",
    results_count: |n| if n == 1 { "1 program may fit".to_string() } else { format!("{n} programs may fit") },
    results_change: "Change your answers",
    reason: |r| match r {
        Reason::Age(AgeGroup::Toddler) => "a toddler",
        Reason::Age(AgeGroup::Child) => "a school-age child",
        Reason::Age(AgeGroup::Adult) => "aged 18–59",
        Reason::Age(AgeGroup::Elderly) => "an older person",
        Reason::Disability => "a disability",
        Reason::Disaster(Disaster::Natural) => "a natural disaster",
        Reason::Disaster(_) => "a social conflict",
        Reason::Housing(Housing::Uninhabitable) => "an uninhabitable home",
        Reason::Housing(Housing::Homeless) => "no home",
        Reason::Housing(Housing::Stranded) => "stranded while travelling",
        Reason::Housing(Housing::Adequate) => "a decent home",
        Reason::Income(Income::None) => "no income",
        Reason::Income(_) => "not enough income",
        Reason::Need(Need::Care) => "nobody to look after them",
        Reason::Need(Need::HealthInsurance) => "needs health insurance",
        Reason::Need(Need::SchoolCosts) => "needs school costs",
        Reason::Need(Need::BusinessCapital) => "needs business capital",
        Reason::Need(Need::FuneralCosts) => "needs funeral costs",
        Reason::Need(Need::DrugRecovery) => "needs recovery from drug use",
        Reason::Need(Need::SocialRegister) => "wants a DTSEN listing",
    },
    person_error: |e| match e {
        PersonError::Nik(IdentityError::Empty) => "Enter the NIK",
        PersonError::Nik(IdentityError::NotDigits) => "A NIK contains only digits",
        PersonError::Nik(IdentityError::WrongLength(_)) => "A NIK has 16 digits",
        PersonError::Nik(IdentityError::NoRegion) => "Check the NIK: the first 4 digits are a region code",
        PersonError::Nik(IdentityError::ImpossibleDate) => "Check the NIK: digits 7 to 12 are the date of birth",
        PersonError::Nik(IdentityError::ZeroSerial) => "Check the NIK: the last 4 digits cannot be 0000",
        PersonError::Name(NameError::Empty) => "Enter the full name as on the ID card",
        PersonError::Name(NameError::TooShort) => "The name is too short",
        PersonError::Name(NameError::TooLong) => "A name has at most 100 letters",
        PersonError::Name(NameError::Characters) => "A name contains only letters, spaces and ' . , -",
        PersonError::BirthDateMissing => "Enter the date of birth",
        PersonError::BirthDateInvalid => "The date of birth must be a real date",
        PersonError::BirthDateInFuture => "The date of birth cannot be in the future",
        PersonError::BirthDateNotNik => "The date of birth is not the one in the NIK",
        PersonError::SexMissing => "Choose the sex",
        PersonError::SexNotNik => "The sex is not the one in the NIK",
        PersonError::Phone(PhoneError::Empty) => "Enter a mobile number",
        PersonError::Phone(PhoneError::NotMobile) => "Enter an Indonesian mobile number, like 0812 3456 7890",
        PersonError::Email => "Enter an email address like name@example.com, or leave it empty",
    },
};

/// The language of the page being rendered.
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

pub fn use_texts() -> &'static Texts {
    use_lang().texts()
}

pub fn use_staff_texts() -> &'static StaffTexts {
    use_lang().staff()
}

pub fn use_case_texts() -> &'static CaseTexts {
    use_lang().case()
}

pub fn use_complaint_texts() -> &'static ComplaintTexts {
    use_lang().complaints()
}

pub fn use_admin_texts() -> &'static AdminTexts {
    use_lang().admin()
}

pub fn use_report_texts() -> &'static ReportTexts {
    use_lang().reports()
}

pub fn use_tracking_texts() -> &'static TrackingTexts {
    use_lang().tracking()
}

pub fn use_offline_texts() -> &'static offline::OfflineTexts {
    use_lang().offline()
}

pub fn use_verify_texts() -> &'static letters::VerifyTexts {
    use_lang().verify()
}

/// Works out the language once per render: from the cookie on the server, from
/// `<html lang>` (which the server wrote) in the browser.
pub fn detect_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .map(|parts| Lang::from_headers(&parts.headers))
            .unwrap_or_default()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        document()
            .document_element()
            .and_then(|html| html.get_attribute("lang"))
            .and_then(|code| Lang::parse(&code))
            .unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        Lang::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_is_found_among_others() {
        assert_eq!(Lang::from_cookie_header("a=1; layan_lang=en; b=2"), Some(Lang::En));
        assert_eq!(Lang::from_cookie_header("layan_lang=id"), Some(Lang::Id));
        assert_eq!(Lang::from_cookie_header("layan_lang=fr"), None);
        assert_eq!(Lang::from_cookie_header("xlayan_lang=en"), None);
        assert_eq!(Lang::from_cookie_header(""), None);
    }

    #[test]
    fn every_document_kind_has_words_in_both_languages() {
        for kind in DocumentKind::ALL {
            for lang in Lang::ALL {
                assert!(!(lang.texts().document)(kind).is_empty());
            }
            assert_ne!((ID.document)(kind), (EN.document)(kind));
        }
    }

    #[test]
    fn working_days_read_naturally() {
        assert_eq!((ID.working_days)(14), "paling lama 14 hari kerja");
        assert_eq!((EN.working_days)(1), "within 1 working day");
        assert_eq!((EN.working_days)(3), "within 3 working days");
    }
}
