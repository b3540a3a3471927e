//! The starting catalogue: the 26 PPKS categories and the programs a Dinas Sosial commonly
//! runs (from the offices' own statements in `shared/seeds`). Written on first start only:
//! after that the catalogue belongs to the office's administrators.

use crate::domain::DocumentKind::{self, *};
use crate::domain::eligibility::{AgeGroup, Condition, Disaster, Eligibility, Housing, Income, Need};
use crate::server::db::{Db, now_utc};

/// `(code, Bahasa Indonesia, English)`, Permensos 8/2012 as restated by Permensos 5/2019.
pub const PPKS_CATEGORIES: [(i64, &str, &str); 26] = [
    (1, "Anak Balita Terlantar", "Neglected toddlers"),
    (2, "Anak Terlantar", "Neglected children"),
    (3, "Anak yang Berhadapan dengan Hukum", "Children in conflict with the law"),
    (4, "Anak Jalanan", "Street children"),
    (5, "Anak dengan Kedisabilitasan", "Children with disabilities"),
    (6, "Anak Korban Tindak Kekerasan atau Diperlakukan Salah", "Children who are victims of violence or mistreatment"),
    (7, "Anak yang Memerlukan Perlindungan Khusus", "Children in need of special protection"),
    (8, "Lanjut Usia Terlantar", "Neglected older people"),
    (9, "Penyandang Disabilitas", "People with disabilities"),
    (10, "Tuna Susila", "Sex workers"),
    (11, "Gelandangan", "Homeless people"),
    (12, "Pengemis", "Beggars"),
    (13, "Pemulung", "Waste pickers"),
    (14, "Kelompok Minoritas", "Minority groups"),
    (15, "Bekas Warga Binaan Lembaga Pemasyarakatan", "Former prison inmates"),
    (16, "Orang dengan HIV/AIDS", "People living with HIV/AIDS"),
    (17, "Korban Penyalahgunaan NAPZA", "Victims of drug abuse"),
    (18, "Korban Trafficking", "Victims of trafficking"),
    (19, "Korban Tindak Kekerasan", "Victims of violence"),
    (20, "Pekerja Migran Bermasalah Sosial", "Migrant workers with social problems"),
    (21, "Korban Bencana Alam", "Victims of natural disasters"),
    (22, "Korban Bencana Sosial", "Victims of social disasters"),
    (23, "Perempuan Rawan Sosial Ekonomi", "Economically vulnerable women"),
    (24, "Fakir Miskin", "People living in poverty"),
    (25, "Keluarga Bermasalah Sosial Psikologis", "Families with social and psychological problems"),
    (26, "Komunitas Adat Terpencil", "Remote indigenous communities"),
];

pub struct ProgramSeed {
    pub code: &'static str,
    pub name: (&'static str, &'static str),
    pub summary: (&'static str, &'static str),
    pub ppks: &'static [i64],
    pub documents: &'static [DocumentKind],
    pub deadline_working_days: i64,
    pub active: bool,
}

