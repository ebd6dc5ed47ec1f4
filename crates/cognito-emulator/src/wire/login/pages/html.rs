// SPDX-License-Identifier: Apache-2.0
//! The pages' shared HTML: the layout (one h1, the stylesheet, the logo), labelled fields,
//! alerts, and escaping. The classic hosted-UI class names are on the elements, so the CSS of
//! SetUICustomization applies.

use super::super::LoginBase;
use super::forms::{self, CSRF_FIELD};

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// What every page of one sign-in shares: where it is, for which client, with which CSRF token.
pub struct Frame<'a> {
    pub base: &'a LoginBase,
    pub client_id: &'a str,
    /// The authorize query the page's forms and links carry on.
    pub query: &'a str,
    pub csrf: &'a str,
    pub logo: bool,
}

impl Frame<'_> {
    /// A URL of the domain with the authorize query.
    pub fn link(&self, endpoint: &str) -> String {
        format!("{}?{}", self.base.url_of(endpoint), self.query)
    }

    /// A whole page: `heading` is its one h1.
    pub fn page(&self, heading: &str, content: &str) -> String {
        let client = forms::encode(self.client_id);
        let style = self
            .base
            .url_of(&format!("/_style/style.css?client_id={client}"));
        let logo = if self.logo {
            let src = self
                .base
                .url_of(&format!("/_style/logo?client_id={client}"));
            format!(
                "<img class=\"logo-customizable\" src=\"{}\" alt=\"\">",
                escape(&src)
            )
        } else {
            String::new()
        };
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{title}</title>\n<link rel=\"stylesheet\" href=\"{style}\">\n</head>\n\
             <body class=\"background-customizable\">\n<main>\n\
             <div class=\"banner-customizable\">{logo}</div>\n\
             <h1 class=\"textDescription-customizable\">{title}</h1>\n{content}\n</main>\n\
             </body>\n</html>\n",
            title = escape(heading),
            style = escape(&style),
        )
    }

    /// A form that posts to `endpoint` (with the authorize query) with the CSRF token.
    pub fn form(&self, endpoint: &str, inner: &str) -> String {
        format!(
            "<form method=\"post\" action=\"{}\">\n{}{inner}</form>\n",
            escape(&self.link(endpoint)),
            hidden(CSRF_FIELD, self.csrf),
        )
    }
}

/// An error the user can act on.
pub fn alert(message: &str) -> String {
    format!(
        "<div role=\"alert\" class=\"errorMessage-customizable\">{}</div>\n",
        escape(message)
    )
}

/// A notice (a code was sent, an account confirmed).
pub fn notice(message: &str) -> String {
    format!(
        "<p role=\"status\" class=\"textDescription-customizable\">{}</p>\n",
        escape(message)
    )
}

pub fn hidden(name: &str, value: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"{}\" value=\"{}\">\n",
        escape(name),
        escape(value)
    )
}

/// A labelled input: `kind` is its type, `autocomplete` what browsers may fill in.
pub fn field(name: &str, label: &str, kind: &str, autocomplete: &str, value: &str) -> String {
    let id = format!("field-{name}");
    format!(
        "<div>\n<label class=\"label-customizable\" for=\"{id}\">{}</label>\n\
         <input class=\"inputField-customizable\" id=\"{id}\" name=\"{}\" type=\"{kind}\" \
         autocomplete=\"{autocomplete}\" value=\"{}\" required>\n</div>\n",
        escape(label),
        escape(name),
        escape(value),
    )
}

/// A labelled checkbox.
pub fn checkbox(name: &str, label: &str) -> String {
    let id = format!("field-{name}");
    format!(
        "<div>\n<input id=\"{id}\" name=\"{}\" type=\"checkbox\">\n\
         <label class=\"label-customizable\" for=\"{id}\">{}</label>\n</div>\n",
        escape(name),
        escape(label),
    )
}

pub fn button(label: &str) -> String {
    format!(
        "<button type=\"submit\" class=\"btn btn-primary submitButton-customizable\">{}</button>\n",
        escape(label)
    )
}

/// A link to another page of the sign-in.
pub fn link(href: &str, text: &str) -> String {
    format!(
        "<p><a class=\"redirect-customizable\" href=\"{}\">{}</a></p>\n",
        escape(href),
        escape(text)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_values_is_escaped() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert!(alert("<script>").contains("&lt;script&gt;"));
    }
}
