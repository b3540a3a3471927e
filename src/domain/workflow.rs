//! An application's life as a state machine: its statuses, the moves between them, and who
//! may make each move. The server asks the core before any status changes; a move that is not
//! an edge here, or not for this role, is refused whatever the caller sent.
//!
//! Longer than 500 lines: the state machine's unit tests sit beside it (a quarter of the file).

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Status {
    /// Received, waiting for a verifier.
    Submitted,
    /// A verifier asked the resident to fix something.
    NeedsCorrection,
    /// The resident fixed it; back in the verifiers' queue.
    Resubmitted,
    /// Documents and data are in order; waiting for a home visit.
    FieldAssessment,
    /// The visit is recorded; waiting for a supervisor's decision.
    AwaitingDecision,
    Approved,
    Rejected,
    /// Sent on to another program or agency.
    Referred,
    /// The approved aid was delivered.
    Served,
    /// The resident withdrew it.
    Withdrawn,
}

/// Staff roles, and the resident (through tracking) as the one non-staff actor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    FrontDesk,
    Verifier,
    FieldAssessor,
    Supervisor,
    Administrator,
    Resident,
}

/// The moves an application can make.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Move {
    /// Documents and data are in order: on to field assessment.
    DocumentsOk,
    RequestCorrection,
    /// The resident sends the corrected application back.
    Resubmit,
    RecordAssessment,
    Approve,
    Reject,
    Refer,
    MarkServed,
    Withdraw,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum MoveError {
    /// Not an edge from this status (e.g. approving what was never assessed).
    #[error("{0:?} is not possible from {1:?}")]
    NotFromHere(Move, Status),
    /// An edge, but not one this role may take.
    #[error("{0:?} may not {1:?}")]
    NotForRole(Role, Move),
}

macro_rules! slugs {
    ($ty:ident { $($variant:ident => $slug:literal),+ $(,)? }) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];
            /// The stored and form name.
            pub const fn slug(self) -> &'static str {
                match self { $($ty::$variant => $slug),+ }
            }
            pub fn from_slug(slug: &str) -> Option<Self> {
                match slug { $($slug => Some($ty::$variant),)+ _ => None }
            }
        }
    };
}

slugs!(Status {
    Submitted => "diajukan",
    NeedsCorrection => "perlu-perbaikan",
    Resubmitted => "diajukan-ulang",
    FieldAssessment => "asesmen-lapangan",
    AwaitingDecision => "menunggu-keputusan",
    Approved => "disetujui",
    Rejected => "ditolak",
    Referred => "dirujuk",
    Served => "dilayani",
    Withdrawn => "dicabut",
});

slugs!(Role {
    FrontDesk => "petugas-layanan",
    Verifier => "verifikator",
    FieldAssessor => "pendamping",
    Supervisor => "kepala-seksi",
    Administrator => "administrator",
    Resident => "pemohon",
});

slugs!(Move {
    DocumentsOk => "dokumen-lengkap",
    RequestCorrection => "minta-perbaikan",
    Resubmit => "ajukan-ulang",
    RecordAssessment => "catat-asesmen",
    Approve => "setujui",
    Reject => "tolak",
    Refer => "rujuk",
    MarkServed => "tandai-dilayani",
    Withdraw => "cabut",
});

impl Status {
    /// Still in the office's hands or the resident's: counts as "open" (one open application
    /// per person and program). Approved stays open until the aid is delivered.
    pub const fn is_open(self) -> bool {
        !matches!(self, Status::Rejected | Status::Referred | Status::Served | Status::Withdrawn)
    }

    /// Not yet decided: still on its way to approval, rejection or referral (or waiting for
    /// the resident's correction). Its decision date can pass.
    pub const fn is_undecided(self) -> bool {
        matches!(
            self,
            Status::Submitted | Status::NeedsCorrection | Status::Resubmitted | Status::FieldAssessment | Status::AwaitingDecision
        )
    }