pub const PROGRAMS: &[ProgramSeed] = &[
    ProgramSeed {
        code: "bencana-alam",
        name: ("Bantuan Sosial Korban Bencana", "Aid for disaster victims"),
        summary: (
            "Bantuan kebutuhan dasar, logistik, dan santunan bagi keluarga yang terdampak banjir, longsor, gempa, kebakaran, atau konflik sosial.",
            "Basic needs, supplies and compensation for households hit by floods, landslides, earthquakes, fires or social conflict.",
        ),
        ppks: &[21, 22],
        documents: &[Ktp, Kk, DisasterStatement],
        deadline_working_days: 3,
        active: true,
    },
    ProgramSeed {
        code: "atensi-lansia",
        name: ("Asistensi Rehabilitasi Sosial (ATENSI) Lanjut Usia", "Social rehabilitation assistance (ATENSI) for older people"),
        summary: (
            "Pendampingan, pemenuhan kebutuhan dasar, dan perawatan bagi lansia terlantar, di rumah atau di panti.",
            "Support, basic needs and care for neglected older people, at home or in a care home.",
        ),
        ppks: &[8],
        documents: &[Ktp, Kk, Sktm],
        deadline_working_days: 14,
        active: true,
    },
    ProgramSeed {
        code: "alat-bantu-disabilitas",
        name: ("Bantuan Alat Bantu Penyandang Disabilitas", "Assistive devices for people with disabilities"),
        summary: (
            "Kursi roda, kruk, tongkat, atau alat bantu dengar bagi penyandang disabilitas dari keluarga kurang mampu.",
            "Wheelchairs, crutches, canes or hearing aids for people with disabilities from low-income families.",
        ),
        ppks: &[5, 9],
        documents: &[Ktp, Kk, MedicalLetter, Sktm],
        deadline_working_days: 21,
        active: true,
    },
    ProgramSeed {
        code: "atensi-anak",
        name: ("Asistensi Rehabilitasi Sosial (ATENSI) Anak", "Social rehabilitation assistance (ATENSI) for children"),
        summary: (
            "Perlindungan, pengasuhan, dan kebutuhan dasar bagi anak terlantar, anak jalanan, dan anak korban kekerasan.",
            "Protection, care and basic needs for neglected children, street children and children who suffered violence.",
        ),
        ppks: &[1, 2, 4, 6, 7],
        documents: &[Kk, BirthCertificate, Sktm],
        deadline_working_days: 14,
        active: true,
    },
    ProgramSeed {
        code: "pbi-jk",
        name: ("Usulan Penerima Bantuan Iuran Jaminan Kesehatan (PBI-JK)", "Health insurance premium assistance (PBI-JK)"),
        summary: (
            "Iuran BPJS Kesehatan dibayar pemerintah bagi warga miskin dan rentan yang belum memiliki jaminan kesehatan.",
            "The government pays the national health insurance premium for poor and vulnerable residents without cover.",
        ),
        ppks: &[8, 9, 23, 24],
        documents: &[Ktp, Kk, Sktm],
        deadline_working_days: 10,
        active: true,
    },
    ProgramSeed {
        code: "usulan-dtsen",
        name: ("Usulan Masuk Data Tunggal Sosial dan Ekonomi Nasional (DTSEN)", "Listing in the national social and economic register (DTSEN)"),
        summary: (
            "Pendaftaran keluarga miskin dan rentan agar dipertimbangkan untuk bantuan sosial nasional seperti PKH dan Sembako.",
            "Registers poor and vulnerable families so they can be considered for national aid such as PKH and Sembako.",
        ),
        ppks: &[8, 9, 23, 24],
        documents: &[Ktp, Kk, HousePhoto],
        deadline_working_days: 20,
        active: true,
    },
    ProgramSeed {
        code: "rs-rtlh",
        name: ("Rehabilitasi Sosial Rumah Tidak Layak Huni (RS-RTLH)", "Repair of uninhabitable homes (RS-RTLH)"),
        summary: (
            "Bantuan bahan bangunan untuk memperbaiki atap, lantai, dan dinding rumah tidak layak huni milik keluarga miskin.",
            "Building materials to repair the roof, floor and walls of an uninhabitable home owned by a poor family.",
        ),
        ppks: &[24],
        documents: &[Ktp, Kk, Sktm, HousePhoto],
        deadline_working_days: 30,
        active: true,
    },
    ProgramSeed {
        code: "bantuan-pemakaman",
        name: ("Bantuan Biaya Pemakaman", "Funeral cost assistance"),
        summary: (
            "Santunan biaya pemakaman bagi ahli waris warga kurang mampu yang meninggal dunia.",
            "A contribution to funeral costs for the heirs of a low-income resident who has died.",
        ),
        ppks: &[24],
        documents: &[Ktp, Kk, DeathCertificate, Sktm],
        deadline_working_days: 7,
        active: true,
    },
    ProgramSeed {
        code: "terlantar-perjalanan",
        name: ("Pemulangan Orang Terlantar dalam Perjalanan", "Getting home when stranded while travelling"),
        summary: (
            "Ongkos pulang ke daerah asal dan kebutuhan darurat bagi orang yang kehabisan bekal di perjalanan.",
            "The fare home and emergency needs for people who ran out of means while travelling.",
        ),
        ppks: &[11, 20],
        documents: &[StrandedStatement],
        deadline_working_days: 1,
        active: true,
    },
    ProgramSeed {
        code: "kube",
        name: ("Bantuan Usaha Ekonomi Produktif Kelompok Usaha Bersama (KUBE)", "Small-business grants for joint business groups (KUBE)"),
        summary: (
            "Modal usaha bersama dengan pendampingan bagi kelompok keluarga miskin, untuk menuju graduasi dari bantuan sosial.",
            "Shared business capital with mentoring for groups of poor families, as a path out of social aid.",
        ),
        ppks: &[23, 24],
        documents: &[Ktp, Kk, Sktm, BusinessPlan],
        deadline_working_days: 30,
        active: true,
    },
    ProgramSeed {
        code: "bantuan-pendidikan",
        name: ("Bantuan Perlengkapan dan Biaya Sekolah", "School supplies and costs"),
        summary: (
            "Seragam, perlengkapan, dan biaya sekolah bagi anak dari keluarga miskin agar tetap bersekolah.",
            "Uniforms, supplies and school costs so that children from poor families stay in school.",
        ),
        ppks: &[2, 24],
        documents: &[Kk, Sktm, SchoolLetter],
        deadline_working_days: 14,
        active: true,
    },
    ProgramSeed {
        code: "rehabilitasi-napza",
        name: ("Rehabilitasi Sosial Korban Penyalahgunaan NAPZA", "Social rehabilitation after drug abuse"),
        summary: (
            "Rujukan ke lembaga rehabilitasi sosial dan pendampingan bagi korban penyalahgunaan narkotika dan keluarganya.",
            "Referral to a social rehabilitation centre, and support for people recovering from drug abuse and their families.",
        ),
        ppks: &[17],
        documents: &[Ktp, Kk],
        deadline_working_days: 14,
        active: true,
    },
    ProgramSeed {
        code: "bst-pandemi",
        name: ("Bantuan Sosial Tunai (BST) Pandemi", "Pandemic cash transfer (BST)"),
        summary: ("Program ini telah berakhir.", "This program has ended."),
        ppks: &[24],
        documents: &[Ktp, Kk],
        deadline_working_days: 14,
        active: false,
    },
];

