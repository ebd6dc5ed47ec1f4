// SPDX-License-Identifier: Apache-2.0
//! The classic hosted UI's branding: SetUICustomization and GetUICustomization, for the whole
//! pool (ClientId `ALL`, or none) or for one app client. A client with its own customization
//! no longer falls back to the pool's. As on the service, the pool needs a domain first. The CSS may style only the documented classes; the logo
//! is served back as a `data:` URL, so it displays without another request to the emulator.

use std::time::SystemTime;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

use crate::service::clock::epoch_seconds;
use crate::service::{Service, ServiceError, ServiceResult};

/// The key of the pool's own customization, which clients without one use.
pub(crate) const ALL_CLIENTS: &str = "ALL";
/// Documented: a logo of at most 100 KB.
const MAX_IMAGE_BYTES: usize = 100 * 1024;
/// The classes (and states) the documentation lets the CSS style.
const CUSTOMIZABLE_CLASSES: &[&str] = &[
    "background-customizable",
    "banner-customizable",
    "errorMessage-customizable",
    "idpButton-customizable",
    "idpButton-customizable:hover",
    "idpDescription-customizable",
    "inputField-customizable",
    "inputField-customizable:focus",
    "label-customizable",
    "legalText-customizable",
    "logo-customizable",
    "passwordCheck-notValid-customizable",
    "passwordCheck-valid-customizable",
    "redirect-customizable",
    "socialButton-customizable",
    "submitButton-customizable",
    "submitButton-customizable:hover",
    "textDescription-customizable",
];
/// Documented as not allowed in the CSS.
const FORBIDDEN_CSS: &[&str] = &["@import", "@supports", "@page", "@media", "javascript"];

