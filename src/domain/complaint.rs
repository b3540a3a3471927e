//! Complaints (keluhan: a question, a suggestion or a complaint) and disputes of a decision
//! (sanggah): what they must carry, their short life (received → answered → closed), who on
//! the staff may answer which, and the deadlines.
//!
//! A complaint is tracked apart from applications, with its own number and PIN, because it
//! may be about a service point or the office and be sent by someone who never applied.

use super::apply::{clean_text, field};
use super::date::Date;
use super::person::{EmailAddress, PersonName, PhoneNumber};
use super::program::WorkingDays;
use super::registration::RegistrationNumber;
use super::workflow::{Role, Status};
use serde::{Deserialize, Serialize};

/// A message (the resident's or a reply): room for a story, short enough to read.
pub const MAX_MESSAGE_CHARS: usize = 2000;
/// Fewer characters than this say nothing staff could act on ("tolong").
pub const MIN_MESSAGE_CHARS: usize = 10;
/// A decision may be disputed up to this many days after it was made.
pub const DISPUTE_DAYS: i64 = 14;

/// Form field names of the complaint, dispute and reply forms.
pub mod fields {
    pub const KIND: &str = "jenis";
    pub const ABOUT: &str = "tentang";
    pub const NUMBER: &str = "nomor";
    pub const SERVICE_POINT: &str = "loket";
    pub const MESSAGE: &str = "pesan";
    pub const NAME: &str = "nama";
    pub const EMAIL: &str = "email";
    pub const PHONE: &str = "telepon";
    pub const PHOTO: &str = "foto";
    pub const REASON: &str = "alasan";
    pub const REPLY: &str = "jawaban";
    pub const CLOSE: &str = "tutup";
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ComplaintKind {
    Question,
    Suggestion,
    Complaint,
    /// A resident disputes the decision on their application.
    Dispute,
}

impl ComplaintKind {
    /// What anyone may send from the public form (a dispute comes from tracking).
    pub const PUBLIC: [ComplaintKind; 3] = [ComplaintKind::Question, ComplaintKind::Suggestion, ComplaintKind::Complaint];
    pub const ALL: [ComplaintKind; 4] =
        [ComplaintKind::Question, ComplaintKind::Suggestion, ComplaintKind::Complaint, ComplaintKind::Dispute];

    pub const fn slug(self) -> &'static str {
        match self {
            ComplaintKind::Question => "pertanyaan",
            ComplaintKind::Suggestion => "saran",
            ComplaintKind::Complaint => "pengaduan",
            ComplaintKind::Dispute => "sanggah",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.slug() == slug)
    }

    /// The public service law (UU 25/2009) gives a complaint 14 days for an answer: ten
    /// working days, so a long weekend or a holiday does not eat into it.
    pub fn answer_within(self) -> WorkingDays {
        WorkingDays::new(10).expect("10 is within 1..=90")
    }

    /// Whether a staff member with these roles may answer and close it. A dispute questions
    /// a decision, so a supervisor (who decides) answers it; the rest are the front line's.
    pub fn handled_by(self, roles: &[Role]) -> bool {
        let allowed: &[Role] = match self {
            ComplaintKind::Dispute => &[Role::Supervisor],
            _ => &[Role::FrontDesk, Role::Verifier, Role::Supervisor],
        };
        roles.iter().any(|r| allowed.contains(r))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ComplaintStatus {
    Received,
    Answered,
    Closed,
}

/// What staff do with a complaint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ComplaintMove {
    Reply,
    /// Close it with a last reply (a complaint is never closed without one).
    ReplyAndClose,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("the complaint is closed")]
pub struct AlreadyClosed;

impl ComplaintStatus {
    pub const ALL: [ComplaintStatus; 3] = [ComplaintStatus::Received, ComplaintStatus::Answered, ComplaintStatus::Closed];

    pub const fn slug(self) -> &'static str {
        match self {
            ComplaintStatus::Received => "diterima",
            ComplaintStatus::Answered => "dijawab",
            ComplaintStatus::Closed => "selesai",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.slug() == slug)
    }