/// Who each catalogue program is for, as the "which aid fits me" check evaluates it.
pub fn eligibility(code: &str) -> Option<Eligibility> {
    use Condition as C;
    let poor = || C::Income(vec![Income::Low, Income::None]);
    let rules = match code {
        "bencana-alam" => vec![vec![C::Disaster(vec![Disaster::Natural, Disaster::Social])]],
        "atensi-lansia" => vec![
            vec![C::Age(vec![AgeGroup::Elderly]), C::Need(Need::Care)],
            vec![C::Age(vec![AgeGroup::Elderly]), poor()],
        ],
        "alat-bantu-disabilitas" => vec![vec![C::Disability, poor()]],
        "atensi-anak" => vec![
            vec![C::Age(vec![AgeGroup::Toddler, AgeGroup::Child]), C::Need(Need::Care)],
            vec![C::Age(vec![AgeGroup::Toddler, AgeGroup::Child]), C::Housing(vec![Housing::Homeless])],
        ],
        "pbi-jk" => vec![vec![C::Need(Need::HealthInsurance), poor()]],
        "usulan-dtsen" => vec![vec![C::Need(Need::SocialRegister), poor()], vec![C::Income(vec![Income::None])]],
        "rs-rtlh" => vec![vec![C::Housing(vec![Housing::Uninhabitable]), poor()]],
        "bantuan-pemakaman" => vec![vec![C::Need(Need::FuneralCosts), poor()]],
        "terlantar-perjalanan" => vec![vec![C::Housing(vec![Housing::Stranded])]],
        "kube" => vec![vec![C::Need(Need::BusinessCapital), poor(), C::Age(vec![AgeGroup::Adult, AgeGroup::Elderly])]],
        "bantuan-pendidikan" => vec![vec![C::Need(Need::SchoolCosts), poor(), C::Age(vec![AgeGroup::Child])]],
        "rehabilitasi-napza" => vec![vec![C::Need(Need::DrugRecovery)]],
        _ => return None,
    };
    Some(Eligibility::new(rules).expect("catalogue rules are well formed"))
}

