//! Review dates: when a page's review falls due, and whether it is overdue.

use crate::frontmatter::Date;

/// Today's date: `HAVEN_TODAY=YYYY-MM-DD` if set (for reproducible builds and tests), else the
/// system clock (UTC).
pub fn today() -> Date {
    if let Some(d) = std::env::var("HAVEN_TODAY")
        .ok()
        .and_then(|v| Date::parse(&v))
    {
        return d;
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_from_days((secs / 86_400) as i64)
}

/// The calendar date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
pub fn civil_from_days(days: i64) -> Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
    Date { year, month, day }
}

/// When a page's review falls due: `reviewed_on` plus `review_every` months.
pub fn review_due(reviewed_on: Option<Date>, review_every: Option<u32>) -> Option<Date> {
    match (reviewed_on, review_every) {
        (Some(on), Some(months)) => Some(on.add_months(months)),
        _ => None,
    }
}

/// Whether a review due on `due` is overdue on `today` (for templates and `haven check`).
pub fn review_overdue(due: Option<Date>, today: Date) -> bool {
    due.is_some_and(|d| d < today)
}

/// Pages whose review is overdue on `today`, with the date it fell due (for `haven check`).
pub fn overdue_reviews(
    site: &crate::model::Site,
    today: Date,
) -> Vec<(crate::model::PageId, Date)> {
    site.pages
        .enumerate()
        .filter(|(_, p)| !p.is_fallback())
        .filter_map(|(i, p)| {
            review_due(p.front.reviewed_on, p.front.review_every)
                .filter(|d| *d < today)
                .map(|d| (i, d))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_days_and_overdue_reviews() {
        assert_eq!(civil_from_days(0).to_string(), "1970-01-01");
        assert_eq!(civil_from_days(20_454).to_string(), "2026-01-01");
        assert_eq!(civil_from_days(11_016).to_string(), "2000-02-29");
        let on = Date::parse("2026-11-20");
        let due = review_due(on, Some(12));
        assert_eq!(due.map(|d| d.to_string()).as_deref(), Some("2027-11-20"));
        assert!(!review_overdue(due, Date::parse("2027-11-20").unwrap()));
        assert!(review_overdue(due, Date::parse("2027-11-21").unwrap()));
        assert!(!review_overdue(None, Date::parse("2099-01-01").unwrap()));
    }
}
