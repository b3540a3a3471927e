//! What the office reports: the tallies kept per day as applications and complaints move,
//! how a period's report is added up from them, and the rule that keeps public figures from
//! singling anyone out.
//!
//! Every change that a report counts becomes a few [`Delta`]s (+1 here, −1 there) on the day
//! it happened, in the village and at the service point of the application. A report for
//! any period and area is then the sum of those small rows, whatever the number of
//! applications behind them. The server writes the deltas in the same transaction as the
//! change, so a report never disagrees with the applications.
//!
//! Longer than 500 lines: the report's measures, the protection of small counts and their tests sit together.

use super::eligibility::AgeGroup;
use super::workflow::{Channel, Status};
use super::{Date, Sex, WorkingDays};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a tally row counts. Stored by [`Measure::slug`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Measure {
    /// Applications received that day (key: empty).
    Received,
    /// Applications received that day, by their status now (key: status slug).
    Status,
    /// … by program (key: program id).
    Program,
    /// … by PPKS category (key: category code).
    Category,
    /// … by channel (key: stored channel).
    Channel,
    /// … by sex of the person served (key: L or P).
    Sex,
    /// … by age group of the person served on the day received (key: age group slug).
    Age,
    /// Applications received that day and still undecided, by their decision date
    /// (key: YYYY-MM-DD): the overdue ones are those whose date has passed.
    Undecided,
    /// Decisions made that day (key: `outcome:program id`).
    Decided,
    /// Decisions made that day, all outcomes and programs together (key: empty): the trend's
    /// second line, readable without the per-program rows.
    Decisions,
    /// Decisions made that day by the working days they took (key: `program id:days`).
    DecisionDays,
    /// Approved aid delivered that day (key: program id).
    Served,
    /// Complaints (and disputes) received that day (key: kind slug).
    ComplaintReceived,
    /// Complaints closed that day (key: kind slug).
    ComplaintClosed,
}

impl Measure {
    pub const ALL: [Measure; 14] = [
        Measure::Received,
        Measure::Status,
        Measure::Program,
        Measure::Category,
        Measure::Channel,
        Measure::Sex,
        Measure::Age,
        Measure::Undecided,
        Measure::Decided,
        Measure::Decisions,
        Measure::DecisionDays,
        Measure::Served,
        Measure::ComplaintReceived,
        Measure::ComplaintClosed,
    ];

    pub const fn slug(self) -> &'static str {
        match self {
            Measure::Received => "diterima",
            Measure::Status => "status",
            Measure::Program => "program",
            Measure::Category => "kategori",
            Measure::Channel => "saluran",
            Measure::Sex => "jenis-kelamin",
            Measure::Age => "usia",
            Measure::Undecided => "belum-diputus",
            Measure::Decided => "diputus",
            Measure::Decisions => "keputusan",
            Measure::DecisionDays => "lama-putusan",
            Measure::Served => "dilayani",
            Measure::ComplaintReceived => "pengaduan-masuk",
            Measure::ComplaintClosed => "pengaduan-selesai",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.slug() == slug)
    }
}

/// Who reads reports: section heads (their areas) and administrators (theirs, or every
/// area when they have none). Casework roles see their queues, not the office's figures.
pub fn may_read(roles: &[super::workflow::Role]) -> bool {
    use super::workflow::Role;
    roles.iter().any(|r| matches!(r, Role::Supervisor | Role::Administrator))
}

/// One change to one tally: `n` (+1 or −1) things of `measure` with `key` on `day`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delta {
    pub day: Date,
    pub measure: Measure,
    pub key: String,
    pub n: i64,
}

impl Delta {
    fn new(day: Date, measure: Measure, key: impl Into<String>, n: i64) -> Self {
        Self { day, measure, key: key.into(), n }
    }
}

/// The decisions a report counts as such (served comes after approval, not instead).
pub const OUTCOMES: [Status; 3] = [Status::Approved, Status::Rejected, Status::Referred];

/// What reports need to know about one application: nothing that names the person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseFacts {
    /// The office day it was received.
    pub received_on: Date,
    pub program_id: i64,
    pub category: i64,
    pub channel: Channel,
    pub sex: Sex,
    pub age: AgeGroup,
    pub due: Date,
}

