// SPDX-License-Identifier: Apache-2.0
//! User pools and app clients: CreateUserPool, DescribeUserPool, ListUserPools, DeleteUserPool,
//! SetUserPoolMfaConfig ([`pool`]); CreateUserPoolClient, DescribeUserPoolClient,
//! DeleteUserPoolClient ([`client`]).

mod client;
mod pool;

/// The standard attributes every pool has; `custom:` ones come from the pool's schema.
pub const STANDARD_ATTRIBUTES: &[&str] = &[
    "address",
    "birthdate",
    "email",
    "email_verified",
    "family_name",
    "gender",
    "given_name",
    "locale",
    "middle_name",
    "name",
    "nickname",
    "phone_number",
    "phone_number_verified",
    "picture",
    "preferred_username",
    "profile",
    "sub",
    "updated_at",
    "website",
    "zoneinfo",
];
