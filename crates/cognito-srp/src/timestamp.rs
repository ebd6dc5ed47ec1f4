// SPDX-License-Identifier: Apache-2.0
//! The TIMESTAMP of a password claim: `Tue Jan 2 03:04:05 UTC 2024`. English names, UTC, the day
//! of the month not zero-padded (the service refuses `Jan 02`), hours, minutes and seconds padded.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::SrpError;

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const SECONDS_PER_DAY: i64 = 86_400;

/// A moment to the second, shown in the form Cognito signs. `Display` gives the wire text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    unix_seconds: i64,
}

impl Timestamp {
    /// The system clock, now.
    pub fn now() -> Self {
        let unix_seconds = match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(since) => i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
            Err(before) => -i64::try_from(before.duration().as_secs()).unwrap_or(i64::MAX),
        };
        Self { unix_seconds }
    }

    pub fn from_unix_seconds(unix_seconds: i64) -> Self {
        Self { unix_seconds }
    }

    pub fn unix_seconds(&self) -> i64 {
        self.unix_seconds
    }

    /// Reads a TIMESTAMP, accepting exactly the text [`Timestamp`]'s `Display` writes: a zero-padded
    /// day, a wrong weekday or an impossible date is refused.
    pub fn parse(text: &str) -> Result<Self, SrpError> {
        let fields: Vec<&str> = text.split(' ').collect();
        let [_weekday, month, day, time, "UTC", year] = fields[..] else {
            return Err(SrpError::InvalidTimestamp);
        };
        let month = MONTHS
            .iter()
            .position(|name| *name == month)
            .ok_or(SrpError::InvalidTimestamp)? as i64
            + 1;
        let number = |digits: &str| -> Result<i64, SrpError> {
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(SrpError::InvalidTimestamp);
            }
            digits.parse().map_err(|_| SrpError::InvalidTimestamp)
        };
        let [hour, minute, second] = time.split(':').collect::<Vec<_>>()[..] else {
            return Err(SrpError::InvalidTimestamp);
        };
        let (year, day) = (number(year)?, number(day)?);
        let (hour, minute, second) = (number(hour)?, number(minute)?, number(second)?);
        if !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 59 {
            return Err(SrpError::InvalidTimestamp);
        }
        let days = days_from_civil(year, month, day);
        let parsed = Self {
            unix_seconds: days * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second,
        };
        // The round trip catches padding, a wrong weekday, and dates like Feb 30.
        if parsed.to_string() != text {
            return Err(SrpError::InvalidTimestamp);
        }
        Ok(parsed)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.unix_seconds.div_euclid(SECONDS_PER_DAY);
        let seconds_of_day = self.unix_seconds.rem_euclid(SECONDS_PER_DAY);
        let (year, month, day) = civil_from_days(days);
        // 1970-01-01 was a Thursday.
        let weekday = WEEKDAYS[(days + 4).rem_euclid(7) as usize];
        write!(
            f,
            "{weekday} {month} {day} {:02}:{:02}:{:02} UTC {year}",
            seconds_of_day / 3600,
            seconds_of_day / 60 % 60,
            seconds_of_day % 60,
            month = MONTHS[month as usize - 1],
        )
    }
}

// Proleptic Gregorian calendar conversions (Howard Hinnant's algorithms), with eras of 400 years.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let shifted_month = if month > 2 { month - 3 } else { month + 9 };
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_the_service_expects() {
        // 2024-01-02T03:04:05Z
        assert_eq!(
            Timestamp::from_unix_seconds(1_704_164_645).to_string(),
            "Tue Jan 2 03:04:05 UTC 2024"
        );
        assert_eq!(
            Timestamp::from_unix_seconds(0).to_string(),
            "Thu Jan 1 00:00:00 UTC 1970"
        );
        // 2024-02-29T23:59:59Z, a leap day
        assert_eq!(
            Timestamp::from_unix_seconds(1_709_251_199).to_string(),
            "Thu Feb 29 23:59:59 UTC 2024"
        );
        // 2023-12-31T12:00:00Z
        assert_eq!(
            Timestamp::from_unix_seconds(1_704_024_000).to_string(),
            "Sun Dec 31 12:00:00 UTC 2023"
        );
    }

    #[test]
    fn parses_what_it_formats() {
        for seconds in [0, 951_782_400, 1_704_164_645, 1_709_251_199, 4_102_444_800] {
            let stamp = Timestamp::from_unix_seconds(seconds);
            assert_eq!(Timestamp::parse(&stamp.to_string()), Ok(stamp));
        }
    }

    #[test]
    fn refuses_padded_days_wrong_weekdays_and_impossible_dates() {
        for text in [
            "Tue Jan 02 03:04:05 UTC 2024",
            "Wed Jan 2 03:04:05 UTC 2024",
            "Fri Feb 30 03:04:05 UTC 2024",
            "Tue Jan 2 3:04:05 UTC 2024",
            "Tue Jan 2 03:04:05 GMT 2024",
            "Tue Jan  2 03:04:05 UTC 2024",
            "Tue Jan 2 03:04:60 UTC 2024",
            "Tue Jan 2 03:04:05 UTC +2024",
            "",
        ] {
            assert_eq!(
                Timestamp::parse(text),
                Err(SrpError::InvalidTimestamp),
                "{text}"
            );
        }
    }
}
