// SPDX-License-Identifier: Apache-2.0
//! What the managed-login tests share: a browser over raw HTTP on 127.0.0.1 (a cookie jar, the
//! forms' hidden fields posted back, redirects read from `Location`), a pool with a domain and
//! an OAuth app client, and users made through the pages.
#![allow(dead_code, reason = "each test file uses a different part")]

use std::collections::HashMap;
use std::time::Duration;

use aws_sdk_cognitoidentityprovider::types::{
    DeviceConfigurationType, MessageActionType, OAuthFlowType, SoftwareTokenMfaConfigType,
    UserPoolMfaType,
};

use crate::common::{Harness, HttpAnswer, PASSWORD, http_answer};

pub const DOMAIN: &str = "shop";
pub const CALLBACK: &str = "https://app.example.com/callback";
pub const SIGNED_OUT: &str = "https://app.example.com/signed-out";

/// A browser: a cookie jar, and the emulator it talks to, by path (`/_domains/shop/...`) or by
/// the domain's host name (`shop.auth.localhost`), which a real browser sends to loopback.
pub struct Browser {
    pub url: String,
    pub cookies: HashMap<String, String>,
    host: Option<String>,
}

impl Browser {
    pub fn new(harness: &Harness) -> Self {
        Self {
            url: harness.emulator.url().to_owned(),
            cookies: HashMap::new(),
            host: None,
        }
    }

    /// A browser that reaches the domain by its host name.
    pub fn by_host(harness: &Harness) -> Self {
        let port = harness
            .emulator
            .url()
            .rsplit(':')
            .next()
            .unwrap()
            .to_owned();
        Self {
            host: Some(format!("{DOMAIN}.auth.localhost:{port}")),
            ..Self::new(harness)
        }
    }

    /// The URL the domain's pages are at, for this browser.
    pub fn base(&self) -> String {
        match &self.host {
            Some(host) => format!("http://{host}"),
            None => format!("{}/_domains/{DOMAIN}", self.url),
        }
    }

    fn origin(&self) -> String {
        match &self.host {
            Some(host) => format!("http://{host}"),
            None => self.url.clone(),
        }
    }

    /// GETs a path of the domain (`/login?...`).
    pub async fn get(&mut self, path: &str) -> HttpAnswer {
        let path = match self.host {
            Some(_) => path.to_owned(),
            None => format!("/_domains/{DOMAIN}{path}"),
        };
        self.send("GET", &path, "").await
    }

    /// Posts a form to an absolute action URL the page gave.
    pub async fn post(&mut self, action: &str, fields: &[(String, String)]) -> HttpAnswer {
        let origin = self.origin();
        let path = action
            .strip_prefix(&origin)
            .expect("an action on the emulator");
        let body = fields
            .iter()
            .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
            .collect::<Vec<_>>()
            .join("&");
        self.send("POST", path, &body).await
    }

    /// Fills in the form of `page` that posts to `endpoint`: its hidden fields and `fields`.
    pub async fn submit(
        &mut self,
        page: &HttpAnswer,
        endpoint: &str,
        fields: &[(&str, &str)],
    ) -> HttpAnswer {
        let (action, mut values) = form(&page.body, endpoint);
        for (name, value) in fields {
            values.push(((*name).to_owned(), (*value).to_owned()));
        }
        self.post(&action, &values).await
    }

    pub async fn send(&mut self, method: &str, path: &str, body: &str) -> HttpAnswer {
        let cookie = self
            .cookies
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("; ");
        let mut headers = vec![("Cookie", cookie.as_str())];
        if let Some(host) = &self.host {
            headers.push(("Host", host));
        }
        if method == "POST" {
            headers.push(("Content-Type", "application/x-www-form-urlencoded"));
        }
        let answer = http_answer(&self.url, method, path, &headers, body).await;
        for (name, value) in &answer.headers {
            if name != "set-cookie" {
                continue;
            }
            let pair = value.split(';').next().unwrap();
            let (cookie, value) = pair.split_once('=').unwrap();
            if value.is_empty() {
                self.cookies.remove(cookie);
            } else {
                self.cookies.insert(cookie.to_owned(), value.to_owned());
            }
        }
        answer
    }
}

pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The form posting to `endpoint`: its action and hidden fields.
pub fn form(html: &str, endpoint: &str) -> (String, Vec<(String, String)>) {
    for chunk in html.split("<form ").skip(1) {
        let form = chunk.split("</form>").next().unwrap();
        let action = unescape(attribute(form, "action").unwrap());
        let path = action.split('?').next().unwrap();
        if !path.ends_with(endpoint) {
            continue;
        }
        let hidden = form
            .split("<input ")
            .skip(1)
            .filter(|input| input.contains("type=\"hidden\""))
            .map(|input| {
                let name = unescape(attribute(input, "name").unwrap());
                let value = unescape(attribute(input, "value").unwrap_or_default());
                (name, value)
            })
            .collect();
        return (action, hidden);
    }
    panic!("no form posting to {endpoint} in:\n{html}");
}

pub fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let length = tag[start..].find('"')?;
    Some(&tag[start..start + length])
}

/// The text of the element with `id`.
pub fn element_text(html: &str, id: &str) -> String {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let open = html[start..].find('>').unwrap() + start + 1;
    let close = html[open..].find('<').unwrap() + open;
    unescape(&html[open..close])
}

/// The error a page shows, if any.
pub fn alert(page: &HttpAnswer) -> Option<String> {
    let start = page.body.find("role=\"alert\"")?;
    let open = page.body[start..].find('>').unwrap() + start + 1;
    let close = page.body[open..].find('<').unwrap() + open;
    Some(unescape(&page.body[open..close]))
}

/// The query parameters of a redirect to the app.
pub fn redirect_query(answer: &HttpAnswer, to: &str) -> HashMap<String, String> {
    assert_eq!(answer.status, 302, "a redirect; got {answer:?}");
    let location = answer.header("location").unwrap();
    let query = location
        .strip_prefix(&format!("{to}?"))
        .unwrap_or_else(|| panic!("a redirect to {to}; got {location}"));
    query
        .split('&')
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap();
            (name.to_owned(), percent_decode(value))
        })
        .collect()
}

