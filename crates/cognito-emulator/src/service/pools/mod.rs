// SPDX-License-Identifier: Apache-2.0
//! User pools and app clients: CreateUserPool, DescribeUserPool, ListUserPools, DeleteUserPool
//! ([`pool`], described by [`describe`]), UpdateUserPool ([`update_pool`]), both configured by
//! [`pool_settings`]; SetUserPoolMfaConfig, GetUserPoolMfaConfig ([`mfa_config`]);
//! CreateUserPoolClient, DescribeUserPoolClient, DeleteUserPoolClient ([`client`]),
//! UpdateUserPoolClient ([`update_client`]), both configured by [`client_settings`];
//! ListUserPoolClients ([`list_clients`]); client secrets ([`secrets`]); tags ([`tags`]); the
//! hosted UI's branding ([`ui`]). What is kept as configured is typed in [`config`].

mod client;
mod client_settings;
pub mod config;
mod describe;
mod list_clients;
mod mfa_config;
mod pool;
mod pool_settings;
mod secrets;
mod tags;
pub mod ui;
mod update_client;
mod update_pool;

pub(crate) use pool_settings::unavailable_in_tier;
pub use secrets::adopt_legacy_secrets;

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
