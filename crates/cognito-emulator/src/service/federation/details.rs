// SPDX-License-Identifier: Apache-2.0
//! ProviderDetails: the keys each type of identity provider needs, and those the service adds
//! itself. Nothing is fetched: an OIDC provider's endpoints are kept as given (discovery from
//! `oidc_issuer` would need the network), and a SAML provider's sign-in and sign-out URLs are
//! read from a MetadataFile, not from a MetadataURL.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::service::{ServiceError, ServiceResult};

pub type Details = BTreeMap<String, String>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProviderType {
    #[serde(rename = "SAML")]
    Saml,
    #[serde(rename = "OIDC")]
    Oidc,
    Facebook,
    Google,
    LoginWithAmazon,
    SignInWithApple,
}

impl ProviderType {
    /// Social providers: Facebook, Google, Login with Amazon, Sign in with Apple. Their
    /// ProviderName is their type's name, and their users are linked by `Cognito_Subject`.
    pub fn is_social(self) -> bool {
        !matches!(self, Self::Saml | Self::Oidc)
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Saml => "SAML",
            Self::Oidc => "OIDC",
            Self::Facebook => "Facebook",
            Self::Google => "Google",
            Self::LoginWithAmazon => "LoginWithAmazon",
            Self::SignInWithApple => "SignInWithApple",
        }
    }

    /// The IdP attribute the service maps to `username` when no mapping says otherwise: the
    /// user's id in each provider's tokens.
    pub fn default_username_source(self) -> Option<&'static str> {
        match self {
            Self::Saml => None,
            Self::Facebook => Some("id"),
            Self::LoginWithAmazon => Some("user_id"),
            Self::Oidc | Self::Google | Self::SignInWithApple => Some("sub"),
        }
    }

    fn required_keys(self) -> &'static [&'static str] {
        match self {
            Self::Saml => &[],
            Self::Oidc => &[
                "client_id",
                "attributes_request_method",
                "oidc_issuer",
                "authorize_scopes",
            ],
            Self::Facebook | Self::Google | Self::LoginWithAmazon => {
                &["client_id", "client_secret", "authorize_scopes"]
            }
            Self::SignInWithApple => &[
                "client_id",
                "team_id",
                "key_id",
                "private_key",
                "authorize_scopes",
            ],
        }
    }

    /// The endpoints the service fills in for a social provider: theirs are well known.
    fn well_known_endpoints(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Self::Google => &[
                (
                    "attributes_url",
                    "https://people.googleapis.com/v1/people/me?personFields=",
                ),
                ("attributes_url_add_attributes", "true"),
                (
                    "authorize_url",
                    "https://accounts.google.com/o/oauth2/v2/auth",
                ),
                ("oidc_issuer", "https://accounts.google.com"),
                ("token_request_method", "POST"),
                ("token_url", "https://www.googleapis.com/oauth2/v4/token"),
            ],
            Self::Facebook => &[
                ("attributes_url", "https://graph.facebook.com/me?fields="),
                ("attributes_url_add_attributes", "true"),
                ("authorize_url", "https://www.facebook.com/dialog/oauth"),
                ("token_request_method", "GET"),
                ("token_url", "https://graph.facebook.com/oauth/access_token"),
            ],
            Self::LoginWithAmazon => &[
                ("attributes_url", "https://api.amazon.com/user/profile"),
                ("attributes_url_add_attributes", "false"),
                ("authorize_url", "https://www.amazon.com/ap/oa"),
                ("token_request_method", "POST"),
                ("token_url", "https://api.amazon.com/auth/o2/token"),
            ],
            Self::SignInWithApple => &[
                ("authorize_url", "https://appleid.apple.com/auth/authorize"),
                ("oidc_issuer", "https://appleid.apple.com"),
                ("token_request_method", "POST"),
                ("token_url", "https://appleid.apple.com/auth/token"),
            ],
            Self::Saml | Self::Oidc => &[],
        }
    }
}

/// The SAML keys that are switches.
const SAML_SWITCHES: &[&str] = &["IDPSignout", "IDPInit", "EncryptedResponses"];