pub fn percent_decode(text: &str) -> String {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b'%' {
            out.push(u8::from_str_radix(&text[at + 1..at + 3], 16).unwrap());
            at += 3;
        } else {
            out.push(bytes[at]);
            at += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

pub struct LoginPool {
    pub id: String,
    pub client_id: String,
}

/// A pool with the domain [`DOMAIN`] and an OAuth client; MFA required with TOTP and devices
/// remembered (`remember`: `Some(on the user's choice)`) when `mfa` is set.
pub async fn login_pool(
    harness: &Harness,
    mfa: bool,
    remember_on_prompt: Option<bool>,
) -> LoginPool {
    let mut create = harness
        .client
        .create_user_pool()
        .pool_name("hosted")
        .auto_verified_attributes("email".into());
    if let Some(prompt) = remember_on_prompt {
        create = create.device_configuration(
            DeviceConfigurationType::builder()
                .challenge_required_on_new_device(true)
                .device_only_remembered_on_user_prompt(prompt)
                .build(),
        );
    }
    let id = create
        .send()
        .await
        .expect("CreateUserPool")
        .user_pool
        .unwrap()
        .id
        .unwrap();
    if mfa {
        harness
            .client
            .set_user_pool_mfa_config()
            .user_pool_id(&id)
            .mfa_configuration(UserPoolMfaType::On)
            .software_token_mfa_configuration(
                SoftwareTokenMfaConfigType::builder().enabled(true).build(),
            )
            .send()
            .await
            .expect("SetUserPoolMfaConfig");
    }
    harness
        .client
        .create_user_pool_domain()
        .user_pool_id(&id)
        .domain(DOMAIN)
        .send()
        .await
        .expect("CreateUserPoolDomain");
    let client = harness
        .client
        .create_user_pool_client()
        .user_pool_id(&id)
        .client_name("web")
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .allowed_o_auth_scopes("openid")
        .allowed_o_auth_scopes("email")
        .callback_urls(CALLBACK)
        .logout_urls(SIGNED_OUT)
        .supported_identity_providers("COGNITO")
        .send()
        .await
        .expect("CreateUserPoolClient")
        .user_pool_client
        .unwrap();
    LoginPool {
        id,
        client_id: client.client_id.unwrap(),
    }
}

pub fn authorize_query(pool: &LoginPool) -> String {
    format!(
        "response_type=code&client_id={}&redirect_uri={}&scope=openid+email&state=st-42",
        pool.client_id,
        encode(CALLBACK)
    )
}

/// `/oauth2/authorize` for a browser without a session: the sign-in page it is sent to.
pub async fn sign_in_page(browser: &mut Browser, pool: &LoginPool) -> HttpAnswer {
    let query = authorize_query(pool);
    let answer = browser.get(&format!("/oauth2/authorize?{query}")).await;
    assert_eq!(answer.status, 302, "{answer:?}");
    let location = answer.header("location").unwrap().to_owned();
    assert!(location.contains("/login?"), "{location}");
    let path = location
        .strip_prefix(&browser.base())
        .unwrap_or_else(|| panic!("{location} is on the browser's base {}", browser.base()))
        .to_owned();
    let page = browser.get(&path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    page
}

pub async fn password_page(
    browser: &mut Browser,
    pool: &LoginPool,
    username: &str,
    password: &str,
) -> HttpAnswer {
    let page = sign_in_page(browser, pool).await;
    browser
        .submit(
            &page,
            "/login",
            &[("username", username), ("password", password)],
        )
        .await
}

/// Next TOTP step: a code is taken once per step.
pub fn next_step(harness: &Harness) {
    harness.clock.advance(Duration::from_secs(30));
}

/// A confirmed user with TOTP set up through the pages, in a browser of its own.
pub async fn user_with_totp(harness: &Harness, pool: &LoginPool, username: &str) -> String {
    harness
        .client
        .admin_create_user()
        .user_pool_id(&pool.id)
        .username(username)
        .temporary_password("Temp0rary-Pass!")
        .message_action(MessageActionType::Suppress)
        .send()
        .await
        .expect("AdminCreateUser");
    let mut browser = Browser::new(harness);
    let change = password_page(&mut browser, pool, username, "Temp0rary-Pass!").await;
    assert!(
        change.body.contains("temporary password"),
        "{}",
        change.body
    );
    let weak = browser
        .submit(&change, "/newPassword", &[("password", "short")])
        .await;
    assert!(
        alert(&weak).unwrap().contains("Password did not conform"),
        "{}",
        weak.body
    );
    let setup = browser
        .submit(&weak, "/newPassword", &[("password", PASSWORD)])
        .await;
    let secret = element_text(&setup.body, "totp-secret");
    let wrong = browser
        .submit(&setup, "/mfa/setup", &[("code", "000000")])
        .await;
    assert!(alert(&wrong).is_some(), "{}", wrong.body);
    assert_eq!(element_text(&wrong.body, "totp-secret"), secret);
    let done = browser
        .submit(&wrong, "/mfa/setup", &[("code", &harness.totp(&secret, 0))])
        .await;
    redirect_query(&done, CALLBACK);
    next_step(harness);
    secret
}

/// A confirmed user with a permanent password, made by an administrator.
pub async fn confirmed_user(harness: &Harness, pool: &LoginPool, username: &str) {
    harness
        .client
        .admin_create_user()
        .user_pool_id(&pool.id)
        .username(username)
        .message_action(MessageActionType::Suppress)
        .send()
        .await
        .expect("AdminCreateUser");
    harness
        .client
        .admin_set_user_password()
        .user_pool_id(&pool.id)
        .username(username)
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await
        .expect("AdminSetUserPassword");
}

/// Whether `/oauth2/authorize` takes the browser straight back to the app.
pub async fn has_session(browser: &mut Browser, pool: &LoginPool) -> bool {
    let answer = browser
        .get(&format!("/oauth2/authorize?{}", authorize_query(pool)))
        .await;
    assert_eq!(answer.status, 302);
    answer.header("location").unwrap().starts_with(CALLBACK)
}
