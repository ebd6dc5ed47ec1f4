// SPDX-License-Identifier: Apache-2.0
//! Steps 9 and 12: the tokens a sign-in returned, checked as an API behind Cognito would check
//! them, against the pool's published keys. The tokens themselves are never printed.

use cognito_srp::Timestamp;

use super::{Scenario, ScenarioError, SignedIn};
use crate::prompt::Prompter;
use crate::tokens::{self, VerifiedTokens};

impl<P: Prompter> Scenario<P> {
    // snippet-start:[cognitoidentityprovider.rust.scenario_check_tokens]
    /// Verifies the ID and access tokens against the pool's JWKS and shows some claims.
    pub(super) async fn check_tokens(
        &mut self,
        number: u32,
        title: &str,
        signed_in: &SignedIn,
    ) -> Result<VerifiedTokens, ScenarioError> {
        self.out.step(number, title);
        let now = Timestamp::now().unix_seconds();
        let verified = tokens::verify(
            &self.http,
            &self.config.issuer,
            &self.actions.pool().client_id,
            &signed_in.id_token,
            &signed_in.access_token,
            now,
        )
        .await?;
        self.out.line(&format!(
            "Both signatures verify against {}/.well-known/jwks.json",
            self.config.issuer
        ));
        let (id, access) = (&verified.id, &verified.access);
        self.out.line(&format!(
            "ID token: cognito:username {}, email {} (verified: {}), sub {}",
            id.text("cognito:username").unwrap_or("-"),
            id.text("email").unwrap_or("-"),
            id.0.get("email_verified")
                .map_or("-".to_owned(), ToString::to_string),
            id.text("sub").unwrap_or("-"),
        ));
        let minutes = access.number("exp").map_or(0, |exp| (exp - now) / 60);
        self.out.line(&format!(
            "Access token: username {}, scope {}, device_key {}, expires in {minutes} min",
            access.text("username").unwrap_or("-"),
            access.text("scope").unwrap_or("-"),
            access.text("device_key").unwrap_or("-"),
        ));
        Ok(verified)
    }
    // snippet-end:[cognitoidentityprovider.rust.scenario_check_tokens]
}