/// Checks the details given for a provider of this type and completes them as the service
/// does: what it works out itself replaces anything given under the same key.
pub fn complete(provider_type: ProviderType, given: &Details) -> ServiceResult<Details> {
    for key in provider_type.required_keys() {
        if given.get(*key).is_none_or(|value| value.trim().is_empty()) {
            return Err(ServiceError::invalid_parameter(format!(
                "{key} is required for a {} identity provider.",
                provider_type.name()
            )));
        }
    }
    let mut details = given.clone();
    match provider_type {
        ProviderType::Saml => complete_saml(&mut details)?,
        ProviderType::Oidc => complete_oidc(&mut details)?,
        social => {
            for (key, value) in social.well_known_endpoints() {
                details.insert((*key).to_owned(), (*value).to_owned());
            }
        }
    }
    Ok(details)
}

fn complete_oidc(details: &mut Details) -> ServiceResult<()> {
    let method = details.get("attributes_request_method").map(String::as_str);
    if !matches!(method, Some("GET" | "POST")) {
        return Err(ServiceError::invalid_parameter(
            "attributes_request_method must be GET or POST.",
        ));
    }
    for key in [
        "oidc_issuer",
        "authorize_url",
        "token_url",
        "attributes_url",
        "jwks_uri",
    ] {
        if let Some(url) = details.get(key)
            && !is_http_url(url)
        {
            return Err(ServiceError::invalid_parameter(format!(
                "{key} must be an http or https URL."
            )));
        }
    }
    details
        .entry("attributes_url_add_attributes".to_owned())
        .or_insert_with(|| "false".to_owned());
    Ok(())
}

fn complete_saml(details: &mut Details) -> ServiceResult<()> {
    let file = details.get("MetadataFile").cloned();
    match (&file, details.get("MetadataURL")) {
        (Some(_), Some(_)) => {
            return Err(ServiceError::invalid_parameter(
                "Only one of MetadataFile and MetadataURL may be given.",
            ));
        }
        (None, None) => {
            return Err(ServiceError::invalid_parameter(
                "MetadataFile or MetadataURL is required for a SAML identity provider.",
            ));
        }
        (None, Some(url)) if !is_http_url(url) => {
            return Err(ServiceError::invalid_parameter(
                "MetadataURL must be an http or https URL.",
            ));
        }
        _ => {}
    }
    for key in SAML_SWITCHES {
        if details
            .get(*key)
            .is_some_and(|v| v != "true" && v != "false")
        {
            return Err(ServiceError::invalid_parameter(format!(
                "{key} must be true or false."
            )));
        }
    }
    if details
        .get("RequestSigningAlgorithm")
        .is_some_and(|algorithm| algorithm != "rsa-sha256")
    {
        return Err(ServiceError::invalid_parameter(
            "RequestSigningAlgorithm must be rsa-sha256.",
        ));
    }
    if let Some(file) = file {
        let metadata = saml_metadata(&file)?;
        details.insert("SSORedirectBindingURI".to_owned(), metadata.sign_in);
        match metadata.sign_out {
            Some(sign_out) => details.insert("SLORedirectBindingURI".to_owned(), sign_out),
            None => details.remove("SLORedirectBindingURI"),
        };
    }
    Ok(())
}

fn is_http_url(text: &str) -> bool {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    rest.is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
}

/// What the service reads from an IdP's SAML metadata.
#[derive(Debug, PartialEq, Eq)]
pub struct SamlMetadata {
    pub entity_id: String,
    /// The HTTP-Redirect SingleSignOnService.
    pub sign_in: String,
    /// The HTTP-Redirect SingleLogoutService, if there is one.
    pub sign_out: Option<String>,
}

const REDIRECT_BINDING: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";

