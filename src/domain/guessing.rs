//! How many tries at a secret a caller gets: tracking PINs, staff passwords, and requests for
//! an email sign-in link. The rule lives here, as counts in and a verdict out; the server
//! (`server::limits`) keeps the counts.
//!
//! The server records a try *before* it checks the secret and counts that try with the
//! others, so of N tries made at the same moment at most the limit are judged, whatever N.
//!
//! Three budgets, so an attacker cannot lock other people out:
//! - a **subject from one address** (this number from this phone): a few per 15 minutes and a
//!   few more per day, then nothing from that address — a hard stop that only hits the
//!   address guessing;
//! - an **address** across subjects: enough for an office behind one address;
//! - a **subject from anywhere** (many addresses at one number): free up to a daily
//!   allowance, then each further try waits for a delay that doubles from a minute up to an
//!   hour after the previous failure — never a lock, so the owner can still get in from
//!   their own phone, and the daily total stays small.

/// Which secret is being tried. Stored by [`SecretKind::slug`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SecretKind {
    /// A registration number's six-digit tracking PIN (applications and complaints).
    Pin,
    /// A staff account's password.
    Password,
    /// A request to send a sign-in link by email or a code by SMS (the subject is the
    /// address's or the phone's hash).
    Link,
    /// A one-time code texted to a phone (the subject is the phone's hash).
    Code,
}

/// Whose address budget a try counts against: residents' lookups and staff sign-in are
/// counted apart, so residents at a Puskesos sharing the office's address cannot lock its
/// officers out, nor the other way round.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Family {
    Resident,
    Staff,
}

impl SecretKind {
    pub const fn slug(self) -> &'static str {
        match self {
            SecretKind::Pin => "pin",
            SecretKind::Password => "password",
            SecretKind::Link => "link",
            SecretKind::Code => "code",
        }
    }

    pub const fn family(self) -> Family {
        match self {
            SecretKind::Pin | SecretKind::Link | SecretKind::Code => Family::Resident,
            SecretKind::Password => Family::Staff,
        }
    }

    pub const fn limits(self) -> Limits {
        match self {
            SecretKind::Pin | SecretKind::Password | SecretKind::Code => Limits {
                pair_window: 5,
                pair_day: 10,
                address_window: 20,
                address_day: 100,
                subject_window: None,
                subject_free_day: 10,
            },
            // Links are not guesses but messages: an inbox gets at most three per window
            // from anyone, known or not, so the answer never tells whether it is known.
            SecretKind::Link => Limits {
                pair_window: 3,
                pair_day: 10,
                address_window: 20,
                address_day: 100,
                subject_window: Some(3),
                subject_free_day: i64::MAX,
            },
        }
    }
}

impl Family {
    pub const fn slug(self) -> &'static str {
        match self {
            Family::Resident => "resident",
            Family::Staff => "staff",
        }
    }
}

/// The short window the first limits count over.
pub const WINDOW_SECONDS: i64 = 15 * 60;
/// The long one: the daily limits, and how long tries are kept.
pub const DAY_SECONDS: i64 = 24 * 60 * 60;
/// The first delay past a subject's daily allowance, and the longest.
pub const FIRST_DELAY_SECONDS: i64 = 60;
pub const LONGEST_DELAY_SECONDS: i64 = 60 * 60;

/// How many counted tries each budget allows. A try is counted while it is being judged
/// and when it failed, never once it succeeded. One refused unjudged counts against its own
/// address (pair and address budgets: hammering keeps that address out for the window) but
/// not against the subject's budget, which the owner shares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// This subject from this address, per window and per day.
    pub pair_window: i64,
    pub pair_day: i64,
    /// This address, any subject of the family, per window and per day.
    pub address_window: i64,
    pub address_day: i64,
    /// This subject from any address per window (a hard limit), if it has one.
    pub subject_window: Option<i64>,
    /// This subject's tries per day from any address before delays start.
    pub subject_free_day: i64,
}