/// Adds any missing PPKS category, and the program catalogue if there are no programs yet.
pub async fn seed(db: &Db) -> Result<(), sqlx::Error> {
    let mut tx = db.pool().begin().await?;
    for (code, name_id, name_en) in PPKS_CATEGORIES {
        sqlx::query("INSERT INTO ppks_categories (code, name_id, name_en) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING")
            .bind(code)
            .bind(name_id)
            .bind(name_en)
            .execute(&mut *tx)
            .await?;
    }
    let (programs,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM programs").fetch_one(&mut *tx).await?;
    if programs == 0 {
        let now = now_utc();
        for (position, p) in PROGRAMS.iter().enumerate() {
            // ON CONFLICT: a second instance starting at the same moment adds nothing twice.
            let inserted: Option<(i64,)> = sqlx::query_as(
                "INSERT INTO programs (code, name_id, name_en, summary_id, summary_en, deadline_working_days, \
                 active, position, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
                 ON CONFLICT (code) DO NOTHING RETURNING id",
            )
            .bind(p.code)
            .bind(p.name.0)
            .bind(p.name.1)
            .bind(p.summary.0)
            .bind(p.summary.1)
            .bind(p.deadline_working_days)
            .bind(p.active)
            .bind(position as i64)
            .bind(&now)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((id,)) = inserted else { continue };
            for code in p.ppks {
                sqlx::query("INSERT INTO program_ppks (program_id, ppks_code) VALUES ($1, $2)")
                    .bind(id)
                    .bind(*code)
                    .execute(&mut *tx)
                    .await?;
            }
            for (position, kind) in p.documents.iter().enumerate() {
                sqlx::query("INSERT INTO program_documents (program_id, document_kind, position) VALUES ($1, $2, $3)")
                    .bind(id)
                    .bind(kind.slug())
                    .bind(position as i64)
                    .execute(&mut *tx)
                    .await?;
            }
        }
    }
    // Catalogue programs get their check rules once (also those loaded before the check
    // existed); rules an administrator has set since are left alone.
    for p in PROGRAMS {
        if let Some(rules) = eligibility(p.code) {
            sqlx::query("UPDATE programs SET eligibility = $1 WHERE code = $2 AND eligibility IS NULL")
                .bind(eligibility_json(&rules))
                .bind(p.code)
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await
}

pub fn eligibility_json(rules: &Eligibility) -> String {
    serde_json::to_string(rules).expect("eligibility serialises")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ProgramCode, WorkingDays};

    #[test]
    fn the_catalogue_is_well_formed() {
        let active = PROGRAMS.iter().filter(|p| p.active).count();
        assert!(active >= 8, "{active} active programs");
        let mut codes: Vec<_> = PROGRAMS.iter().map(|p| p.code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), PROGRAMS.len());
        for p in PROGRAMS {
            assert!(ProgramCode::parse(p.code).is_ok(), "{}", p.code);
            assert!(WorkingDays::new(p.deadline_working_days).is_ok(), "{}", p.code);
            assert!(!p.ppks.is_empty() && !p.documents.is_empty(), "{}", p.code);
            assert!(p.ppks.iter().all(|c| PPKS_CATEGORIES.iter().any(|(code, _, _)| code == c)), "{}", p.code);
        }
    }

    #[test]
    fn every_open_program_has_check_rules_that_round_trip_as_json() {
        for p in PROGRAMS.iter().filter(|p| p.active) {
            let rules = eligibility(p.code).unwrap_or_else(|| panic!("{} has no rules", p.code));
            let back: Eligibility = serde_json::from_str(&eligibility_json(&rules)).unwrap();
            assert_eq!(back, rules);
        }
    }

    #[test]
    fn there_are_26_ppks_categories_numbered_in_order() {
        for (i, (code, id, en)) in PPKS_CATEGORIES.iter().enumerate() {
            assert_eq!(*code, i as i64 + 1);
            assert!(!id.is_empty() && !en.is_empty());
        }
    }
}