    /// Where a move leads: replies keep it open for more, closing ends it; nothing moves a
    /// closed complaint (the resident sends a new one).
    pub fn after(self, m: ComplaintMove) -> Result<ComplaintStatus, AlreadyClosed> {
        match (self, m) {
            (ComplaintStatus::Closed, _) => Err(AlreadyClosed),
            (_, ComplaintMove::Reply) => Ok(ComplaintStatus::Answered),
            (_, ComplaintMove::ReplyAndClose) => Ok(ComplaintStatus::Closed),
        }
    }

    pub const fn is_open(self) -> bool {
        !matches!(self, ComplaintStatus::Closed)
    }
}

/// Which decisions a resident may dispute.
pub const fn disputable(status: Status) -> bool {
    matches!(status, Status::Approved | Status::Rejected | Status::Referred)
}

/// The last day a decision made on `decided_on` may be disputed.
pub fn dispute_until(decided_on: Date) -> Date {
    decided_on.add_days(DISPUTE_DAYS)
}

/// What a complaint is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum About {
    Application(RegistrationNumber),
    /// A service point, by its id (the form lists them).
    ServicePoint(i64),
    /// The office in general.
    General,
}

impl About {
    pub const SLUGS: [&'static str; 3] = ["permohonan", "loket", "umum"];
}

/// Everything that can be wrong with a complaint, dispute or reply form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ComplaintProblem {
    #[error("choose what kind of message it is")]
    KindMissing,
    #[error("choose what it is about")]
    AboutMissing,
    #[error("the registration number is missing")]
    NumberMissing,
    #[error("the registration number is not valid")]
    NumberInvalid,
    #[error("choose a service point")]
    ServicePointMissing,
    #[error("the message is missing or too short")]
    MessageTooShort,
    #[error("the message is too long")]
    MessageTooLong,
    #[error("characters that cannot be kept")]
    Characters,
    #[error("the name is not valid")]
    NameInvalid,
    #[error("the email address is not valid")]
    EmailInvalid,
    #[error("the phone number is not valid")]
    PhoneInvalid,
    #[error("the reply is missing")]
    ReplyMissing,
}

