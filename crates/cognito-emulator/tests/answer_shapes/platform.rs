// SPDX-License-Identifier: Apache-2.0
#![allow(unused_imports)]

use serde_json::json;

use super::super::answered;
use crate::common::Harness;

pub async fn operations(_harness: &Harness) {}