/// The counted tries around one new try, *including* it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub pair_window: i64,
    pub pair_day: i64,
    pub address_window: i64,
    pub address_day: i64,
    pub subject_window: i64,
    pub subject_day: i64,
    /// Seconds since the subject's latest other counted try from anywhere today.
    pub since_subject_previous: Option<i64>,
}

/// Whether a try may be judged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Judge,
    /// Not judged; try again after this many seconds at the earliest.
    Refuse { retry_after: i64 },
}

/// The delay the `n`-th counted try of a subject today (counting from 1) must keep after the
/// previous one.
pub fn delay_before(limits: &Limits, n: i64) -> i64 {
    if n <= limits.subject_free_day {
        return 0;
    }
    let doublings = (n - limits.subject_free_day - 1).clamp(0, 20) as u32;
    (FIRST_DELAY_SECONDS << doublings).min(LONGEST_DELAY_SECONDS)
}

/// The verdict on a try, given the counts that include it.
pub fn verdict(limits: &Limits, counts: &Counts) -> Verdict {
    if counts.pair_window > limits.pair_window || counts.address_window > limits.address_window {
        return Verdict::Refuse { retry_after: WINDOW_SECONDS };
    }
    if counts.subject_window > limits.subject_window.unwrap_or(i64::MAX) {
        return Verdict::Refuse { retry_after: WINDOW_SECONDS };
    }
    if counts.pair_day > limits.pair_day || counts.address_day > limits.address_day {
        return Verdict::Refuse { retry_after: DAY_SECONDS };
    }
    let delay = delay_before(limits, counts.subject_day);
    match counts.since_subject_previous {
        Some(since) if since < delay => Verdict::Refuse { retry_after: delay - since },
        _ => Verdict::Judge,
    }
}

/// Writes anyone may make without a secret, budgeted per address so one machine cannot fill
/// the database or the disk: new drafts, uploads to drafts, complaints. Generous, because
/// mobile carriers put many residents behind one address (carrier-grade NAT) and a Puskesos
/// shares one for everyone on its wifi; a counter registration (an officer's) is not counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Write {
    Draft,
    Upload,
    Complaint,
    /// A text to the office's number that gets an answer (counted per phone, not address):
    /// every answer costs the office an SMS.
    Text,
}

/// The window the budgets of [`Write`] count over.
pub const WRITE_WINDOW_SECONDS: i64 = 3600;

