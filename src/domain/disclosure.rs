//! Who sees what of an application in tracking. An application is about one person; it may
//! have been made by someone else for them (a neighbour for an elderly woman). The person
//! sees everything Layan holds; the one who applied for them sees what they need to follow it
//! (that it was received, where it stands, what is asked of them, whether it was decided,
//! how to dispute) and not the aid, its amount, the reasons, the referral or the home visit —
//! unless the person lets them. The rule is here, once; the tracking pages and their data ask
//! it part by part.

use serde::{Deserialize, Serialize};

/// Who is looking at a tracked application.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Viewer {
    /// The person it is about: they applied themselves, or proved their own email or phone.
    Person,
    /// The one who applied for them, with the number and PIN of the receipt; `shared` when
    /// the person let them see the details.
    Applicant { shared: bool },
}

/// How the tracking session was opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Opening {
    /// The number and PIN of the receipt (whoever applied holds them).
    NumberAndPin,
    /// A sign-in link to the email, or a code to the phone, on the application: the
    /// person's own.
    OwnContact,
}

impl Viewer {
    pub fn of(made_for_someone_else: bool, opening: Opening, shared: bool) -> Viewer {
        match (made_for_someone_else, opening) {
            (false, _) | (true, Opening::OwnContact) => Viewer::Person,
            (true, Opening::NumberAndPin) => Viewer::Applicant { shared },
        }
    }

    pub fn sees(self, part: Part) -> bool {
        match (self, part) {
            (Viewer::Person, _) => true,
            (Viewer::Applicant { .. }, Part::Progress) => true,
            (Viewer::Applicant { shared }, Part::Details) => shared,
            // What the law gives the person (their data, its processing record, consent)
            // stays theirs, whatever they share.
            (Viewer::Applicant { .. }, Part::PersonalData) => false,
        }
    }
}

/// What a tracking page shows, in the three groups the rule tells apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// Received, the status and its explanation, the dates, a correction asked for (and
    /// making it), whether it was decided, the dispute and how to make one.
    Progress,
    /// The aid granted and its amount, the reason of a refusal, where it was referred, the
    /// home visit (its date and recommendation) and the office's notes.
    Details,
    /// "Data saya": the answers, the household, the documents, every staff view, and the
    /// choices over them (withdrawing consent, letting the applicant see more).
    PersonalData,
}

/// What withdrawing consent does to an application at `status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConsentWithdrawal {
    /// Still open: it is withdrawn, as the resident could withdraw it themselves.
    Withdraw,
    /// Decided (or closed): its personal data is restricted at once and erased at the end
    /// of retention; what reports count stays.
    Restrict,
}

impl ConsentWithdrawal {
    pub fn at(status: crate::domain::workflow::Status) -> ConsentWithdrawal {
        use crate::domain::workflow::{Move, Role};
        if status.after(Move::Withdraw, Role::Resident).is_ok() { ConsentWithdrawal::Withdraw } else { ConsentWithdrawal::Restrict }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn withdrawing_consent_withdraws_an_open_application_and_restricts_a_decided_one() {
        use crate::domain::workflow::Status;
        assert_eq!(ConsentWithdrawal::at(Status::Submitted), ConsentWithdrawal::Withdraw);
        assert_eq!(ConsentWithdrawal::at(Status::NeedsCorrection), ConsentWithdrawal::Withdraw);
        for decided in [Status::Approved, Status::Rejected, Status::Referred, Status::Served, Status::Withdrawn] {
            assert_eq!(ConsentWithdrawal::at(decided), ConsentWithdrawal::Restrict, "{decided:?}");
        }
    }

    #[test]
    fn the_person_sees_everything_however_they_opened_it() {
        for opening in [Opening::NumberAndPin, Opening::OwnContact] {
            let viewer = Viewer::of(false, opening, false);
            assert_eq!(viewer, Viewer::Person);
            assert!([Part::Progress, Part::Details, Part::PersonalData].iter().all(|p| viewer.sees(*p)));
        }
        assert_eq!(Viewer::of(true, Opening::OwnContact, false), Viewer::Person, "their own email or phone");
    }

    #[test]
    fn who_applied_for_someone_else_follows_it_without_its_details_unless_the_person_shares_them() {
        let neighbour = Viewer::of(true, Opening::NumberAndPin, false);
        assert_eq!(neighbour, Viewer::Applicant { shared: false });
        assert!(neighbour.sees(Part::Progress));
        assert!(!neighbour.sees(Part::Details) && !neighbour.sees(Part::PersonalData));
        let trusted = Viewer::of(true, Opening::NumberAndPin, true);
        assert!(trusted.sees(Part::Details));
        assert!(!trusted.sees(Part::PersonalData), "the person's rights stay the person's");
    }
}
