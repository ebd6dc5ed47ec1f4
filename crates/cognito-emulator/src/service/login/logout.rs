// SPDX-License-Identifier: Apache-2.0
//! `/logout?client_id&logout_uri`: where a browser may be sent once signed out, one of the app
//! client's sign-out URLs (LogoutURLs), matched exactly.

use crate::service::Service;

impl Service {
    /// The sign-out URL, if `client_id` is an app client of the domain's pool and lists it;
    /// else what the error page says.
    pub fn check_logout(
        &self,
        domain: &str,
        client_id: Option<&str>,
        logout_uri: Option<&str>,
    ) -> Result<String, String> {
        let pool = self
            .pool_of_domain(domain)
            .ok_or_else(|| "No user pool has this domain any more.".to_owned())?;
        let client_id = client_id
            .filter(|id| !id.is_empty())
            .ok_or_else(|| "The request names no client_id: add the app client's id.".to_owned())?;
        let state = pool.lock();
        let client = state.clients.get(client_id).ok_or_else(|| {
            format!("This user pool has no app client {client_id:?}: check client_id.")
        })?;
        let logout_uri = logout_uri.filter(|uri| !uri.is_empty()).ok_or_else(|| {
            "The request names no logout_uri: add one of the app client's sign-out URLs.".to_owned()
        })?;
        if !client.oauth.logout_urls.iter().any(|url| url == logout_uri) {
            return Err(format!(
                "{logout_uri:?} is not one of the app client's sign-out URLs (LogoutURLs); \
                 it must match one exactly."
            ));
        }
        Ok(logout_uri.to_owned())
    }

    /// The name of the domain's pool, for the authenticator app's label.
    pub fn login_pool_name(&self, domain: &str) -> Option<String> {
        Some(self.pool_of_domain(domain)?.lock().settings.name.clone())
    }
}
