// SPDX-License-Identifier: Apache-2.0
//! GetSigningCertificate: the pool's SAML signing certificate, a self-signed RSA certificate
//! made when first asked for and kept with the pool, so that it stays the same across calls
//! and restarts. Its key signs the pool's SAML requests (hosted sign-in, later).

use std::time::{Duration, SystemTime};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rcgen::{CertificateParams, DistinguishedName, DnType, KeyPair, PKCS_RSA_SHA256};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::utc_date_time;
use crate::service::clock::unix_seconds;
use crate::service::{Service, ServiceError, ServiceResult};

/// The key the pool's SAML signing certificate is kept under.
pub const SAML_SIGNING: &str = "saml";
/// How long a certificate is valid from when it is made.
const VALIDITY: Duration = Duration::from_secs(10 * 365 * 86_400);

#[derive(Debug, Serialize, Deserialize)]
pub struct SigningCertificate {
    /// The certificate, DER in base64: what GetSigningCertificate answers.
    pub certificate: String,
    /// Its private key, PKCS #8 DER in base64.
    pub private_key: Zeroizing<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetSigningCertificateRequest {
    pub user_pool_id: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetSigningCertificateAnswer {
    pub certificate: String,
}

impl Service {
    pub fn get_signing_certificate(
        &self,
        request: GetSigningCertificateRequest,
    ) -> ServiceResult<GetSigningCertificateAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        if let Some(existing) = pool.lock().federation.certificates.get(SAML_SIGNING) {
            return Ok(GetSigningCertificateAnswer {
                certificate: existing.certificate.clone(),
            });
        }
        // Made with the lock released (RSA key generation); the first one stored wins.
        let made = self_signed(&pool.id, self.now())?;
        let mut state = pool.lock();
        let certificates = &mut state.federation.certificates;
        if !certificates.contains_key(SAML_SIGNING) {
            certificates.insert(SAML_SIGNING.to_owned(), made);
        }
        let certificate = certificates
            .get(SAML_SIGNING)
            .map(|stored| stored.certificate.clone())
            .ok_or_else(|| ServiceError::internal("The signing certificate was not kept."))?;
        Ok(GetSigningCertificateAnswer { certificate })
    }
}

fn self_signed(pool_id: &str, now: SystemTime) -> ServiceResult<SigningCertificate> {
    let failed = |error: rcgen::Error| {
        ServiceError::internal(format!(
            "The signing certificate could not be made: {error}"
        ))
    };
    let key = KeyPair::generate_for(&PKCS_RSA_SHA256).map_err(failed)?;
    let mut params = CertificateParams::default();
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, pool_id);
    name.push(DnType::OrganizationName, "Amazon Cognito emulator");
    params.distinguished_name = name;
    let (year, month, day, ..) = utc_date_time(unix_seconds(now));
    params.not_before = rcgen::date_time_ymd(year, month, day);
    let (year, month, day, ..) = utc_date_time(unix_seconds(now + VALIDITY));
    params.not_after = rcgen::date_time_ymd(year, month, day);
    let mut serial = crate::crypto::random::bytes::<16>();
    serial[0] &= 0x7f; // a positive INTEGER
    params.serial_number = Some(serial.to_vec().into());
    let certificate = params.self_signed(&key).map_err(failed)?;
    Ok(SigningCertificate {
        certificate: STANDARD.encode(certificate.der()),
        private_key: Zeroizing::new(STANDARD.encode(key.serialize_der())),
    })
}