impl CaseFacts {
    /// The age group of someone born on `born`, on the day received.
    pub fn age_on(born: Date, received_on: Date) -> AgeGroup {
        AgeGroup::of_age(born.years_until(received_on))
    }

    /// An application arrives (as submitted).
    pub fn received(&self) -> Vec<Delta> {
        let day = self.received_on;
        vec![
            Delta::new(day, Measure::Received, "", 1),
            Delta::new(day, Measure::Status, Status::Submitted.slug(), 1),
            Delta::new(day, Measure::Program, self.program_id.to_string(), 1),
            Delta::new(day, Measure::Category, self.category.to_string(), 1),
            Delta::new(day, Measure::Channel, self.channel.stored(), 1),
            Delta::new(day, Measure::Sex, self.sex.letter(), 1),
            Delta::new(day, Measure::Age, self.age.slug(), 1),
            Delta::new(day, Measure::Undecided, self.due.to_string(), 1),
        ]
    }

    /// It moves from `from` to `to` on office day `on`, `working_days` after it was received.
    pub fn moved(&self, from: Status, to: Status, on: Date, working_days: u32) -> Vec<Delta> {
        let day = self.received_on;
        let mut out = vec![Delta::new(day, Measure::Status, from.slug(), -1), Delta::new(day, Measure::Status, to.slug(), 1)];
        if from.is_undecided() && !to.is_undecided() {
            out.push(Delta::new(day, Measure::Undecided, self.due.to_string(), -1));
        }
        if OUTCOMES.contains(&to) {
            out.push(Delta::new(on, Measure::Decided, format!("{}:{}", to.slug(), self.program_id), 1));
            out.push(Delta::new(on, Measure::Decisions, "", 1));
            out.push(Delta::new(on, Measure::DecisionDays, format!("{}:{working_days}", self.program_id), 1));
        }
        if to == Status::Served {
            out.push(Delta::new(on, Measure::Served, self.program_id.to_string(), 1));
        }
        out
    }
}

/// Working days from `start` to `end`: days after `start` up to and including `end` that are
/// neither weekend nor holiday (the count [`WorkingDays::after`] walks forward).
pub fn working_days_between(start: Date, end: Date, holidays: &[Date]) -> u32 {
    let mut days = 0;
    let mut date = start;
    while date < end {
        date = date.add_days(1);
        if date.weekday_from_monday() < 5 && !holidays.contains(&date) {
            days += 1;
        }
    }
    days
}

/// A report's period: whole office days, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    from: Date,
    to: Date,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum PeriodError {
    #[error("not a date")]
    NotADate,
    #[error("the period ends before it starts")]
    Reversed,
    #[error("a period is at most {} days", Period::MAX_DAYS)]
    TooLong,
}

impl Period {
    /// Two years and a day: enough to compare a year with the one before.
    pub const MAX_DAYS: i64 = 732;

    pub fn new(from: Date, to: Date) -> Result<Self, PeriodError> {
        if to < from {
            return Err(PeriodError::Reversed);
        }
        if to.to_unix_days() - from.to_unix_days() + 1 > Self::MAX_DAYS {
            return Err(PeriodError::TooLong);
        }
        Ok(Self { from, to })
    }

    /// From the form's two dates (`YYYY-MM-DD`).
    pub fn parse(from: &str, to: &str) -> Result<Self, PeriodError> {
        let from = Date::parse_iso(from.trim()).map_err(|_| PeriodError::NotADate)?;
        let to = Date::parse_iso(to.trim()).map_err(|_| PeriodError::NotADate)?;
        Self::new(from, to)
    }

    /// The calendar month `day` lies in.
    pub fn month_of(day: Date) -> Self {
        let from = Date::new(day.year(), day.month(), 1).unwrap_or(day);
        let last = super::date::days_in_month(day.year(), day.month());
        let to = Date::new(day.year(), day.month(), last).unwrap_or(day);
        Self { from, to }
    }

    /// The month before the one `day` lies in.
    pub fn month_before(day: Date) -> Self {
        Self::month_of(Self::month_of(day).from.add_days(-1))
    }