    /// Whether reaching this status is news the resident is told (by email and SMS). (Waiting for the
    /// supervisor after the visit, or a fix recorded at the counter, is not.)
    pub const fn tells_resident(self) -> bool {
        !matches!(self, Status::AwaitingDecision | Status::Resubmitted)
    }

    /// Where a move leads from here, if it is an edge at all.
    const fn target(self, m: Move) -> Option<Status> {
        use Move::*;
        use Status::*;
        Some(match (self, m) {
            (Submitted | Resubmitted, DocumentsOk) => FieldAssessment,
            (Submitted | Resubmitted, RequestCorrection) => NeedsCorrection,
            (NeedsCorrection, Resubmit) => Resubmitted,
            (FieldAssessment, RecordAssessment) => AwaitingDecision,
            (AwaitingDecision, Approve) => Approved,
            (AwaitingDecision, Reject) => Rejected,
            (AwaitingDecision, Refer) => Referred,
            (Approved, MarkServed) => Served,
            (s, Withdraw) if s.is_undecided() => Withdrawn,
            _ => return None,
        })
    }

    /// The status after `m` by someone with `role`, or why not.
    pub fn after(self, m: Move, role: Role) -> Result<Status, MoveError> {
        let to = self.target(m).ok_or(MoveError::NotFromHere(m, self))?;
        if !m.allowed_for(role) {
            return Err(MoveError::NotForRole(role, m));
        }
        Ok(to)
    }

    /// The moves `role` may make from here, for the buttons a page offers.
    pub fn moves_for(self, role: Role) -> Vec<Move> {
        Move::ALL.iter().copied().filter(|m| self.after(*m, role).is_ok()).collect()
    }

    /// `after` for a staff member holding several roles: the status, and the first of
    /// `roles` that may make the move (the role the history records).
    pub fn after_as(self, m: Move, roles: &[Role]) -> Result<(Status, Role), MoveError> {
        let to = self.target(m).ok_or(MoveError::NotFromHere(m, self))?;
        let role = roles.iter().copied().find(|r| m.allowed_for(*r) && *r != Role::Resident);
        role.map(|r| (to, r)).ok_or(MoveError::NotForRole(roles.first().copied().unwrap_or(Role::Resident), m))
    }

    /// The moves a staff member holding `roles` may make from here.
    pub fn moves_for_any(self, roles: &[Role]) -> Vec<Move> {
        Move::ALL.iter().copied().filter(|m| self.after_as(*m, roles).is_ok()).collect()
    }
}

impl Move {
    /// Who may make this move (anywhere it is an edge).
    pub const fn allowed_for(self, role: Role) -> bool {
        use Move::*;
        use Role::*;
        match self {
            DocumentsOk | RequestCorrection => matches!(role, Verifier | Supervisor),
            Resubmit => matches!(role, Resident | FrontDesk),
            RecordAssessment => matches!(role, FieldAssessor | Supervisor),
            Approve | Reject | Refer => matches!(role, Supervisor),
            MarkServed => matches!(role, Supervisor | FrontDesk),
            // The resident, or an officer at the counter on their behalf.
            Withdraw => matches!(role, Resident | FrontDesk),
        }
    }
}

/// The back office's work queues: one per step, and the overdue items across steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Queue {
    /// New and resubmitted applications, for verifiers.
    ToVerify,
    /// Waiting on the resident.
    NeedsCorrection,
    FieldAssessment,
    Decision,
    /// Approved, to be served.
    ToServe,
    /// Open and past the decision date, whatever the step.
    Overdue,
}

slugs!(Queue {
    ToVerify => "verifikasi",
    NeedsCorrection => "perbaikan",
    FieldAssessment => "asesmen",
    Decision => "keputusan",
    ToServe => "dilayani",
    Overdue => "terlambat",
});

impl Queue {
    /// Tab counts stop just past this: counting further would read the whole queue, and a
    /// tab that says "1000+" says enough.
    pub const COUNT_CAP: i64 = 1000;

