//! Every word the interface shows, in Bahasa Indonesia first and English second.
//!
//! One struct of texts per language: adding a field without translating it fails to
//! compile, so no page can ship half in one language. Texts that depend on a value are
//! function pointers.
//!
//! The language is a cookie set by the switch in the header (a plain form, so it works
//! without JavaScript). The server reads the cookie and writes `<html lang>`; the browser
//! reads `<html lang>` back when it hydrates, so both render the same words.

use crate::domain::DocumentKind;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

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

    /// The language's name written in itself, for the switch.
    pub const fn endonym(self) -> &'static str {
        match self {
            Lang::Id => "Bahasa Indonesia",
            Lang::En => "English",
        }
    }

    /// Reads the language cookie out of a `Cookie:` header value.
    pub fn from_cookie_header(header: &str) -> Option<Self> {
        header
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == Self::COOKIE)
            .and_then(|(_, value)| Self::parse(value))
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
}

pub static ID: Texts = Texts {
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
};

pub static EN: Texts = Texts {
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
};

/// The language of the page being rendered.
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

pub fn use_texts() -> &'static Texts {
    use_lang().texts()
}

/// Works out the language once per render: from the cookie on the server, from
/// `<html lang>` (which the server wrote) in the browser.
pub fn detect_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get_all(axum::http::header::COOKIE)
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .find_map(Lang::from_cookie_header)
            })
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