    /// The calendar year `year`.
    pub fn year(year: i32) -> Self {
        match (Date::new(year, 1, 1), Date::new(year, 12, 31)) {
            (Ok(from), Ok(to)) => Self { from, to },
            _ => Self { from: Date::from_unix_days(0), to: Date::from_unix_days(364) },
        }
    }

    pub const fn from(self) -> Date {
        self.from
    }

    pub const fn to(self) -> Date {
        self.to
    }

    pub fn contains(self, day: Date) -> bool {
        self.from <= day && day <= self.to
    }

    /// The whole months inside the period and the days around them.
    pub fn parts(self) -> PeriodParts {
        let month_key = |d: Date| format!("{:04}-{:02}", d.year(), d.month());
        // The first day of the first whole month, and the last day of the last one.
        let first = if self.from.day() == 1 { self.from } else { Self::month_of(self.from).to.add_days(1) };
        let last = if Self::month_of(self.to).to == self.to { self.to } else { Self::month_of(self.to).from.add_days(-1) };
        if first > last {
            return PeriodParts { months: None, days: vec![(self.from, self.to)] };
        }
        let mut days = Vec::new();
        if self.from < first {
            days.push((self.from, first.add_days(-1)));
        }
        if last < self.to {
            days.push((last.add_days(1), self.to));
        }
        PeriodParts { months: Some((month_key(first), month_key(last))), days }
    }

    /// The Mondays of the weeks the period touches, in order.
    pub fn week_starts(self) -> Vec<Date> {
        let first = self.from.add_days(-(self.from.weekday_from_monday() as i64));
        let mut weeks = Vec::new();
        let mut monday = first;
        while monday <= self.to {
            weeks.push(monday);
            monday = monday.add_days(7);
        }
        weeks
    }
}

/// One tally summed over the period (and area), as the database returns it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TallyRow {
    pub measure: Measure,
    pub key: String,
    pub n: i64,
}

/// One day's count of a trend measure ([`Measure::Received`] or [`Measure::Decisions`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrendRow {
    pub day: Date,
    pub measure: Measure,
    pub n: i64,
}

/// Where a period's tallies are read from: whole calendar months from the monthly table,
/// the days of months it covers only in part from the daily one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeriodParts {
    /// First and last whole month (`YYYY-MM`), if any.
    pub months: Option<(String, String)>,
    /// Day ranges (both ends included) outside those months: at most two.
    pub days: Vec<(Date, Date)>,
}

/// How fast one program's decisions came, against its deadline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Speed {
    pub decisions: u64,
    /// Working days; the nearest-rank percentiles of the decisions made in the period.
    pub median: u32,
    pub p90: u32,
    pub within_deadline: u64,
    pub deadline: Option<u8>,
}

/// A week of the trend.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Week {
    pub starts: Date,
    pub received: u64,
    pub decided: u64,
}

/// A period's report, added up from its tally rows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub received: u64,
    /// Every status, in workflow order (zeros included, so tables keep their shape).
    pub by_status: Vec<(Status, u64)>,
    /// Program id → count.
    pub by_program: BTreeMap<i64, u64>,
    /// Category code → count.
    pub by_category: BTreeMap<i64, u64>,
    pub by_channel: Vec<(Channel, u64)>,
    pub by_sex: Vec<(Sex, u64)>,
    pub by_age: Vec<(AgeGroup, u64)>,
    /// Decisions made in the period, by outcome.
    pub decided: Vec<(Status, u64)>,
    /// Program id → outcome → count.
    pub decided_by_program: BTreeMap<i64, BTreeMap<Status, u64>>,
    pub served: u64,
    /// Of those received in the period, undecided and past their decision date today.
    pub overdue: u64,
    /// Program id → speed of its decisions in the period.
    pub speed: BTreeMap<i64, Speed>,
    /// All the period's decisions together: working days to decision.
    pub median_days: u32,
    pub p90_days: u32,
    pub weeks: Vec<Week>,
    pub complaints_received: u64,
    pub complaints_closed: u64,
}