    /// The statuses in this queue (for `Overdue`, every open status).
    pub fn statuses(self) -> Vec<Status> {
        match self {
            Queue::ToVerify => vec![Status::Submitted, Status::Resubmitted],
            Queue::NeedsCorrection => vec![Status::NeedsCorrection],
            Queue::FieldAssessment => vec![Status::FieldAssessment],
            Queue::Decision => vec![Status::AwaitingDecision],
            Queue::ToServe => vec![Status::Approved],
            Queue::Overdue => Status::ALL.iter().copied().filter(|s| s.is_undecided()).collect(),
        }
    }

    /// Whether only items past their decision date are listed.
    pub const fn overdue_only(self) -> bool {
        matches!(self, Queue::Overdue)
    }
}

/// How an application arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Channel {
    Online,
    ServicePoint,
}

impl Channel {
    pub const ALL: &'static [Channel] = &[Channel::Online, Channel::ServicePoint];

    /// The stored value.
    pub const fn stored(self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::ServicePoint => "service_point",
        }
    }

    pub fn from_stored(stored: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.stored() == stored)
    }

    /// The value in a queue link.
    pub const fn slug(self) -> &'static str {
        match self {
            Channel::Online => "daring",
            Channel::ServicePoint => "loket",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.slug() == slug)
    }
}

/// Which items of a queue to list, from the filter form above it (a GET form, so a
/// filtered queue can be bookmarked). A value that does not parse is ignored: a filter
/// narrows a list, it is not an answer to correct.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueFilter {
    pub program: Option<super::ProgramCode>,
    pub category: Option<i64>,
    /// A district or village (the page checks it lies in the staff member's areas).
    pub region: Option<super::RegionCode>,
    pub service_point: Option<i64>,
    pub channel: Option<Channel>,
    pub age: Option<super::eligibility::AgeGroup>,
}

pub mod filter_fields {
    pub const PROGRAM: &str = "program";
    pub const CATEGORY: &str = "ppks";
    pub const REGION: &str = "wilayah";
    pub const SERVICE_POINT: &str = "loket";
    pub const CHANNEL: &str = "jalur";
    pub const AGE: &str = "usia";
}

impl QueueFilter {
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        use super::RegionLevel;
        use filter_fields::*;
        let get = |name: &str| super::apply::field(pairs, name).trim();
        let positive = |v: &str| v.parse::<i64>().ok().filter(|n| *n > 0);
        QueueFilter {
            program: super::ProgramCode::parse(get(PROGRAM)).ok(),
            category: positive(get(CATEGORY)),
            region: super::RegionCode::parse(get(REGION))
                .ok()
                .filter(|r| matches!(r.level(), RegionLevel::District | RegionLevel::Village)),
            service_point: positive(get(SERVICE_POINT)),
            channel: Channel::from_slug(get(CHANNEL)),
            age: super::eligibility::AgeGroup::from_slug(get(AGE)),
        }
    }

    /// The filter as `name=value` pairs, for the links of tabs and pages.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        use filter_fields::*;
        let mut out = Vec::new();
        if let Some(p) = &self.program {
            out.push((PROGRAM, p.as_str().to_string()));
        }
        if let Some(c) = self.category {
            out.push((CATEGORY, c.to_string()));
        }
        if let Some(r) = &self.region {
            out.push((REGION, r.as_str().to_string()));
        }
        if let Some(s) = self.service_point {
            out.push((SERVICE_POINT, s.to_string()));
        }
        if let Some(c) = self.channel {
            out.push((CHANNEL, c.slug().to_string()));
        }
        if let Some(a) = self.age {
            out.push((AGE, a.slug().to_string()));
        }
        out
    }

    /// `&program=…&ppks=…`, to append to a queue link (the values are codes and slugs, which
    /// need no escaping).
    pub fn query_suffix(&self) -> String {
        self.to_pairs().into_iter().map(|(k, v)| format!("&{k}={v}")).collect()
    }

    pub fn is_empty(&self) -> bool {
        self == &QueueFilter::default()
    }
}