impl Write {
    pub const fn slug(self) -> &'static str {
        match self {
            Write::Draft => "draft",
            Write::Upload => "upload",
            Write::Complaint => "complaint",
            Write::Text => "text",
        }
    }

    /// How many per address in [`WRITE_WINDOW_SECONDS`]. A household's application is one
    /// draft and about six uploads (with a retake or two).
    pub const fn per_hour(self) -> i64 {
        match self {
            Write::Draft => 60,
            Write::Upload => 400,
            Write::Complaint => 20,
            Write::Text => 10,
        }
    }

    /// With `count` writes in the window (this one included), the oldest `oldest_age`
    /// seconds ago: `None` to go ahead, or the seconds until the oldest leaves the window.
    pub fn refused(self, count: i64, oldest_age: i64) -> Option<i64> {
        (count > self.per_hour()).then(|| (WRITE_WINDOW_SECONDS - oldest_age).clamp(1, WRITE_WINDOW_SECONDS))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anonymous_writes_have_an_hourly_budget_per_address() {
        assert_eq!(Write::Complaint.refused(20, 10), None);
        assert_eq!(Write::Complaint.refused(21, 600), Some(3000), "until the oldest leaves the hour");
        assert_eq!(Write::Draft.refused(61, 4000), Some(1));
        assert!(Write::Upload.per_hour() > 6 * Write::Draft.per_hour() / 2);
    }

    /// The most tries an attacker gets judged in a day at one subject, trying the moment each
    /// is allowed from as many addresses as it likes (each address stays under its own limits).
    fn most_judged_in_a_day(kind: SecretKind) -> i64 {
        let limits = kind.limits();
        let mut judged_at: Vec<i64> = Vec::new();
        let mut now = 0;
        while now < DAY_SECONDS {
            let window = judged_at.iter().filter(|t| now - **t < WINDOW_SECONDS).count() as i64;
            let counts = Counts {
                pair_window: 1,
                pair_day: 1,
                address_window: 1,
                address_day: 1,
                subject_window: window + 1,
                subject_day: judged_at.len() as i64 + 1,
                since_subject_previous: judged_at.last().map(|t| now - t),
            };
            match verdict(&limits, &counts) {
                Verdict::Judge => judged_at.push(now),
                Verdict::Refuse { retry_after } => now += retry_after.max(1) - 1,
            }
            now += 1;
        }
        judged_at.len() as i64
    }

    #[test]
    fn many_addresses_get_a_few_dozen_guesses_a_day_at_one_pin_or_password() {
        // SECURITY.md states these figures.
        assert_eq!(most_judged_in_a_day(SecretKind::Pin), 38);
        assert_eq!(most_judged_in_a_day(SecretKind::Password), 38);
        assert_eq!(most_judged_in_a_day(SecretKind::Code), 38);
    }

    #[test]
    fn one_address_gets_five_tries_per_window_and_ten_a_day_at_one_subject() {
        let limits = SecretKind::Pin.limits();
        let counts = |pair_window, pair_day| Counts { pair_window, pair_day, address_window: pair_window, address_day: pair_day, subject_window: pair_window, subject_day: pair_day, since_subject_previous: None };
        assert_eq!(verdict(&limits, &counts(5, 5)), Verdict::Judge);
        assert_eq!(verdict(&limits, &counts(6, 6)), Verdict::Refuse { retry_after: WINDOW_SECONDS });
        assert_eq!(verdict(&limits, &counts(1, 10)), Verdict::Judge);
        assert_eq!(verdict(&limits, &counts(1, 11)), Verdict::Refuse { retry_after: DAY_SECONDS });
    }

    #[test]
    fn past_the_daily_allowance_a_subject_waits_longer_after_each_failure_but_is_never_locked() {
        let limits = SecretKind::Password.limits();
        assert_eq!((delay_before(&limits, 10), delay_before(&limits, 11), delay_before(&limits, 12)), (0, 60, 120));
        assert_eq!(delay_before(&limits, 40), LONGEST_DELAY_SECONDS);
        let at = |subject_day, since| Counts { pair_window: 1, pair_day: 1, address_window: 1, address_day: 1, subject_window: 1, subject_day, since_subject_previous: Some(since) };
        assert_eq!(verdict(&limits, &at(12, 100)), Verdict::Refuse { retry_after: 20 });
        assert_eq!(verdict(&limits, &at(12, 120)), Verdict::Judge);
        assert_eq!(verdict(&limits, &at(500, LONGEST_DELAY_SECONDS)), Verdict::Judge);
    }

    #[test]
    fn an_inbox_gets_three_links_per_window_from_anyone() {
        let limits = SecretKind::Link.limits();
        let from_many = |subject_window| Counts { pair_window: 1, pair_day: 1, address_window: 1, address_day: 1, subject_window, subject_day: subject_window, since_subject_previous: Some(0) };
        assert_eq!(verdict(&limits, &from_many(3)), Verdict::Judge);
        assert_eq!(verdict(&limits, &from_many(4)), Verdict::Refuse { retry_after: WINDOW_SECONDS });
    }

    #[test]
    fn an_address_is_stopped_across_subjects() {
        let limits = SecretKind::Pin.limits();
        let counts = Counts { pair_window: 1, pair_day: 1, address_window: 21, address_day: 21, subject_window: 1, subject_day: 1, since_subject_previous: None };
        assert!(matches!(verdict(&limits, &counts), Verdict::Refuse { .. }));
    }
}
