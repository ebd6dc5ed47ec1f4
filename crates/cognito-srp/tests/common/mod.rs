// SPDX-License-Identifier: Apache-2.0
//! Reading `data/srp_vectors.json`, a copy of the project's shared known-answer vectors.
#![allow(dead_code, reason = "each test file uses a different part")]

use cognito_srp::Timestamp;
use serde_json::Value;

pub struct Vectors(Value);

pub fn vectors() -> Vectors {
    let text = include_str!("../data/srp_vectors.json");
    Vectors(serde_json::from_str(text).expect("the vector file is JSON"))
}

impl Vectors {
    pub fn cases(&self, section: &str) -> Vec<Case<'_>> {
        self.0[section]
            .as_array()
            .unwrap_or_else(|| panic!("no section {section}"))
            .iter()
            .map(Case)
            .collect()
    }

    pub fn case(&self, section: &str, id: &str) -> Case<'_> {
        self.cases(section)
            .into_iter()
            .find(|case| case.id() == id)
            .unwrap_or_else(|| panic!("no vector {id} in {section}"))
    }

    pub fn constant(&self, name: &str) -> &str {
        self.0["constants"][name].as_str().expect("a constant")
    }
}

#[derive(Clone, Copy)]
pub struct Case<'a>(&'a Value);

impl<'a> Case<'a> {
    pub fn id(&self) -> &'a str {
        self.0["id"].as_str().expect("every vector has an id")
    }

    pub fn get(&self, field: &str) -> Option<&'a str> {
        self.0[field].as_str()
    }

    pub fn get_in(&self, section: &str, field: &str) -> Option<&'a str> {
        self.0[section][field].as_str()
    }

    pub fn section(&self, section: &str, field: &str) -> &'a str {
        self.get_in(section, field)
            .unwrap_or_else(|| panic!("{} lacks {section}.{field}", self.id()))
    }

    pub fn input(&self, field: &str) -> &'a str {
        self.section("inputs", field)
    }

    pub fn output(&self, field: &str) -> &'a str {
        self.section("outputs", field)
    }

    pub fn output_hex(&self, field: &str) -> Vec<u8> {
        hex(self.output(field))
    }

    pub fn output_number(&self, field: &str) -> usize {
        self.0["outputs"][field].as_u64().expect("a number") as usize
    }

    pub fn input_hex(&self, field: &str) -> Vec<u8> {
        hex(self.input(field))
    }

    pub fn section_hex(&self, section: &str, field: &str) -> Vec<u8> {
        hex(self.section(section, field))
    }

    /// `inputs.utc_datetime`, which the vectors give as `2024-01-02T03:04:05Z`.
    pub fn timestamp(&self) -> Timestamp {
        Timestamp::from_unix_seconds(unix_seconds(self.input("utc_datetime")))
    }
}

pub fn hex(text: &str) -> Vec<u8> {
    let text = if text.len() % 2 == 1 {
        format!("0{text}")
    } else {
        text.to_owned()
    };
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex in a vector"))
        .collect()
}

/// Decoded length of padded base64.
pub fn base64_len(text: &str) -> usize {
    text.len() / 4 * 3 - text.bytes().rev().take_while(|b| *b == b'=').count()
}

fn unix_seconds(iso: &str) -> i64 {
    let (date, time) = iso
        .trim_end_matches('Z')
        .split_once('T')
        .expect("an ISO date-time");
    let date: Vec<i64> = date
        .split('-')
        .map(|n| n.parse().expect("a number"))
        .collect();
    let time: Vec<i64> = time
        .split(':')
        .map(|n| n.parse().expect("a number"))
        .collect();
    let is_leap = |year: i64| year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_before_year: i64 = (1970..date[0])
        .map(|y| if is_leap(y) { 366 } else { 365 })
        .sum();
    let month_lengths = [
        31,
        if is_leap(date[0]) { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let days_before_month: i64 = month_lengths[..(date[1] - 1) as usize].iter().sum();
    let days = days_before_year + days_before_month + date[2] - 1;
    days * 86_400 + time[0] * 3600 + time[1] * 60 + time[2]
}