/// A stored customization: what one SetUICustomization set (CSS and logo are set together).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UiCustomization {
    pub css: Option<String>,
    /// The logo, base64 as the request carried it.
    pub image: Option<String>,
    pub created: SystemTime,
    pub modified: SystemTime,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SetUiCustomizationRequest {
    pub user_pool_id: String,
    pub client_id: Option<String>,
    #[serde(rename = "CSS")]
    pub css: Option<String>,
    pub image_file: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetUiCustomizationRequest {
    pub user_pool_id: String,
    pub client_id: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UiCustomizationAnswer {
    #[serde(rename = "UICustomization")]
    pub ui_customization: UiCustomizationType,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UiCustomizationType {
    pub user_pool_id: String,
    pub client_id: String,
    #[serde(rename = "CSS", skip_serializing_if = "Option::is_none")]
    pub css: Option<String>,
    #[serde(rename = "CSSVersion", skip_serializing_if = "Option::is_none")]
    pub css_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creation_date: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_modified_date: Option<f64>,
}

impl Service {
    pub fn set_ui_customization(
        &self,
        request: SetUiCustomizationRequest,
    ) -> ServiceResult<UiCustomizationAnswer> {
        if let Some(css) = &request.css {
            check_css(css)?;
        }
        if let Some(image) = &request.image_file {
            image_type(image)?;
        }
        let pool = self.pool(&request.user_pool_id)?;
        let key = request.client_id.unwrap_or_else(|| ALL_CLIENTS.to_owned());
        let now = self.now();
        let mut state = pool.lock();
        if key != ALL_CLIENTS {
            state.client(&key)?;
        }
        // The branding is for the hosted pages, which are served on the pool's domain.
        if state.domain_names() == (None, None) {
            return Err(ServiceError::invalid_parameter(
                "There has to be an existing domain associated with this user pool.",
            ));
        }
        let created = state.ui_customizations.get(&key).map_or(now, |c| c.created);
        let customization = UiCustomization {
            css: request.css,
            image: request.image_file,
            created,
            modified: now,
        };
        let answer = ui_customization_type(&pool.id, &key, Some(&customization));
        state.ui_customizations.insert(key, customization);
        Ok(UiCustomizationAnswer {
            ui_customization: answer,
        })
    }

    pub fn get_ui_customization(
        &self,
        request: GetUiCustomizationRequest,
    ) -> ServiceResult<UiCustomizationAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let key = request.client_id.unwrap_or_else(|| ALL_CLIENTS.to_owned());
        let state = pool.lock();
        if key != ALL_CLIENTS {
            state.client(&key)?;
        }
        let customization = state
            .ui_customizations
            .get(&key)
            .or_else(|| state.ui_customizations.get(ALL_CLIENTS));
        Ok(UiCustomizationAnswer {
            ui_customization: ui_customization_type(&pool.id, &key, customization),
        })
    }
}

fn ui_customization_type(
    pool_id: &str,
    client_id: &str,
    customization: Option<&UiCustomization>,
) -> UiCustomizationType {
    UiCustomizationType {
        user_pool_id: pool_id.to_owned(),
        client_id: client_id.to_owned(),
        css: customization.and_then(|c| c.css.clone()),
        // Changes whenever the CSS is set again, so that caches can tell.
        css_version: customization
            .filter(|c| c.css.is_some())
            .map(|c| format!("{}", (epoch_seconds(c.modified) * 1000.0) as u64)),
        image_url: customization
            .and_then(|c| c.image.as_deref())
            .and_then(|image| Some(format!("data:{};base64,{image}", image_type(image).ok()?))),
        creation_date: customization.map(|c| epoch_seconds(c.created)),
        last_modified_date: customization.map(|c| epoch_seconds(c.modified)),
    }
}

/// The logo's media type: a PNG or JPEG file of at most 100 KB.
pub(crate) fn image_type(base64: &str) -> ServiceResult<&'static str> {
    let bytes = STANDARD
        .decode(base64)
        .map_err(|_| ServiceError::invalid_parameter("ImageFile is not valid base64."))?;
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(ServiceError::invalid_parameter(
            "ImageFile is larger than 100 KB.",
        ));
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok("image/png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Ok("image/jpeg")
    } else {
        Err(ServiceError::invalid_parameter(
            "ImageFile must be a PNG or JPEG image.",
        ))
    }
}

/// The CSS may only style the customizable classes, one selector per class (or several
/// separated by commas), and holds no at-rules or script.
fn check_css(css: &str) -> ServiceResult<()> {
    let lower = css.to_ascii_lowercase();
    if let Some(forbidden) = FORBIDDEN_CSS.iter().find(|f| lower.contains(*f)) {
        return Err(ServiceError::invalid_parameter(format!(
            "The CSS must not contain {forbidden}."
        )));
    }
    let uncommented = without_comments(css)?;
    let mut rest = uncommented.as_str();
    while let Some(open) = rest.find('{') {
        let selectors = &rest[..open];
        for selector in selectors.split(',').map(str::trim) {
            let class = selector.strip_prefix('.').unwrap_or_default();
            if !CUSTOMIZABLE_CLASSES.contains(&class) {
                return Err(ServiceError::invalid_parameter(format!(
                    "The CSS may style only the customizable classes; {selector:?} is not one of them."
                )));
            }
        }
        let Some(close) = rest[open..].find('}') else {
            return Err(ServiceError::invalid_parameter(
                "The CSS has a block that is never closed.",
            ));
        };
        rest = &rest[open + close + 1..];
    }
    if !rest.trim().is_empty() {
        return Err(ServiceError::invalid_parameter(
            "The CSS has text outside of its rules.",
        ));
    }
    Ok(())
}

/// The CSS with its `/* ... */` comments taken out.
fn without_comments(css: &str) -> ServiceResult<String> {
    let mut kept = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        kept.push_str(&rest[..start]);
        let end = rest[start + 2..].find("*/").ok_or_else(|| {
            ServiceError::invalid_parameter("The CSS has a comment that is never closed.")
        })?;
        rest = &rest[start + 2 + end + 2..];
    }
    kept.push_str(rest);
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_styles_only_the_customizable_classes() {
        assert!(check_css(".label-customizable { font-weight: 400; }").is_ok());
        assert!(
            check_css(".submitButton-customizable:hover, .banner-customizable {color: red}\n")
                .is_ok()
        );
        assert!(check_css("/* the logo */ .logo-customizable { max-width: 60%; }").is_ok());
        assert!(check_css("body { color: red; }").is_err());
        assert!(check_css(".logo-customizable { max-width: 60%; } /* open").is_err());
        assert!(check_css("@media print { .label-customizable { color: red } }").is_err());
        assert!(check_css(".label-customizable { color: red; ").is_err());
        assert!(check_css(".label-customizable { background: url(javascript:x) }").is_err());
    }

    #[test]
    fn the_logo_is_a_small_png_or_jpeg() {
        let png = STANDARD.encode(b"\x89PNG\r\n\x1a\nrest");
        assert_eq!(image_type(&png).unwrap(), "image/png");
        assert!(image_type(&STANDARD.encode(b"GIF89a")).is_err());
        assert!(image_type("not base64!").is_err());
        let large = STANDARD.encode([0xff_u8; MAX_IMAGE_BYTES + 1]);
        assert!(image_type(&large).is_err());
    }
}
