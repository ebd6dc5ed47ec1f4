// SPDX-License-Identifier: Apache-2.0
//! Managed login: the hosted pages' side of a sign-in (the authorize request, the browser's
//! managed-login session), on the same sign-in, sign-up and password code the API uses.

/// What a pool keeps of managed login between requests.
#[derive(Debug, Default)]
pub struct LoginState {}