impl Summary {
    pub fn decided_total(&self) -> u64 {
        self.decided.iter().map(|(_, n)| n).sum()
    }

    /// Adds up `rows` and the daily `trend` (both already limited to the period, area and
    /// service point) as of `today`, with each program's deadline for the speed table.
    pub fn build(rows: &[TallyRow], trend: &[TrendRow], period: Period, today: Date, deadlines: &BTreeMap<i64, WorkingDays>) -> Self {
        let mut s = Summary::default();
        let mut status: BTreeMap<Status, u64> = BTreeMap::new();
        let mut channel: BTreeMap<&str, u64> = BTreeMap::new();
        let mut sex: BTreeMap<&str, u64> = BTreeMap::new();
        let mut age: BTreeMap<&str, u64> = BTreeMap::new();
        let mut outcomes: BTreeMap<Status, u64> = BTreeMap::new();
        let mut histograms: BTreeMap<i64, BTreeMap<u32, u64>> = BTreeMap::new();
        let weeks = period.week_starts();
        let mut received_weekly = vec![0u64; weeks.len()];
        let mut decided_weekly = vec![0u64; weeks.len()];
        for row in trend.iter().filter(|r| period.contains(r.day)) {
            let Some(w) = weeks.iter().rposition(|monday| *monday <= row.day) else { continue };
            match row.measure {
                Measure::Received => received_weekly[w] += row.n.max(0) as u64,
                Measure::Decisions => decided_weekly[w] += row.n.max(0) as u64,
                _ => {}
            }
        }
        for row in rows {
            // A tally never goes below zero for a whole period; a negative sum means the
            // tallies are being rebuilt, and is read as nothing.
            let n = row.n.max(0) as u64;
            let key = row.key.as_str();
            match row.measure {
                Measure::Received => s.received += n,
                Measure::Status => {
                    if let Some(st) = Status::from_slug(key) {
                        *status.entry(st).or_default() += n;
                    }
                }
                Measure::Program => {
                    if let Ok(id) = key.parse() {
                        *s.by_program.entry(id).or_default() += n;
                    }
                }
                Measure::Category => {
                    if let Ok(code) = key.parse() {
                        *s.by_category.entry(code).or_default() += n;
                    }
                }
                Measure::Channel => *channel.entry(key).or_default() += n,
                Measure::Sex => *sex.entry(key).or_default() += n,
                Measure::Age => *age.entry(key).or_default() += n,
                Measure::Undecided => {
                    if Date::parse_iso(key).is_ok_and(|due| due < today) {
                        s.overdue += n;
                    }
                }
                Measure::Decided => {
                    let Some((outcome, program)) = key.split_once(':') else { continue };
                    let (Some(outcome), Ok(program)) = (Status::from_slug(outcome), program.parse::<i64>()) else { continue };
                    *outcomes.entry(outcome).or_default() += n;
                    *s.decided_by_program.entry(program).or_default().entry(outcome).or_default() += n;
                }
                Measure::Decisions => {}
                Measure::DecisionDays => {
                    let Some((program, days)) = key.split_once(':') else { continue };
                    let (Ok(program), Ok(days)) = (program.parse::<i64>(), days.parse::<u32>()) else { continue };
                    *histograms.entry(program).or_default().entry(days).or_default() += n;
                }
                Measure::Served => s.served += n,
                Measure::ComplaintReceived => s.complaints_received += n,
                Measure::ComplaintClosed => s.complaints_closed += n,
            }
        }
        s.by_status = Status::ALL.iter().map(|st| (*st, status.get(st).copied().unwrap_or(0))).collect();
        s.by_channel = Channel::ALL.iter().map(|c| (*c, channel.get(c.stored()).copied().unwrap_or(0))).collect();
        s.by_sex = Sex::ALL.iter().map(|x| (*x, sex.get(x.letter()).copied().unwrap_or(0))).collect();
        s.by_age = AgeGroup::ALL.iter().map(|a| (*a, age.get(a.slug()).copied().unwrap_or(0))).collect();
        s.decided = OUTCOMES.iter().map(|o| (*o, outcomes.get(o).copied().unwrap_or(0))).collect();
        let mut all: BTreeMap<u32, u64> = BTreeMap::new();
        for histogram in histograms.values() {
            for (days, n) in histogram {
                *all.entry(*days).or_default() += n;
            }
        }
        s.median_days = percentile(&all, 50);
        s.p90_days = percentile(&all, 90);
        s.speed = histograms
            .into_iter()
            .map(|(program, histogram)| {
                let deadline = deadlines.get(&program).map(|d| d.get());
                let decisions = histogram.values().sum();
                let within_deadline = match deadline {
                    Some(limit) => histogram.iter().filter(|(days, _)| **days <= limit as u32).map(|(_, n)| n).sum(),
                    None => 0,
                };
                let speed = Speed {
                    decisions,
                    median: percentile(&histogram, 50),
                    p90: percentile(&histogram, 90),
                    within_deadline,
                    deadline,
                };
                (program, speed)
            })
            .collect();
        s.weeks = weeks
            .into_iter()
            .zip(received_weekly.into_iter().zip(decided_weekly))
            .map(|(starts, (received, decided))| Week { starts, received, decided })
            .collect();
        s
    }
}