pub type ComplaintProblems = Vec<(&'static str, ComplaintProblem)>;

/// A message as the resident wrote it (trimmed), between the bounds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message(String);

impl Message {
    pub fn parse(input: &str, missing: ComplaintProblem) -> Result<Self, ComplaintProblem> {
        let text = clean_text(input).map_err(|_| ComplaintProblem::Characters)?;
        match text.chars().count() {
            0 => Err(missing),
            n if n < MIN_MESSAGE_CHARS && missing == ComplaintProblem::MessageTooShort => Err(missing),
            n if n > MAX_MESSAGE_CHARS => Err(ComplaintProblem::MessageTooLong),
            _ => Ok(Self(text)),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A complaint from the public form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewComplaint {
    pub kind: ComplaintKind,
    pub about: About,
    pub message: Message,
    /// Anyone may complain without a name; an email brings the reply to their inbox.
    pub name: Option<PersonName>,
    pub email: Option<EmailAddress>,
    pub phone: Option<PhoneNumber>,
}

impl NewComplaint {
    pub fn parse(pairs: &[(String, String)]) -> Result<NewComplaint, ComplaintProblems> {
        use fields::*;
        let mut problems: ComplaintProblems = Vec::new();
        let kind = ComplaintKind::from_slug(field(pairs, KIND)).filter(|k| ComplaintKind::PUBLIC.contains(k));
        if kind.is_none() {
            problems.push((KIND, ComplaintProblem::KindMissing));
        }
        let about = match field(pairs, ABOUT) {
            "permohonan" => match field(pairs, NUMBER).trim() {
                "" => {
                    problems.push((NUMBER, ComplaintProblem::NumberMissing));
                    None
                }
                typed => match RegistrationNumber::parse(typed) {
                    Ok(number) => Some(About::Application(number)),
                    Err(_) => {
                        problems.push((NUMBER, ComplaintProblem::NumberInvalid));
                        None
                    }
                },
            },
            "loket" => match field(pairs, SERVICE_POINT).trim().parse::<i64>() {
                Ok(id) if id > 0 => Some(About::ServicePoint(id)),
                _ => {
                    problems.push((SERVICE_POINT, ComplaintProblem::ServicePointMissing));
                    None
                }
            },
            "umum" => Some(About::General),
            _ => {
                problems.push((ABOUT, ComplaintProblem::AboutMissing));
                None
            }
        };
        let message = Message::parse(field(pairs, MESSAGE), ComplaintProblem::MessageTooShort)
            .map_err(|p| problems.push((MESSAGE, p)))
            .ok();
        let optional = |name: &'static str| Some(field(pairs, name).trim()).filter(|t| !t.is_empty());
        let person_name = optional(NAME).and_then(|n| PersonName::parse(n).map_err(|_| problems.push((NAME, ComplaintProblem::NameInvalid))).ok());
        let email = optional(EMAIL).and_then(|e| EmailAddress::parse(e).map_err(|_| problems.push((EMAIL, ComplaintProblem::EmailInvalid))).ok());
        let phone = optional(PHONE).and_then(|p| PhoneNumber::parse(p).map_err(|_| problems.push((PHONE, ComplaintProblem::PhoneInvalid))).ok());
        match (kind, about, message) {
            (Some(kind), Some(about), Some(message)) if problems.is_empty() => {
                Ok(NewComplaint { kind, about, message, name: person_name, email, phone })
            }
            _ => Err(problems),
        }
    }
}

/// A dispute's reason, from the tracking page (the photo travels beside it).
pub fn parse_dispute(pairs: &[(String, String)]) -> Result<Message, ComplaintProblems> {
    Message::parse(field(pairs, fields::REASON), ComplaintProblem::MessageTooShort).map_err(|p| vec![(fields::REASON, p)])
}

/// A staff reply, and whether it closes the complaint.
pub fn parse_reply(pairs: &[(String, String)]) -> Result<(Message, ComplaintMove), ComplaintProblems> {
    let m = if field(pairs, fields::CLOSE) == "ya" { ComplaintMove::ReplyAndClose } else { ComplaintMove::Reply };
    Message::parse(field(pairs, fields::REPLY), ComplaintProblem::ReplyMissing).map(|r| (r, m)).map_err(|p| vec![(fields::REPLY, p)])
}

/// A reply as sent — by the case page's form or as JSON: the text and whether it closes the
/// complaint (`ya`). [`parse_reply`] judges it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReplyForm {
    pub jawaban: String,
    pub tutup: Option<String>,
}

impl ReplyForm {
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        ReplyForm { jawaban: field(pairs, fields::REPLY).to_string(), tutup: Some(field(pairs, fields::CLOSE).to_string()).filter(|t| !t.is_empty()) }
    }

    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = vec![(fields::REPLY.to_string(), self.jawaban.clone())];
        pairs.extend(self.tutup.clone().map(|t| (fields::CLOSE.to_string(), t)));
        pairs
    }
}

/// Why a reply was not written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReplyProblem {
    Form(ComplaintProblem),
    /// Closed meanwhile (or by someone else first).
    Closed,
}

/// The tabs of the staff's complaint list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ComplaintTab {
    Open,
    Overdue,
    Closed,
}

impl ComplaintTab {
    pub const ALL: [ComplaintTab; 3] = [ComplaintTab::Open, ComplaintTab::Overdue, ComplaintTab::Closed];