/// Who is working an application, since when. A claim not touched for
/// [`Claim::LIFETIME_SECONDS`] has lapsed (someone went home without releasing it): the item
/// is free again, in the queue and on the review page alike.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    /// The staff member's id.
    pub by: i64,
    pub name: String,
    /// When it was claimed (UTC timestamp text).
    pub at: String,
}

impl Claim {
    pub const LIFETIME_SECONDS: i64 = 2 * 60 * 60;

    /// A claim from a row's columns, if the row has one.
    pub fn from_columns(by: Option<i64>, name: Option<String>, at: Option<String>) -> Option<Claim> {
        Some(Claim { by: by?, name: name.unwrap_or_default(), at: at? })
    }

    /// Whether it still holds at `now` (UTC timestamp text).
    pub fn is_live(&self, now: &str) -> bool {
        match (super::date::unix_seconds(&self.at), super::date::unix_seconds(now)) {
            (Some(at), Some(now)) => now - at < Self::LIFETIME_SECONDS,
            _ => false,
        }
    }

    /// Whether it is a live claim of this staff member.
    pub fn is_mine(&self, staff_id: i64, now: &str) -> bool {
        self.by == staff_id && self.is_live(now)
    }

    /// The claim if it is live at `now`, else nothing.
    pub fn live(claim: Option<Claim>, now: &str) -> Option<Claim> {
        claim.filter(|c| c.is_live(now))
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_claim_lapses_after_its_lifetime_and_is_mine_only_by_id() {
        let claim = Claim { by: 7, name: "Sari".into(), at: "2026-12-01T08:00:00Z".into() };
        assert!(claim.is_live("2026-12-01T09:59:59Z"));
        assert!(!claim.is_live("2026-12-01T10:00:00Z"));
        assert!(claim.is_mine(7, "2026-12-01T09:00:00Z"));
        assert!(!claim.is_mine(8, "2026-12-01T09:00:00Z"), "another member of the same name is not the holder");
        assert!(!claim.is_mine(7, "2026-12-01T11:00:00Z"), "a lapsed claim is no one's");
        assert_eq!(Claim::live(Some(claim.clone()), "2026-12-01T12:00:00Z"), None);
        assert_eq!(Claim::from_columns(None, Some("x".into()), Some("2026-12-01T08:00:00Z".into())), None);
    }
    use super::*;

    #[test]
    fn a_queue_filter_reads_what_it_can_and_round_trips() {
        let pairs = |list: &[(&str, &str)]| list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>();
        let filter = QueueFilter::from_pairs(&pairs(&[
            ("program", "rs-rtlh"),
            ("ppks", "24"),
            ("wilayah", "327601"),
            ("loket", "3"),
            ("jalur", "loket"),
            ("usia", "lansia"),
        ]));
        assert_eq!(filter.query_suffix(), "&program=rs-rtlh&ppks=24&wilayah=327601&loket=3&jalur=loket&usia=lansia");
        let again: Vec<(String, String)> = filter.to_pairs().into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        assert_eq!(QueueFilter::from_pairs(&again), filter);
        // Junk, a province (too wide for a filter), negative ids: ignored.
        let junk = QueueFilter::from_pairs(&pairs(&[("program", "../x"), ("ppks", "-1"), ("wilayah", "32"), ("loket", "x"), ("jalur", "fax"), ("usia", "tua")]));
        assert!(junk.is_empty());
    }

    #[test]
    fn the_usual_path_runs_from_submission_to_service() {
        let path = [
            (Move::RequestCorrection, Role::Verifier, Status::NeedsCorrection),
            (Move::Resubmit, Role::Resident, Status::Resubmitted),
            (Move::DocumentsOk, Role::Verifier, Status::FieldAssessment),
            (Move::RecordAssessment, Role::FieldAssessor, Status::AwaitingDecision),
            (Move::Approve, Role::Supervisor, Status::Approved),
            (Move::MarkServed, Role::FrontDesk, Status::Served),
        ];
        let mut status = Status::Submitted;
        for (m, role, expected) in path {
            status = status.after(m, role).unwrap();
            assert_eq!(status, expected);
        }
        assert!(!status.is_open());
    }

    #[test]
    fn moves_off_the_map_or_out_of_role_are_refused() {
        assert_eq!(Status::Submitted.after(Move::Approve, Role::Supervisor), Err(MoveError::NotFromHere(Move::Approve, Status::Submitted)));
        assert_eq!(Status::AwaitingDecision.after(Move::Approve, Role::Verifier), Err(MoveError::NotForRole(Role::Verifier, Move::Approve)));
        assert_eq!(Status::Submitted.after(Move::DocumentsOk, Role::Resident), Err(MoveError::NotForRole(Role::Resident, Move::DocumentsOk)));
        assert!(Status::Approved.after(Move::Withdraw, Role::Resident).is_err(), "approved aid is not withdrawn, it is served");
        for closed in [Status::Rejected, Status::Referred, Status::Served, Status::Withdrawn] {
            for m in Move::ALL {
                for role in Role::ALL {
                    assert!(closed.after(*m, *role).is_err(), "{closed:?} {m:?} {role:?}");
                }
            }
        }
    }

    #[test]
    fn every_role_sees_only_its_own_buttons() {
        assert_eq!(Status::Submitted.moves_for(Role::Verifier), [Move::DocumentsOk, Move::RequestCorrection]);
        assert_eq!(Status::Submitted.moves_for(Role::Resident), [Move::Withdraw]);
        assert_eq!(Status::AwaitingDecision.moves_for(Role::Supervisor), [Move::Approve, Move::Reject, Move::Refer]);
        assert!(Status::AwaitingDecision.moves_for(Role::Administrator).is_empty());
    }

    #[test]
    fn several_roles_act_as_the_first_that_may() {
        let roles = [Role::FrontDesk, Role::Verifier, Role::Supervisor];
        assert_eq!(Status::Submitted.after_as(Move::DocumentsOk, &roles), Ok((Status::FieldAssessment, Role::Verifier)));
        assert_eq!(Status::AwaitingDecision.after_as(Move::Approve, &roles), Ok((Status::Approved, Role::Supervisor)));
        assert_eq!(Status::Submitted.after_as(Move::Withdraw, &roles), Ok((Status::Withdrawn, Role::FrontDesk)));
        assert!(Status::AwaitingDecision.after_as(Move::Approve, &[Role::Verifier, Role::Administrator]).is_err());
        assert!(Status::Submitted.after_as(Move::Approve, &[]).is_err());
        assert_eq!(Status::FieldAssessment.moves_for_any(&[Role::FieldAssessor, Role::Verifier]), [Move::RecordAssessment]);
    }

    #[test]
    fn every_open_status_is_in_one_step_queue() {
        for status in Status::ALL.iter().filter(|s| s.is_open()) {
            let queues: Vec<_> = Queue::ALL.iter().filter(|q| !q.overdue_only() && q.statuses().contains(status)).collect();
            assert_eq!(queues.len(), 1, "{status:?} in {queues:?}");
        }
        assert!(!Queue::Overdue.statuses().contains(&Status::Approved), "approved items wait for service, not a decision");
    }

    #[test]
    fn slugs_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::from_slug(s.slug()), Some(*s));
        }
        for r in Role::ALL {
            assert_eq!(Role::from_slug(r.slug()), Some(*r));
        }
        for m in Move::ALL {
            assert_eq!(Move::from_slug(m.slug()), Some(*m));
        }
        assert_eq!(Status::Submitted.slug(), "diajukan");
    }
}