/// The nearest-rank `pct`th percentile of a histogram (value → how many): the smallest value
/// at or below which at least `pct`% of the counts lie. 0 for an empty histogram.
pub fn percentile(histogram: &BTreeMap<u32, u64>, pct: u64) -> u32 {
    let total: u64 = histogram.values().sum();
    if total == 0 {
        return 0;
    }
    // ceil(pct/100 × total), at least 1.
    let rank = (pct * total).div_ceil(100).max(1);
    let mut seen = 0;
    for (value, n) in histogram {
        seen += n;
        if seen >= rank {
            return *value;
        }
    }
    histogram.keys().next_back().copied().unwrap_or(0)
}

/// A figure as published on the public statistics page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PublicCell {
    Count(u64),
    /// Fewer than [`SMALL_CELL`]: shown as "<5".
    Small,
    /// Big enough, but hidden too, because with the table's published total it would give
    /// away the one small cell beside it.
    Hidden,
}

/// Public figures under this many are not shown.
pub const SMALL_CELL: u64 = 5;

impl PublicCell {
    pub fn total(n: u64) -> Self {
        if n < SMALL_CELL { PublicCell::Small } else { PublicCell::Count(n) }
    }
}

/// The cells of one public table whose total is also published. Every count under 5 is
/// "<5"; and when exactly one is, the smallest other cell is hidden as well — else the
/// total minus the others would give the small one away.
pub fn protect(cells: &[u64]) -> Vec<PublicCell> {
    let mut out: Vec<PublicCell> = cells.iter().map(|n| PublicCell::total(*n)).collect();
    let small = out.iter().filter(|c| **c == PublicCell::Small).count();
    if small == 1 {
        let smallest_other = cells
            .iter()
            .enumerate()
            .filter(|(i, _)| out[*i] != PublicCell::Small)
            .min_by_key(|(_, n)| **n)
            .map(|(i, _)| i);
        if let Some(i) = smallest_other {
            out[i] = PublicCell::Hidden;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u8, day: u8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    fn facts() -> CaseFacts {
        CaseFacts {
            received_on: d(2026, 10, 30),
            program_id: 3,
            category: 24,
            channel: Channel::Online,
            sex: Sex::Female,
            age: AgeGroup::Elderly,
            due: d(2026, 11, 19),
        }
    }

    /// What the database would return for `period`: the deltas on its days, summed.
    fn read(deltas: &[Delta], period: Period) -> (Vec<TallyRow>, Vec<TrendRow>) {
        let inside = deltas.iter().filter(|x| period.contains(x.day));
        let mut sums: BTreeMap<(Measure, String), i64> = BTreeMap::new();
        let mut trend = Vec::new();
        for x in inside {
            *sums.entry((x.measure, x.key.clone())).or_default() += x.n;
            if matches!(x.measure, Measure::Received | Measure::Decisions) {
                trend.push(TrendRow { day: x.day, measure: x.measure, n: x.n });
            }
        }
        (sums.into_iter().map(|((measure, key), n)| TallyRow { measure, key, n }).collect(), trend)
    }

    fn summary(deltas: &[Delta], period: Period, today: Date, deadlines: &BTreeMap<i64, WorkingDays>) -> Summary {
        let (rows, trend) = read(deltas, period);
        Summary::build(&rows, &trend, period, today, deadlines)
    }

    #[test]
    fn every_measure_round_trips_through_its_slug() {
        for m in Measure::ALL {
            assert_eq!(Measure::from_slug(m.slug()), Some(m));
        }
        assert_eq!(Measure::from_slug("nik"), None);
    }

    #[test]
    fn an_application_counts_once_in_each_breakdown_and_moves_between_statuses() {
        let f = facts();
        let mut all = f.received();
        all.extend(f.moved(Status::Submitted, Status::FieldAssessment, d(2026, 11, 2), 1));
        all.extend(f.moved(Status::FieldAssessment, Status::AwaitingDecision, d(2026, 11, 5), 4));
        let period = Period::month_of(d(2026, 10, 1));
        let s = summary(&all, period, d(2026, 11, 6), &BTreeMap::new());
        assert_eq!(s.received, 1);
        assert_eq!(s.by_status.iter().filter(|(_, n)| *n > 0).collect::<Vec<_>>(), vec![&(Status::AwaitingDecision, 1)]);
        assert_eq!(s.by_program.get(&3), Some(&1));
        assert_eq!(s.by_category.get(&24), Some(&1));
        assert_eq!(s.by_sex, vec![(Sex::Male, 0), (Sex::Female, 1)]);
        assert_eq!(s.by_age.last(), Some(&(AgeGroup::Elderly, 1)));
        assert_eq!(s.decided_total(), 0);
        assert_eq!(s.overdue, 0, "due on the 19th, today is the 6th");
        let later = summary(&all, period, d(2026, 11, 20), &BTreeMap::new());
        assert_eq!(later.overdue, 1);
    }

    #[test]
    fn a_decision_counts_on_its_own_day_with_the_days_it_took() {
        let f = facts();
        let mut all = f.received();
        all.extend(f.moved(Status::AwaitingDecision, Status::Rejected, d(2026, 11, 10), 7));
        // October's report: received, and not decided in October.
        let deadlines = BTreeMap::from([(3, WorkingDays::new(14).unwrap())]);
        let october = summary(&all, Period::month_of(d(2026, 10, 1)), d(2026, 12, 1), &deadlines);
        assert_eq!(october.received, 1);
        assert_eq!(october.decided_total(), 0);
        assert_eq!(october.overdue, 0, "decided: no longer overdue");
        let s = summary(&all, Period::month_of(d(2026, 11, 1)), d(2026, 12, 1), &deadlines);
        assert_eq!(s.received, 0);
        assert_eq!(s.decided, vec![(Status::Approved, 0), (Status::Rejected, 1), (Status::Referred, 0)]);
        let speed = &s.speed[&3];
        assert_eq!((speed.decisions, speed.median, speed.p90, speed.within_deadline, speed.deadline), (1, 7, 7, 1, Some(14)));
        assert_eq!((s.median_days, s.p90_days), (7, 7));
        assert_eq!(s.weeks.iter().map(|w| w.decided).sum::<u64>(), 1);
        assert_eq!(s.weeks.iter().find(|w| w.decided == 1).unwrap().starts, d(2026, 11, 9));
    }

    #[test]
    fn serving_approved_aid_is_counted_and_withdrawal_ends_waiting() {
        let f = facts();
        let served = f.moved(Status::Approved, Status::Served, d(2026, 11, 12), 9);
        assert!(served.contains(&Delta::new(d(2026, 11, 12), Measure::Served, "3", 1)));
        assert!(!served.iter().any(|x| x.measure == Measure::Undecided), "approval already ended the wait");
        let withdrawn = f.moved(Status::NeedsCorrection, Status::Withdrawn, d(2026, 11, 12), 9);
        assert!(withdrawn.contains(&Delta::new(f.received_on, Measure::Undecided, "2026-11-19", -1)));
        assert!(!withdrawn.iter().any(|x| x.measure == Measure::Decided), "a withdrawal is not a decision");
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let h = BTreeMap::from([(2, 3), (5, 4), (9, 2), (30, 1)]); // 2 2 2 5 5 5 5 9 9 30
        assert_eq!(percentile(&h, 50), 5);
        assert_eq!(percentile(&h, 90), 9);
        assert_eq!(percentile(&h, 100), 30);
        assert_eq!(percentile(&BTreeMap::from([(4, 1)]), 90), 4);
        assert_eq!(percentile(&BTreeMap::new(), 50), 0);
    }

    #[test]
    fn working_days_skip_weekends_and_holidays() {
        // Friday 30 October to Tuesday 10 November 2026: 7 working days, 6 with a holiday.
        assert_eq!(working_days_between(d(2026, 10, 30), d(2026, 11, 10), &[]), 7);
        assert_eq!(working_days_between(d(2026, 10, 30), d(2026, 11, 10), &[d(2026, 11, 3)]), 6);
        assert_eq!(working_days_between(d(2026, 10, 30), d(2026, 10, 30), &[]), 0);
        let deadline = WorkingDays::new(7).unwrap();
        assert_eq!(working_days_between(d(2026, 10, 30), deadline.after(d(2026, 10, 30), &[]), &[]), 7);
    }

    #[test]
    fn periods_are_checked_and_weeks_start_on_monday() {
        assert_eq!(Period::parse("2026-11-30", "2026-11-01"), Err(PeriodError::Reversed));
        assert_eq!(Period::parse("2026-11-31", "2026-12-01"), Err(PeriodError::NotADate));
        assert_eq!(Period::parse("2024-01-01", "2026-12-31"), Err(PeriodError::TooLong));
        let nov = Period::month_of(d(2026, 11, 23));
        assert_eq!((nov.from(), nov.to()), (d(2026, 11, 1), d(2026, 11, 30)));
        assert_eq!(Period::month_before(d(2026, 1, 15)).from(), d(2025, 12, 1));
        assert_eq!(Period::year(2026).to(), d(2026, 12, 31));
        // November 2026 is one whole month; 15 October to 2 December adds two day ranges.
        assert_eq!(nov.parts(), PeriodParts { months: Some(("2026-11".into(), "2026-11".into())), days: vec![] });
        let around = Period::new(d(2026, 10, 15), d(2026, 12, 2)).unwrap().parts();
        assert_eq!(around.months, Some(("2026-11".into(), "2026-11".into())));
        assert_eq!(around.days, vec![(d(2026, 10, 15), d(2026, 10, 31)), (d(2026, 12, 1), d(2026, 12, 2))]);
        let within = Period::new(d(2026, 11, 2), d(2026, 11, 29)).unwrap().parts();
        assert_eq!(within, PeriodParts { months: None, days: vec![(d(2026, 11, 2), d(2026, 11, 29))] });
        let year = Period::year(2026).parts();
        assert_eq!((year.months, year.days.len()), (Some(("2026-01".into(), "2026-12".into())), 0));
        let weeks = nov.week_starts();
        assert_eq!(weeks.first(), Some(&d(2026, 10, 26)), "1 November 2026 is a Sunday");
        assert_eq!(weeks.last(), Some(&d(2026, 11, 30)));
        assert_eq!(weeks.len(), 6);
    }

    #[test]
    fn small_public_cells_are_hidden_and_cannot_be_worked_out_from_the_total() {
        use PublicCell::*;
        assert_eq!(protect(&[12, 7, 30]), vec![Count(12), Count(7), Count(30)]);
        // One small cell: the smallest other one goes too.
        assert_eq!(protect(&[12, 3, 30]), vec![Hidden, Small, Count(30)]);
        assert_eq!(protect(&[12, 0, 30]), vec![Hidden, Small, Count(30)]);
        // Two small cells cannot be told apart from the total.
        assert_eq!(protect(&[12, 2, 1]), vec![Count(12), Small, Small]);
        assert_eq!(protect(&[4]), vec![Small]);
        assert_eq!(PublicCell::total(4), Small);
        assert_eq!(PublicCell::total(5), Count(5));
    }
}
