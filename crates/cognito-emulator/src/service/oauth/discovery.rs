// SPDX-License-Identifier: Apache-2.0
//! The OpenID Provider configuration at `<issuer>/.well-known/openid-configuration`
//! (OpenID Connect Discovery 1.0), with the fields the service lists.
//!
//! The endpoints are the path form of the pool's domain, `<emulator URL>/_domains/<domain>`,
//! which every client resolves (`*.auth.localhost` is left to browsers). The pool's custom
//! domain is preferred, as the service's managed login does. A pool without a domain has no
//! OAuth 2.0 endpoints, so the document names none: only the issuer and its keys.

use serde_json::{Value, json};

use crate::service::{Service, ServiceResult};

impl Service {
    pub fn openid_configuration(&self, pool_id: &str) -> ServiceResult<Value> {
        let pool = self.pool(pool_id)?;
        let (issuer, domain) = {
            let state = pool.lock();
            let federation = &state.federation;
            let domain = federation
                .custom_domain()
                .or(federation.prefix_domain())
                .map(str::to_owned);
            (state.settings.issuer.clone(), domain)
        };
        let public = self.public_url();
        let mut document = json!({
            "issuer": issuer,
            "jwks_uri": format!("{public}/{pool_id}/.well-known/jwks.json"),
            "response_types_supported": ["code", "token"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "phone", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        });
        if let Some(domain) = domain {
            let base = format!("{public}/_domains/{domain}");
            for (name, path) in [
                ("authorization_endpoint", "/oauth2/authorize"),
                ("token_endpoint", "/oauth2/token"),
                ("userinfo_endpoint", "/oauth2/userInfo"),
                ("revocation_endpoint", "/oauth2/revoke"),
                ("end_session_endpoint", "/logout"),
            ] {
                document[name] = json!(format!("{base}{path}"));
            }
        }
        Ok(document)
    }
}