/// Reads an IdP's metadata document: its entityID and its HTTP-Redirect sign-in and sign-out
/// URLs. A scan of its elements' start tags is enough for these; nothing is resolved or fetched.
pub fn saml_metadata(document: &str) -> ServiceResult<SamlMetadata> {
    let invalid = |why: &str| {
        ServiceError::invalid_parameter(format!("Invalid SAML metadata (MetadataFile): {why}"))
    };
    let mut entity_id = None;
    let mut has_idp_descriptor = false;
    let mut sign_in = None;
    let mut sign_out = None;
    for tag in start_tags(document) {
        match tag.local_name {
            "EntityDescriptor" => entity_id = entity_id.or(tag.attribute("entityID")),
            "IDPSSODescriptor" => has_idp_descriptor = true,
            "SingleSignOnService"
                if tag.attribute("Binding").as_deref() == Some(REDIRECT_BINDING) =>
            {
                sign_in = sign_in.or(tag.attribute("Location"));
            }
            "SingleLogoutService"
                if tag.attribute("Binding").as_deref() == Some(REDIRECT_BINDING) =>
            {
                sign_out = sign_out.or(tag.attribute("Location"));
            }
            _ => {}
        }
    }
    let entity_id = entity_id.ok_or_else(|| invalid("no EntityDescriptor with an entityID"))?;
    if !has_idp_descriptor {
        return Err(invalid("no IDPSSODescriptor"));
    }
    let sign_in =
        sign_in.ok_or_else(|| invalid("no SingleSignOnService with the HTTP-Redirect binding"))?;
    Ok(SamlMetadata {
        entity_id,
        sign_in,
        sign_out,
    })
}

/// One start tag of an XML document: its name without namespace prefix, and its raw attributes.
struct StartTag<'a> {
    local_name: &'a str,
    attributes: &'a str,
}

impl StartTag<'_> {
    /// An attribute's value, its five predefined entities resolved.
    fn attribute(&self, name: &str) -> Option<String> {
        let mut rest = self.attributes;
        while let Some(equals) = rest.find('=') {
            let key = rest[..equals].trim();
            let after = rest[equals + 1..].trim_start();
            let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            let end = after[1..].find(quote)? + 1;
            if key == name {
                return Some(unescape(&after[1..end]));
            }
            rest = &after[end + 1..];
        }
        None
    }
}

fn start_tags(document: &str) -> impl Iterator<Item = StartTag<'_>> {
    document.split('<').skip(1).filter_map(|piece| {
        let tag = &piece[..piece.find('>')?];
        if tag.starts_with(['/', '?', '!']) {
            return None;
        }
        let tag = tag.strip_suffix('/').unwrap_or(tag);
        let name_end = tag.find(char::is_whitespace).unwrap_or(tag.len());
        let name = &tag[..name_end];
        Some(StartTag {
            local_name: name.rsplit(':').next().unwrap_or(name),
            attributes: &tag[name_end..],
        })
    })
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    const METADATA: &str = r#"<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com/saml">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example.com/slo/post"/>
    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/slo?a=1&amp;b=2"/>
    <md:SingleSignOnService Binding='urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect' Location='https://idp.example.com/sso'/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"#;

    #[test]
    fn saml_metadata_gives_the_redirect_endpoints() {
        let metadata = saml_metadata(METADATA).unwrap();
        assert_eq!(metadata.entity_id, "https://idp.example.com/saml");
        assert_eq!(metadata.sign_in, "https://idp.example.com/sso");
        assert_eq!(
            metadata.sign_out.as_deref(),
            Some("https://idp.example.com/slo?a=1&b=2")
        );
        let no_idp = METADATA.replace("IDPSSODescriptor", "SPSSODescriptor");
        assert!(saml_metadata(&no_idp).is_err());
        assert!(saml_metadata("not xml at all").is_err());
    }

    #[test]
    fn social_providers_get_their_endpoints_and_need_their_keys() {
        let mut given = Details::new();
        given.insert("client_id".into(), "id".into());
        given.insert("authorize_scopes".into(), "openid".into());
        let error = complete(ProviderType::Google, &given).unwrap_err();
        assert!(error.message.contains("client_secret"), "{error}");
        given.insert("client_secret".into(), "secret".into());
        let details = complete(ProviderType::Google, &given).unwrap();
        assert_eq!(details["oidc_issuer"], "https://accounts.google.com");
        assert_eq!(details["client_secret"], "secret");
    }
}