    pub const fn slug(self) -> &'static str {
        match self {
            ComplaintTab::Open => "terbuka",
            ComplaintTab::Overdue => "terlambat",
            ComplaintTab::Closed => "selesai",
        }
    }

    pub fn from_slug(slug: &str) -> Self {
        Self::ALL.into_iter().find(|t| t.slug() == slug).unwrap_or(ComplaintTab::Open)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn problems<T: std::fmt::Debug>(result: Result<T, ComplaintProblems>) -> Vec<ComplaintProblem> {
        result.unwrap_err().into_iter().map(|(_, p)| p).collect()
    }

    #[test]
    fn a_complaint_names_its_kind_subject_and_message() {
        let number = RegistrationNumber::from_random([1, 2, 3, 4, 5]);
        let typed = number.display().to_lowercase();
        let ok = NewComplaint::parse(&pairs(&[
            ("jenis", "pengaduan"),
            ("tentang", "permohonan"),
            ("nomor", &typed),
            ("pesan", "  Sudah dua bulan belum ada kabar.  "),
            ("email", "siti@example.com"),
        ]))
        .unwrap();
        assert_eq!(ok.kind, ComplaintKind::Complaint);
        assert_eq!(ok.about, About::Application(number));
        assert_eq!(ok.message.as_str(), "Sudah dua bulan belum ada kabar.");
        assert!(ok.name.is_none() && ok.phone.is_none() && ok.email.is_some());

        let general = NewComplaint::parse(&pairs(&[("jenis", "saran"), ("tentang", "umum"), ("pesan", "Mohon loket buka hari Sabtu.")]));
        assert_eq!(general.unwrap().about, About::General);
    }

    #[test]
    fn a_bad_complaint_says_every_problem_at_its_field() {
        assert_eq!(problems(NewComplaint::parse(&[])), [
            ComplaintProblem::KindMissing,
            ComplaintProblem::AboutMissing,
            ComplaintProblem::MessageTooShort
        ]);
        let form = pairs(&[
            ("jenis", "sanggah"),
            ("tentang", "permohonan"),
            ("nomor", "K7QM3XH9Q"),
            ("pesan", "tolong"),
            ("email", "bukan email"),
            ("telepon", "12"),
        ]);
        assert_eq!(problems(NewComplaint::parse(&form)), [
            ComplaintProblem::KindMissing,
            ComplaintProblem::NumberInvalid,
            ComplaintProblem::MessageTooShort,
            ComplaintProblem::EmailInvalid,
            ComplaintProblem::PhoneInvalid
        ]);
        let form = pairs(&[("jenis", "pertanyaan"), ("tentang", "loket"), ("loket", "x"), ("pesan", &"a".repeat(2001))]);
        assert_eq!(problems(NewComplaint::parse(&form)), [ComplaintProblem::ServicePointMissing, ComplaintProblem::MessageTooLong]);
        let form = pairs(&[("jenis", "pertanyaan"), ("tentang", "umum"), ("pesan", "Kapan\u{0} loket buka?")]);
        assert_eq!(problems(NewComplaint::parse(&form)), [ComplaintProblem::Characters]);
    }

    #[test]
    fn a_complaint_is_answered_then_closed_and_stays_closed() {
        use ComplaintMove::*;
        use ComplaintStatus::*;
        assert_eq!(Received.after(Reply), Ok(Answered));
        assert_eq!(Answered.after(Reply), Ok(Answered));
        assert_eq!(Received.after(ReplyAndClose), Ok(Closed));
        assert_eq!(Closed.after(Reply), Err(AlreadyClosed));
        assert_eq!(Closed.after(ReplyAndClose), Err(AlreadyClosed));
        assert_eq!(parse_reply(&pairs(&[("jawaban", "Sudah kami periksa."), ("tutup", "ya")])).unwrap().1, ReplyAndClose);
        assert_eq!(problems(parse_reply(&pairs(&[("jawaban", "  ")]))), [ComplaintProblem::ReplyMissing]);
        // A short reply is fine ("Sudah."): the bound is for residents' messages.
        assert!(parse_reply(&pairs(&[("jawaban", "Sudah.")])).is_ok());
    }

    #[test]
    fn disputes_go_to_supervisors_and_close_after_fourteen_days() {
        assert!(ComplaintKind::Dispute.handled_by(&[Role::Supervisor]));
        assert!(!ComplaintKind::Dispute.handled_by(&[Role::Verifier, Role::FrontDesk]));
        assert!(ComplaintKind::Complaint.handled_by(&[Role::FrontDesk]));
        assert!(!ComplaintKind::Complaint.handled_by(&[Role::FieldAssessor, Role::Administrator]));
        assert!(disputable(Status::Rejected) && disputable(Status::Approved) && !disputable(Status::Submitted));
        assert_eq!(dispute_until(Date::new(2026, 11, 23).unwrap()), Date::new(2026, 12, 7).unwrap());
        assert_eq!(problems(parse_dispute(&pairs(&[("alasan", "tidak")]))), [ComplaintProblem::MessageTooShort]);
    }
}
