// SPDX-License-Identifier: Apache-2.0
//! Federation: a pool's identity providers ([`providers`], their ProviderDetails in
//! [`details`]), the external identities linked to its users ([`links`]), its resource servers
//! and custom scopes ([`resource_servers`]), its domains ([`domains`]) and its SAML signing
//! certificate ([`certificate`]). Nothing here makes a network request.

mod certificate;
mod details;
mod domains;
mod links;
mod providers;
mod resource_servers;

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::model::PoolState;
use super::tracked::TrackedMap;
use super::{ServiceError, ServiceResult};

pub use certificate::SigningCertificate;
pub use domains::PoolDomain;
pub(crate) use links::identities_claim;
pub use providers::IdentityProvider;
pub use resource_servers::ResourceServer;
#[allow(unused_imports)] // for app clients' AllowedOAuthScopes, soon
pub(crate) use resource_servers::custom_scope_exists;

/// What a pool holds of federation, with the look-ups that follow from it.
#[derive(Debug, Default)]
pub struct Federation {
    /// By ProviderName.
    pub providers: TrackedMap<IdentityProvider>,
    /// By Identifier.
    pub resource_servers: TrackedMap<ResourceServer>,
    /// By domain: at most one prefix domain and one custom domain.
    pub domains: TrackedMap<PoolDomain>,
    /// The SAML signing certificate, under [`certificate::SAML_SIGNING`], made when first asked for.
    pub certificates: TrackedMap<SigningCertificate>,
    /// IdpIdentifier -> ProviderName: identifiers are unique within a pool.
    identifiers: HashMap<String, String>,
    /// (ProviderName, the linked identity's value) -> key of the user it is linked to. The
    /// users' `identities` attributes are what is stored; this follows from them.
    links: HashMap<(String, String), String>,
}

impl Federation {
    /// The provider an IdpIdentifier names.
    pub fn provider_by_identifier(&self, identifier: &str) -> Option<&IdentityProvider> {
        self.providers.get(self.identifiers.get(identifier)?)
    }

    /// The key of the user an external identity is linked to.
    pub fn linked_user_key(&self, provider_name: &str, value: &str) -> Option<&str> {
        self.links
            .get(&(provider_name.to_owned(), value.to_owned()))
            .map(String::as_str)
    }

    /// The pool's prefix domain (`<prefix>.auth.<region>.amazoncognito.com` on the service).
    pub fn prefix_domain(&self) -> Option<&str> {
        self.domains
            .values()
            .find(|domain| domain.custom.is_none())
            .map(|domain| domain.domain.as_str())
    }

    /// The pool's custom domain, the one with a certificate of its own.
    pub fn custom_domain(&self) -> Option<&str> {
        self.domains
            .values()
            .find(|domain| domain.custom.is_some())
            .map(|domain| domain.domain.as_str())
    }
}

impl PoolState {
    /// For DescribeUserPool: the pool's `Domain` (prefix) and `CustomDomain`.
    pub fn domain_names(&self) -> (Option<&str>, Option<&str>) {
        (
            self.federation.prefix_domain(),
            self.federation.custom_domain(),
        )
    }

    /// Forgets the links to a user being removed, by what its `identities` attribute lists
    /// (so no other user is looked at).
    pub(super) fn forget_links_of(&mut self, key: &str, user: &super::model::User) {
        for (provider, value) in links::linked_identities(user) {
            let entry = (provider, value);
            if self
                .federation
                .links
                .get(&entry)
                .is_some_and(|owner| owner == key)
            {
                self.federation.links.remove(&entry);
            }
        }
    }
}

/// The look-ups of a pool just loaded: IdpIdentifiers from its providers, links from its users'
/// `identities` attributes, by the same rules live requests keep them with.
pub(super) fn rebuild_indexes(state: &mut PoolState) {
    let identifiers: Vec<(String, String)> = state
        .federation
        .providers
        .values()
        .flat_map(|provider| {
            provider
                .idp_identifiers
                .iter()
                .map(|identifier| (identifier.clone(), provider.name.clone()))
        })
        .collect();
    state.federation.identifiers.extend(identifiers);
    let links: Vec<((String, String), String)> = state
        .users
        .iter()
        .flat_map(|(key, user)| {
            links::linked_identities(user)
                .into_iter()
                .map(|identity| (identity, key.clone()))
        })
        .collect();
    state.federation.links.extend(links);
}

/// A page of a list kept in key order, from after the key a NextToken names.
pub(crate) fn page<'a, V>(
    entries: &'a TrackedMap<V>,
    limit: usize,
    next_token: Option<&str>,
) -> ServiceResult<(Vec<&'a V>, Option<String>)> {
    let start = match next_token {
        None => None,
        Some(token) => Some(decode_token(token)?),
    };
    let mut remaining = entries.iter().filter(|(key, _)| {
        start
            .as_ref()
            .is_none_or(|after| key.as_str() > after.as_str())
    });
    let page: Vec<(&String, &V)> = remaining.by_ref().take(limit).collect();
    let next = match (page.last(), remaining.next()) {
        (Some((last, _)), Some(_)) => Some(URL_SAFE_NO_PAD.encode(last.as_bytes())),
        _ => None,
    };
    Ok((page.into_iter().map(|(_, value)| value).collect(), next))
}

fn decode_token(token: &str) -> ServiceResult<String> {
    URL_SAFE_NO_PAD
        .decode(token)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(|| ServiceError::invalid_parameter("The pagination token is not valid."))
}

/// The calendar date and time (UTC) of seconds since the epoch: (year, month, day, h, m, s).
fn utc_date_time(unix_seconds: i64) -> (i32, u8, u8, u8, u8, u8) {
    let days = unix_seconds.div_euclid(86_400);
    let second_of_day = unix_seconds.rem_euclid(86_400);
    // Days to a civil date in the proleptic Gregorian calendar, counting eras of 400 years
    // from 0000-03-01 so that leap days fall at the end of each year.
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u8;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u8;
    let year = (year_of_era + era * 400 + i64::from(month <= 2)) as i32;
    (
        year,
        month,
        day,
        (second_of_day / 3600) as u8,
        (second_of_day / 60 % 60) as u8,
        (second_of_day % 60) as u8,
    )
}

#[cfg(test)]
mod tests {
    use super::utc_date_time;

    #[test]
    fn dates_are_read_in_the_gregorian_calendar() {
        assert_eq!(utc_date_time(0), (1970, 1, 1, 0, 0, 0));
        assert_eq!(utc_date_time(951_782_400), (2000, 2, 29, 0, 0, 0));
        assert_eq!(utc_date_time(1_798_761_599), (2026, 12, 31, 23, 59, 59));
        assert_eq!(utc_date_time(4_107_542_400), (2100, 3, 1, 0, 0, 0));
    }
}
