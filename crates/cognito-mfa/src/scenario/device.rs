// SPDX-License-Identifier: Apache-2.0
//! Steps 10 and 11: remember the device the TOTP sign-in came from (ConfirmDevice, with an SRP
//! verifier of a password only the device knows), then sign in from it with DEVICE_SRP_AUTH and
//! DEVICE_PASSWORD_VERIFIER instead of a TOTP code.

use cognito_srp::{DeviceSecret, Identity, SrpClient};

use super::{
    Interrupted, RESTARTS, Scenario, ScenarioError, SignedIn, challenge_name, session_or_failure,
    signed_in,
};
use crate::actions::ChallengeParameters;
use crate::prompt::Prompter;

/// A device the user chose to remember, with the secret only it knows.
pub(super) struct RememberedDevice {
    key: String,
    group_key: String,
    secret: DeviceSecret,
}

impl<P: Prompter> Scenario<P> {
    // snippet-start:[cognitoidentityprovider.rust.scenario_remember_device]
    /// Step 10, ConfirmDevice: register the SRP verifier of a new device password, which
    /// stays here.
    pub(super) async fn remember_device(
        &mut self,
        signed_in: &SignedIn,
    ) -> Result<Option<RememberedDevice>, ScenarioError> {
        self.out.step(10, "Remember this device");
        let Some((key, group_key)) = signed_in.new_device.clone() else {
            return Ok(None);
        };
        let secret = DeviceSecret::generate(&Identity::device(&group_key, &key)?)?;
        let confirmed = self
            .actions
            .confirm_device(
                &signed_in.access_token,
                &key,
                &secret.verifier().verifier_base64(),
                &secret.verifier().salt_base64(),
                "cognito-mfa example",
            )
            .await?;
        self.out.call(
            "ConfirmDevice",
            &format!(
                "device {key} remembered; UserConfirmationNecessary: {}",
                confirmed.user_confirmation_necessary
            ),
        );
        Ok(Some(RememberedDevice {
            key,
            group_key,
            secret,
        }))
    }
    // snippet-end:[cognitoidentityprovider.rust.scenario_remember_device]

    // snippet-start:[cognitoidentityprovider.rust.scenario_sign_in_with_device]
    /// Step 11, sign in presenting the device key: Cognito asks the device to prove it knows
    /// its password (DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER) and asks for no TOTP code.
    pub(super) async fn sign_in_with_device(
        &mut self,
        device: &RememberedDevice,
    ) -> Result<SignedIn, ScenarioError> {
        self.out
            .step(11, "Sign in from the remembered device: no TOTP code");
        let mut ended = None;
        for _ in 0..RESTARTS {
            match self.device_sign_in(device).await {
                Ok(signed_in) => return Ok(signed_in),
                // A refused claim reads like a refused session; trying again tells them apart.
                Err(Interrupted::SessionEnded(error)) => ended = Some(error),
                Err(Interrupted::Failed(error)) => return Err(error),
            }
        }
        Err(ended.map_or_else(
            || ScenarioError::Unexpected("the device sign-in did not finish".to_owned()),
            ScenarioError::from,
        ))
    }

    async fn device_sign_in(&mut self, device: &RememberedDevice) -> Result<SignedIn, Interrupted> {
        let (username, password) = self.credentials()?;
        let started = self
            .actions
            .initiate_auth(&username, &password, Some(&device.key))
            .await
            .map_err(|error| Interrupted::Failed(error.into()))?;
        let challenge = challenge_name(started.challenge_name.as_ref()).to_owned();
        self.out.call(
            "InitiateAuth",
            &format!("with DEVICE_KEY: challenge {challenge}"),
        );
        if challenge != "DEVICE_SRP_AUTH" {
            return Err(ScenarioError::Answer {
                action: "InitiateAuth",
                what: format!(
                    "expected DEVICE_SRP_AUTH but got {challenge}. Is the device remembered?"
                ),
            }
            .into());
        }
        let parameters = ChallengeParameters::new(started.challenge_parameters.as_ref());
        let internal = parameters.username().unwrap_or(&username).to_owned();

        let srp = SrpClient::new().map_err(ScenarioError::from)?;
        let verifier = self
            .actions
            .respond_to_device_srp_auth(
                started.session.as_deref().unwrap_or_default(),
                &internal,
                &device.key,
                &srp.srp_a(),
            )
            .await
            .map_err(session_or_failure)?;
        self.out.call(
            "RespondToAuthChallenge",
            &format!(
                "DEVICE_SRP_AUTH answered with SRP_A: challenge {}",
                challenge_name(verifier.challenge_name.as_ref())
            ),
        );
        let challenge = ChallengeParameters::new(verifier.challenge_parameters.as_ref())
            .password_verifier()
            .map_err(|missing| ScenarioError::Answer {
                action: "RespondToAuthChallenge",
                what: format!("the DEVICE_PASSWORD_VERIFIER challenge has no {missing}"),
            })?;
        let claim = srp
            .password_claim(
                &Identity::device(&device.group_key, &device.key).map_err(ScenarioError::from)?,
                device.secret.device_password(),
                &challenge,
            )
            .map_err(ScenarioError::from)?;
        let answered = self
            .actions
            .respond_to_device_password_verifier(
                verifier.session.as_deref().unwrap_or_default(),
                &internal,
                &device.key,
                &claim,
            )
            .await
            .map_err(session_or_failure)?;
        let signed_in = signed_in("RespondToAuthChallenge", answered.authentication_result)?;
        self.out.call(
            "RespondToAuthChallenge",
            "DEVICE_PASSWORD_VERIFIER answered with the SRP password claim: tokens issued, no \
             TOTP code asked",
        );
        Ok(signed_in)
    }
    // snippet-end:[cognitoidentityprovider.rust.scenario_sign_in_with_device]
}
